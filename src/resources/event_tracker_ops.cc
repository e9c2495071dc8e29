#include "resources/event_tracker_ops.h"

#include "common/random.h"
#include "resources/lifecycle.h"
#include "resources/pagination.h"
#include "resources/request_fields.h"
#include "resources/resource_ops.h"
#include "resources/tag_ops.h"

namespace kindred {
namespace {

const ResourceKind kEventTracker{resource_type::kEventTracker, "eventTrackerArn", "eventTracker",
                                 "Event tracker"};

Result<nlohmann::json> Create(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> name = RequiredString(in, "name");
  if (!name.ok()) return name.status();
  Result<std::string> group_arn = RequiredString(in, "datasetGroupArn");
  if (!group_arn.ok()) return group_arn.status();
  Result<nlohmann::json> tags = TagsOfNewResource(in);
  if (!tags.ok()) return tags.status();

  std::lock_guard lock(ctx.structure_mu);
  Result<Resource> group = ctx.registry.GetOfType(*group_arn, resource_type::kDatasetGroup);
  if (!group.ok()) return group.status();
  KINDRED_RETURN_IF_ERROR(RequireActive(*group, "Dataset group"));
  for (const Resource& c : ctx.registry.Children(*group_arn)) {
    if (c.type == resource_type::kEventTracker) {
      return Status::AlreadyExists("Dataset group " + *group_arn +
                                   " already has an event tracker (" + c.arn +
                                   "); a dataset group can have one");
    }
  }
  Resource r;
  r.type = resource_type::kEventTracker;
  r.parent_arn = *group_arn;
  r.arn = ctx.arns.Make(resource_type::kEventTracker, *name);
  r.tags = std::move(tags).value();
  const std::string tracking_id = NewUuid();
  const double now = ctx.clock.NowSeconds();
  r.body = {{"name", *name},
            {"eventTrackerArn", r.arn},
            {"accountId", ctx.arns.account_id()},
            {"trackingId", tracking_id},
            {"datasetGroupArn", *group_arn},
            {"status", status::kCreatePending},
            {"creationDateTime", now},
            {"lastUpdatedDateTime", now}};
  const std::string arn = r.arn;
  KINDRED_RETURN_IF_ERROR(
      ExplainCreate(ctx.registry.Create(std::move(r)), "event tracker", *name, arn));
  ScheduleActivation(ctx, arn);
  return nlohmann::json{{"eventTrackerArn", arn}, {"trackingId", tracking_id}};
}

}  // namespace

Result<Resource> FindEventTracker(ResourceContext& ctx, const std::string& tracking_id) {
  for (const Resource& r : ctx.registry.List(resource_type::kEventTracker)) {
    if (r.body.value("trackingId", "") == tracking_id && StatusOf(r) == status::kActive) return r;
  }
  return Status::NotFound("No ACTIVE event tracker has trackingId " + tracking_id);
}

void RegisterEventTrackerOps(ResourceContext& ctx, OperationTable& table) {
  table["CreateEventTracker"] = [&ctx](const nlohmann::json& in) { return Create(ctx, in); };
  table["DescribeEventTracker"] = [&ctx](const nlohmann::json& in) {
    return DescribeResource(ctx, kEventTracker, in);
  };
  table["ListEventTrackers"] = [&ctx](const nlohmann::json& in) {
    return ListResources(
        ctx, kEventTracker, in, "ListEventTrackers", "datasetGroupArn", "eventTrackers",
        {"name", "eventTrackerArn", "status", "creationDateTime", "lastUpdatedDateTime"});
  };
  table["DeleteEventTracker"] = [&ctx](const nlohmann::json& in) {
    return DeleteResource(ctx, kEventTracker, in);
  };
}

}  // namespace kindred
