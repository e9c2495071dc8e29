// aws-similar-items: item-to-item similarity from co-occurrence AND item metadata
// (RELATED_ITEMS), so that an item without interactions still has neighbours.
//
// Two similarities are blended for every pair of items a, b:
//  - co-occurrence: aws-sims' similarity (sims.h; popularity_discount_factor and
//    min_cointeraction_count as there, every user and item kept for pairing), divided by the
//    best one of a's list so that a's top co-occurring item has 1;
//  - metadata: cosine of the items' categorical token sets (TrainingData::item_features, e.g.
//    GENRE=Comedy), each token weighted by its IDF, log(1 + M / items with the token) where M
//    is the number of items with any token. Items sharing no token have 0.
// similarity(a, b) = (1 - metadata_weight) * co-occurrence + metadata_weight * metadata; each
// item keeps its SimsRecipe::kMaxNeighbours best pairs with a positive similarity. A cold item
// (metadata, no interactions) therefore gets its neighbours from metadata alone.
//
// Personalize documents this recipe's hyperparameters as the embedding sizes of its neural
// model (item_id_hidden_dimension, item_metadata_hidden_dimension); kindred's model has no
// embeddings, so it exposes the aws-sims names instead, plus metadata_weight.
//
// Cost: co-occurrence as aws-sims; metadata pairs grow with the square of the number of items
// that share a token.
//
// Scoring and fallback are aws-sims' (MakeNeighbourModel): neighbours score their similarity,
// every other item -1 / (1 + popularity), so an unknown seed gets popular items; the seed
// scores -infinity. Serialised as "KSIT" (docs/model-formats.md).
//
// Thread-safety: the recipe is stateless and its models immutable; all methods may be called
// concurrently.
#pragma once

#include <memory>
#include <string_view>

#include "recipes/recipe.h"

namespace kindred {

class SimilarItemsRecipe : public Recipe {
 public:
  const RecipeInfo& info() const override;
  Result<std::unique_ptr<Model>> Train(const TrainingData& data, const HyperParameters& params,
                                       const TrainingControl& control) const override;
  Result<std::unique_ptr<Model>> Load(std::string_view bytes) const override;
};

}  // namespace kindred
