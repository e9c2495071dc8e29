#include "resources/dataset_group_ops.h"

#include "resources/lifecycle.h"
#include "resources/pagination.h"
#include "resources/request_fields.h"
#include "resources/tag_ops.h"

namespace kindred {
namespace {

Result<nlohmann::json> Create(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> name = RequiredString(in, "name");
  if (!name.ok()) return name.status();
  Result<nlohmann::json> tags = TagsOfNewResource(in);
  if (!tags.ok()) return tags.status();
  Resource r;
  r.type = resource_type::kDatasetGroup;
  r.arn = ctx.arns.Make(r.type, *name);
  r.tags = std::move(tags).value();
  double now = ctx.clock.NowSeconds();
  r.body = {{"name", *name},
            {"datasetGroupArn", r.arn},
            {"status", status::kCreatePending},
            {"creationDateTime", now},
            {"lastUpdatedDateTime", now}};
  for (const char* optional : {"roleArn", "kmsKeyArn", "domain"}) {
    if (auto v = OptionalString(in, optional)) r.body[optional] = *v;
  }
  nlohmann::json out = {{"datasetGroupArn", r.arn}};
  if (r.body.contains("domain")) out["domain"] = r.body["domain"];
  std::string arn = r.arn;
  std::lock_guard lock(ctx.structure_mu);
  size_t existing = ctx.registry.List(resource_type::kDatasetGroup).size();
  if (existing >= ctx.options.max_dataset_groups) {
    return Status::LimitExceeded("This server allows at most " +
                                 std::to_string(ctx.options.max_dataset_groups) +
                                 " dataset groups (kindred serve --max-dataset-groups); delete "
                                 "one or raise the limit");
  }
  Status s = ctx.registry.Create(std::move(r));
  if (s.code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("A dataset group named " + *name + " already exists (" + arn +
                                 ")");
  }
  KINDRED_RETURN_IF_ERROR(s);
  ScheduleActivation(ctx, arn);
  return out;
}

Result<nlohmann::json> Describe(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> arn = RequiredString(in, "datasetGroupArn");
  if (!arn.ok()) return arn.status();
  Result<Resource> r = ctx.registry.GetOfType(*arn, resource_type::kDatasetGroup);
  if (!r.ok()) return r.status();
  return nlohmann::json{{"datasetGroup", r->body}};
}

Result<nlohmann::json> List(ResourceContext& ctx, const nlohmann::json& in) {
  Result<PageRequest> page = ReadPageRequest(in, "ListDatasetGroups");
  if (!page.ok()) return page.status();
  return MakePage(ctx.registry.List(resource_type::kDatasetGroup, {}, page->after_seq), *page,
                  "ListDatasetGroups", "datasetGroups", [](const Resource& r) {
                    return Pick(r.body, {"name", "datasetGroupArn", "status", "creationDateTime",
                                         "lastUpdatedDateTime", "failureReason", "domain"});
                  });
}

Result<nlohmann::json> Delete(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> arn = RequiredString(in, "datasetGroupArn");
  if (!arn.ok()) return arn.status();
  std::lock_guard lock(ctx.structure_mu);
  Result<Resource> r = ctx.registry.GetOfType(*arn, resource_type::kDatasetGroup);
  if (!r.ok()) return r.status();
  if (StatusOf(*r) == status::kDeletePending) {
    return Status::InUse("Dataset group " + *arn + " is already being deleted");
  }
  std::vector<Resource> children = ctx.registry.Children(*arn);
  if (!children.empty()) {
    std::string names;
    for (const Resource& c : children) names += (names.empty() ? "" : ", ") + c.arn;
    return Status::InUse("Dataset group " + *arn + " still contains " + names +
                         "; delete those first, or delete the whole tree with "
                         "DeleteResourceTree");
  }
  KINDRED_RETURN_IF_ERROR(ScheduleDeletion(ctx, *arn));
  return nlohmann::json::object();
}

}  // namespace

void RegisterDatasetGroupOps(ResourceContext& ctx, OperationTable& table) {
  table["CreateDatasetGroup"] = [&ctx](const nlohmann::json& in) { return Create(ctx, in); };
  table["DescribeDatasetGroup"] = [&ctx](const nlohmann::json& in) { return Describe(ctx, in); };
  table["ListDatasetGroups"] = [&ctx](const nlohmann::json& in) { return List(ctx, in); };
  table["DeleteDatasetGroup"] = [&ctx](const nlohmann::json& in) { return Delete(ctx, in); };
}

}  // namespace kindred
