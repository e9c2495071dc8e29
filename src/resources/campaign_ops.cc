#include "resources/campaign_ops.h"

#include <spdlog/spdlog.h>

#include "recipes/recipe.h"
#include "resources/campaign_deployments.h"
#include "resources/lifecycle.h"
#include "resources/pagination.h"
#include "resources/request_fields.h"
#include "resources/resource_ops.h"
#include "resources/tag_ops.h"

namespace kindred {
namespace {

constexpr const char* kDefaultExplorationWeight = "0.3";
constexpr const char* kDefaultExplorationAgeCutOff = "30";

// The active solution version `arn` and its solution; errors name the member.
Result<std::pair<Resource, Resource>> ActiveVersion(ResourceContext& ctx, const std::string& arn) {
  Result<Resource> version = ctx.registry.GetOfType(arn, resource_type::kSolutionVersion);
  if (!version.ok()) return version.status();
  if (StatusOf(*version) != status::kActive) {
    return Status::InvalidInput("solutionVersionArn " + arn + " is " + StatusOf(*version) +
                                "; only an ACTIVE solution version can be deployed");
  }
  Result<Resource> solution = ctx.registry.GetOfType(version->parent_arn, resource_type::kSolution);
  if (!solution.ok()) return solution.status();
  return std::make_pair(*version, *solution);
}

// campaignConfig checked, with exploration defaults for aws-user-personalization.
Result<nlohmann::json> CheckConfig(const nlohmann::json& config, const Resource& solution) {
  nlohmann::json out = config.is_object() ? config : nlohmann::json::object();
  KINDRED_RETURN_IF_ERROR(ParseExplorationConfig(out).status());
  const Recipe* recipe = FindRecipe(solution.body.value("recipeArn", ""));
  if (recipe != nullptr && recipe->info().name == "aws-user-personalization") {
    nlohmann::json& exploration = out["itemExplorationConfig"];
    if (!exploration.is_object()) exploration = nlohmann::json::object();
    if (!exploration.contains("explorationWeight")) {
      exploration["explorationWeight"] = kDefaultExplorationWeight;
    }
    if (!exploration.contains("explorationItemAgeCutOff")) {
      exploration["explorationItemAgeCutOff"] = kDefaultExplorationAgeCutOff;
    }
  }
  return out;
}

// Moves the campaign (or, with `update`, its latestCampaignUpdate) one step along
// CREATE PENDING -> CREATE IN_PROGRESS -> (deploy) -> ACTIVE | CREATE FAILED.
void DeployStep(ResourceContext& ctx, const std::string& arn, bool update) {
  Result<Resource> current = ctx.registry.Get(arn);
  if (!current.ok()) return;
  const nlohmann::json& target =
      update ? current->body.value("latestCampaignUpdate", nlohmann::json::object())
             : current->body;
  const std::string step = target.value("status", "");
  Status deployed = Status::Ok();
  if (step == status::kCreateInProgress) {
    deployed = ctx.deployments->Deploy(arn, target.value("solutionVersionArn", ""),
                                       target.value("campaignConfig", nlohmann::json::object()));
  } else if (step != status::kCreatePending) {
    return;  // deleted or finished meanwhile
  }
  bool again = false;
  Status s = ctx.registry.Update(arn, [&](Resource& r) {
    if (StatusOf(r) == status::kDeletePending) return Status::InUse("being deleted");
    const double now = ctx.clock.NowSeconds();
    nlohmann::json& t = update ? r.body["latestCampaignUpdate"] : r.body;
    if (t.value("status", "") != step) return Status::InUse("changed meanwhile");
    if (step == status::kCreatePending) {
      t["status"] = status::kCreateInProgress;
      again = true;
    } else if (deployed.ok()) {
      t["status"] = status::kActive;
      if (update) {
        for (const char* key : {"solutionVersionArn", "minProvisionedTPS", "campaignConfig"}) {
          if (t.contains(key)) r.body[key] = t[key];
        }
      }
    } else {
      t["status"] = status::kCreateFailed;
      t["failureReason"] = deployed.message();
    }
    t["lastUpdatedDateTime"] = now;
    r.body["lastUpdatedDateTime"] = now;
    return Status::Ok();
  });
  if (!s.ok() && s.code() != StatusCode::kInUse && s.code() != StatusCode::kNotFound) {
    spdlog::error("deploying campaign {}: {}", arn, s.message());
  }
  if (s.ok() && again) {
    ctx.lifecycle.Submit([&ctx, arn, update] { DeployStep(ctx, arn, update); },
                         ctx.options.lifecycle_delay);
  }
}

void ScheduleDeploy(ResourceContext& ctx, const std::string& arn, bool update) {
  ctx.lifecycle.Submit([&ctx, arn, update] { DeployStep(ctx, arn, update); },
                       ctx.options.lifecycle_delay);
}

Result<nlohmann::json> Create(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> name = RequiredString(in, "name");
  if (!name.ok()) return name.status();
  Result<std::string> version_arn = RequiredString(in, "solutionVersionArn");
  if (!version_arn.ok()) return version_arn.status();
  Result<nlohmann::json> tags = TagsOfNewResource(in);
  if (!tags.ok()) return tags.status();

  std::lock_guard lock(ctx.structure_mu);
  Result<std::pair<Resource, Resource>> vs = ActiveVersion(ctx, *version_arn);
  if (!vs.ok()) return vs.status();
  Result<nlohmann::json> config =
      CheckConfig(in.value("campaignConfig", nlohmann::json::object()), vs->second);
  if (!config.ok()) return config.status();
  Resource r;
  r.type = resource_type::kCampaign;
  r.parent_arn = vs->second.arn;
  r.arn = ctx.arns.Make(resource_type::kCampaign, *name);
  r.tags = std::move(tags).value();
  const double now = ctx.clock.NowSeconds();
  r.body = {{"name", *name},
            {"campaignArn", r.arn},
            {"solutionVersionArn", *version_arn},
            {"minProvisionedTPS", in.value("minProvisionedTPS", 1)},
            {"campaignConfig", *config},
            {"status", status::kCreatePending},
            {"creationDateTime", now},
            {"lastUpdatedDateTime", now}};
  const std::string arn = r.arn;
  KINDRED_RETURN_IF_ERROR(ExplainCreate(ctx.registry.Create(std::move(r)), "campaign", *name, arn));
  ScheduleDeploy(ctx, arn, /*update=*/false);
  return nlohmann::json{{"campaignArn", arn}};
}

const ResourceKind kCampaign{resource_type::kCampaign, "campaignArn", "campaign", "Campaign"};

Result<nlohmann::json> Update(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> arn = RequiredString(in, "campaignArn");
  if (!arn.ok()) return arn.status();
  std::lock_guard lock(ctx.structure_mu);
  Result<Resource> campaign = ctx.registry.GetOfType(*arn, resource_type::kCampaign);
  if (!campaign.ok()) return campaign.status();
  KINDRED_RETURN_IF_ERROR(RequireActive(*campaign, "Campaign"));
  const std::string pending =
      campaign->body.value("latestCampaignUpdate", nlohmann::json::object()).value("status", "");
  if (pending == status::kCreatePending || pending == status::kCreateInProgress) {
    return Status::InUse("Campaign " + *arn + " has an update in progress (" + pending + ")");
  }
  const std::string version_arn =
      StringOr(in, "solutionVersionArn", campaign->body.value("solutionVersionArn", ""));
  Result<std::pair<Resource, Resource>> vs = ActiveVersion(ctx, version_arn);
  if (!vs.ok()) return vs.status();
  if (vs->second.arn != campaign->parent_arn) {
    return Status::InvalidInput("solutionVersionArn " + version_arn +
                                " belongs to another solution; a campaign deploys versions of " +
                                campaign->parent_arn);
  }
  Result<nlohmann::json> config = CheckConfig(
      in.value("campaignConfig", campaign->body.value("campaignConfig", nlohmann::json::object())),
      vs->second);
  if (!config.ok()) return config.status();
  const double now = ctx.clock.NowSeconds();
  KINDRED_RETURN_IF_ERROR(ctx.registry.Update(*arn, [&](Resource& r) {
    r.body["latestCampaignUpdate"] = {
        {"solutionVersionArn", version_arn},
        {"minProvisionedTPS", in.value("minProvisionedTPS", r.body.value("minProvisionedTPS", 1))},
        {"campaignConfig", *config},
        {"status", status::kCreatePending},
        {"creationDateTime", now},
        {"lastUpdatedDateTime", now}};
    r.body["lastUpdatedDateTime"] = now;
    return Status::Ok();
  }));
  ScheduleDeploy(ctx, *arn, /*update=*/true);
  return nlohmann::json{{"campaignArn", *arn}};
}

}  // namespace

void RegisterCampaignOps(ResourceContext& ctx, OperationTable& table) {
  table["CreateCampaign"] = [&ctx](const nlohmann::json& in) { return Create(ctx, in); };
  table["DescribeCampaign"] = [&ctx](const nlohmann::json& in) {
    return DescribeResource(ctx, kCampaign, in);
  };
  table["ListCampaigns"] = [&ctx](const nlohmann::json& in) {
    return ListResources(ctx, kCampaign, in, "ListCampaigns", "solutionArn", "campaigns",
                         {"name", "campaignArn", "status", "creationDateTime",
                          "lastUpdatedDateTime", "failureReason"});
  };
  table["UpdateCampaign"] = [&ctx](const nlohmann::json& in) { return Update(ctx, in); };
  table["DeleteCampaign"] = [&ctx](const nlohmann::json& in) {
    // A campaign being deleted stops answering at once.
    return DeleteResource(ctx, kCampaign, in, [&ctx](const Resource& r) {
      ctx.deployments->Erase(r.arn);
      return Status::Ok();
    });
  };
}

void RecoverCampaigns(ResourceContext& ctx) {
  for (const Resource& r : ctx.registry.List(resource_type::kCampaign)) {
    const std::string s = StatusOf(r);
    if (s == status::kCreatePending || s == status::kCreateInProgress) {
      ScheduleDeploy(ctx, r.arn, /*update=*/false);
    }
    const std::string u =
        r.body.value("latestCampaignUpdate", nlohmann::json::object()).value("status", "");
    if (s == status::kActive && (u == status::kCreatePending || u == status::kCreateInProgress)) {
      ScheduleDeploy(ctx, r.arn, /*update=*/true);
    }
  }
}

}  // namespace kindred
