#include "resources/dataset_ops.h"

#include <algorithm>

#include "resources/lifecycle.h"
#include "resources/pagination.h"
#include "resources/request_fields.h"
#include "resources/resource_ops.h"
#include "resources/tag_ops.h"

namespace kindred {
namespace {

const ResourceKind kDataset{resource_type::kDataset, "datasetArn", "dataset", "Dataset"};

std::string UpperCase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

Result<nlohmann::json> Create(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> name = RequiredString(in, "name");
  if (!name.ok()) return name.status();
  Result<std::string> schema_arn = RequiredString(in, "schemaArn");
  if (!schema_arn.ok()) return schema_arn.status();
  Result<std::string> group_arn = RequiredString(in, "datasetGroupArn");
  if (!group_arn.ok()) return group_arn.status();
  Result<std::string> type_name = RequiredString(in, "datasetType");
  if (!type_name.ok()) return type_name.status();
  std::optional<DatasetType> type = ParseDatasetType(*type_name);
  if (!type) {
    return Status::InvalidInput("datasetType " + *type_name +
                                " is not supported; use Interactions, Items or Users");
  }
  Result<nlohmann::json> tags = TagsOfNewResource(in);
  if (!tags.ok()) return tags.status();

  std::lock_guard lock(ctx.structure_mu);
  Result<Resource> group = ctx.registry.GetOfType(*group_arn, resource_type::kDatasetGroup);
  if (!group.ok()) return group.status();
  KINDRED_RETURN_IF_ERROR(RequireActive(*group, "Dataset group"));
  Result<Resource> schema = ctx.registry.GetOfType(*schema_arn, resource_type::kSchema);
  if (!schema.ok()) return schema.status();
  Result<DatasetSchema> parsed = ParseAvroSchema(schema->body.value("schema", ""));
  if (!parsed.ok()) return parsed.status();
  Status fits = CheckSchemaForDatasetType(*parsed, *type);
  if (!fits.ok()) {
    return Status::InvalidInput("Schema " + *schema_arn + " cannot be used for a " +
                                std::string(DatasetTypeName(*type)) +
                                " dataset: " + fits.message());
  }

  Resource r;
  r.type = resource_type::kDataset;
  r.parent_arn = *group_arn;
  r.arn = ctx.arns.Make(r.type,
                        group->body.value("name", "") + "/" + UpperCase(DatasetTypeName(*type)));
  r.tags = std::move(tags).value();
  double now = ctx.clock.NowSeconds();
  r.body = {{"name", *name},
            {"datasetArn", r.arn},
            {"datasetGroupArn", *group_arn},
            {"datasetType", DatasetTypeName(*type)},
            {"schemaArn", *schema_arn},
            {"status", status::kCreatePending},
            {"creationDateTime", now},
            {"lastUpdatedDateTime", now}};
  std::string arn = r.arn;
  Status s = ctx.registry.Create(std::move(r));
  if (s.code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("Dataset group " + *group_arn + " already has a " +
                                 std::string(DatasetTypeName(*type)) + " dataset (" + arn + ")");
  }
  KINDRED_RETURN_IF_ERROR(s);
  ScheduleActivation(ctx, arn);
  return nlohmann::json{{"datasetArn", arn}};
}

}  // namespace

Result<DatasetLayout> LayoutOfDataset(ResourceContext& ctx, const Resource& dataset) {
  std::optional<DatasetType> type = ParseDatasetType(dataset.body.value("datasetType", ""));
  if (!type) return Status::Corruption("dataset " + dataset.arn + " has no valid datasetType");
  Result<Resource> schema =
      ctx.registry.GetOfType(dataset.body.value("schemaArn", ""), resource_type::kSchema);
  if (!schema.ok()) return schema.status();
  Result<DatasetSchema> parsed = ParseAvroSchema(schema->body.value("schema", ""));
  if (!parsed.ok()) return parsed.status();
  return DatasetLayout{std::move(parsed).value(), *type};
}

bool HasImportInFlight(ResourceContext& ctx, const std::string& dataset_arn) {
  for (const Resource& job : ctx.registry.Children(dataset_arn)) {
    std::string s = StatusOf(job);
    if (s == status::kCreatePending || s == status::kCreateInProgress) return true;
  }
  return false;
}

void RegisterDatasetOps(ResourceContext& ctx, OperationTable& table) {
  table["CreateDataset"] = [&ctx](const nlohmann::json& in) { return Create(ctx, in); };
  table["DescribeDataset"] = [&ctx](const nlohmann::json& in) {
    return DescribeResource(ctx, kDataset, in, [&ctx](const Resource& r, nlohmann::json* body) {
      Result<DatasetLayout> layout = LayoutOfDataset(ctx, r);
      if (!layout.ok()) return layout.status();
      Result<int64_t> rows = ctx.datasets.CountRows(r.arn, layout->schema, layout->type);
      if (!rows.ok()) return rows.status();
      (*body)["rowCount"] = *rows;
      return Status::Ok();
    });
  };
  table["ListDatasets"] = [&ctx](const nlohmann::json& in) {
    return ListResources(
        ctx, kDataset, in, "ListDatasets", "datasetGroupArn", "datasets",
        {"name", "datasetArn", "datasetType", "status", "creationDateTime", "lastUpdatedDateTime"});
  };
  table["DeleteDataset"] = [&ctx](const nlohmann::json& in) {
    return DeleteResource(ctx, kDataset, in, [&ctx](const Resource& r) {
      if (!HasImportInFlight(ctx, r.arn)) return Status::Ok();
      return Status::InUse("Dataset " + r.arn +
                           " has an import job in progress; wait for it to finish");
    });
  };
}

}  // namespace kindred
