#include "protocol/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/fiber_batch.h"

namespace kindred {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Response = http::response<http::string_body>;
using namespace std::chrono_literals;

// A blocking HTTP client on one connection, with a 5 s timeout on every operation.
class TestClient {
 public:
  explicit TestClient(uint16_t port) : stream_(ioc_) {
    stream_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }

  void Send(const std::string& bytes) {
    beast::error_code result;
    stream_.expires_after(5s);
    net::async_write(stream_, net::buffer(bytes),
                     [&](beast::error_code ec, size_t) { result = ec; });
    ioc_.restart();
    ioc_.run();
    EXPECT_FALSE(result) << result.message();
  }

  Response Read() {
    Response res;
    beast::error_code result;
    stream_.expires_after(5s);
    http::async_read(stream_, buffer_, res, [&](beast::error_code ec, size_t) { result = ec; });
    ioc_.restart();
    ioc_.run();
    EXPECT_FALSE(result) << result.message();
    return res;
  }

  Response RoundTrip(const std::string& bytes) {
    Send(bytes);
    return Read();
  }

  // True when the server closes the connection (EOF or reset) within `timeout`.
  bool PeerCloses(std::chrono::seconds timeout = 5s) {
    std::array<char, 256> scratch{};
    beast::error_code result;
    stream_.expires_after(timeout);
    stream_.async_read_some(net::buffer(scratch),
                            [&](beast::error_code ec, size_t) { result = ec; });
    ioc_.restart();
    ioc_.run();
    return result == net::error::eof || result == net::error::connection_reset;
  }

 private:
  net::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

std::string MakeRequest(const std::string& target, const std::string& body,
                        const std::string& extra_headers = "",
                        const std::string& version = "HTTP/1.1") {
  return "POST " + target + " " + version +
         "\r\nHost: localhost\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
         extra_headers + "\r\n" + body;
}

HttpResponse Echo(const HttpRequest& req) {
  HttpResponse r;
  r.content_type = "text/plain";
  r.body = req.method + " " + req.target + " " + req.body;
  r.headers.emplace_back("X-Echo-Target", std::string(req.Header("x-amz-target")));
  return r;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void StartServer(HttpHandler handler, HttpServerOptions options = {}) {
    options.port = 0;
    server_ = std::make_unique<HttpServer>(options, std::move(handler));
    ASSERT_TRUE(server_->Start().ok());
    ASSERT_NE(server_->port(), 0);
  }
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  StartServer(Echo);
  TestClient client(server_->port());
  std::set<std::string> request_ids;
  for (int i = 0; i < 3; ++i) {
    const std::string body = "{\"n\":" + std::to_string(i) + "}";
    Response res =
        client.RoundTrip(MakeRequest("/?q=" + std::to_string(i), body, "X-Amz-Target: Svc.Op\r\n"));
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), "POST /?q=" + std::to_string(i) + " " + body);
    EXPECT_EQ(res[http::field::content_type], "text/plain");
    EXPECT_EQ(res[http::field::content_length], std::to_string(res.body().size()));
    EXPECT_EQ(res[http::field::server], "kindred");
    EXPECT_EQ(res["X-Echo-Target"], "Svc.Op");
    EXPECT_TRUE(res.keep_alive());
    const std::string id(res["x-amzn-RequestId"]);
    EXPECT_EQ(id.size(), 36u);
    request_ids.insert(id);
  }
  EXPECT_EQ(request_ids.size(), 3u);
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer(Echo);
  TestClient client(server_->port());
  client.Send(MakeRequest("/a", "1") + MakeRequest("/b", "22") + MakeRequest("/c", "333"));
  EXPECT_EQ(client.Read().body(), "POST /a 1");
  EXPECT_EQ(client.Read().body(), "POST /b 22");
  EXPECT_EQ(client.Read().body(), "POST /c 333");
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  StartServer(Echo);
  TestClient client(server_->port());
  Response res = client.RoundTrip(MakeRequest("/", "x", "Connection: close\r\n"));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_FALSE(res.keep_alive());
  EXPECT_TRUE(client.PeerCloses());
}

TEST_F(HttpServerTest, Http10ClosesAfterResponse) {
  StartServer(Echo);
  TestClient client(server_->port());
  Response res = client.RoundTrip(MakeRequest("/", "x", "", "HTTP/1.0"));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "POST / x");
  EXPECT_TRUE(client.PeerCloses());
}

