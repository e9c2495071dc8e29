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

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "recipes/recipe.h"

namespace kindred {

// The building blocks of aws-sims, shared with the other neighbour-based recipes
// (aws-similar-items).
struct ItemNeighbour {
  uint32_t item;
  float score;
};
using ItemNeighbourLists = std::vector<std::vector<ItemNeighbour>>;

// How co-occurrence is counted; the fields are the aws-sims hyperparameters of the same names.
struct CoOccurrenceOptions {
  double popularity_discount_factor = 0.5;
  uint32_t min_cointeraction_count = 3;
  double min_user_history_length_percentile = 0.0, max_user_history_length_percentile = 1.0;
  double min_item_interaction_count_percentile = 0.0, max_item_interaction_count_percentile = 1.0;
};

// Each item's SimsRecipe::kMaxNeighbours most similar items by co-occurrence, as described
// above, best first. `popularity` is UniqueUserCounts(data).
Result<ItemNeighbourLists> CoOccurrenceNeighbours(const TrainingData& data,
                                                  const std::vector<uint32_t>& popularity,
                                                  const CoOccurrenceOptions& options,
                                                  const TrainingControl& control);

// Sorts `list` best first (score, then popularity, then lower index) and keeps the best
// SimsRecipe::kMaxNeighbours.
void KeepBestNeighbours(const std::vector<uint32_t>& popularity, std::vector<ItemNeighbour>* list);

// The model of aws-sims: a seed's neighbours score their similarity, every other item
// -1 / (1 + popularity), the seed -infinity. Serialised as `magic` (4 bytes) + the layout of
// docs/model-formats.md ("KSIM" for aws-sims).
std::unique_ptr<Model> MakeNeighbourModel(std::string_view magic, std::vector<std::string> item_ids,
                                          std::vector<uint32_t> popularity,
                                          ItemNeighbourLists neighbours);
// The inverse of MakeNeighbourModel(magic, ...)->Serialize(); kCorruption naming `recipe`.
Result<std::unique_ptr<Model>> LoadNeighbourModel(std::string_view magic, std::string_view recipe,
                                                  std::string_view bytes);

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
