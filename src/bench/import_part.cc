#include "bench/import_part.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <tuple>

#include "bench/bench_datasets.h"
#include "bench/child_process.h"
#include "data/csv_importer.h"
#include "data/csv_reader.h"
#include "storage/rocksdb_kv_store.h"

namespace kindred {
namespace {

struct ImportFile {
  std::string dataset;
  std::string path;
  DatasetType type;
  std::string_view schema;  // Avro JSON
};

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// In the child: times the CSV reader over the file, then the import into a new store at `db`.
Result<nlohmann::json> Measure(const ImportFile& file, const std::filesystem::path& db) {
  Result<DatasetSchema> schema = ParseAvroSchema(file.schema);
  if (!schema.ok()) return schema.status();
  KINDRED_RETURN_IF_ERROR(CheckSchemaForDatasetType(*schema, file.type));

  Result<MappedFile> mapped = MappedFile::Open(file.path);
  if (!mapped.ok()) return mapped.status();
  auto start = std::chrono::steady_clock::now();
  CsvReader reader(mapped->data());
  CsvRecord record;
  int64_t records = 0;
  for (;;) {
    Result<bool> more = reader.Next(&record);
    if (!more.ok()) return more.status();
    if (!*more) break;
    ++records;
  }
  const double parse_seconds = Since(start);

  std::filesystem::remove_all(db);
  Result<std::unique_ptr<KvStore>> kv = RocksDbKvStore::Open(db.string());
  if (!kv.ok()) return kv.status();
  DatasetStore store(**kv);
  start = std::chrono::steady_clock::now();
  ImportOutcome out =
      ImportCsvFiles({file.path}, *schema, file.type, store, "bench", ImportOptions{});
  const double import_seconds = Since(start);
  if (!out.status.ok()) return out.status;
  kv->reset();
  const ImportReport& r = out.report;
  return nlohmann::json{{"rows", r.rows_read},
                        {"rows_imported", r.rows_imported},
                        {"rows_skipped", r.rows_skipped},
                        {"values_nulled", r.values_nulled},
                        {"file_bytes", static_cast<int64_t>(mapped->data().size())},
                        {"parse_seconds", parse_seconds},
                        {"parse_rows_per_second", (records - 1) / parse_seconds},
                        {"import_seconds", import_seconds},
                        {"rows_per_second", r.rows_imported / import_seconds}};
}

Status CheckSane(const nlohmann::json& r) {
  if (r["rows"].get<int64_t>() <= 0 || r["rows_imported"] != r["rows"]) {
    return Status::Internal("imported " + r["rows_imported"].dump() + " of " + r["rows"].dump() +
                            " rows");
  }
  if (!(r["rows_per_second"].get<double>() > 0 && r["parse_rows_per_second"].get<double>() > 0)) {
    return Status::Internal("a rate is not above 0");
  }
  return Status::Ok();
}

}  // namespace

Status ImportPart::Run(const BenchOptions& options, ResultLog& log) const {
  std::vector<ImportFile> files;
  if (!options.quick && DatasetSelected(options, "personalize-poc")) {
    for (const auto& [name, type, schema] :
         {std::tuple{"interactions.csv", DatasetType::kInteractions, InteractionsSchemaJson()},
          std::tuple{"item-meta.csv", DatasetType::kItems, WorkshopItemsSchemaJson()}}) {
      Result<std::string> path = FindPublicFile(options, "personalize-poc", name);
      if (path.ok()) {
        files.push_back({"personalize-poc", *path, type, schema});
      } else {
        log.Note("personalize-poc " + std::string(name) + " skipped: " + path.status().message());
      }
    }
  }
  if (DatasetSelected(options, "synthetic")) {
    Result<std::string> dir = SyntheticCsvDir(options);
    if (!dir.ok()) return dir.status();
    files.push_back({"synthetic", *dir + "/interactions.csv", DatasetType::kInteractions,
                     InteractionsSchemaJson()});
    files.push_back(
        {"synthetic", *dir + "/items.csv", DatasetType::kItems, SyntheticItemsSchemaJson()});
  }

  const std::filesystem::path db = std::filesystem::path(options.scratch_dir) / "import-db";
  for (const ImportFile& file : files) {
    const std::string name = std::filesystem::path(file.path).filename().string();
    for (int repetition = 0; repetition < options.import_repetitions; ++repetition) {
      Result<ChildOutcome> out = RunInChild([&] { return Measure(file, db); });
      std::filesystem::remove_all(db);
      const std::string what = file.dataset + " " + name;
      if (!out.ok()) return Status(out.status().code(), what + ": " + out.status().message());
      nlohmann::json record = std::move(out->result);
      record["dataset"] = file.dataset;
      record["file"] = name;
      record["dataset_type"] = std::string(DatasetTypeName(file.type));
      record["repetition"] = repetition;
      record["peak_rss_bytes"] = out->peak_resident_bytes;
      Status sane = CheckSane(record);
      if (!sane.ok()) return Status(sane.code(), what + ": " + sane.message());
      std::fprintf(stderr, "kindred bench: import: %s: %lld rows, %.0f rows/s (parse alone %.0f)\n",
                   what.c_str(), static_cast<long long>(record["rows"].get<int64_t>()),
                   record["rows_per_second"].get<double>(),
                   record["parse_rows_per_second"].get<double>());
      KINDRED_RETURN_IF_ERROR(log.Add(std::move(record)));
    }
  }
  return Status::Ok();
}

}  // namespace kindred
