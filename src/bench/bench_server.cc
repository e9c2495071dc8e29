#include "bench/bench_server.h"

#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include "common/clock.h"
#include "protocol/api_dispatcher.h"
#include "protocol/credentials.h"
#include "protocol/http_server.h"
#include "protocol/sigv4.h"
#include "resources/control_plane.h"
#include "storage/rocksdb_kv_store.h"

namespace kindred {
namespace {

constexpr std::string_view kAccessKey = "AKIDKINDREDBENCH";
constexpr std::string_view kSecret = "kindred-bench-secret";
constexpr std::string_view kRegion = "us-east-1";

// CPU seconds (user and system) the process has used so far.
double ProcessCpuSeconds() {
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

}  // namespace

// Declared in the order they are built; destroyed in reverse, after ~BenchServer has stopped
// the HTTP server and the control plane.
struct BenchServer::Parts {
  std::string s3_root;
  std::unique_ptr<KvStore> store;
  StaticCredentialsProvider credentials{{{std::string(kAccessKey), std::string(kSecret)}}};
  SigV4Verifier verifier{credentials, SystemClock::Get()};
  std::unique_ptr<ControlPlane> control_plane;
  ApiDispatcher dispatcher;
  std::unique_ptr<HttpServer> http;
};

Result<std::unique_ptr<BenchServer>> BenchServer::Start(const std::string& dir,
                                                        size_t http_threads) {
  namespace fs = std::filesystem;
  auto parts = std::make_unique<Parts>();
  std::error_code ec;
  fs::remove_all(dir, ec);
  parts->s3_root = (fs::path(dir) / "s3").string();
  fs::create_directories(parts->s3_root, ec);
  if (ec) return Status::IoError("cannot create " + parts->s3_root + ": " + ec.message());
  Result<std::unique_ptr<KvStore>> store = RocksDbKvStore::Open((fs::path(dir) / "db").string());
  if (!store.ok()) return store.status();
  parts->store = std::move(store).value();

  ControlPlaneOptions options;
  options.data_location.s3_root = parts->s3_root;
  parts->control_plane = std::make_unique<ControlPlane>(*parts->store, SystemClock::Get(), options);
  // From here on ~BenchServer shuts the control plane down, whatever fails.
  std::unique_ptr<BenchServer> server(new BenchServer(std::move(parts)));
  Parts& p = *server->parts_;
  KINDRED_RETURN_IF_ERROR(p.control_plane->Start());
  for (const auto& [name, handler] : p.control_plane->operations()) {
    p.dispatcher.Register(name, handler);
  }
  p.dispatcher.SetRequestFilter([&p](const HttpRequest& req) -> std::optional<HttpResponse> {
    std::optional<AuthError> err = p.verifier.Verify(req);
    if (!err) return std::nullopt;
    return ErrorResponse(err->http_status, err->type, err->message);
  });
  HttpServerOptions http;
  http.port = 0;
  http.threads = http_threads;  // 0: one per core
  http.batch_class = ApiBatchClass;
  p.http = std::make_unique<HttpServer>(
      http, [&p](const HttpRequest& req) { return p.dispatcher.Handle(req); });
  KINDRED_RETURN_IF_ERROR(p.http->Start());
  return server;
}

BenchServer::BenchServer(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

BenchServer::~BenchServer() {
  if (parts_->http) parts_->http->Stop();
  parts_->control_plane->Shutdown();
}

uint16_t BenchServer::port() const { return parts_->http->port(); }

const std::string& BenchServer::s3_root() const { return parts_->s3_root; }

HttpRequest BenchServer::Signed(HttpRequest request) const {
  request.method = "POST";
  request.headers.emplace_back("Host", "127.0.0.1:" + std::to_string(port()));
  SignRequest(request, kAccessKey, kSecret, kRegion, "personalize", SystemClock::Get().NowMillis());
  return request;
}

HttpRequest BenchServer::ControlRequest(std::string_view operation,
                                        const nlohmann::json& body) const {
  HttpRequest request;
  request.target = "/";
  request.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                     {"X-Amz-Target", "AmazonPersonalize." + std::string(operation)}};
  request.body = body.dump();
  return Signed(std::move(request));
}

HttpRequest BenchServer::RestRequest(std::string_view path, const nlohmann::json& body) const {
  HttpRequest request;
  request.target = std::string(path);
  request.headers = {{"Content-Type", "application/json"}};
  request.body = body.dump();
  return Signed(std::move(request));
}

HttpResponse BenchServer::Handle(const HttpRequest& request) const {
  return parts_->dispatcher.Handle(request);
}

void BenchServer::WaitUntilQuiet() const {
  constexpr double kWindow = 0.5;
  for (int i = 0; i < 120; ++i) {
    const double before = ProcessCpuSeconds();
    std::this_thread::sleep_for(std::chrono::duration<double>(kWindow));
    if (ProcessCpuSeconds() - before < 0.05 * kWindow) return;
  }
}

Result<nlohmann::json> BenchServer::Call(std::string_view operation,
                                         const nlohmann::json& body) const {
  const HttpResponse response = Handle(ControlRequest(operation, body));
  if (response.status != 200) {
    return Status::Internal(std::string(operation) + " answered " +
                            std::to_string(response.status) + ": " + response.body);
  }
  return nlohmann::json::parse(response.body.empty() ? "{}" : response.body);
}

}  // namespace kindred
