// HttpRequest / HttpResponse: the plain values that cross between the HTTP server
// (http_server.h) and what answers requests (api_dispatcher.h). No Beast types appear here, so
// everything above the socket can be tested without a network.
//
// Thread-safety: values.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace kindred {

struct HttpRequest {
  std::string method;  // "POST", "GET", ...
  std::string target;  // raw request-target: path plus optional "?query", still percent-encoded
  // Header names as received; look them up with Header(), which ignores case.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first header called `name` (case-insensitive), or empty when absent.
  std::string_view Header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (k.size() == name.size() &&
          std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) ==
                   std::tolower(static_cast<unsigned char>(b));
          })) {
        return v;
      }
    }
    return {};
  }
  // The path part of target (before '?').
  std::string_view Path() const {
    std::string_view t = target;
    return t.substr(0, t.find('?'));
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/x-amz-json-1.1";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  std::string body;
};

// An AWS-style error: JSON body {"__type": type, "message": message} with the given HTTP status and an
// `x-amzn-ErrorType` header, as AWS JSON 1.1 and rest-json services send them.
inline HttpResponse ErrorResponse(int http_status, std::string_view type, std::string_view message) {
  HttpResponse r;
  r.status = http_status;
  r.headers.emplace_back("x-amzn-ErrorType", std::string(type));
  r.body = nlohmann::json{{"__type", type}, {"message", message}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

}  // namespace kindred
