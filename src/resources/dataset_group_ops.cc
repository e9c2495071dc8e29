#include "resources/dataset_group_ops.h"

#include "resources/lifecycle.h"
#include "resources/pagination.h"
#include "resources/request_fields.h"
#include "resources/resource_ops.h"
#include "resources/tag_ops.h"

namespace kindred {
namespace {

const ResourceKind kDatasetGroup{resource_type::kDatasetGroup, "datasetGroupArn", "datasetGroup",
                                 "Dataset group"};

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
  KINDRED_RETURN_IF_ERROR(
      ExplainCreate(ctx.registry.Create(std::move(r)), "dataset group", *name, arn));
  ScheduleActivation(ctx, arn);
  return out;
}

}  // namespace

void RegisterDatasetGroupOps(ResourceContext& ctx, OperationTable& table) {
  table["CreateDatasetGroup"] = [&ctx](const nlohmann::json& in) { return Create(ctx, in); };
  table["DescribeDatasetGroup"] = [&ctx](const nlohmann::json& in) {
    return DescribeResource(ctx, kDatasetGroup, in);
  };
  table["ListDatasetGroups"] = [&ctx](const nlohmann::json& in) {
    return ListResources(ctx, kDatasetGroup, in, "ListDatasetGroups", nullptr, "datasetGroups",
                         {"name", "datasetGroupArn", "status", "creationDateTime",
                          "lastUpdatedDateTime", "failureReason", "domain"});
  };
  table["DeleteDatasetGroup"] = [&ctx](const nlohmann::json& in) {
    return DeleteResource(ctx, kDatasetGroup, in, [&ctx](const Resource& r) {
      std::vector<Resource> children = ctx.registry.Children(r.arn);
      if (children.empty()) return Status::Ok();
      std::string names;
      for (const Resource& c : children) names += (names.empty() ? "" : ", ") + c.arn;
      return Status::InUse("Dataset group " + r.arn + " still contains " + names +
                           "; delete those first, or delete the whole tree with "
                           "DeleteResourceTree");
    });
  };
}

}  // namespace kindred
