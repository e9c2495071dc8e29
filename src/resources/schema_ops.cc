#include "resources/schema_ops.h"

#include "data/dataset_schema.h"
#include "resources/pagination.h"
#include "resources/request_fields.h"

namespace kindred {
namespace {

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
  Status s = ctx.registry.Create(std::move(r));
  if (s.code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("A schema named " + *name + " already exists (" + arn + ")");
  }
  KINDRED_RETURN_IF_ERROR(s);
  return nlohmann::json{{"schemaArn", arn}};
}

Result<nlohmann::json> Describe(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> arn = RequiredString(in, "schemaArn");
  if (!arn.ok()) return arn.status();
  Result<Resource> r = ctx.registry.GetOfType(*arn, resource_type::kSchema);
  if (!r.ok()) return r.status();
  return nlohmann::json{{"schema", r->body}};
}

Result<nlohmann::json> List(ResourceContext& ctx, const nlohmann::json& in) {
  Result<PageRequest> page = ReadPageRequest(in, "ListSchemas");
  if (!page.ok()) return page.status();
  return MakePage(ctx.registry.List(resource_type::kSchema, {}, page->after_seq), *page,
                  "ListSchemas", "schemas", [](const Resource& r) {
                    return Pick(r.body, {"name", "schemaArn", "creationDateTime",
                                         "lastUpdatedDateTime", "domain"});
                  });
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
  table["DescribeSchema"] = [&ctx](const nlohmann::json& in) { return Describe(ctx, in); };
  table["ListSchemas"] = [&ctx](const nlohmann::json& in) { return List(ctx, in); };
  table["DeleteSchema"] = [&ctx](const nlohmann::json& in) { return Delete(ctx, in); };
}

}  // namespace kindred
