#include "protocol/http_server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "common/fiber_batch.h"
#include "common/random.h"

namespace kindred {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// How long a closing connection with unread input keeps reading (and discarding) what the client
// still sends, so that the client sees our final response instead of a reset.
constexpr std::chrono::seconds kLingerTime{2};
// How long Stop() waits for in-flight requests before stopping the I/O threads.
constexpr std::chrono::seconds kStopGrace{5};

constexpr std::string_view kInternalFailureMessage =
    "The request processing has failed because of an unknown error, exception or failure.";

bool HasHeader(const HttpResponse& r, std::string_view name) {
  return std::any_of(r.headers.begin(), r.headers.end(), [&](const auto& h) {
    return beast::iequals(h.first, beast::string_view(name.data(), name.size()));
  });
}

}  // namespace

class HttpServer::Impl {
 public:
  class Session;

  Impl(HttpServerOptions options, HttpHandler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        loops_(MakeLoops(options_.threads > 0 ? options_.threads
                                              : std::max(1u, std::thread::hardware_concurrency()))),
        acceptor_(loops_[0]->ioc) {}
  ~Impl() { Stop(); }

  Status Start();
  void Stop();
  void Wait();
  uint16_t port() const { return port_.load(); }

  const HttpServerOptions& options() const { return options_; }
  bool stopping() const { return stopping_.load(); }
  // Runs the handler; never throws.
  HttpResponse Handle(const HttpRequest& req) const;
  int BatchClass(const HttpRequest& req) const {
    return options_.batch_class ? options_.batch_class(req) : 0;
  }
  // Registers a new connection; false when the server is stopping and it must be dropped.
  bool SessionStarted(Session* raw, std::weak_ptr<Session> session);
  void SessionEnded(Session* raw);

 private:
  // One event loop per I/O thread, so that a request never moves between threads and threads
  // never wait on each other for work: each connection is given to one loop (round-robin) and
  // all its work runs on that loop's thread.
  struct Loop {
    net::io_context ioc{1};
    // Keeps the thread running while there is momentarily nothing to do (e.g. while Stop() is
    // still posting close requests); Stop() ends it with ioc.stop().
    net::executor_work_guard<net::io_context::executor_type> work{ioc.get_executor()};
    // Sessions with a request of a batch class read and not yet handled; Flush (posted when the
    // first arrives, so it runs after every read the loop's last poll completed) handles them.
    std::vector<std::shared_ptr<Session>> waiting;
    bool flush_posted = false;
  };

  static std::vector<std::unique_ptr<Loop>> MakeLoops(size_t n) {
    std::vector<std::unique_ptr<Loop>> loops;
    for (size_t i = 0; i < n; ++i) loops.push_back(std::make_unique<Loop>());
    return loops;
  }
  void Accept();
  void RunIoThread(net::io_context& ioc);
  // From a session on `loop`'s thread: handles its request with the loop's next batch.
  void Enqueue(Loop& loop, std::shared_ptr<Session> session);
  void Flush(Loop& loop);

  enum class State { kNew, kRunning, kStopping, kStopped };

  HttpServerOptions options_;
  const HttpHandler handler_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint16_t> port_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  State state_ = State::kNew;                            // guarded by mu_
  std::map<Session*, std::weak_ptr<Session>> sessions_;  // guarded by mu_
  // Declared after everything a Session touches when destroyed: ~io_context destroys the
  // sessions whose handlers were still queued.
  std::vector<std::unique_ptr<Loop>> loops_;  // fixed at construction
  size_t next_loop_ = 0;                      // the loop of the next connection (acceptor's thread)
  tcp::acceptor acceptor_;                    // on loops_[0]
  std::vector<std::thread> threads_;
};

// One TCP connection: read a request, answer it, repeat. All its work runs on its loop's thread.
class HttpServer::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Impl& server, Loop& loop)
      : server_(server), loop_(loop), stream_(std::move(socket)) {}
  ~Session() { server_.SessionEnded(this); }

  void Run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::Read, shared_from_this()));
  }

  // Called (via post) by Stop(): closes the connection unless a request is under way.
  void CloseIfIdleSoon() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      const bool idle = self->state_ == State::kReading && !self->parser_->got_some() &&
                        self->buffer_.size() == 0;
      if (idle || self->state_ == State::kLingering) self->Close();
    });
  }

 private:
  enum class State { kReading, kBusy, kLingering };

  void Read() {
    if (server_.stopping()) return Finish();
    state_ = State::kReading;
    parser_.emplace();
    parser_->body_limit(server_.options().body_limit);
    stream_.expires_after(server_.options().idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t /*bytes*/) {
    state_ = State::kBusy;
    if (ec == http::error::body_limit) {
      unread_input_ = true;  // the rest of the body is probably still on its way
      return Write(ErrorResponse(413, "RequestEntityTooLargeException",
                                 "Request body is larger than the limit of " +
                                     std::to_string(server_.options().body_limit) + " bytes."),
                   11, /*keep_alive=*/false);
    }
    if (ec == http::error::end_of_stream || ec == http::error::partial_message) return Close();
    if (ec && ec.category() == http::make_error_code(http::error::bad_method).category()) {
      unread_input_ = true;
      return Write(
          ErrorResponse(400, "BadRequestException", "Malformed HTTP request: " + ec.message()), 11,
          /*keep_alive=*/false);
    }
    if (ec) return Close();  // timeout, reset, or closed by Stop()

    http::request<http::string_body> msg = parser_->release();
    HttpRequest req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    for (const auto& field : msg) {
      req.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    req.body = std::move(msg.body());
    version_ = msg.version();
    keep_alive_ = msg.keep_alive();
    if (const int batch_class = server_.BatchClass(req); batch_class > 0) {
      batch_class_ = batch_class;
      request_ = std::move(req);
      return server_.Enqueue(loop_, shared_from_this());
    }
    Write(server_.Handle(req), version_, keep_alive_);
  }

 public:
  // The request Enqueue was given, its batch class, and its answer.
  const HttpRequest& request() const { return request_; }
  int batch_class() const { return batch_class_; }
  void Respond(HttpResponse r) {
    request_ = {};
    Write(std::move(r), version_, keep_alive_);
  }

 private:
  void Write(HttpResponse r, unsigned version, bool keep_alive) {
    state_ = State::kBusy;
    res_ = {};
    res_.version(version);
    res_.result(static_cast<unsigned>(r.status));
    res_.set(http::field::server, "kindred");
    res_.set(http::field::content_type, r.content_type);
    for (const auto& [name, value] : r.headers) res_.insert(name, value);
    if (!HasHeader(r, "x-amzn-RequestId")) {
      try {
        res_.set("x-amzn-RequestId", NewUuid());
      } catch (const std::exception& e) {
        spdlog::error("cannot generate a request id: {}", e.what());
      }
    }
    res_.body() = std::move(r.body);
    res_.keep_alive(keep_alive && !server_.stopping());
    res_.prepare_payload();
    stream_.expires_after(server_.options().idle_timeout);
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, size_t /*bytes*/) {
    if (ec) return Close();
    if (res_.keep_alive()) return Read();
    Finish();
  }

  // Ends the connection after the last response: at once when the client has sent nothing we
  // have not read, otherwise through Linger().
  void Finish() {
    beast::error_code ignored;
    if (unread_input_ || buffer_.size() > 0 || stream_.socket().available(ignored) > 0) {
      return Linger();
    }
    Close();
  }

  // Closing a socket with unread input makes the kernel send a reset, which can destroy the
  // response before the client reads it. So: half-close, and discard whatever the client still
  // sends until it closes or time runs out.
  void Linger() {
    if (state_ != State::kLingering) {
      state_ = State::kLingering;
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      stream_.expires_after(kLingerTime);
    }
    stream_.async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->Close();
                              self->Linger();
                            });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  Impl& server_;
  Loop& loop_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;  // must outlive async_write
  std::array<char, 8192> drain_{};
  State state_ = State::kReading;
  bool unread_input_ = false;  // the request was refused before all of it was read
  HttpRequest request_;        // while waiting in a batch
  int batch_class_ = 0;
  unsigned version_ = 11;      // the request's HTTP version and keep-alive
  bool keep_alive_ = true;
};

