// Event tracker operations: CreateEventTracker, DescribeEventTracker, ListEventTrackers,
// DeleteEventTracker.
//
// An event tracker is a child of a dataset group — at most one per group, a second is
// ResourceAlreadyExistsException — with a `trackingId` (a UUID) that PutEvents names
// (event_ops.h). Lifecycle as the other resources: CREATE PENDING -> CREATE IN_PROGRESS ->
// ACTIVE, DELETE PENDING -> gone.
//
// Thread-safety: handlers may run concurrently.
#pragma once

#include <string>

#include "resources/operation_table.h"
#include "resources/resource_context.h"

namespace kindred {

void RegisterEventTrackerOps(ResourceContext& ctx, OperationTable& table);

// The ACTIVE event tracker with `tracking_id`; kNotFound when there is none.
Result<Resource> FindEventTracker(ResourceContext& ctx, const std::string& tracking_id);

}  // namespace kindred