TEST_F(HttpServerTest, OversizedBodyGets413AndHandlerIsNotCalled) {
  std::atomic<int> calls{0};
  HttpServerOptions options;
  options.body_limit = 1024;
  StartServer(
      [&](const HttpRequest& r) {
        ++calls;
        return Echo(r);
      },
      options);
  TestClient client(server_->port());
  // Big enough to fill the socket buffers: the server must drain it to let the send finish.
  Response res = client.RoundTrip(MakeRequest("/", std::string(8 << 20, 'a')));
  EXPECT_EQ(res.result_int(), 413);
  const auto body = nlohmann::json::parse(res.body());
  EXPECT_EQ(body["__type"], "RequestEntityTooLargeException");
  EXPECT_NE(body["message"].get<std::string>().find("1024"), std::string::npos);
  EXPECT_EQ(res["x-amzn-RequestId"].size(), 36u);
  EXPECT_TRUE(client.PeerCloses());
  EXPECT_EQ(calls.load(), 0);
}

TEST_F(HttpServerTest, BodyAtTheLimitIsAccepted) {
  HttpServerOptions options;
  options.body_limit = 1024;
  StartServer(Echo, options);
  TestClient client(server_->port());
  EXPECT_EQ(client.RoundTrip(MakeRequest("/", std::string(1024, 'a'))).result_int(), 200);
}

TEST_F(HttpServerTest, GarbageRequestLineGets400AndClose) {
  StartServer(Echo);
  TestClient client(server_->port());
  Response res = client.RoundTrip("THIS IS NOT HTTP\r\n\r\n");
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(nlohmann::json::parse(res.body())["__type"], "BadRequestException");
  EXPECT_TRUE(client.PeerCloses());
}

TEST_F(HttpServerTest, ThrowingHandlerGives500AndConnectionSurvives) {
  StartServer([](const HttpRequest& r) -> HttpResponse {
    if (r.target == "/std") throw std::runtime_error("boom");
    if (r.target == "/int") throw 42;
    return Echo(r);
  });
  TestClient client(server_->port());
  for (const char* target : {"/std", "/int"}) {
    Response res = client.RoundTrip(MakeRequest(target, ""));
    EXPECT_EQ(res.result_int(), 500);
    EXPECT_EQ(nlohmann::json::parse(res.body())["__type"], "InternalFailure");
    EXPECT_EQ(res[http::field::content_type], "application/x-amz-json-1.1");
  }
  EXPECT_EQ(client.RoundTrip(MakeRequest("/ok", "y")).body(), "POST /ok y");
}

TEST_F(HttpServerTest, HandlerRequestIdIsKept) {
  StartServer([](const HttpRequest&) {
    HttpResponse r;
    r.headers.emplace_back("x-amzn-RequestId", "fixed-id");
    return r;
  });
  TestClient client(server_->port());
  Response res = client.RoundTrip(MakeRequest("/", ""));
  EXPECT_EQ(res.count("x-amzn-RequestId"), 1u);
  EXPECT_EQ(res["x-amzn-RequestId"], "fixed-id");
}

TEST_F(HttpServerTest, ConcurrentClientsAllGetTheirOwnAnswers) {
  HttpServerOptions options;
  options.threads = 4;
  StartServer(Echo, options);
  constexpr int kClients = 8, kRequests = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      TestClient client(server_->port());
      for (int i = 0; i < kRequests; ++i) {
        const std::string body = std::to_string(c) + "-" + std::to_string(i);
        if (client.RoundTrip(MakeRequest("/", body)).body() == "POST / " + body) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kClients * kRequests);
}

