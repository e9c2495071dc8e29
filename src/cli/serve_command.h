// `kindred serve`: one process serving the Personalize control plane and (later) the runtime and
// events APIs on one port, on the embedded store under --data-dir.
//
// Thread-safety: RunServe is called once, from main(), before any other thread exists (it
// blocks SIGINT/SIGTERM for every thread it starts and waits for them itself).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace kindred {

struct ServeOptions {
  std::string data_dir = "kindred-data";
  std::string address = "127.0.0.1";
  uint16_t port = 8080;
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
  bool no_auth = false;
  std::string access_key_id;
  std::string secret_access_key;
  std::string s3_root;  // default <data-dir>/s3
  // HTTP I/O threads, 0: one per core (a thread batches the requests it reads together).
  size_t threads = 0;
  size_t body_limit = 8 * 1024 * 1024;
  double import_max_invalid_fraction = 0.10;
  size_t max_dataset_groups = 500;
  int64_t lifecycle_delay_ms = 0;
};

// Adds the `serve` subcommand's flags to `app`, bound to `options`.
CLI::App* AddServeCommand(CLI::App& app, ServeOptions& options);

// Runs the server until SIGINT or SIGTERM; returns the process exit code.
int RunServe(const ServeOptions& options);

}  // namespace kindred
