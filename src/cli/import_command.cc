#include "cli/import_command.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/clock.h"
#include "common/random.h"
#include "data/csv_importer.h"
#include "resources/control_plane.h"
#include "storage/rocksdb_kv_store.h"

namespace kindred {
namespace fs = std::filesystem;
using nlohmann::json;

CLI::App* AddImportCommand(CLI::App& app, ImportCommandOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "import", "Import a CSV file or folder into a dataset, or check it against a schema");
  cmd->add_option("path", o.path, "CSV file, or a folder whose *.csv files are imported")
      ->required();
  auto* schema = cmd->add_option("--schema", o.schema_file, "Check mode: Avro schema JSON file");
  auto* type = cmd->add_option("--dataset-type", o.dataset_type,
                               "Check mode: Interactions, Items or Users");
  auto* dir = cmd->add_option("--data-dir", o.data_dir, "Load mode: a stopped server's data dir");
  auto* arn = cmd->add_option("--dataset-arn", o.dataset_arn, "Load mode: the dataset to fill");
  schema->needs(type);
  type->needs(schema);
  dir->needs(arn);
  arn->needs(dir);
  schema->excludes(dir);
  cmd->add_option("--mode", o.mode, "FULL replaces the dataset's data, INCREMENTAL adds to it")
      ->check(CLI::IsMember({"FULL", "INCREMENTAL"}))
      ->capture_default_str();
  cmd->add_option("--job-name", o.job_name, "Name of the import job (load mode)");
  cmd->add_flag("--strict", o.strict, "Fail on any row-level problem");
  cmd->add_option("--max-invalid-fraction", o.max_invalid_fraction,
                  "Fail when more than this fraction of rows is invalid")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  return cmd;
}

namespace {

int Fail(const std::string& message) {
  std::cerr << "kindred import: " << message << "\n";
  return 1;
}

Result<json> Call(ControlPlane& cp, const std::string& op, const json& in) {
  return cp.operations().at(op)(in);
}

// The file:// location of `path`, with a trailing '/' for a folder.
std::string LocationOf(const std::string& path) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  std::string location = "file://" + abs.lexically_normal().string();
  if (fs::is_directory(abs, ec) && location.back() != '/') location += '/';
  return location;
}

// Creates a schema, group and dataset in a fresh store so the file can be checked against them.
Result<std::string> MakeCheckDataset(ControlPlane& cp, const ImportCommandOptions& o) {
  std::ifstream in(o.schema_file);
  if (!in) return Status::IoError("cannot read --schema " + o.schema_file);
  std::stringstream text;
  text << in.rdbuf();
  Result<json> schema = Call(cp, "CreateSchema", {{"name", "check"}, {"schema", text.str()}});
  if (!schema.ok()) return schema.status();
  Result<json> group = Call(cp, "CreateDatasetGroup", {{"name", "check"}});
  if (!group.ok()) return group.status();
  cp.WaitIdle();
  Result<json> dataset = Call(cp, "CreateDataset",
                              {{"name", "check"},
                               {"schemaArn", (*schema)["schemaArn"]},
                               {"datasetGroupArn", (*group)["datasetGroupArn"]},
                               {"datasetType", o.dataset_type}});
  if (!dataset.ok()) return dataset.status();
  cp.WaitIdle();
  return (*dataset)["datasetArn"].get<std::string>();
}

}  // namespace

int RunImport(const ImportCommandOptions& o) {
  const bool check_mode = !o.schema_file.empty();
  if (!check_mode && o.data_dir.empty()) {
    return Fail("give --schema and --dataset-type to check a file, or --data-dir and "
                "--dataset-arn to load it");
  }
  fs::path store_dir;
  if (check_mode) {
    store_dir = fs::temp_directory_path() / ("kindred-import-check-" + NewUuid());
  } else {
    store_dir = fs::path(o.data_dir) / "db";
    if (!fs::exists(store_dir)) return Fail("no kindred store in " + o.data_dir);
  }
  int exit_code = 1;
  {
    Result<std::unique_ptr<KvStore>> store = RocksDbKvStore::Open(store_dir.string());
    if (!store.ok()) {
      return Fail(store.status().message() +
                  " (is a kindred server running on this data dir? stop it first)");
    }
    ControlPlaneOptions cp_options;
    cp_options.import_strict = o.strict;
    cp_options.import_max_invalid_fraction = o.max_invalid_fraction;
    ControlPlane cp(**store, SystemClock::Get(), cp_options);
    if (Status s = cp.Start(); !s.ok()) return Fail(s.message());

    Result<std::string> dataset =
        check_mode ? MakeCheckDataset(cp, o) : Result<std::string>(o.dataset_arn);
    if (!dataset.ok()) return Fail(dataset.status().message());
    std::string job_name = o.job_name.empty()
                               ? "cli-import-" + std::to_string(SystemClock::Get().NowMillis())
                               : o.job_name;
    Result<json> job = Call(cp, "CreateDatasetImportJob",
                            {{"jobName", job_name},
                             {"datasetArn", *dataset},
                             {"dataSource", {{"dataLocation", LocationOf(o.path)}}},
                             {"importMode", o.mode}});
    if (!job.ok()) return Fail(job.status().message());
    cp.WaitIdle();
    Result<json> described =
        Call(cp, "DescribeDatasetImportJob", {{"datasetImportJobArn", (*job)["datasetImportJobArn"]}});
    if (!described.ok()) return Fail(described.status().message());
    const json& j = (*described)["datasetImportJob"];
    std::cout << "Import job " << j.value("datasetImportJobArn", "") << ": "
              << j.value("status", "") << "\n";
    if (j.contains("failureReason")) std::cout << "Reason: " << j.value("failureReason", "") << "\n";
    std::cout << FormatImportReport(j.value("importReport", json::object()));
    exit_code = j.value("status", "") == "ACTIVE" ? 0 : 2;
    cp.Shutdown();
  }
  if (check_mode) fs::remove_all(store_dir);
  return exit_code;
}

}  // namespace kindred
