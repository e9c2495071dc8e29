// `kindred evaluate`: trains a recipe on an interactions file, or on a stopped server's dataset
// group, and prints its offline metrics.
//
//   kindred evaluate --input interactions.txt --format games --recipe aws-sims
//       [--param min_cointeraction_count=1 ...] [--protocol next-item|personalize] [--seed 42]
//   kindred evaluate --data-dir DIR --dataset-group ARN --recipe aws-user-personalization
//
// A dataset group gives what its solution versions would train on: its Interactions dataset
// (imported and put rows) and its Items dataset's categorical fields.
//
// Formats: `games` ("user item" per line, each user's lines in time order; the line number is
// the timestamp), `personalize-csv` (header with USER_ID, ITEM_ID, TIMESTAMP and optionally
// EVENT_TYPE, any order) and `movielens` (ratings.csv: userId,movieId,rating,timestamp).
// Protocols are those of recipes/offline_metrics.h. Shows a progress bar on stderr while it
// trains, then prints a metric/value table and the training time; exit code 0 on success, 1 on
// usage, input or training errors, with a message naming the bad flag.
//
// `kindred train` (train_command.h) prints the same table, with PrepareRecipeRun and
// PrintOfflineMetrics below.
//
// Thread-safety: the functions are called once, from main().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/status.h"
#include "recipes/recipe.h"
#include "recipes/training_data.h"

namespace kindred {

// Where `kindred train` and `kindred evaluate` read interactions: a file (--input, --format) or
// a dataset group of a stopped server's data dir (--data-dir, --dataset-group).
struct InteractionSource {
  std::string input;
  std::string format = "personalize-csv";
  std::string data_dir;
  std::string dataset_group;
};

// Registers the options of `source` on `cmd`; --input excludes --dataset-group, which needs
// --data-dir. PrepareRecipeRun checks that one source is given.
void AddInteractionSourceOptions(CLI::App* cmd, InteractionSource& source);

struct EvaluateOptions {
  InteractionSource source;
  std::string recipe = "aws-sims";
  std::vector<std::string> params;  // "name=value"
  std::string protocol = "next-item";
  uint64_t seed = 42;
};

CLI::App* AddEvaluateCommand(CLI::App& app, EvaluateOptions& options);
int RunEvaluate(const EvaluateOptions& options);

// A recipe, its hyperparameters (defaults filled in) and the data of an interactions file.
struct RecipeRun {
  const Recipe* recipe = nullptr;
  HyperParameters params;
  TrainingData data;
};

// Looks up --recipe, checks the --param values and reads the interactions of `source`;
// kInvalidInput, kNotFound or kIoError with a message that starts with the bad flag. Prints what
// it read (users, items, events) and the recipe's settings on stdout.
Result<RecipeRun> PrepareRecipeRun(const InteractionSource& source, const std::string& recipe,
                                   const std::vector<std::string>& params);

// Runs `protocol` ("next-item" or "personalize") with a progress bar on stderr and prints the
// metric/value table on stdout.
Status PrintOfflineMetrics(const RecipeRun& run, const std::string& protocol, uint64_t seed);

}  // namespace kindred
