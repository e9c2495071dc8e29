// import_bench: how fast a plain interactions CSV is parsed and imported.
//
// Generates a 2M-row USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE file in a temporary directory, then
// measures CsvReader alone and the whole ImportCsvFiles job into a fresh RocksDB store (FULL,
// so each iteration also replaces the previous iteration's segment). Reported as rows/s.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "data/csv_importer.h"
#include "data/csv_reader.h"
#include "storage/rocksdb_kv_store.h"

namespace kindred {
namespace {

constexpr int64_t kRows = 2'000'000;

class BenchDir {
 public:
  BenchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kindred-bench-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
    dir_ = tmpl;
    csv_ = (dir_ / "interactions.csv").string();
    std::ofstream out(csv_, std::ios::binary);
    out << "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n";
    std::string line;
    for (int64_t i = 0; i < kRows; ++i) {
      line = "user" + std::to_string(i * 7919 % 100000) + ",item" +
             std::to_string(i * 104729 % 50000) + "," + std::to_string(1600000000 + i) +
             (i % 10 == 0 ? ",purchase\n" : ",click\n");
      out << line;
    }
  }
  ~BenchDir() { std::filesystem::remove_all(dir_); }
  const std::string& csv() const { return csv_; }
  std::string db() const { return (dir_ / "db").string(); }

 private:
  std::filesystem::path dir_;
  std::string csv_;
};

const BenchDir& Dir() {
  static const BenchDir dir;
  return dir;
}

DatasetSchema InteractionsSchema() {
  DatasetSchema s;
  s.record_name = "Interactions";
  for (const char* name : {"USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"}) {
    SchemaField f;
    f.name = name;
    f.type = std::string_view(name) == "TIMESTAMP" ? FieldType::kLong : FieldType::kString;
    s.fields.push_back(f);
  }
  return s;
}

void BM_ParseCsv(benchmark::State& state) {
  Result<MappedFile> file = MappedFile::Open(Dir().csv());
  if (!file.ok()) return state.SkipWithError(file.status().message().c_str());
  int64_t records = 0;
  for (auto _ : state) {
    CsvReader reader(file->data());
    CsvRecord record;
    records = 0;
    for (;;) {
      Result<bool> more = reader.Next(&record);
      if (!more.ok() || !*more) break;
      ++records;
    }
    benchmark::DoNotOptimize(records);
  }
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(records),
                                                benchmark::Counter::kIsIterationInvariantRate);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(file->data().size()));
}
BENCHMARK(BM_ParseCsv)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ImportInteractions(benchmark::State& state) {
  auto kv = RocksDbKvStore::Open(Dir().db());
  if (!kv.ok()) return state.SkipWithError(kv.status().message().c_str());
  DatasetStore store(**kv);
  DatasetSchema schema = InteractionsSchema();
  int64_t imported = 0;
  for (auto _ : state) {
    ImportOutcome out = ImportCsvFiles({Dir().csv()}, schema, DatasetType::kInteractions, store,
                                       "bench", ImportOptions{});
    if (!out.status.ok()) return state.SkipWithError(out.status.message().c_str());
    imported = out.report.rows_imported;
  }
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(imported),
                                                benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ImportInteractions)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace kindred

BENCHMARK_MAIN();
