#include "bench/bench_runner.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bench/machine_info.h"

namespace kindred {
namespace {

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

// run.json as it is, or an empty object.
nlohmann::json ReadRun(const std::filesystem::path& path) {
  std::ifstream in(path);
  nlohmann::json run = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  return run.is_object() ? run : nlohmann::json::object();
}

Status WriteRun(const std::filesystem::path& path, const nlohmann::json& run) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << run.dump(2) << "\n";
    if (!out) return Status::IoError("cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  return ec ? Status::IoError("cannot write " + path.string() + ": " + ec.message()) : Status::Ok();
}

std::string Join(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : ",") + v;
  return out;
}

}  // namespace

std::string PartCommand(const BenchOptions& o, std::string_view part) {
  const BenchOptions defaults;
  std::ostringstream cmd;
  cmd << "kindred bench --part " << part;
  if (o.quick) cmd << " --quick";
  if (o.data_dir != defaults.data_dir) cmd << " --data " << o.data_dir;
  cmd << " --out " << o.out_dir;
  if (o.quality_repetitions > 0) cmd << " --quality-repetitions " << o.quality_repetitions;
  if (o.import_repetitions > 0) cmd << " --import-repetitions " << o.import_repetitions;
  if (o.synthetic_events > 0) cmd << " --synthetic-events " << o.synthetic_events;
  if (o.seed != defaults.seed) cmd << " --seed " << o.seed;
  if (!o.datasets.empty()) cmd << " --dataset " << Join(o.datasets);
  if (!o.recipes.empty()) cmd << " --recipe " << Join(o.recipes);
  return cmd.str();
}

Status RunBench(const BenchOptions& given, const std::vector<std::string>& names) {
  std::vector<const BenchPart*> parts;
  for (const BenchPart* part : AllBenchParts()) {
    if (names.empty() || std::find(names.begin(), names.end(), part->name()) != names.end()) {
      parts.push_back(part);
    }
  }
  for (const std::string& name : names) {
    if (FindBenchPart(name) == nullptr) return Status::InvalidInput("unknown part " + name);
  }
  BenchOptions options = WithModeDefaults(given);
  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec) return Status::IoError("cannot create " + options.out_dir + ": " + ec.message());
  options.scratch_dir = (std::filesystem::path(options.out_dir) / "scratch").string();
  std::filesystem::remove_all(options.scratch_dir, ec);
  std::filesystem::create_directories(options.scratch_dir, ec);
  if (ec) return Status::IoError("cannot create " + options.scratch_dir + ": " + ec.message());

  const std::filesystem::path run_path = std::filesystem::path(options.out_dir) / "run.json";
  nlohmann::json run = ReadRun(run_path);
  run["machine"] = DescribeMachine();
  std::vector<std::string> failed;
  for (const BenchPart* part : parts) {
    const std::string name(part->name());
    std::cerr << "kindred bench: " << name << ": " << part->summary() << std::endl;
    nlohmann::json& entry = run["parts"][name];
    // The machine per part too: running one part again must not relabel the others' results.
    entry = {{"command", PartCommand(given, name)},
             {"machine", run["machine"]},
             {"started", UtcNow()},
             {"quick", options.quick},
             {"load_average_start", LoadAverage()}};
    const auto start = std::chrono::steady_clock::now();
    ResultLog log(options.out_dir, name);
    const Status status = part->Run(options, log);
    entry["seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    entry["load_average_end"] = LoadAverage();
    entry["records"] = log.records();
    entry["notes"] = log.notes();
    entry["status"] = status.ok() ? "ok" : "failed";
    if (!status.ok()) {
      entry["message"] = status.message();
      std::cerr << "kindred bench: " << name << " FAILED: " << status.message() << std::endl;
      failed.push_back(name);
    }
    KINDRED_RETURN_IF_ERROR(WriteRun(run_path, run));
  }
  std::filesystem::remove_all(options.scratch_dir, ec);
  if (!failed.empty()) return Status::Internal("failed parts: " + Join(failed));
  return Status::Ok();
}

}  // namespace kindred
