#include "cli/evaluate_command.h"

#include <chrono>
#include <cstdio>
#include <iostream>

#include "recipes/interaction_files.h"
#include "recipes/offline_metrics.h"
#include "recipes/recipe.h"

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

int Fail(const Status& status) {
  std::cerr << "kindred evaluate: " << status.message() << "\n";
  return 1;
}

}  // namespace

int RunEvaluate(const EvaluateOptions& o) {
  const Recipe* recipe = FindRecipe(o.recipe);
  if (recipe == nullptr) return Fail(Status::InvalidInput("unknown recipe " + o.recipe));
  Result<HyperParameters> params = ParseHyperParameterArgs(o.params);
  if (!params.ok()) return Fail(params.status());
  Result<HyperParameters> resolved = ResolveHyperParameters(recipe->info(), *params);
  if (!resolved.ok()) return Fail(resolved.status());

  Result<TrainingData> read = ReadInteractionFile(o.input, o.format);
  if (!read.ok()) return Fail(read.status());
  const TrainingData data = std::move(read).value();
  std::printf("%s: %d users, %d items, %zu events\n", o.input.c_str(), data.num_users(),
              data.num_items(), data.interactions.size());
  std::printf("recipe %s, protocol %s", recipe->info().name.c_str(), o.protocol.c_str());
  for (const auto& [name, value] : *resolved) std::printf(", %s=%s", name.c_str(), value.c_str());
  std::printf("\n\n%-44s %10s\n", "metric", "value");

  const auto start = std::chrono::steady_clock::now();
  if (o.protocol == "personalize") {
    Result<std::map<std::string, double>> m =
        PersonalizeOfflineMetrics(data, *recipe, *resolved, {}, o.seed);
    if (!m.ok()) return Fail(m.status());
    for (const auto& [name, value] : *m) PrintRow(name, value);
  } else {
    NextItemOptions options;
    options.seed = o.seed;
    Result<NextItemMetrics> m = EvaluateNextItem(data, *recipe, *resolved, {}, options);
    if (!m.ok()) return Fail(m.status());
    std::printf("%-44s %10lld\n", "users evaluated", static_cast<long long>(m->users));
    PrintRow("HR@10 (full ranking)", m->hit_rate);
    PrintRow("NDCG@10 (full ranking)", m->ndcg);
    PrintRow("HR@10 (100 sampled negatives)", m->sampled_hit_rate);
    PrintRow("NDCG@10 (100 sampled negatives)", m->sampled_ndcg);
    PrintRow("training time (s)", m->train_seconds);
  }
  PrintRow("total time, training + evaluation (s)",
           std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 0;
}

}  // namespace kindred
