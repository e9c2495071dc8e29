// Recipe: a training algorithm as Personalize exposes it — an ARN, a type, documented
// hyperparameters with defaults and ranges — that turns TrainingData into a Model.
//
// Recipes know nothing of HTTP or storage: they receive TrainingData and hyperparameters and
// return a Model, which they can also serialise and load back.
//
// Thread-safety: recipes are stateless singletons; Train and Load may run concurrently.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "recipes/model.h"
#include "recipes/training_data.h"

namespace kindred {

// One hyperparameter, as DescribeAlgorithm documents it.
struct HyperParameterSpec {
  enum class Kind { kInteger, kContinuous, kCategorical };
  std::string name;
  Kind kind = Kind::kInteger;
  std::string default_value;
  double min = 0, max = 0;           // kInteger / kContinuous
  std::vector<std::string> values;   // kCategorical
  bool tunable = false;              // may be searched by HPO
};

struct RecipeInfo {
  std::string name;         // e.g. "aws-sims"
  std::string recipe_type;  // "USER_PERSONALIZATION", "RELATED_ITEMS" or "PERSONALIZED_RANKING"
  std::string description;
  std::vector<HyperParameterSpec> hyperparameters;
  std::string feature_transformation;  // "sims": arn:aws:personalize:::feature-transformation/sims
};

using HyperParameters = std::map<std::string, std::string>;

struct TrainingControl {
  const std::atomic<bool>* cancel = nullptr;     // polled; true -> stop with an error
  std::function<void(double fraction)> progress;  // 0..1, may be empty
};

// What a recipe returns when control.cancel is set: kInternal "training was cancelled".
Status CheckCancelled(const TrainingControl& control);

class Recipe {
 public:
  virtual ~Recipe() = default;
  virtual const RecipeInfo& info() const = 0;

  // `params` holds only names from info().hyperparameters (checked by the caller); missing
  // ones take their defaults.
  virtual Result<std::unique_ptr<Model>> Train(const TrainingData& data,
                                               const HyperParameters& params,
                                               const TrainingControl& control) const = 0;
  virtual Result<std::unique_ptr<Model>> Load(std::string_view bytes) const = 0;

  // trainingMode UPDATE: a model for `data` (which holds what `previous` was trained on plus
  // newer events and items) that starts from `previous`, a model this recipe trained or loaded.
  // This default trains from scratch.
  virtual Result<std::unique_ptr<Model>> Update(const Model& previous, const TrainingData& data,
                                                const HyperParameters& params,
                                                const TrainingControl& control) const;
};

// Every recipe kindred implements, and lookup by name ("aws-sims") or recipe ARN
// ("arn:aws:personalize:::recipe/aws-sims").
const std::vector<const Recipe*>& AllRecipes();
const Recipe* FindRecipe(std::string_view name_or_arn);

// The ARNs Personalize uses for a recipe and its algorithm / feature transformation.
std::string RecipeArn(const RecipeInfo& info);
std::string AlgorithmArn(const RecipeInfo& info);
std::string FeatureTransformationArn(const RecipeInfo& info);

// `params` with defaults filled in, or kInvalidInput naming an unknown parameter or a value
// outside its range.
Result<HyperParameters> ResolveHyperParameters(const RecipeInfo& info,
                                               const HyperParameters& params);

// The value of integer or continuous parameter `name` in `resolved` (the output of
// ResolveHyperParameters, so present and valid); 0 when absent.
double NumericParam(const HyperParameters& resolved, const std::string& name);

}  // namespace kindred
