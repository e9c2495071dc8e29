// `kindred evaluate`: trains a recipe on an interactions file and prints its offline metrics.
//
//   kindred evaluate --input interactions.txt --format games --recipe aws-sims
//       [--param min_cointeraction_count=1 ...] [--protocol next-item|personalize] [--seed 42]
//
// Formats: `games` ("user item" per line, each user's lines in time order; the line number is
// the timestamp), `personalize-csv` (header with USER_ID, ITEM_ID, TIMESTAMP and optionally
// EVENT_TYPE, any order) and `movielens` (ratings.csv: userId,movieId,rating,timestamp).
// Protocols are those of recipes/offline_metrics.h. Prints a metric/value table and the
// training time; exit code 0 on success, 1 on usage, input or training errors.
//
// Thread-safety: RunEvaluate is called once, from main().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace kindred {

struct EvaluateOptions {
  std::string input;
  std::string format = "personalize-csv";
  std::string recipe = "aws-sims";
  std::vector<std::string> params;  // "name=value"
  std::string protocol = "next-item";
  uint64_t seed = 42;
};

CLI::App* AddEvaluateCommand(CLI::App& app, EvaluateOptions& options);
int RunEvaluate(const EvaluateOptions& options);

}  // namespace kindred
