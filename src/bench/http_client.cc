#include "bench/http_client.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

namespace kindred {

namespace net = boost::asio;
namespace http = boost::beast::http;

std::string WireRequest(const HttpRequest& request) {
  std::string wire = request.method + " " + request.target + " HTTP/1.1\r\n";
  for (const auto& [name, value] : request.headers) wire += name + ": " + value + "\r\n";
  wire += "Content-Length: " + std::to_string(request.body.size()) + "\r\n\r\n";
  wire += request.body;
  return wire;
}

class KeepAliveClient::Connection {
 public:
  net::io_context io;
  net::ip::tcp::socket socket{io};
  boost::beast::flat_buffer buffer;  // bytes read past a response stay for the next one
};

KeepAliveClient::KeepAliveClient(std::unique_ptr<Connection> connection)
    : connection_(std::move(connection)) {}

KeepAliveClient::~KeepAliveClient() = default;

Result<std::unique_ptr<KeepAliveClient>> KeepAliveClient::Connect(uint16_t port) {
  auto connection = std::make_unique<Connection>();
  boost::system::error_code ec;
  connection->socket.connect({net::ip::make_address_v4("127.0.0.1"), port}, ec);
  if (ec)
    return Status::IoError("connecting to 127.0.0.1:" + std::to_string(port) + ": " + ec.message());
  connection->socket.set_option(net::ip::tcp::no_delay(true), ec);
  return std::unique_ptr<KeepAliveClient>(new KeepAliveClient(std::move(connection)));
}

Result<ClientResponse> KeepAliveClient::Exchange(std::string_view wire_request) {
  Connection& c = *connection_;
  boost::system::error_code ec;
  net::write(c.socket, net::buffer(wire_request.data(), wire_request.size()), ec);
  if (ec) return Status::IoError("writing a request: " + ec.message());
  http::response<http::string_body> response;
  http::read(c.socket, c.buffer, response, ec);
  if (ec) return Status::IoError("reading a response: " + ec.message());
  return ClientResponse{static_cast<int>(response.result_int()), std::move(response.body())};
}

}  // namespace kindred
