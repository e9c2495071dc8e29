#include "cli/train_command.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include "cli/evaluate_command.h"
#include "cli/progress_bar.h"
#include "recipes/interaction_files.h"

namespace kindred {

namespace {

struct TrainOptions {
  InteractionSource source;
  std::string recipe = "aws-user-personalization";
  std::vector<std::string> params;  // "name=value"
  std::string output;               // empty: no model file
  std::string protocol = "next-item";
  uint64_t seed = 42;
};

// Writes `bytes` to `path` and reads them back through `recipe`.
Status WriteModel(const std::string& path, const std::string& bytes, const Recipe& recipe) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out || !out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())) ||
        !out.flush()) {
      return Status::IoError("--output: cannot write " + path);
    }
  }
  std::ifstream in(path, std::ios::binary);
  const std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Result<std::unique_ptr<Model>> loaded = recipe.Load(written);
  if (!loaded.ok()) {
    return Status::IoError("--output: " + path +
                           " does not load back: " + loaded.status().message());
  }
  return Status::Ok();
}

int RunTrain(const TrainOptions& o) {
  auto fail = [](const Status& status) {
    std::cerr << "kindred train: " << status.message() << "\n";
    return 1;
  };
  Result<RecipeRun> run = PrepareRecipeRun(o.source, o.recipe, o.params);
  if (!run.ok()) return fail(run.status());
  std::fflush(stdout);

  const auto start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<Model>> model = Status::Internal("not trained");
  {
    ProgressBar bar(std::cerr, "training on every event", isatty(STDERR_FILENO) != 0);
    TrainingControl control;
    control.progress = bar.Callback();
    model = run->recipe->Train(run->data, run->params, control);
  }
  if (!model.ok()) return fail(model.status());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("trained in %.1f s\n", seconds);
  if (!o.output.empty()) {
    const std::string bytes = (*model)->Serialize();
    const Status written = WriteModel(o.output, bytes, *run->recipe);
    if (!written.ok()) return fail(written);
    std::printf("model written to %s (%zu bytes), loads back\n", o.output.c_str(), bytes.size());
  }
  std::printf("protocol %s\n", o.protocol.c_str());
  const Status s = PrintOfflineMetrics(*run, o.protocol, o.seed);
  if (!s.ok()) return fail(s);
  return 0;
}

}  // namespace

CLI::App* AddTrainCommand(CLI::App& app) {
  auto options = std::make_shared<TrainOptions>();
  TrainOptions& o = *options;
  CLI::App* cmd = app.add_subcommand(
      "train",
      "Train a recipe on an interactions file or a dataset group, write the model and print its "
      "metrics");
  AddInteractionSourceOptions(cmd, o.source);
  cmd->add_option("--recipe", o.recipe, "Recipe name or ARN")->capture_default_str();
  cmd->add_option("--param", o.params, "Hyperparameter as name=value (repeatable)");
  cmd->add_option("--output", o.output, "File to write the serialised model to");
  cmd->add_option("--protocol", o.protocol, "Evaluation protocol of the metrics")
      ->check(CLI::IsMember({"next-item", "personalize"}))
      ->capture_default_str();
  cmd->add_option("--seed", o.seed, "Random seed of the split and the sampled negatives")
      ->capture_default_str();
  cmd->callback([options] {
    if (const int code = RunTrain(*options); code != 0) throw CLI::RuntimeError(code);
  });
  return cmd;
}

}  // namespace kindred
