#include "resources/schema_ops.h"

#include "data/dataset_schema.h"
#include "resources/pagination.h"
#include "resources/request_fields.h"
#include "resources/resource_ops.h"

namespace kindred {
namespace {

const ResourceKind kSchema{resource_type::kSchema, "schemaArn", "schema", "Schema"};

Result<nlohmann::json> Create(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> name = RequiredString(in, "name");
  if (!name.ok()) return name.status();
  Result<std::string> text = RequiredString(in, "schema");
  if (!text.ok()) return text.status();
  Result<DatasetSchema> parsed = ParseAvroSchema(*text);
  if (!parsed.ok()) return parsed.status();

  Resource r;
  r.type = resource_type::kSchema;
  r.arn = ctx.arns.Make(r.type, *name);
  double now = ctx.clock.NowSeconds();
  r.body = {{"name", *name},
            {"schemaArn", r.arn},
            {"schema", *text},
            {"creationDateTime", now},
            {"lastUpdatedDateTime", now}};
  if (auto domain = OptionalString(in, "domain")) r.body["domain"] = *domain;
  std::string arn = r.arn;
  KINDRED_RETURN_IF_ERROR(ExplainCreate(ctx.registry.Create(std::move(r)), "schema", *name, arn));
  return nlohmann::json{{"schemaArn", arn}};
}

Result<nlohmann::json> Delete(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> arn = RequiredString(in, "schemaArn");
  if (!arn.ok()) return arn.status();
  std::lock_guard lock(ctx.structure_mu);
  Result<Resource> r = ctx.registry.GetOfType(*arn, resource_type::kSchema);
  if (!r.ok()) return r.status();
  for (const Resource& d : ctx.registry.List(resource_type::kDataset)) {
    if (d.body.value("schemaArn", "") == *arn) {
      return Status::InUse("Schema " + *arn + " is used by dataset " + d.arn +
                           "; delete the dataset first");
    }
  }
  KINDRED_RETURN_IF_ERROR(ctx.registry.Erase(*arn));
  return nlohmann::json::object();
}

}  // namespace

void RegisterSchemaOps(ResourceContext& ctx, OperationTable& table) {
  table["CreateSchema"] = [&ctx](const nlohmann::json& in) { return Create(ctx, in); };
  table["DescribeSchema"] = [&ctx](const nlohmann::json& in) {
    return DescribeResource(ctx, kSchema, in);
  };
  table["ListSchemas"] = [&ctx](const nlohmann::json& in) {
    return ListResources(
        ctx, kSchema, in, "ListSchemas", nullptr, "schemas",
        {"name", "schemaArn", "creationDateTime", "lastUpdatedDateTime", "domain"});
  };
  table["DeleteSchema"] = [&ctx](const nlohmann::json& in) { return Delete(ctx, in); };
}

}  // namespace kindred
