// Status strings of Personalize resources and the asynchronous transitions between them:
//   CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE | CREATE FAILED, and DELETE PENDING -> gone;
// solution versions may also be stopped: CREATE PENDING -> CREATE STOPPED, or
// CREATE IN_PROGRESS -> CREATE STOPPING -> CREATE STOPPED.
//
// Thread-safety: the functions only touch the thread-safe ResourceContext members.
#pragma once

#include <string>
#include <string_view>

#include "resources/resource_context.h"

namespace kindred {

namespace status {
inline constexpr std::string_view kCreatePending = "CREATE PENDING";
inline constexpr std::string_view kCreateInProgress = "CREATE IN_PROGRESS";
inline constexpr std::string_view kActive = "ACTIVE";
inline constexpr std::string_view kCreateFailed = "CREATE FAILED";
inline constexpr std::string_view kDeletePending = "DELETE PENDING";
inline constexpr std::string_view kCreateStopping = "CREATE STOPPING";
inline constexpr std::string_view kCreateStopped = "CREATE STOPPED";
}  // namespace status

// The resource's "status" member, or "" when it has none (schemas).
std::string StatusOf(const Resource& r);

// Sets "status" (and "lastUpdatedDateTime"); removes a stale failureReason unless failing.
void SetStatus(Resource& r, std::string_view new_status, const Clock& clock);

// kInUse naming the resource unless it is ACTIVE.
Status RequireActive(const Resource& r, std::string_view what);

// Queues CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE for a resource with no work to do.
void ScheduleActivation(ResourceContext& ctx, const std::string& arn);

// Deletes a resource with no children now: drops a dataset's data (and import jobs), a
// solution's versions and a version's stored model, and erases the record.
Status DeleteNow(ResourceContext& ctx, const Resource& r);

// Marks the resource DELETE PENDING and queues DeleteNow.
Status ScheduleDeletion(ResourceContext& ctx, const std::string& arn);

// At start-up: finishes transitions that a stopped server left half-way. Pending creations and
// deletions are queued again (a pending training too); an import or training that was running
// (or stopping) is marked CREATE FAILED (interrupted).
void RecoverAfterRestart(ResourceContext& ctx);

}  // namespace kindred
