#include "cli/evaluate_command.h"

#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/progress_bar.h"
#include "recipes/interaction_files.h"
#include "recipes/offline_metrics.h"

namespace kindred {

CLI::App* AddEvaluateCommand(CLI::App& app, EvaluateOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "evaluate", "Train a recipe on an interactions file and print its offline metrics");
  cmd->add_option("--input", o.input, "Interactions file")->required();
  cmd->add_option("--format", o.format, "Input format")
      ->check(CLI::IsMember(InteractionFileFormats()))
      ->capture_default_str();
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

}  // namespace

Result<RecipeRun> PrepareRecipeRun(const std::string& input, const std::string& format,
                                   const std::string& recipe,
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
  Result<TrainingData> read = ReadInteractionFile(input, format);
  if (!read.ok()) {
    // "cannot read PATH" names the file already; a bad line does not.
    return Flagged(read.status().code() == StatusCode::kIoError ? "--input" : "--input " + input,
                   read.status());
  }
  run.data = std::move(read).value();
  std::printf("%s: %d users, %d items, %zu events\n", input.c_str(), run.data.num_users(),
              run.data.num_items(), run.data.interactions.size());
  std::printf("recipe %s", run.recipe->info().name.c_str());
  for (const auto& [name, value] : run.params) std::printf(", %s=%s", name.c_str(), value.c_str());
  std::printf("\n");
  return run;
}

Status PrintOfflineMetrics(const RecipeRun& run, const std::string& protocol, uint64_t seed) {
  std::fflush(stdout);
  const auto start = std::chrono::steady_clock::now();
  ProgressBar bar(std::cerr, "training for the " + protocol + " metrics");
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
  Result<RecipeRun> run = PrepareRecipeRun(o.input, o.format, o.recipe, o.params);
  if (!run.ok()) return fail(run.status());
  std::printf("protocol %s\n", o.protocol.c_str());
  const Status s = PrintOfflineMetrics(*run, o.protocol, o.seed);
  if (!s.ok()) return fail(s);
  return 0;
}

}  // namespace kindred
