#include "resources/solution_ops.h"

#include <cstdlib>

#include "recipes/recipe.h"
#include "resources/hpo.h"
#include "resources/lifecycle.h"
#include "resources/pagination.h"
#include "resources/request_fields.h"
#include "resources/resource_ops.h"
#include "resources/tag_ops.h"
#include "resources/training_job.h"

namespace kindred {
namespace {

const ResourceKind kSolution{resource_type::kSolution, "solutionArn", "solution", "Solution"};

nlohmann::json VersionSummary(const Resource& v) {
  return Pick(v.body, {"solutionVersionArn", "status", "trainingMode", "creationDateTime",
                       "lastUpdatedDateTime", "failureReason"});
}

// Checks solutionConfig against the recipe; returns the config to store.
Result<nlohmann::json> CheckConfig(const nlohmann::json& in, const Recipe& recipe) {
  nlohmann::json config = in.value("solutionConfig", nlohmann::json::object());
  if (!config.is_object()) return Status::InvalidInput("solutionConfig must be an object");
  const std::string& recipe_name = recipe.info().name;
  if (auto it = config.find("eventValueThreshold"); it != config.end()) {
    if (!in.contains("eventType")) {
      return Status::InvalidInput(
          "solutionConfig.eventValueThreshold requires eventType: the threshold applies to the "
          "events of one type");
    }
    std::string text = it->is_string() ? it->get<std::string>() : "";
    char* end = nullptr;
    std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) {
      return Status::InvalidInput("solutionConfig.eventValueThreshold must be a number, got '" +
                                  text + "'");
    }
  }
  if (config.contains("autoMLConfig")) {
    return Status::InvalidInput(
        "solutionConfig.autoMLConfig is not supported: kindred does not "
        "implement AutoML; choose a recipeArn");
  }
  HyperParameters params;
  const nlohmann::json algorithm =
      config.value("algorithmHyperParameters", nlohmann::json::object());
  for (const auto& [k, v] : algorithm.items()) {
    params[k] = v.is_string() ? v.get<std::string>() : v.dump();
  }
  Result<HyperParameters> resolved = ResolveHyperParameters(recipe.info(), params);
  if (!resolved.ok()) {
    return Status::InvalidInput("solutionConfig.algorithmHyperParameters: " +
                                resolved.status().message());
  }
  if (BoolOr(in, "performHPO", false)) {
    Result<HpoPlan> plan =
        ParseHpoPlan(config.value("hpoConfig", nlohmann::json()), recipe.info(), params);
    if (!plan.ok()) return plan.status();
  }
  const nlohmann::json transformation =
      config.value("featureTransformationParameters", nlohmann::json::object());
  for (const auto& [k, v] : transformation.items()) {
    return Status::InvalidInput("solutionConfig.featureTransformationParameters: " + k +
                                " is not a parameter of the feature transformation of recipe " +
                                recipe_name + ", which has none");
  }
  return config;
}

Result<nlohmann::json> Create(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> name = RequiredString(in, "name");
  if (!name.ok()) return name.status();
  Result<std::string> group_arn = RequiredString(in, "datasetGroupArn");
  if (!group_arn.ok()) return group_arn.status();
  if (BoolOr(in, "performAutoML", false)) {
    return Status::InvalidInput("performAutoML is not supported by kindred; choose a recipeArn");
  }
  bool hpo = BoolOr(in, "performHPO", false);
  std::optional<std::string> recipe_arn = OptionalString(in, "recipeArn");
  if (!recipe_arn) return Status::InvalidInput("recipeArn is required (AutoML is not supported)");
  const Recipe* recipe = FindRecipe(*recipe_arn);
  if (!recipe) {
    std::string known;
    for (const Recipe* r : AllRecipes())
      known += (known.empty() ? "" : ", ") + RecipeArn(r->info());
    return Status::InvalidInput("Recipe " + *recipe_arn +
                                " is not implemented by kindred; use one of: " + known);
  }
  Result<nlohmann::json> config = CheckConfig(in, *recipe);
  if (!config.ok()) return config.status();
  Result<nlohmann::json> tags = TagsOfNewResource(in);
  if (!tags.ok()) return tags.status();

  std::lock_guard lock(ctx.structure_mu);
  Result<Resource> group = ctx.registry.GetOfType(*group_arn, resource_type::kDatasetGroup);
  if (!group.ok()) return group.status();
  KINDRED_RETURN_IF_ERROR(RequireActive(*group, "Dataset group"));
  Resource r;
  r.type = resource_type::kSolution;
  r.parent_arn = *group_arn;
  r.arn = ctx.arns.Make(resource_type::kSolution, *name);
  r.tags = std::move(tags).value();
  double now = ctx.clock.NowSeconds();
  r.body = {{"name", *name},
            {"solutionArn", r.arn},
            {"performHPO", hpo},
            {"performAutoML", false},
            {"recipeArn", RecipeArn(recipe->info())},
            {"datasetGroupArn", *group_arn},
            {"solutionConfig", *config},
            {"status", status::kCreatePending},
            {"creationDateTime", now},
            {"lastUpdatedDateTime", now}};
  if (auto event_type = OptionalString(in, "eventType")) r.body["eventType"] = *event_type;
  std::string arn = r.arn;
  KINDRED_RETURN_IF_ERROR(ExplainCreate(ctx.registry.Create(std::move(r)), "solution", *name, arn));
  ScheduleActivation(ctx, arn);
  return nlohmann::json{{"solutionArn", arn}};
}

}  // namespace

void RegisterSolutionOps(ResourceContext& ctx, OperationTable& table) {
  table["CreateSolution"] = [&ctx](const nlohmann::json& in) { return Create(ctx, in); };
  table["DescribeSolution"] = [&ctx](const nlohmann::json& in) {
    return DescribeResource(ctx, kSolution, in, [&ctx](const Resource& r, nlohmann::json* body) {
      std::vector<Resource> versions = ctx.registry.List(resource_type::kSolutionVersion, r.arn);
      if (!versions.empty()) (*body)["latestSolutionVersion"] = VersionSummary(versions.back());
      return Status::Ok();
    });
  };
  table["ListSolutions"] = [&ctx](const nlohmann::json& in) {
    return ListResources(
        ctx, kSolution, in, "ListSolutions", "datasetGroupArn", "solutions",
        {"name", "solutionArn", "status", "creationDateTime", "lastUpdatedDateTime", "recipeArn"});
  };
  table["DeleteSolution"] = [&ctx](const nlohmann::json& in) {
    return DeleteResource(ctx, kSolution, in, [&ctx](const Resource& r) {
      for (const Resource& v : ctx.registry.Children(r.arn)) {
        if (v.type == resource_type::kCampaign) {
          return Status::InUse("Solution " + r.arn + " has campaign " + v.arn +
                               "; delete its campaigns first");
        }
        if (IsTraining(StatusOf(v))) {
          return Status::InUse("Solution " + r.arn + " has a solution version in training (" +
                               v.arn + ", " + StatusOf(v) +
                               "); wait for it to finish or stop it with "
                               "StopSolutionVersionCreation");
        }
      }
      return Status::Ok();
    });
  };
}

}  // namespace kindred
