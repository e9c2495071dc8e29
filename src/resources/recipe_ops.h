// Recipe catalogue operations: ListRecipes, DescribeRecipe, DescribeAlgorithm and
// DescribeFeatureTransformation, for every recipe kindred implements (recipes/recipe.h).
//
// Everything is derived from each recipe's RecipeInfo: the ARNs, the type and description, and
// the algorithm's hyperparameters with their defaults and ranges (isTunable marks the ones HPO
// may search). Recipes are built in, so they are always ACTIVE and have a fixed creation date.
//
// Thread-safety: handlers only read immutable recipe descriptions.
#pragma once

#include "resources/operation_table.h"
#include "resources/resource_context.h"

namespace kindred {

void RegisterRecipeOps(ResourceContext& ctx, OperationTable& table);

}  // namespace kindred
