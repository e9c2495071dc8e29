#include "resources/campaign_deployments.h"

#include <cstdlib>

#include "recipes/recipe.h"
#include "resources/lifecycle.h"
#include "resources/model_store.h"
#include "resources/resource_context.h"

namespace kindred {
namespace {

// A number written as a string (Personalize's campaignConfig values), or nullopt.
std::optional<double> ParseNumber(const nlohmann::json& v) {
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) return std::nullopt;
  const std::string text = v.get<std::string>();
  char* end = nullptr;
  const double d = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size()) return std::nullopt;
  return d;
}

}  // namespace

Result<ExplorationConfig> ParseExplorationConfig(const nlohmann::json& campaign_config) {
  ExplorationConfig out;
  if (!campaign_config.is_object()) return out;
  auto it = campaign_config.find("itemExplorationConfig");
  if (it == campaign_config.end()) return out;
  if (!it->is_object()) {
    return Status::InvalidInput("campaignConfig.itemExplorationConfig must be a map");
  }
  for (const auto& [key, value] : it->items()) {
    std::optional<double> d = ParseNumber(value);
    if (key == "explorationWeight") {
      if (!d || !(*d >= 0 && *d <= 1)) {
        return Status::InvalidInput(
            "campaignConfig.itemExplorationConfig.explorationWeight must be a number from 0 to "
            "1, got " +
            value.dump());
      }
      out.weight = *d;
    } else if (key == "explorationItemAgeCutOff") {
      if (!d || !(*d > 0)) {
        return Status::InvalidInput(
            "campaignConfig.itemExplorationConfig.explorationItemAgeCutOff must be a number of "
            "days greater than 0, got " +
            value.dump());
      }
      out.age_cutoff_days = *d;
    } else {
      return Status::InvalidInput("campaignConfig.itemExplorationConfig has an unknown key " + key +
                                  "; known: explorationWeight, explorationItemAgeCutOff");
    }
  }
  return out;
}

Status CampaignDeployments::Deploy(const std::string& campaign_arn, const std::string& version_arn,
                                   const nlohmann::json& config) {
  Result<Resource> version = ctx_.registry.GetOfType(version_arn, resource_type::kSolutionVersion);
  if (!version.ok()) return version.status();
  Result<Resource> solution = ctx_.registry.Get(version->parent_arn);
  if (!solution.ok()) return solution.status();
  Result<ExplorationConfig> exploration = ParseExplorationConfig(config);
  if (!exploration.ok()) return exploration.status();
  Result<std::optional<StoredModel>> stored = ReadModel(ctx_.store, version_arn);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    return Status::InvalidInput("Solution version " + version_arn + " has no trained model");
  }
  const Recipe* recipe = FindRecipe((*stored)->recipe);
  if (recipe == nullptr) return Status::Corruption("unknown recipe " + (*stored)->recipe);
  Result<std::unique_ptr<Model>> model = recipe->Load((*stored)->bytes);
  if (!model.ok()) return model.status();
  auto d = std::make_shared<Deployment>();
  d->campaign_arn = campaign_arn;
  d->dataset_group_arn = solution->body.value("datasetGroupArn", "");
  d->solution_version_arn = version_arn;
  d->recommender = std::make_shared<Recommender>(std::shared_ptr<const Model>(std::move(*model)),
                                                 recipe->info(), *exploration);
  std::lock_guard<std::mutex> lock(mu_);
  deployed_[campaign_arn] = std::move(d);
  return Status::Ok();
}

Result<std::shared_ptr<const Deployment>> CampaignDeployments::Get(const std::string& arn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = deployed_.find(arn);
    if (it != deployed_.end()) return it->second;
  }
  Result<Resource> campaign = ctx_.registry.GetOfType(arn, resource_type::kCampaign);
  if (!campaign.ok()) return campaign.status();
  if (StatusOf(*campaign) != status::kActive) {
    return Status::NotFound("Campaign " + arn + " is not ACTIVE (it is " + StatusOf(*campaign) +
                            ")");
  }
  // (A campaign deleted between this check and Deploy is erased again by its deletion.)
  KINDRED_RETURN_IF_ERROR(Deploy(arn, campaign->body.value("solutionVersionArn", ""),
                                 campaign->body.value("campaignConfig", nlohmann::json::object())));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = deployed_.find(arn);
  if (it == deployed_.end()) return Status::NotFound("Campaign " + arn + " was deleted");
  return it->second;
}

void CampaignDeployments::Erase(const std::string& campaign_arn) {
  std::lock_guard<std::mutex> lock(mu_);
  deployed_.erase(campaign_arn);
}

}  // namespace kindred
