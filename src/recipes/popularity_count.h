// aws-popularity-count: recommends the items with the most unique users, the same list for
// everyone — Personalize's baseline recipe (USER_PERSONALIZATION, no hyperparameters).
//
// A model scores item i with the number of distinct users who interacted with i in the
// training data (a user who clicks an item twice counts once), whatever the query.
// Serialised as "KPOP" + version + item ids + counts (docs/model-formats.md).
//
// Thread-safety: the recipe is stateless and its models immutable; all methods may be called
// concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "recipes/recipe.h"

namespace kindred {

// Distinct users per item, indexed like data.items.
std::vector<uint32_t> UniqueUserCounts(const TrainingData& data);

class PopularityCountRecipe : public Recipe {
 public:
  const RecipeInfo& info() const override;
  Result<std::unique_ptr<Model>> Train(const TrainingData& data, const HyperParameters& params,
                                       const TrainingControl& control) const override;
  Result<std::unique_ptr<Model>> Load(std::string_view bytes) const override;
};

}  // namespace kindred
