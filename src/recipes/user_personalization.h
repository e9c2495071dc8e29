// aws-user-personalization (USER_PERSONALIZATION) and aws-personalized-ranking
// (PERSONALIZED_RANKING): one sequence-aware next-item model, trained the same way.
//
// An item is represented twice — as history ("input") and as candidate ("output") — each time
// by an id embedding plus the mean of the embeddings of its metadata tokens (GENRE=Comedy …),
// so an item without interactions is still represented by its metadata. The user's state is
// computed at request time from ModelQuery::history: the weighted sum of the input vectors of
// the last `bptt` items, where the k-th newest item weighs a learned w_k (`recency_mask` true)
// or all weigh 1/n (false). An item scores dot(state, output) + bias, so an empty history
// ranks by the learned biases (roughly popularity). Training is src/recipes/sequence_trainer.h.
//
// aws-personalized-ranking scores the whole catalogue like aws-user-personalization; ranking
// the caller's list is serving's job. Both serialise as "KSEQ" (docs/model-formats.md), and
// either recipe loads the other's models.
//
// Thread-safety: the recipes are stateless and their models immutable; all methods may be
// called concurrently.
#pragma once

#include <memory>
#include <string_view>

#include "recipes/recipe.h"

namespace kindred {

// The shared training and loading of both recipes; each adds its RecipeInfo.
class SequenceRecipe : public Recipe {
 public:
  Result<std::unique_ptr<Model>> Train(const TrainingData& data, const HyperParameters& params,
                                       const TrainingControl& control) const override;
  Result<std::unique_ptr<Model>> Load(std::string_view bytes) const override;
};

class UserPersonalizationRecipe : public SequenceRecipe {
 public:
  const RecipeInfo& info() const override;
};

class PersonalizedRankingRecipe : public SequenceRecipe {
 public:
  const RecipeInfo& info() const override;
};

}  // namespace kindred
