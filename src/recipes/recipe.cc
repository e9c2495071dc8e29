#include "recipes/recipe.h"

#include <charconv>
#include <cmath>

#include "recipes/popularity_count.h"
#include "recipes/similar_items.h"
#include "recipes/sims.h"
#include "recipes/user_personalization.h"

namespace kindred {
namespace {

constexpr std::string_view kRecipeArnPrefix = "arn:aws:personalize:::recipe/";

// Parses all of `text` as a number of type T.
template <typename T>
bool ParseNumber(std::string_view text, T* value) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *value);
  return ec == std::errc() && ptr == end;
}

// 3 -> "3", 0.5 -> "0.5" (std::to_string would print "0.500000").
std::string FormatNumber(double v) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return ec == std::errc() ? std::string(buffer, end) : std::to_string(v);
}

Status CheckValue(const RecipeInfo& info, const HyperParameterSpec& spec,
                  const std::string& value) {
  auto invalid = [&](const std::string& why) {
    return Status::InvalidInput("Hyperparameter " + spec.name + " of recipe " + info.name +
                                ": " + why + " (got '" + value + "')");
  };
  auto range = [&] {
    return "[" + FormatNumber(spec.min) + ", " + FormatNumber(spec.max) + "]";
  };
  switch (spec.kind) {
    case HyperParameterSpec::Kind::kInteger: {
      long long v = 0;
      if (!ParseNumber(value, &v)) return invalid("must be an integer");
      if (v < spec.min || v > spec.max) return invalid("must be in " + range());
      return Status::Ok();
    }
    case HyperParameterSpec::Kind::kContinuous: {
      double v = 0;
      if (!ParseNumber(value, &v) || !std::isfinite(v)) return invalid("must be a number");
      if (v < spec.min || v > spec.max) return invalid("must be in " + range());
      return Status::Ok();
    }
    case HyperParameterSpec::Kind::kCategorical:
      for (const std::string& allowed : spec.values) {
        if (value == allowed) return Status::Ok();
      }
      return invalid("is not one of its allowed values");
  }
  return Status::Internal("unknown hyperparameter kind");
}

}  // namespace

const std::vector<const Recipe*>& AllRecipes() {
  static const PopularityCountRecipe kPopularityCount;
  static const SimsRecipe kSims;
  static const SimilarItemsRecipe kSimilarItems;
  static const UserPersonalizationRecipe kUserPersonalization;
  static const PersonalizedRankingRecipe kPersonalizedRanking;
  static const std::vector<const Recipe*> kAll = {&kPopularityCount, &kSims, &kSimilarItems,
                                                  &kUserPersonalization, &kPersonalizedRanking};
  return kAll;
}

const Recipe* FindRecipe(std::string_view name_or_arn) {
  if (name_or_arn.starts_with(kRecipeArnPrefix)) name_or_arn.remove_prefix(kRecipeArnPrefix.size());
  for (const Recipe* recipe : AllRecipes()) {
    if (recipe->info().name == name_or_arn) return recipe;
  }
  return nullptr;
}

std::string RecipeArn(const RecipeInfo& info) { return std::string(kRecipeArnPrefix) + info.name; }

std::string AlgorithmArn(const RecipeInfo& info) {
  return "arn:aws:personalize:::algorithm/" + info.name;
}

std::string FeatureTransformationArn(const RecipeInfo& info) {
  return "arn:aws:personalize:::feature-transformation/" + info.feature_transformation;
}

Result<std::unique_ptr<Model>> Recipe::Update(const Model& /*previous*/, const TrainingData& data,
                                              const HyperParameters& params,
                                              const TrainingControl& control) const {
  return Train(data, params, control);
}

Status CheckCancelled(const TrainingControl& control) {
  if (control.cancel != nullptr && control.cancel->load()) {
    return Status::Internal("training was cancelled");
  }
  return Status::Ok();
}

Result<HyperParameters> ResolveHyperParameters(const RecipeInfo& info,
                                               const HyperParameters& params) {
  for (const auto& [name, value] : params) {
    bool known = false;
    for (const HyperParameterSpec& spec : info.hyperparameters) known = known || spec.name == name;
    if (!known) {
      return Status::InvalidInput("Unknown hyperparameter " + name + " for recipe " + info.name);
    }
  }
  HyperParameters resolved;
  for (const HyperParameterSpec& spec : info.hyperparameters) {
    auto given = params.find(spec.name);
    const std::string& value = given == params.end() ? spec.default_value : given->second;
    KINDRED_RETURN_IF_ERROR(CheckValue(info, spec, value));
    resolved[spec.name] = value;
  }
  return resolved;
}

double NumericParam(const HyperParameters& resolved, const std::string& name) {
  auto it = resolved.find(name);
  double value = 0;
  if (it == resolved.end() || !ParseNumber(it->second, &value)) return 0;
  return value;
}

}  // namespace kindred
