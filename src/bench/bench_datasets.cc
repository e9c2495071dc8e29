#include "bench/bench_datasets.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "bench/child_process.h"
#include "bench/synthetic_dataset.h"

namespace kindred {

const std::vector<PublicDataset>& PublicDatasets() {
  static const std::vector<PublicDataset> kDatasets = {
      {"amazon-games", "interactions.txt", "games"},
      {"personalize-poc", "interactions.csv", "personalize-csv"},
      {"movielens-small", "ratings.csv", "movielens"},
  };
  return kDatasets;
}

Result<std::string> FindPublicFile(const BenchOptions& options, const std::string& dataset,
                                   const std::string& file) {
  const std::string path = (std::filesystem::path(options.data_dir) / dataset / file).string();
  if (!std::ifstream(path)) return Status::NotFound(path + " not found");
  return path;
}

std::string_view InteractionsSchemaJson() {
  return R"({"type": "record", "name": "Interactions",
    "namespace": "com.amazonaws.personalize.schema",
    "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
               {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"}],
    "version": "1.0"})";
}

std::string_view WorkshopItemsSchemaJson() {
  return R"({"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema",
    "fields": [{"name": "ITEM_ID", "type": "string"},
               {"name": "GENRE", "type": "string", "categorical": true},
               {"name": "YEAR", "type": "int"}],
    "version": "1.0"})";
}

std::string_view SyntheticItemsSchemaJson() {
  return R"({"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema",
    "fields": [{"name": "ITEM_ID", "type": "string"},
               {"name": "GENRE", "type": "string", "categorical": true},
               {"name": "CREATION_TIMESTAMP", "type": "long"}],
    "version": "1.0"})";
}

GeneratorOptions SyntheticFileOptions(int64_t events, uint64_t seed) {
  const int64_t users = std::max<int64_t>(100, events / 50);
  const int64_t items = std::max<int64_t>(100, events / 250);
  return SyntheticOptions(static_cast<int32_t>(users), static_cast<int32_t>(items), events, seed);
}

Result<std::string> SyntheticCsvDir(const BenchOptions& options) {
  const std::filesystem::path dir = std::filesystem::path(options.scratch_dir) /
                                    ("synthetic-" + std::to_string(options.synthetic_events) + "-" +
                                     std::to_string(options.seed));
  const std::filesystem::path done = dir / "complete";
  if (std::filesystem::exists(done)) return dir.string();
  const GeneratorOptions generator = SyntheticFileOptions(options.synthetic_events, options.seed);
  const auto start = std::chrono::steady_clock::now();
  Result<ChildOutcome> generated = RunInChild([&]() -> Result<nlohmann::json> {
    Result<SimulationStats> stats = WriteSyntheticCsv(generator, dir.string());
    if (!stats.ok()) return stats.status();
    return nlohmann::json{{"events", stats->events}, {"visits", stats->visits}};
  });
  if (!generated.ok()) return generated.status();
  std::ofstream(done) << generated->result.dump() << "\n";
  std::cerr << "kindred bench: generated " << generated->result["events"] << " events in " << dir
            << " ("
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
            << " s)" << std::endl;
  return dir.string();
}

}  // namespace kindred
