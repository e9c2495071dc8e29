// The runtime API (personalize-runtime): GetRecommendations and GetPersonalizedRanking.
//
// A request names an ACTIVE campaign (unknown or not yet ACTIVE: ResourceNotFoundException) and
// is answered by the campaign's deployment (campaign_deployments.h) against its dataset group's
// live serving state, so events, items and users put a moment ago count. `numResults` defaults
// to 25 (at most 500); `filterArn` names an ACTIVE filter of the same dataset group, with
// `filterValues` for its placeholders. `context` is accepted; `promotions`, `metadataColumns`
// and recommenders are not supported and say so. Every response carries a recommendationId
// "RID-<uuid>" that later events can cite (event_ops.h).
//
// Thread-safety: handlers may run concurrently.
#pragma once

#include "resources/operation_table.h"
#include "resources/resource_context.h"

namespace kindred {

void RegisterRuntimeOps(ResourceContext& ctx, OperationTable& table);

}  // namespace kindred
