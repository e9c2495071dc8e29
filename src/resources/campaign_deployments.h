// CampaignDeployments: the Recommender each campaign serves with, built from the stored model of
// its solution version (model_store.h) and its campaignConfig.
//
// A campaign's deployment is built by Deploy when the campaign becomes ACTIVE or an update
// finishes, and swapped in atomically, so requests during an UpdateCampaign are answered by the
// old version until the new one is ready and by the new one after. After a restart, an ACTIVE
// campaign is deployed lazily by its first request.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "serving/recommender.h"

namespace kindred {

struct ResourceContext;

struct Deployment {
  std::string campaign_arn;
  std::string dataset_group_arn;
  std::string solution_version_arn;
  std::shared_ptr<const Recommender> recommender;
};

// campaignConfig.itemExplorationConfig as a Recommender takes it; kInvalidInput naming the bad
// member (explorationWeight in [0, 1], explorationItemAgeCutOff > 0, both numbers as strings).
Result<ExplorationConfig> ParseExplorationConfig(const nlohmann::json& campaign_config);

class CampaignDeployments {
 public:
  explicit CampaignDeployments(ResourceContext& ctx) : ctx_(ctx) {}

  // Builds the deployment of `campaign_arn` for solution version `version_arn` with `config`
  // (a campaignConfig object) and makes it the campaign's current one.
  Status Deploy(const std::string& campaign_arn, const std::string& version_arn,
                const nlohmann::json& config);

  // The campaign's current deployment, deploying an ACTIVE campaign on first use.
  // kNotFound when the campaign does not exist or is not ACTIVE.
  Result<std::shared_ptr<const Deployment>> Get(const std::string& campaign_arn);

  void Erase(const std::string& campaign_arn);

 private:
  ResourceContext& ctx_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const Deployment>> deployed_;  // GUARDED_BY(mu_)
};

}  // namespace kindred
