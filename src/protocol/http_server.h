// HttpServer: the HTTP/1.1 listener that turns bytes on a socket into HttpRequest values, calls
// one handler, and writes the HttpResponse back. Boost.Beast stays inside http_server.cc.
//
// Contract:
//   - keep-alive per HTTP/1.1 (HTTP/1.0 and `Connection: close` close after the response);
//     pipelined requests are answered in order; idle connections close after `idle_timeout`;
//   - the handler runs synchronously on an I/O thread; each connection belongs to one I/O thread
//     (assigned round-robin), which runs all of its work, so a handler that blocks (e.g. on a
//     durable write) holds up only the connections of its own thread, and threads never hand
//     requests to each other; requests of a batch class (below) that a thread has read together
//     are handled together, as the tasks of one FiberBatch on that thread;
//   - malformed HTTP -> 400 and close; a body over `body_limit` -> 413
//     RequestEntityTooLargeException and close; a handler that throws -> 500 InternalFailure;
//   - every response carries Content-Length, the response's Content-Type, `Server: kindred` and
//     an `x-amzn-RequestId` (a new UUID unless the handler already set one).
// Signals are not handled here: the caller catches SIGINT/SIGTERM and calls Stop().
//
//   HttpServer server({.port = 0}, [](const HttpRequest& r) { return HttpResponse{}; });
//   if (Status s = server.Start(); !s.ok()) return s;
//   ... server.Stop();
//
// Thread-safety: Start() once, from one thread. Stop() and Wait() may be called from any thread
// except a handler's (Stop() joins the I/O threads). port() is safe after Start() succeeded.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "protocol/http_message.h"

namespace kindred {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;                   // 0 = let the OS pick a free port; see port()
  size_t threads = 0;                     // I/O threads, which also run the handler; 0: one per core
  size_t body_limit = 8 * 1024 * 1024;    // larger bodies get 413
  std::chrono::seconds idle_timeout{60};  // keep-alive connections idle this long are closed
  // Batches: a request this gives a class k > 0 is handled together with the other requests of
  // class k that its I/O thread has read by the time it gets to them: they run as the tasks of
  // one FiberBatch (common/fiber_batch.h), so that their handlers can share work through
  // FiberBatch::Gather (one scan for several queries, one fsync for several writes). Batches of
  // different classes run one after the other, never interleaved, so a class's handlers only
  // have to keep FiberBatch's rule among themselves: never gather holding a lock that another
  // request of the class could wait for. Class 0 (and every request when this is null): handled
  // alone, as it arrives.
  std::function<int(const HttpRequest&)> batch_class;
};

// Called concurrently from the I/O threads; must be safe for that.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, HttpHandler handler);
  ~HttpServer();  // Stop()s if still running
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the I/O threads. kIoError naming address:port when the address
  // is invalid or the bind fails; kInternal if called twice.
  [[nodiscard]] Status Start();

  // The bound port (the chosen one when options.port was 0); 0 before Start().
  uint16_t port() const;

  // Graceful shutdown: stops accepting, closes idle connections, lets requests already being
  // handled finish and write their response (waiting up to about 5 s for them), then stops the
  // I/O threads. Idempotent.
  void Stop();

  // Blocks until Stop() has completed (returns at once if the server never started).
  void Wait();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kindred
