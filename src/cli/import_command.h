// `kindred import`: runs one dataset import job from the command line and prints its report.
//
// Two modes, one code path (the control plane's own operations, as the server runs them):
//  - check:  `kindred import data.csv --schema schema.json --dataset-type Items` imports into a
//            throw-away store and tells whether the file would import, and what it would skip;
//  - load:   `kindred import data.csv --data-dir DIR --dataset-arn ARN` imports into a dataset of
//            a stopped server's store, recorded as an import job like any other.
// `--strict` turns any row-level problem into a failed job. Exit code 0 when the job is ACTIVE,
// 2 when it failed, 1 on usage or set-up errors.
//
// Thread-safety: RunImport is called once, from main().
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace kindred {

struct ImportCommandOptions {
  std::string path;          // a CSV file, or a folder (every *.csv in it)
  std::string schema_file;   // check mode
  std::string dataset_type;  // check mode
  std::string data_dir;      // load mode
  std::string dataset_arn;   // load mode
  std::string mode = "FULL";
  std::string job_name;
  bool strict = false;
  double max_invalid_fraction = 0.10;
};

CLI::App* AddImportCommand(CLI::App& app, ImportCommandOptions& options);
int RunImport(const ImportCommandOptions& options);

}  // namespace kindred
