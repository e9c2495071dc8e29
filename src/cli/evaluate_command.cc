#include "cli/evaluate_command.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <unistd.h>

#include "cli/progress_bar.h"
#include "common/clock.h"
#include "recipes/interaction_files.h"
#include "recipes/offline_metrics.h"
#include "resources/control_plane.h"
#include "storage/rocksdb_kv_store.h"

namespace kindred {

void AddInteractionSourceOptions(CLI::App* cmd, InteractionSource& source) {
  CLI::Option* input = cmd->add_option("--input", source.input, "Interactions file");
  cmd->add_option("--format", source.format, "Input format of --input")
      ->check(CLI::IsMember(InteractionFileFormats()))
      ->capture_default_str();
  CLI::Option* data_dir = cmd->add_option(
      "--data-dir", source.data_dir, "A stopped kindred server's data dir (with --dataset-group)");
  cmd->add_option("--dataset-group", source.dataset_group,
                  "Train on this dataset group of --data-dir instead of --input")
      ->needs(data_dir)
      ->excludes(input);
}

CLI::App* AddEvaluateCommand(CLI::App& app, EvaluateOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "evaluate",
      "Train a recipe on an interactions file or a dataset group and print its offline metrics");
  AddInteractionSourceOptions(cmd, o.source);
  cmd->add_option("--recipe", o.recipe, "Recipe name or ARN")->capture_default_str();
  cmd->add_option("--param", o.params, "Hyperparameter as name=value (repeatable)");
  cmd->add_option("--protocol", o.protocol, "Evaluation protocol")
      ->check(CLI::IsMember({"next-item", "personalize"}))
      ->capture_default_str();
  cmd->add_option("--seed", o.seed, "Random seed of the split and the sampled negatives")
      ->capture_default_str();
  return cmd;
}

namespace {

void PrintRow(const std::string& name, double value) {
  std::printf("%-44s %10.4f\n", name.c_str(), value);
}

// `status` with its message prefixed by `flag`.
Status Flagged(const std::string& flag, const Status& status) {
  return Status(status.code(), flag + ": " + status.message());
}

// The training data of `group` in the store of the stopped server at `data_dir`.
Result<TrainingData> ReadDatasetGroup(const std::string& data_dir, const std::string& group) {
  const std::filesystem::path store_dir = std::filesystem::path(data_dir) / "db";
  if (!std::filesystem::exists(store_dir)) {
    return Status::InvalidInput("--data-dir: no kindred store in " + data_dir);
  }
  Result<std::unique_ptr<KvStore>> store = RocksDbKvStore::Open(store_dir.string());
  if (!store.ok()) {
    return Flagged("--data-dir", Status(store.status().code(),
                                        store.status().message() +
                                            " (is a kindred server running on it? stop it first)"));
  }
  ControlPlane cp(**store, SystemClock::Get(), ControlPlaneOptions{});
  if (Status s = cp.Start(); !s.ok()) return Flagged("--data-dir", s);
  Result<TrainingData> data = cp.TrainingDataOf(group);
  cp.Shutdown();
  if (!data.ok()) return Flagged("--dataset-group", data.status());
  return data;
}

// The interactions of `source`, or an error naming the flag to fix.
Result<TrainingData> ReadSource(const InteractionSource& source) {
  if (!source.dataset_group.empty()) return ReadDatasetGroup(source.data_dir, source.dataset_group);
  if (source.input.empty()) {
    return Status::InvalidInput(
        "--input: give an interactions file, or --data-dir and --dataset-group");
  }
  Result<TrainingData> read = ReadInteractionFile(source.input, source.format);
  if (!read.ok()) {
    // "cannot read PATH" names the file already; a bad line does not.
    return Flagged(
        read.status().code() == StatusCode::kIoError ? "--input" : "--input " + source.input,
        read.status());
  }
  return read;
}

}  // namespace

Result<RecipeRun> PrepareRecipeRun(const InteractionSource& source, const std::string& recipe,
                                   const std::vector<std::string>& params) {
  RecipeRun run;
  run.recipe = FindRecipe(recipe);
  if (run.recipe == nullptr) {
    return Status::InvalidInput("--recipe: unknown recipe '" + recipe + "'");
  }
  Result<HyperParameters> given = ParseHyperParameterArgs(params);
  if (!given.ok()) return Flagged("--param", given.status());
  Result<HyperParameters> resolved = ResolveHyperParameters(run.recipe->info(), *given);
  if (!resolved.ok()) return Flagged("--param", resolved.status());
  run.params = std::move(resolved).value();
  Result<TrainingData> read = ReadSource(source);
  if (!read.ok()) return read.status();
  run.data = std::move(read).value();
  const std::string& from = source.dataset_group.empty() ? source.input : source.dataset_group;
  std::printf("%s: %d users, %d items, %zu events\n", from.c_str(), run.data.num_users(),
              run.data.num_items(), run.data.interactions.size());
  std::printf("recipe %s", run.recipe->info().name.c_str());
  for (const auto& [name, value] : run.params) std::printf(", %s=%s", name.c_str(), value.c_str());
  std::printf("\n");
  return run;
}

Status PrintOfflineMetrics(const RecipeRun& run, const std::string& protocol, uint64_t seed) {
  std::fflush(stdout);
  const auto start = std::chrono::steady_clock::now();
  ProgressBar bar(std::cerr, "training for the " + protocol + " metrics", isatty(STDERR_FILENO) != 0);
  TrainingControl control;
  control.progress = bar.Callback();
  if (protocol == "personalize") {
    Result<std::map<std::string, double>> m =
        PersonalizeOfflineMetrics(run.data, *run.recipe, run.params, control, seed);
    bar.Finish();
    if (!m.ok()) return m.status();
    std::printf("\n%-44s %10s\n", "metric", "value");
    for (const auto& [name, value] : *m) PrintRow(name, value);
  } else {
    NextItemOptions options;
    options.seed = seed;
    Result<NextItemMetrics> m =
        EvaluateNextItem(run.data, *run.recipe, run.params, control, options);
    bar.Finish();
    if (!m.ok()) return m.status();
    std::printf("\n%-44s %10s\n", "metric", "value");
    std::printf("%-44s %10lld\n", "users evaluated", static_cast<long long>(m->users));
    PrintRow("HR@10 (full ranking)", m->hit_rate);
    PrintRow("NDCG@10 (full ranking)", m->ndcg);
    PrintRow("HR@10 (100 sampled negatives)", m->sampled_hit_rate);
    PrintRow("NDCG@10 (100 sampled negatives)", m->sampled_ndcg);
    PrintRow("training time (s)", m->train_seconds);
  }
  PrintRow("total time, training + evaluation (s)",
           std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return Status::Ok();
}

int RunEvaluate(const EvaluateOptions& o) {
  auto fail = [](const Status& status) {
    std::cerr << "kindred evaluate: " << status.message() << "\n";
    return 1;
  };
  Result<RecipeRun> run = PrepareRecipeRun(o.source, o.recipe, o.params);
  if (!run.ok()) return fail(run.status());
  std::printf("protocol %s\n", o.protocol.c_str());
  const Status s = PrintOfflineMetrics(*run, o.protocol, o.seed);
  if (!s.ok()) return fail(s);
  return 0;
}

}  // namespace kindred
