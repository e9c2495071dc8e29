// KeepAliveClient: one HTTP/1.1 keep-alive connection to a server on 127.0.0.1, over which
// requests go one at a time: each is written whole, then its response read whole (Boost.Beast,
// blocking sockets). The benchmarks' client side: the serving and events parts time requests
// with it, one connection per simulated client (http_load.h runs many).
//
// Requests travel in their wire form, built once by WireRequest, so that timing a request
// measures the server and the network path rather than the client's serialisation.
//
//   std::string wire = WireRequest(server.RestRequest("/recommendations", body));
//   Result<std::unique_ptr<KeepAliveClient>> client = KeepAliveClient::Connect(server.port());
//   Result<ClientResponse> r = (*client)->Exchange(wire);  // r->status, r->body
//
// A transport error (connection closed, reset) is kIoError; the client is then unusable and is
// replaced by connecting again. An HTTP error status is a response like any other.
//
// Thread-safety: one thread at a time per client; separate clients are independent.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "protocol/http_message.h"

namespace kindred {

struct ClientResponse {
  int status = 0;
  std::string body;
};

// `request` as HTTP/1.1 bytes (its headers, then Content-Length and the body).
std::string WireRequest(const HttpRequest& request);

class KeepAliveClient {
 public:
  // kIoError when 127.0.0.1:port does not accept the connection.
  static Result<std::unique_ptr<KeepAliveClient>> Connect(uint16_t port);
  ~KeepAliveClient();
  KeepAliveClient(const KeepAliveClient&) = delete;
  KeepAliveClient& operator=(const KeepAliveClient&) = delete;

  // Writes `wire_request` (a WireRequest) and reads the response.
  Result<ClientResponse> Exchange(std::string_view wire_request);

 private:
  class Connection;
  explicit KeepAliveClient(std::unique_ptr<Connection> connection);
  std::unique_ptr<Connection> connection_;
};

}  // namespace kindred
