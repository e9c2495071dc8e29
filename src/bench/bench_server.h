// BenchServer: a kindred server inside the measuring process, built from the same components
// `kindred serve` wires together (src/cli/serve_command.cc) — a RocksDB store, the ControlPlane,
// the ApiDispatcher with SigV4 verification, and an HttpServer on a free loopback port — on a
// folder of its own, plus what a client needs to talk to it: requests signed with the server's
// one key, as boto3 signs them.
//
// A request can be answered without HTTP (Handle: the whole server-side request — SigV4,
// routing, JSON parsing and validation, the operation, the JSON response — on the calling
// thread) or sent over HTTP to 127.0.0.1:port() (http_client.h, http_load.h).
//
//   Result<std::unique_ptr<BenchServer>> server = BenchServer::Start(dir, /*http_threads=*/0);
//   Result<nlohmann::json> group = (*server)->Call("CreateDatasetGroup", {{"name", "bench"}});
//   HttpResponse r = (*server)->Handle((*server)->RestRequest("/recommendations", body));
//
// Signatures are valid for 15 minutes (sigv4.h): sign requests shortly before sending them.
// Destruction stops the HTTP server, then the control plane's background jobs, then closes the
// store.
//
// Thread-safety: Start and destruction from one thread; the other methods from any thread
// (Handle and Call concurrently with HTTP requests, as a server's threads do).
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"
#include "protocol/http_message.h"

namespace kindred {

class BenchServer {
 public:
  // Empties `dir`, opens a store in it (S3 objects under s3_root(), `dir`/s3) and starts the
  // control plane and an HttpServer with `http_threads` I/O threads.
  // http_threads 0: one per core, as `kindred serve` has by default.
  static Result<std::unique_ptr<BenchServer>> Start(const std::string& dir, size_t http_threads);
  ~BenchServer();
  BenchServer(const BenchServer&) = delete;
  BenchServer& operator=(const BenchServer&) = delete;

  uint16_t port() const;
  // The folder standing in for S3: s3://bucket/key is <s3_root>/bucket/key.
  const std::string& s3_root() const;

  // A signed control-plane request (POST / with X-Amz-Target: AmazonPersonalize.<operation>).
  HttpRequest ControlRequest(std::string_view operation, const nlohmann::json& body) const;
  // A signed runtime or events request: POST `path` (/recommendations, /events).
  HttpRequest RestRequest(std::string_view path, const nlohmann::json& body) const;

  // The server's answer to `request`, computed on this thread without HTTP.
  HttpResponse Handle(const HttpRequest& request) const;
  // A control-plane operation through Handle: the response body, or kInternal naming the
  // operation, the HTTP status and the error body.
  Result<nlohmann::json> Call(std::string_view operation, const nlohmann::json& body) const;

  // Waits (at most a minute) until the process has used under 5% of a core for half a second:
  // after a setup, until the store's background work (flushes, compactions) and the loading of
  // models are done, so that they do not run during a measurement. The benchmarks run the
  // server in a process of its own (child_process.h), so the process's CPU time is the server's
  // and the caller's.
  void WaitUntilQuiet() const;

 private:
  struct Parts;
  explicit BenchServer(std::unique_ptr<Parts> parts);
  HttpRequest Signed(HttpRequest request) const;

  std::unique_ptr<Parts> parts_;
};

}  // namespace kindred
