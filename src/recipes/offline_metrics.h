// Offline evaluation of a recipe on TrainingData, by the two protocols of
// shared/data/README.md:
//
//  - PersonalizeOfflineMetrics: what GetSolutionMetrics returns. 10% of the users with at
//    least 2 events (at least one user) are held out at random; the recipe trains on everyone
//    else. For a held-out user with n events, the newest max(1, n / 10) are the relevant set
//    and the older ones the query history; every item outside the history is ranked and the
//    top 25 scored. Keys: coverage (share of the catalogue in any top-25 list),
//    mean_reciprocal_rank_at_25, normalized_discounted_cumulative_gain_at_{5,10,25} and
//    precision_at_{5,10,25}, averaged over the held-out users, rounded to 4 decimals.
//  - EvaluateNextItem: leave-one-out. For each user with at least 3 events the last event is
//    the test target and the one before it the validation target; the recipe trains on the
//    rest (users with fewer events train with all of theirs). The history shown to the model
//    is everything before the target. Full ranking ranks the target against every item the
//    user has not interacted with; sampled ranking against num_negatives distinct such items
//    drawn uniformly (fixed seed). HR@k = target in the top k; NDCG@k = 1 / log2(rank + 1).
//
// In both, related-item recipes are queried with the last history item, ties rank the lower
// item index first, and an item scored -infinity is never recommended. Relevant items already
// in the query history (repeat interactions) cannot be recommended, so they are left out of
// the relevant set; a user left with none is not evaluated.
//
// Thread-safety: the functions share no state and may run concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "recipes/recipe.h"

namespace kindred {

Result<std::map<std::string, double>> PersonalizeOfflineMetrics(const TrainingData& data,
                                                                const Recipe& recipe,
                                                                const HyperParameters& params,
                                                                const TrainingControl& control,
                                                                uint64_t seed = 42);

struct NextItemOptions {
  enum class Target { kTest, kValidation };
  Target target = Target::kTest;  // kValidation: for tuning, never sees the test event
  int cutoff = 10;                // k of HR@k and NDCG@k
  int num_negatives = 100;
  uint64_t seed = 42;
};

struct NextItemMetrics {
  int64_t users = 0;  // users evaluated
  double hit_rate = 0, ndcg = 0;                  // full ranking
  double sampled_hit_rate = 0, sampled_ndcg = 0;  // against the sampled negatives
  double train_seconds = 0;
};

Result<NextItemMetrics> EvaluateNextItem(const TrainingData& data, const Recipe& recipe,
                                         const HyperParameters& params,
                                         const TrainingControl& control,
                                         const NextItemOptions& options = {});

}  // namespace kindred
