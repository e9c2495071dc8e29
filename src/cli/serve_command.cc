#include "cli/serve_command.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "protocol/api_dispatcher.h"
#include "protocol/credentials.h"
#include "protocol/http_server.h"
#include "protocol/sigv4.h"
#include "resources/control_plane.h"
#include "storage/rocksdb_kv_store.h"

namespace kindred {

CLI::App* AddServeCommand(CLI::App& app, ServeOptions& o) {
  CLI::App* cmd = app.add_subcommand("serve", "Serve the Personalize API on the embedded store");
  cmd->add_option("--data-dir", o.data_dir, "Directory holding the store and credentials")
      ->capture_default_str();
  cmd->add_option("--address", o.address, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", o.port, "Port to listen on (0 picks a free one)")
      ->capture_default_str();
  cmd->add_option("--region", o.region, "Region written into ARNs")->capture_default_str();
  cmd->add_option("--account-id", o.account_id, "Account id written into ARNs")
      ->capture_default_str()
      ->check([](const std::string& v) {
        return v.size() == 12 && v.find_first_not_of("0123456789") == std::string::npos
                   ? std::string()
                   : std::string("--account-id must be 12 digits");
      });
  cmd->add_flag("--no-auth", o.no_auth, "Accept unsigned requests (local experiments only)");
  auto* key = cmd->add_option("--access-key-id", o.access_key_id, "Access key id clients sign with");
  auto* secret =
      cmd->add_option("--secret-access-key", o.secret_access_key, "Secret of --access-key-id");
  key->needs(secret);
  secret->needs(key);
  cmd->add_option("--s3-root", o.s3_root,
                  "Local directory standing in for S3: s3://bucket/key is <s3-root>/bucket/key "
                  "(default <data-dir>/s3)");
  cmd->add_option("--threads", o.threads,
                  "HTTP threads (0: one per core), each serving its share of the "
                  "connections; the GetRecommendations or PutEvents requests a thread reads "
                  "together share their scans or their fsync")
      ->capture_default_str()
      ->check(CLI::Range(0, 256));
  cmd->add_option("--body-limit", o.body_limit, "Largest request body in bytes")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1024}, size_t{1} << 30));
  cmd->add_option("--import-max-invalid-fraction", o.import_max_invalid_fraction,
                  "An import fails when more than this fraction of its rows is invalid")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-dataset-groups", o.max_dataset_groups,
                  "Quota on dataset groups; creating more fails with LimitExceededException")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{1000000}));
  cmd->add_option("--lifecycle-delay-ms", o.lifecycle_delay_ms,
                  "Wait before each status transition (CREATE PENDING -> CREATE IN_PROGRESS -> "
                  "ACTIVE), as Personalize takes time to provision; lets clients test their "
                  "waiting loops")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{600000}));
  return cmd;
}

namespace {

// SIGINT/SIGTERM are blocked in every thread and collected by sigwait in the main thread.
sigset_t BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int Fail(const std::string& what, const Status& s) {
  spdlog::error("{}: {}", what, s.message());
  return 1;
}

}  // namespace

int RunServe(const ServeOptions& o) {
  sigset_t signals = BlockShutdownSignals();
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(o.data_dir, ec);
  if (ec) return Fail("creating --data-dir " + o.data_dir, Status::IoError(ec.message()));
  const std::string s3_root = o.s3_root.empty() ? (fs::path(o.data_dir) / "s3").string() : o.s3_root;
  fs::create_directories(s3_root, ec);

  Result<std::unique_ptr<KvStore>> store = RocksDbKvStore::Open((fs::path(o.data_dir) / "db").string());
  if (!store.ok()) return Fail("opening the store", store.status());

  std::optional<std::pair<std::string, std::string>> explicit_keys;
  if (!o.access_key_id.empty()) explicit_keys.emplace(o.access_key_id, o.secret_access_key);
  Result<LoadedCredentials> creds = LoadCredentials(o.data_dir, explicit_keys);
  if (!creds.ok()) return Fail("loading credentials", creds.status());

  ControlPlaneOptions cp_options;
  cp_options.region = o.region;
  cp_options.account_id = o.account_id;
  cp_options.data_location.s3_root = s3_root;
  cp_options.import_max_invalid_fraction = o.import_max_invalid_fraction;
  cp_options.max_dataset_groups = o.max_dataset_groups;
  cp_options.lifecycle_delay = std::chrono::milliseconds(o.lifecycle_delay_ms);
  ControlPlane control_plane(**store, SystemClock::Get(), cp_options);
  if (Status s = control_plane.Start(); !s.ok()) return Fail("recovering resources", s);

  ApiDispatcher dispatcher;
  for (const auto& [name, handler] : control_plane.operations()) dispatcher.Register(name, handler);
  SigV4Verifier verifier(*creds->provider, SystemClock::Get());
  if (!o.no_auth) {
    dispatcher.SetRequestFilter([&verifier](const HttpRequest& req) -> std::optional<HttpResponse> {
      std::optional<AuthError> err = verifier.Verify(req);
      if (!err) return std::nullopt;
      return ErrorResponse(err->http_status, err->type, err->message);
    });
  }

  HttpServerOptions http;
  http.address = o.address;
  http.port = o.port;
  http.threads = o.threads;
  http.body_limit = o.body_limit;
  http.batch_class = ApiBatchClass;
  HttpServer server(http, [&dispatcher](const HttpRequest& req) { return dispatcher.Handle(req); });
  if (Status s = server.Start(); !s.ok()) return Fail("starting the HTTP server", s);

  if (creds->generated) {
    std::cout << "Generated credentials (stored in " << (fs::path(o.data_dir) / kCredentialsFileName).string()
              << "):\n  access key id:     " << creds->generated_access_key
              << "\n  secret access key: " << creds->generated_secret << "\n";
  }
  if (o.no_auth) std::cout << "WARNING: --no-auth: requests are not authenticated\n";
  std::cout << "kindred listening on http://" << o.address << ":" << server.port() << std::endl;
  spdlog::info("credentials from {}; data in {}; s3 root {}", creds->source, o.data_dir, s3_root);

  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
  server.Stop();
  control_plane.Shutdown();
  if (Status s = (*store)->Sync(); !s.ok()) return Fail("syncing the store", s);
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace kindred
