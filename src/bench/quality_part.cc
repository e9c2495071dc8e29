#include "bench/quality_part.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>

#include "bench/bench_datasets.h"
#include "bench/child_process.h"
#include "bench/process_memory.h"
#include "bench/synthetic_dataset.h"
#include "recipes/interaction_files.h"
#include "recipes/offline_metrics.h"
#include "recipes/recipe.h"

namespace kindred {
namespace {

struct QualityDataset {
  std::string name;
  std::function<Result<TrainingData>()> load;
};

// The synthetic dataset: large enough for the sequence recipes to learn something, small
// enough to train every recipe in seconds (quick mode: a fraction of that).
GeneratorOptions SyntheticQualityOptions(const BenchOptions& options) {
  return options.quick ? SyntheticOptions(1'000, 500, 25'000, options.seed)
                       : SyntheticOptions(6'000, 3'000, 150'000, options.seed);
}

std::vector<QualityDataset> Datasets(const BenchOptions& options, ResultLog& log) {
  std::vector<QualityDataset> out;
  if (!options.quick) {
    for (const PublicDataset& d : PublicDatasets()) {
      if (!DatasetSelected(options, d.name)) continue;
      Result<std::string> path = FindPublicFile(options, d.name, d.interactions);
      if (!path.ok()) {
        log.Note(d.name + " skipped: " + path.status().message());
        continue;
      }
      out.push_back({d.name, [path = *path, format = d.format] {
                       return ReadInteractionFile(path, format);
                     }});
    }
  }
  if (DatasetSelected(options, "synthetic")) {
    const GeneratorOptions generator = SyntheticQualityOptions(options);
    out.push_back({"synthetic", [generator]() -> Result<TrainingData> {
                     return SyntheticTrainingData(generator);
                   }});
  }
  return out;
}

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// In the child: loads the data and evaluates `recipe` on it by `protocol`.
Result<nlohmann::json> Measure(const QualityDataset& dataset, const Recipe& recipe,
                               const std::string& protocol) {
  ReleaseFreeMemory();
  const int64_t baseline = ReadProcessMemory().resident_bytes;
  auto start = std::chrono::steady_clock::now();
  Result<TrainingData> data = dataset.load();
  if (!data.ok()) return data.status();
  const double load_seconds = Since(start);
  ReleaseFreeMemory();
  const int64_t data_rss = ReadProcessMemory().resident_bytes;
  Result<HyperParameters> params = ResolveHyperParameters(recipe.info(), {});
  if (!params.ok()) return params.status();

  nlohmann::json record = {{"data",
                            {{"users", data->num_users()},
                             {"items", data->num_items()},
                             {"events", data->interactions.size()}}},
                           {"load_seconds", load_seconds},
                           {"baseline_rss_bytes", baseline},
                           {"data_rss_bytes", data_rss}};
  start = std::chrono::steady_clock::now();
  if (protocol == "next-item") {
    Result<NextItemMetrics> m = EvaluateNextItem(*data, recipe, *params, {});
    if (!m.ok()) return m.status();
    record["evaluated_users"] = m->users;
    record["train_seconds"] = m->train_seconds;
    record["metrics"] = {{"hit_rate_at_10", m->hit_rate},
                         {"ndcg_at_10", m->ndcg},
                         {"sampled_hit_rate_at_10", m->sampled_hit_rate},
                         {"sampled_ndcg_at_10", m->sampled_ndcg}};
  } else {
    Result<std::map<std::string, double>> m = PersonalizeOfflineMetrics(*data, recipe, *params, {});
    if (!m.ok()) return m.status();
    record["metrics"] = *m;
  }
  record["seconds"] = Since(start);
  return record;
}

Status CheckSane(const nlohmann::json& record) {
  for (const auto& [name, value] : record["metrics"].items()) {
    const double v = value.get<double>();
    if (!(v >= 0.0 && v <= 1.0)) {
      return Status::Internal(name + " = " + std::to_string(v) + " is outside [0, 1]");
    }
  }
  if (record.contains("evaluated_users") && record["evaluated_users"].get<int64_t>() <= 0) {
    return Status::Internal("no user was evaluated");
  }
  if (record["peak_rss_bytes"].get<int64_t>() < record["data_rss_bytes"].get<int64_t>()) {
    return Status::Internal("the peak memory is below the data's resident size");
  }
  return Status::Ok();
}

}  // namespace

Status QualityPart::Run(const BenchOptions& options, ResultLog& log) const {
  for (const QualityDataset& dataset : Datasets(options, log)) {
    for (const Recipe* recipe : AllRecipes()) {
      const std::string& name = recipe->info().name;
      if (!options.recipes.empty() && std::find(options.recipes.begin(), options.recipes.end(),
                                                name) == options.recipes.end()) {
        continue;
      }
      for (const std::string protocol : {"next-item", "personalize"}) {
        for (int repetition = 0; repetition < options.quality_repetitions; ++repetition) {
          Result<ChildOutcome> out =
              RunInChild([&] { return Measure(dataset, *recipe, protocol); });
          const std::string what = dataset.name + " " + name + " " + protocol;
          if (!out.ok()) return Status(out.status().code(), what + ": " + out.status().message());
          nlohmann::json record = std::move(out->result);
          record["dataset"] = dataset.name;
          record["recipe"] = name;
          record["protocol"] = protocol;
          record["repetition"] = repetition;
          record["peak_rss_bytes"] = out->peak_resident_bytes;
          record["cpu_seconds"] = out->user_seconds + out->system_seconds;
          Status sane = CheckSane(record);
          if (!sane.ok()) return Status(sane.code(), what + ": " + sane.message());
          const nlohmann::json& m = record["metrics"];
          const bool next = protocol == "next-item";
          std::fprintf(
              stderr, "kindred bench: quality: %s: %s %.4f, NDCG@10 %.4f, %.1f s, peak %.0f MB\n",
              what.c_str(), next ? "HR@10" : "precision@10",
              m[next ? "hit_rate_at_10" : "precision_at_10"].get<double>(),
              m[next ? "ndcg_at_10" : "normalized_discounted_cumulative_gain_at_10"].get<double>(),
              record["seconds"].get<double>(), record["peak_rss_bytes"].get<double>() / 1e6);
          KINDRED_RETURN_IF_ERROR(log.Add(std::move(record)));
        }
      }
    }
  }
  return Status::Ok();
}

}  // namespace kindred
