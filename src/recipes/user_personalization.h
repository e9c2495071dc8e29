// aws-user-personalization (USER_PERSONALIZATION) and aws-personalized-ranking
// (PERSONALIZED_RANKING): one sequence-aware next-item model, trained the same way.
//
// An item is represented by an id embedding plus the mean of the embeddings of its metadata
// tokens (GENRE=Comedy …), one vector used both for the item in a history and as a candidate;
// an item without interactions (or put after training, see Model::ScoreUnseen) is represented by
// its metadata alone. The user's state is computed at request time from ModelQuery::history:
// attention over the last `bptt` items, whose weights come from the newest item's query
// (dot(Q·x_newest, x_k) / √d) plus a learned bias per position (`recency_mask` true), or a plain
// mean (false). An item scores dot(state, vector) + bias, so an empty history ranks by the
// learned biases (roughly popularity). Model and format: src/recipes/sequence_model.h; training:
// src/recipes/sequence_trainer.h.
//
// Update (trainingMode UPDATE) keeps the previous model's weights and Adagrad state, adds the
// items and metadata tokens that are new in `data`, and trains for `epochs` passes over the
// events newer than the newest one the previous model saw (no others), so it takes seconds.
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
  Result<std::unique_ptr<Model>> Update(const Model& previous, const TrainingData& data,
                                        const HyperParameters& params,
                                        const TrainingControl& control) const override;
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
