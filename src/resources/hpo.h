// Hyperparameter optimisation (performHPO): a seeded random search over a recipe's tunable
// hyperparameters, each candidate measured by its offline metrics.
//
//   Result<HpoPlan> plan = ParseHpoPlan(solution_config["hpoConfig"], recipe.info(), fixed);
//   Result<HpoOutcome> best = RunHpo(data, recipe, *plan, fixed, control, seed);
//   recipe.Train(data, best->params, control);
//
// The searched parameters are the recipe's tunable ones not fixed in algorithmHyperParameters,
// each over the range that hpoConfig.algorithmHyperParameterRanges gives (which must lie
// within the recipe's) or else over the recipe's whole range. Candidates are drawn uniformly
// with a generator of our own (the same draws on every platform); each is measured with
// PersonalizeOfflineMetrics and the best on the objective (ties: the earlier) wins.
//
// Thread-safety: pure functions; they may run concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "recipes/recipe.h"

namespace kindred {

constexpr int kDefaultHpoTrainingJobs = 4;
constexpr int kMaxHpoTrainingJobs = 20;  // more (Personalize allows 40) are run as 20

struct HpoPlan {
  std::vector<HyperParameterSpec> searched;  // min/max/values narrowed to the requested ranges
  int training_jobs = kDefaultHpoTrainingJobs;
  bool maximize = true;
  std::string metric = "precision_at_25";  // an offline metric key (offline_metrics.h)
};

struct HpoOutcome {
  HyperParameters params;                 // resolved: every parameter of the recipe
  std::map<std::string, double> metrics;  // the offline metrics of `params`
};

// The plan for solutionConfig.hpoConfig (an object, or null for every default) of a solution
// of `recipe` whose algorithmHyperParameters are `fixed`. kInvalidInput naming the offending
// parameter or field: an unknown, untunable or fixed parameter, a range of the wrong kind or
// outside the recipe's, an unknown objective type or metric, a bad maxNumberOfTrainingJobs.
Result<HpoPlan> ParseHpoPlan(const nlohmann::json& hpo_config, const RecipeInfo& recipe,
                             const HyperParameters& fixed);

// The candidates of the search: plan.training_jobs draws (one when nothing is searched), each
// `fixed` with defaults filled in and the searched parameters drawn from their ranges.
std::vector<HyperParameters> HpoCandidates(const HpoPlan& plan, const RecipeInfo& recipe,
                                           const HyperParameters& fixed, uint64_t seed);

// Measures every candidate on `data` (offline metrics with `seed`) and returns the best.
Result<HpoOutcome> RunHpo(const TrainingData& data, const Recipe& recipe, const HpoPlan& plan,
                          const HyperParameters& fixed, const TrainingControl& control,
                          uint64_t seed);

}  // namespace kindred
