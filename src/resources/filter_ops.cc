#include "resources/filter_ops.h"

#include <algorithm>
#include <optional>

#include "resources/dataset_ops.h"
#include "resources/lifecycle.h"
#include "resources/pagination.h"
#include "resources/request_fields.h"
#include "resources/resource_ops.h"
#include "resources/tag_ops.h"
#include "serving/filter.h"

namespace kindred {
namespace {

const ResourceKind kFilter{resource_type::kFilter, "filterArn", "filter", "Filter"};

// Checks the new filter against the group: the number of filters and of distinct fields they
// use, and the schemas of the group's Items and Users datasets. Call under structure_mu.
Status CheckAgainstGroup(ResourceContext& ctx, const std::string& group_arn, const Filter& filter) {
  std::vector<std::string> fields = filter.fields();
  size_t filters = 0;
  for (const Resource& other : ctx.registry.List(resource_type::kFilter, group_arn)) {
    if (StatusOf(other) == status::kDeletePending) continue;
    ++filters;
    Result<Filter> parsed = Filter::Parse(other.body.value("filterExpression", ""));
    if (!parsed.ok()) continue;  // stored expressions parsed when created
    for (const std::string& f : parsed->fields()) {
      if (std::find(fields.begin(), fields.end(), f) == fields.end()) fields.push_back(f);
    }
  }
  if (filters >= kMaxFiltersPerDatasetGroup) {
    return Status::LimitExceeded("Dataset group " + group_arn + " already has " +
                                 std::to_string(filters) +
                                 " filters, the most a group may have; "
                                 "delete one first");
  }
  if (fields.size() > kMaxFilterFieldsPerDatasetGroup) {
    return Status::LimitExceeded("The filters of dataset group " + group_arn + " would use " +
                                 std::to_string(fields.size()) +
                                 " distinct dataset fields with this one; at most " +
                                 std::to_string(kMaxFilterFieldsPerDatasetGroup) + " are allowed");
  }
  std::optional<DatasetSchema> items, users;
  for (const Resource& dataset : ctx.registry.List(resource_type::kDataset, group_arn)) {
    Result<DatasetLayout> layout = LayoutOfDataset(ctx, dataset);
    if (!layout.ok()) return layout.status();
    if (layout->type == DatasetType::kItems) items = std::move(layout->schema);
    if (layout->type == DatasetType::kUsers) users = std::move(layout->schema);
  }
  return filter.CheckSchemas(items ? &*items : nullptr, users ? &*users : nullptr);
}

Result<nlohmann::json> Create(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> name = RequiredString(in, "name");
  if (!name.ok()) return name.status();
  Result<std::string> group_arn = RequiredString(in, "datasetGroupArn");
  if (!group_arn.ok()) return group_arn.status();
  Result<std::string> expression = RequiredString(in, "filterExpression");
  if (!expression.ok()) return expression.status();
  Result<Filter> filter = Filter::Parse(*expression);
  if (!filter.ok()) return filter.status();
  Result<nlohmann::json> tags = TagsOfNewResource(in);
  if (!tags.ok()) return tags.status();

  std::lock_guard lock(ctx.structure_mu);
  Result<Resource> group = ctx.registry.GetOfType(*group_arn, resource_type::kDatasetGroup);
  if (!group.ok()) return group.status();
  KINDRED_RETURN_IF_ERROR(RequireActive(*group, "Dataset group"));
  Resource r;
  r.type = resource_type::kFilter;
  r.parent_arn = *group_arn;
  r.arn = ctx.arns.Make(resource_type::kFilter, *name);
  if (ctx.registry.Get(r.arn).ok()) {
    return Status::AlreadyExists("A filter named " + *name + " already exists (" + r.arn + ")");
  }
  KINDRED_RETURN_IF_ERROR(CheckAgainstGroup(ctx, *group_arn, *filter));
  r.tags = std::move(tags).value();
  double now = ctx.clock.NowSeconds();
  r.body = {{"name", *name},
            {"filterArn", r.arn},
            {"datasetGroupArn", *group_arn},
            {"filterExpression", *expression},
            {"status", status::kCreatePending},
            {"creationDateTime", now},
            {"lastUpdatedDateTime", now}};
  std::string arn = r.arn;
  KINDRED_RETURN_IF_ERROR(ExplainCreate(ctx.registry.Create(std::move(r)), "filter", *name, arn));
  ScheduleActivation(ctx, arn);
  return nlohmann::json{{"filterArn", arn}};
}

}  // namespace

Result<FilterRecord> FindActiveFilter(ResourceContext& ctx, const std::string& arn) {
  Result<Resource> r = ctx.registry.GetOfType(arn, resource_type::kFilter);
  if (!r.ok()) return r.status();
  std::string s = StatusOf(*r);
  if (s != status::kActive) {
    return Status::NotFound("Filter " + arn + " is not ACTIVE (its status is " + s + ")");
  }
  return FilterRecord{r->parent_arn, r->body.value("filterExpression", "")};
}

void RegisterFilterOps(ResourceContext& ctx, OperationTable& table) {
  table["CreateFilter"] = [&ctx](const nlohmann::json& in) { return Create(ctx, in); };
  table["DescribeFilter"] = [&ctx](const nlohmann::json& in) {
    return DescribeResource(ctx, kFilter, in);
  };
  table["ListFilters"] = [&ctx](const nlohmann::json& in) {
    return ListResources(ctx, kFilter, in, "ListFilters", "datasetGroupArn", "Filters",
                         {"name", "filterArn", "datasetGroupArn", "status", "creationDateTime",
                          "lastUpdatedDateTime", "failureReason"});
  };
  table["DeleteFilter"] = [&ctx](const nlohmann::json& in) {
    return DeleteResource(ctx, kFilter, in);
  };
}

}  // namespace kindred
