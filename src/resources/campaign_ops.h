// Campaign operations: CreateCampaign, DescribeCampaign, ListCampaigns, UpdateCampaign,
// DeleteCampaign.
//
// A campaign deploys an ACTIVE solution version for the runtime API (runtime_ops.h); it is a
// child of the version's solution, which cannot be deleted while it has campaigns. Creation runs
// CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE, loading the model on the way (CREATE FAILED
// with the reason when it cannot be loaded). campaignConfig.itemExplorationConfig
// (explorationWeight, explorationItemAgeCutOff) is validated and, for
// aws-user-personalization, filled with Personalize's defaults (0.3, 30 days).
// UpdateCampaign records `latestCampaignUpdate` (CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE
// or CREATE FAILED); the campaign stays ACTIVE and keeps serving its current version until the
// new deployment is ready, then switches atomically. Only versions of the campaign's own solution
// may be deployed by an update.
//
// Thread-safety: handlers may run concurrently.
#pragma once

#include "resources/operation_table.h"
#include "resources/resource_context.h"

namespace kindred {

void RegisterCampaignOps(ResourceContext& ctx, OperationTable& table);

// At start-up: queues again the creations and updates of campaigns that a stopped server left
// half-way.
void RecoverCampaigns(ResourceContext& ctx);

}  // namespace kindred