Status HttpServer::Impl::Start() {
  std::lock_guard lock(mu_);
  if (state_ != State::kNew) return Status::Internal("HttpServer::Start called twice");
  const std::string where = options_.address + ":" + std::to_string(options_.port);
  beast::error_code ec;
  const net::ip::address address = net::ip::make_address(options_.address, ec);
  if (ec) return Status::IoError("cannot listen on " + where + ": invalid address");
  const tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    acceptor_.close(ignored);
    return Status::IoError("cannot listen on " + where + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint(ec).port();
  Accept();
  for (const auto& loop : loops_) {
    threads_.emplace_back([this, &ioc = loop->ioc] { RunIoThread(ioc); });
  }
  state_ = State::kRunning;
  spdlog::info("listening on {}:{}", options_.address, port_.load());
  return Status::Ok();
}

void HttpServer::Impl::RunIoThread(net::io_context& ioc) {
  while (true) {
    try {
      ioc.run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("HTTP I/O thread caught: {}", e.what());
    }
  }
}

void HttpServer::Impl::Accept() {
  Loop& loop = *loops_[next_loop_];
  next_loop_ = (next_loop_ + 1) % loops_.size();
  acceptor_.async_accept(loop.ioc, [this, &loop](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      spdlog::warn("accept failed: {}", ec.message());
    } else {
      auto session = std::make_shared<Session>(std::move(socket), *this, loop);
      if (SessionStarted(session.get(), session)) session->Run();
    }
    Accept();
  });
}

