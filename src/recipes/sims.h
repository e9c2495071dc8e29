// aws-sims: item-to-item similarity from co-occurrence in user histories (RELATED_ITEMS).
//
// Training counts, for every pair of items, the users who interacted with both (each user
// counts a pair once; only a user's last kMaxPairHistory events are paired, which bounds the
// quadratic cost). Pairs seen by fewer than `min_cointeraction_count` users are dropped. The
// similarity of a pair is
//     co(a, b) / (pop(a) * pop(b)) ^ (popularity_discount_factor / 2)
// with pop = unique users per item: factor 0 ranks by raw co-occurrence (popular items win),
// factor 1 is cosine similarity (popularity fully discounted). Each item keeps its
// kMaxNeighbours most similar items. The featurization hyperparameters drop users whose
// history length, and items whose interaction count, lie outside the given percentiles from
// pair counting (they still count for popularity).
//
// Scoring: the seed is query.item, or else the last item of query.history. Its neighbours
// score their similarity (> 0); every other item scores -1 / (1 + pop) (< 0), so the list goes
// on with popular items — which is all an unknown seed, or one without neighbours, gets. The
// seed itself scores -infinity. Serialised as "KSIM" (docs/model-formats.md).
//
// Thread-safety: the recipe is stateless and its models immutable; all methods may be called
// concurrently.
#pragma once

#include <memory>
#include <string_view>

#include "recipes/recipe.h"

namespace kindred {

class SimsRecipe : public Recipe {
 public:
  static constexpr int kMaxNeighbours = 100;
  static constexpr int kMaxPairHistory = 200;

  const RecipeInfo& info() const override;
  Result<std::unique_ptr<Model>> Train(const TrainingData& data, const HyperParameters& params,
                                       const TrainingControl& control) const override;
  Result<std::unique_ptr<Model>> Load(std::string_view bytes) const override;
};

}  // namespace kindred
