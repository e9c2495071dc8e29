#include "resources/recipe_ops.h"

#include "recipes/recipe.h"
#include "resources/pagination.h"
#include "resources/request_fields.h"

namespace kindred {
namespace {

// Built-in recipes carry the date Amazon Personalize became generally available (2019-06-10).
constexpr double kRecipeDate = 1560124800.0;

nlohmann::json RecipeJson(const RecipeInfo& info) {
  return {{"name", info.name},
          {"recipeArn", RecipeArn(info)},
          {"algorithmArn", AlgorithmArn(info)},
          {"featureTransformationArn", FeatureTransformationArn(info)},
          {"status", "ACTIVE"},
          {"description", info.description},
          {"creationDateTime", kRecipeDate},
          {"recipeType", info.recipe_type},
          {"lastUpdatedDateTime", kRecipeDate}};
}

nlohmann::json AlgorithmJson(const RecipeInfo& info) {
  nlohmann::json defaults = nlohmann::json::object();
  nlohmann::json ints = nlohmann::json::array(), doubles = nlohmann::json::array(),
                 categories = nlohmann::json::array();
  for (const HyperParameterSpec& p : info.hyperparameters) {
    defaults[p.name] = p.default_value;
    switch (p.kind) {
      case HyperParameterSpec::Kind::kInteger:
        ints.push_back({{"name", p.name},
                        {"minValue", static_cast<int64_t>(p.min)},
                        {"maxValue", static_cast<int64_t>(p.max)},
                        {"isTunable", p.tunable}});
        break;
      case HyperParameterSpec::Kind::kContinuous:
        doubles.push_back(
            {{"name", p.name}, {"minValue", p.min}, {"maxValue", p.max}, {"isTunable", p.tunable}});
        break;
      case HyperParameterSpec::Kind::kCategorical:
        categories.push_back({{"name", p.name}, {"values", p.values}, {"isTunable", p.tunable}});
        break;
    }
  }
  return {{"name", info.name},
          {"algorithmArn", AlgorithmArn(info)},
          {"algorithmImage", {{"name", info.name}, {"dockerURI", "kindred:builtin/" + info.name}}},
          {"defaultHyperParameters", std::move(defaults)},
          {"defaultHyperParameterRanges",
           {{"integerHyperParameterRanges", std::move(ints)},
            {"continuousHyperParameterRanges", std::move(doubles)},
            {"categoricalHyperParameterRanges", std::move(categories)}}},
          {"defaultResourceConfig", nlohmann::json::object()},
          {"trainingInputMode", "File"},
          {"creationDateTime", kRecipeDate},
          {"lastUpdatedDateTime", kRecipeDate}};
}

// The recipe whose ARN of kind `arn_of` is `arn`; kNotFound naming it otherwise.
Result<const Recipe*> FindBy(std::string (*arn_of)(const RecipeInfo&), const std::string& arn,
                             std::string_view what) {
  for (const Recipe* r : AllRecipes()) {
    if (arn_of(r->info()) == arn) return r;
  }
  return Status::NotFound(std::string(what) + " " + arn + " does not exist");
}

Result<nlohmann::json> List(const nlohmann::json& in) {
  Result<PageRequest> page = ReadPageRequest(in, "ListRecipes");
  if (!page.ok()) return page.status();
  std::vector<Resource> rows;
  // Only SERVICE recipes exist, and none belongs to a domain.
  if (StringOr(in, "recipeProvider", "SERVICE") == "SERVICE" && !in.contains("domain")) {
    const auto& all = AllRecipes();
    for (size_t i = static_cast<size_t>(page->after_seq); i < all.size(); ++i) {
      Resource r;
      r.seq = static_cast<int64_t>(i) + 1;
      r.body = RecipeJson(all[i]->info());
      rows.push_back(std::move(r));
    }
  }
  return MakePage(rows, *page, "ListRecipes", "recipes", [](const Resource& r) {
    return Pick(r.body, {"name", "recipeArn", "status", "creationDateTime", "lastUpdatedDateTime"});
  });
}

Result<nlohmann::json> DescribeRecipe(const nlohmann::json& in) {
  Result<std::string> arn = RequiredString(in, "recipeArn");
  if (!arn.ok()) return arn.status();
  Result<const Recipe*> r = FindBy(&RecipeArn, *arn, "Recipe");
  if (!r.ok()) return r.status();
  return nlohmann::json{{"recipe", RecipeJson((*r)->info())}};
}

Result<nlohmann::json> DescribeAlgorithm(const nlohmann::json& in) {
  Result<std::string> arn = RequiredString(in, "algorithmArn");
  if (!arn.ok()) return arn.status();
  Result<const Recipe*> r = FindBy(&AlgorithmArn, *arn, "Algorithm");
  if (!r.ok()) return r.status();
  return nlohmann::json{{"algorithm", AlgorithmJson((*r)->info())}};
}

Result<nlohmann::json> DescribeFeatureTransformation(const nlohmann::json& in) {
  Result<std::string> arn = RequiredString(in, "featureTransformationArn");
  if (!arn.ok()) return arn.status();
  Result<const Recipe*> r = FindBy(&FeatureTransformationArn, *arn, "Feature transformation");
  if (!r.ok()) return r.status();
  return nlohmann::json{{"featureTransformation",
                         {{"name", (*r)->info().feature_transformation},
                          {"featureTransformationArn", *arn},
                          {"defaultParameters", nlohmann::json::object()},
                          {"status", "ACTIVE"},
                          {"creationDateTime", kRecipeDate},
                          {"lastUpdatedDateTime", kRecipeDate}}}};
}

}  // namespace

void RegisterRecipeOps(ResourceContext& /*ctx*/, OperationTable& table) {
  table["ListRecipes"] = [](const nlohmann::json& in) { return List(in); };
  table["DescribeRecipe"] = [](const nlohmann::json& in) { return DescribeRecipe(in); };
  table["DescribeAlgorithm"] = [](const nlohmann::json& in) { return DescribeAlgorithm(in); };
  table["DescribeFeatureTransformation"] = [](const nlohmann::json& in) {
    return DescribeFeatureTransformation(in);
  };
}

}  // namespace kindred
