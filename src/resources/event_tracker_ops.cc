#include "resources/event_tracker_ops.h"

#include "common/random.h"
#include "resources/lifecycle.h"
#include "resources/pagination.h"
#include "resources/request_fields.h"
#include "resources/tag_ops.h"

namespace kindred {
namespace {

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
  Status s = ctx.registry.Create(std::move(r));
  if (s.code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("An event tracker named " + *name + " already exists (" + arn +
                                 ")");
  }
  KINDRED_RETURN_IF_ERROR(s);
  ScheduleActivation(ctx, arn);
  return nlohmann::json{{"eventTrackerArn", arn}, {"trackingId", tracking_id}};
}

Result<nlohmann::json> Describe(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> arn = RequiredString(in, "eventTrackerArn");
  if (!arn.ok()) return arn.status();
  Result<Resource> r = ctx.registry.GetOfType(*arn, resource_type::kEventTracker);
  if (!r.ok()) return r.status();
  return nlohmann::json{{"eventTracker", r->body}};
}

Result<nlohmann::json> List(ResourceContext& ctx, const nlohmann::json& in) {
  Result<PageRequest> page = ReadPageRequest(in, "ListEventTrackers");
  if (!page.ok()) return page.status();
  std::optional<std::string> group = OptionalString(in, "datasetGroupArn");
  return MakePage(ctx.registry.List(resource_type::kEventTracker, group, page->after_seq), *page,
                  "ListEventTrackers", "eventTrackers", [](const Resource& r) {
                    return Pick(r.body, {"name", "eventTrackerArn", "status", "creationDateTime",
                                         "lastUpdatedDateTime"});
                  });
}

Result<nlohmann::json> Delete(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> arn = RequiredString(in, "eventTrackerArn");
  if (!arn.ok()) return arn.status();
  std::lock_guard lock(ctx.structure_mu);
  Result<Resource> r = ctx.registry.GetOfType(*arn, resource_type::kEventTracker);
  if (!r.ok()) return r.status();
  if (StatusOf(*r) == status::kDeletePending) {
    return Status::InUse("Event tracker " + *arn + " is already being deleted");
  }
  KINDRED_RETURN_IF_ERROR(ScheduleDeletion(ctx, *arn));
  return nlohmann::json::object();
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
  table["DescribeEventTracker"] = [&ctx](const nlohmann::json& in) { return Describe(ctx, in); };
  table["ListEventTrackers"] = [&ctx](const nlohmann::json& in) { return List(ctx, in); };
  table["DeleteEventTracker"] = [&ctx](const nlohmann::json& in) { return Delete(ctx, in); };
}

}  // namespace kindred