HttpResponse HttpServer::Impl::Handle(const HttpRequest& req) const {
  try {
    return handler_(req);
  } catch (const std::exception& e) {
    spdlog::error("handler failed on {} {}: {}", req.method, req.target, e.what());
  } catch (...) {
    spdlog::error("handler failed on {} {}: unknown exception", req.method, req.target);
  }
  return ErrorResponse(500, "InternalFailure", kInternalFailureMessage);
}

void HttpServer::Impl::Enqueue(Loop& loop, std::shared_ptr<Session> session) {
  loop.waiting.push_back(std::move(session));
  if (loop.flush_posted) return;
  loop.flush_posted = true;
  net::post(loop.ioc, [this, &loop] { Flush(loop); });
}

void HttpServer::Impl::Flush(Loop& loop) {
  std::vector<std::shared_ptr<Session>> sessions = std::exchange(loop.waiting, {});
  loop.flush_posted = false;
  // Stable by class: each class's batch in the order its requests were read.
  std::stable_sort(sessions.begin(), sessions.end(), [](const auto& a, const auto& b) {
    return a->batch_class() < b->batch_class();
  });
  std::vector<HttpResponse> responses(sessions.size());
  for (size_t first = 0, end = 0; first < sessions.size(); first = end) {
    end = first + 1;
    const int batch_class = sessions[first]->batch_class();
    while (end < sessions.size() && sessions[end]->batch_class() == batch_class) ++end;
    FiberBatch batch;  // also for one request: its handler may gather
    for (size_t i = first; i < end; ++i) {
      batch.Add([&, i] { responses[i] = Handle(sessions[i]->request()); });
    }
    batch.Run();  // Handle does not throw
  }
  for (size_t i = 0; i < sessions.size(); ++i) sessions[i]->Respond(std::move(responses[i]));
}

bool HttpServer::Impl::SessionStarted(Session* raw, std::weak_ptr<Session> session) {
  std::lock_guard lock(mu_);
  if (stopping_) return false;
  sessions_.emplace(raw, std::move(session));
  return true;
}

void HttpServer::Impl::SessionEnded(Session* raw) {
  std::lock_guard lock(mu_);
  sessions_.erase(raw);
  if (sessions_.empty()) cv_.notify_all();
}

void HttpServer::Impl::Stop() {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::unique_lock lock(mu_);
    if (state_ == State::kStopping) {
      cv_.wait(lock, [&] { return state_ == State::kStopped; });
      return;
    }
    if (state_ != State::kRunning) return;
    state_ = State::kStopping;
    stopping_ = true;
    for (const auto& [raw, weak] : sessions_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  net::post(acceptor_.get_executor(), [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
  });
  for (const auto& s : live) s->CloseIfIdleSoon();
  live.clear();  // only the sessions' own handlers keep them alive now
  {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, kStopGrace, [&] { return sessions_.empty(); })) {
      spdlog::warn("stopping with {} connection(s) still busy", sessions_.size());
    }
  }
  for (const auto& loop : loops_) loop->ioc.stop();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  {
    std::lock_guard lock(mu_);
    state_ = State::kStopped;
  }
  cv_.notify_all();
}

void HttpServer::Impl::Wait() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return state_ == State::kNew || state_ == State::kStopped; });
}

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}
HttpServer::~HttpServer() = default;
Status HttpServer::Start() { return impl_->Start(); }
uint16_t HttpServer::port() const { return impl_->port(); }
void HttpServer::Stop() { impl_->Stop(); }
void HttpServer::Wait() { impl_->Wait(); }

}  // namespace kindred