// Requests of a batch class that one I/O thread reads together run as one FiberBatch per class
// (their handlers gather), one class after the other; class 0 runs alone.
TEST_F(HttpServerTest, RequestsReadTogetherRunAsOneBatchPerClass) {
  std::promise<void> slow_started;
  std::vector<std::string> log;  // only the server's one I/O thread writes it
  int class_a = 0, class_b = 0;  // gathering keys
  HttpServerOptions options;
  options.threads = 1;
  options.batch_class = [](const HttpRequest& req) {
    return req.target == "/a" ? 1 : req.target == "/b" ? 2 : 0;
  };
  StartServer(
      [&](const HttpRequest& req) {
        if (req.target == "/slow") {
          EXPECT_EQ(FiberBatch::Current(), nullptr);
          slow_started.set_value();
          std::this_thread::sleep_for(300ms);
          return Echo(req);
        }
        if (req.target != "/a" && req.target != "/b") return Echo(req);
        FiberBatch* batch = FiberBatch::Current();
        if (batch == nullptr) throw std::runtime_error("not in a batch");
        log.push_back("start " + req.target + " " + req.body);
        size_t together = 0;
        auto flush = [&log](std::span<void* const> items) {
          log.push_back("flush of " + std::to_string(items.size()));
          for (void* item : items) *static_cast<size_t*>(item) = items.size();
        };
        batch->Gather(req.target == "/a" ? &class_a : &class_b, &together, flush);
        HttpResponse r = Echo(req);
        r.body += " with " + std::to_string(together);
        return r;
      },
      options);
  // Every connection is accepted and idle before the loop gets busy.
  TestClient slow(server_->port());
  std::vector<std::unique_ptr<TestClient>> clients;
  for (int c = 0; c < 6; ++c) {
    clients.push_back(std::make_unique<TestClient>(server_->port()));
    ASSERT_EQ(clients.back()->RoundTrip(MakeRequest("/warm", "")).body(), "POST /warm ");
  }
  // While the loop is held up, three requests of each class arrive, interleaved.
  slow.Send(MakeRequest("/slow", "s"));
  slow_started.get_future().wait();
  for (int c = 0; c < 6; ++c) {
    clients[c]->Send(MakeRequest(c % 2 == 0 ? "/a" : "/b", std::to_string(c)));
  }
  EXPECT_EQ(slow.Read().body(), "POST /slow s");
  for (int c = 0; c < 6; ++c) {
    const std::string target = c % 2 == 0 ? "/a" : "/b";
    EXPECT_EQ(clients[c]->Read().body(), "POST " + target + " " + std::to_string(c) + " with 3");
  }
  EXPECT_EQ(log, (std::vector<std::string>{"start /a 0", "start /a 2", "start /a 4", "flush of 3",
                                           "start /b 1", "start /b 3", "start /b 5",
                                           "flush of 3"}));
}

TEST_F(HttpServerTest, StopLetsAnInFlightRequestFinish) {
  std::atomic<bool> started{false};
  StartServer([&](const HttpRequest& r) {
    started = true;
    std::this_thread::sleep_for(300ms);
    return Echo(r);
  });
  const uint16_t port = server_->port();
  TestClient client(port);
  client.Send(MakeRequest("/slow", "z"));
  while (!started) std::this_thread::sleep_for(1ms);

  std::thread waiter([&] { server_->Wait(); });
  const auto before = std::chrono::steady_clock::now();
  std::thread stopper([&] { server_->Stop(); });
  Response res = client.Read();
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "POST /slow z");
  EXPECT_FALSE(res.keep_alive());
  stopper.join();
  waiter.join();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 3s);

  net::io_context ioc;
  tcp::socket socket(ioc);
  beast::error_code ec;
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
  EXPECT_TRUE(ec) << "server still accepts connections after Stop()";
}

TEST_F(HttpServerTest, StopClosesIdleConnectionsPromptly) {
  StartServer(Echo);
  TestClient client(server_->port());
  EXPECT_EQ(client.RoundTrip(MakeRequest("/", "a")).result_int(), 200);
  const auto before = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
  EXPECT_TRUE(client.PeerCloses());
  server_->Stop();  // idempotent
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionTimesOut) {
  HttpServerOptions options;
  options.idle_timeout = 1s;
  StartServer(Echo, options);
  TestClient client(server_->port());
  EXPECT_EQ(client.RoundTrip(MakeRequest("/", "a")).result_int(), 200);
  const auto before = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.PeerCloses(4s));
  EXPECT_GE(std::chrono::steady_clock::now() - before, 900ms);
}

TEST(HttpServerStartTest, BindFailureNamesTheAddress) {
  HttpServer first({.port = 0}, Echo);
  ASSERT_TRUE(first.Start().ok());
  HttpServer second({.port = first.port()}, Echo);
  const Status s = second.Start();
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_NE(s.message().find("127.0.0.1:" + std::to_string(first.port())), std::string::npos)
      << s.message();
  second.Wait();  // never started: returns at once

  HttpServer bad({.address = "not-an-address", .port = 0}, Echo);
  const Status b = bad.Start();
  EXPECT_EQ(b.code(), StatusCode::kIoError);
  EXPECT_NE(b.message().find("not-an-address"), std::string::npos);
}

}  // namespace
}  // namespace kindred
