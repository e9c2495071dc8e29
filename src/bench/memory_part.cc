#include "bench/memory_part.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "bench/bench_datasets.h"
#include "bench/child_process.h"
#include "bench/process_memory.h"
#include "data/csv_importer.h"
#include "recipes/interaction_files.h"
#include "serving/group_state.h"
#include "storage/rocksdb_kv_store.h"

namespace kindred {
namespace {

constexpr std::string_view kDatasetKey = "bench";

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int64_t DirectoryBytes(const std::filesystem::path& dir) {
  int64_t bytes = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec)) bytes += static_cast<int64_t>(entry.file_size(ec));
  }
  return bytes;
}

// In a child: imports `csv` as the Interactions dataset of a new store at `db`.
Result<nlohmann::json> Import(const std::string& csv, const std::filesystem::path& db,
                              const DatasetSchema& schema) {
  std::filesystem::remove_all(db);
  Result<std::unique_ptr<KvStore>> kv = RocksDbKvStore::Open(db.string());
  if (!kv.ok()) return kv.status();
  DatasetStore store(**kv);
  ImportOutcome out = ImportCsvFiles({csv}, schema, DatasetType::kInteractions, store, kDatasetKey,
                                     ImportOptions{});
  if (!out.status.ok()) return out.status;
  return nlohmann::json{{"rows", out.report.rows_imported}};
}

// In a child: opens the store at `db` and reads every row once.
Result<nlohmann::json> MeasureStore(const std::filesystem::path& db, const DatasetSchema& schema) {
  ReleaseFreeMemory();
  const int64_t baseline = ReadProcessMemory().resident_bytes;
  const auto start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<KvStore>> kv = RocksDbKvStore::Open(db.string());
  if (!kv.ok()) return kv.status();
  DatasetStore store(**kv);
  int64_t rows = 0;
  KINDRED_RETURN_IF_ERROR(
      store.ForEachRow(kDatasetKey, schema, DatasetType::kInteractions, [&](const Row&) {
        ++rows;
        return true;
      }));
  ReleaseFreeMemory();
  const int64_t resident = ReadProcessMemory().resident_bytes - baseline;
  const int64_t disk = DirectoryBytes(db);
  return nlohmann::json{{"component", "rocksdb-store"},
                        {"interactions", rows},
                        {"resident_bytes", resident},
                        {"resident_bytes_per_interaction", static_cast<double>(resident) / rows},
                        {"disk_bytes", disk},
                        {"disk_bytes_per_interaction", static_cast<double>(disk) / rows},
                        {"seconds", Since(start)}};
}

// In a child: reads `csv` into TrainingData.
Result<nlohmann::json> MeasureTrainingData(const std::string& csv) {
  ReleaseFreeMemory();
  const int64_t baseline = ReadProcessMemory().resident_bytes;
  const auto start = std::chrono::steady_clock::now();
  Result<TrainingData> data = ReadInteractionFile(csv, "personalize-csv");
  if (!data.ok()) return data.status();
  const double seconds = Since(start);
  ReleaseFreeMemory();
  const ProcessMemory m = ReadProcessMemory();
  const int64_t resident = m.resident_bytes - baseline;
  const int64_t peak = m.peak_resident_bytes - baseline;
  const double n = static_cast<double>(data->interactions.size());
  return nlohmann::json{{"component", "training-data"},
                        {"interactions", data->interactions.size()},
                        {"users", data->num_users()},
                        {"items", data->num_items()},
                        {"resident_bytes", resident},
                        {"resident_bytes_per_interaction", resident / n},
                        {"peak_bytes", peak},
                        {"peak_bytes_per_interaction", peak / n},
                        {"seconds", seconds}};
}

// In a child: the serving state (serving/group_state.h) holding every interaction of `csv` as a
// user's recent event, as a campaign's dataset group keeps it in memory.
Result<nlohmann::json> MeasureServingState(const std::string& csv) {
  ReleaseFreeMemory();
  const int64_t baseline = ReadProcessMemory().resident_bytes;
  const auto start = std::chrono::steady_clock::now();
  auto state = std::make_unique<GroupState>(std::nullopt, std::nullopt);
  int64_t events = 0;
  {
    Result<TrainingData> data = ReadInteractionFile(csv, "personalize-csv");
    if (!data.ok()) return data.status();
    for (const Interaction& x : data->interactions) {
      state->AddEvent({.user = data->users.Name(x.user),
                       .item = data->items.Name(x.item),
                       .event_type = x.event_type >= 0 ? data->event_types.Name(x.event_type) : "",
                       .timestamp = x.timestamp});
      ++events;
    }
  }  // the TrainingData is gone: what stays resident is the state
  const double seconds = Since(start);
  ReleaseFreeMemory();
  const int64_t resident = ReadProcessMemory().resident_bytes - baseline;
  return nlohmann::json{{"component", "serving-state"},
                        {"interactions", events},
                        {"items", state->items().size()},
                        {"resident_bytes", resident},
                        {"resident_bytes_per_interaction", static_cast<double>(resident) / events},
                        {"seconds", seconds}};
}

Status CheckSane(const nlohmann::json& r) {
  for (const char* key : {"interactions", "resident_bytes", "disk_bytes", "peak_bytes"}) {
    if (r.contains(key) && !(r[key].get<double>() > 0)) {
      return Status::Internal(std::string(key) + " = " + r[key].dump() + " is not above 0");
    }
  }
  return Status::Ok();
}

}  // namespace

Status MemoryPart::Run(const BenchOptions& options, ResultLog& log) const {
  Result<std::string> dir = SyntheticCsvDir(options);
  if (!dir.ok()) return dir.status();
  const std::string csv = *dir + "/interactions.csv";
  Result<DatasetSchema> schema = ParseAvroSchema(InteractionsSchemaJson());
  if (!schema.ok()) return schema.status();
  const std::filesystem::path db = std::filesystem::path(options.scratch_dir) / "memory-db";

  Result<ChildOutcome> imported = RunInChild([&] { return Import(csv, db, *schema); });
  if (!imported.ok()) return imported.status();
  std::vector<Result<ChildOutcome>> measured;
  measured.push_back(RunInChild([&] { return MeasureStore(db, *schema); }));
  std::filesystem::remove_all(db);
  measured.push_back(RunInChild([&] { return MeasureTrainingData(csv); }));
  measured.push_back(RunInChild([&] { return MeasureServingState(csv); }));
  for (Result<ChildOutcome>& out : measured) {
    if (!out.ok()) return out.status();
    nlohmann::json record = std::move(out->result);
    KINDRED_RETURN_IF_ERROR(CheckSane(record));
    std::fprintf(stderr, "kindred bench: memory: %s: %.1f resident bytes per interaction\n",
                 record["component"].get<std::string>().c_str(),
                 record["resident_bytes_per_interaction"].get<double>());
    KINDRED_RETURN_IF_ERROR(log.Add(std::move(record)));
  }
  return Status::Ok();
}

}  // namespace kindred
