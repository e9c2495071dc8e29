#include "resources/resource_ops.h"

#include "resources/lifecycle.h"
#include "resources/pagination.h"
#include "resources/request_fields.h"

namespace kindred {

Result<nlohmann::json> DescribeResource(ResourceContext& ctx, const ResourceKind& kind,
                                        const nlohmann::json& in, const BodyDecorator& decorate) {
  Result<std::string> arn = RequiredString(in, kind.arn_member);
  if (!arn.ok()) return arn.status();
  Result<Resource> r = ctx.registry.GetOfType(*arn, kind.type);
  if (!r.ok()) return r.status();
  nlohmann::json body = r->body;
  if (decorate) KINDRED_RETURN_IF_ERROR(decorate(*r, &body));
  return nlohmann::json{{kind.describe_key, std::move(body)}};
}

Result<nlohmann::json> ListResources(ResourceContext& ctx, const ResourceKind& kind,
                                     const nlohmann::json& in, const char* operation,
                                     const char* parent_member, const char* list_member,
                                     std::initializer_list<const char*> fields) {
  Result<PageRequest> page = ReadPageRequest(in, operation);
  if (!page.ok()) return page.status();
  std::optional<std::string> parent;
  if (parent_member != nullptr) parent = OptionalString(in, parent_member);
  return MakePage(ctx.registry.List(kind.type, parent, page->after_seq), *page, operation,
                  list_member, [&](const Resource& r) { return Pick(r.body, fields); });
}

Result<nlohmann::json> DeleteResource(ResourceContext& ctx, const ResourceKind& kind,
                                      const nlohmann::json& in, const DeleteCheck& check) {
  Result<std::string> arn = RequiredString(in, kind.arn_member);
  if (!arn.ok()) return arn.status();
  std::lock_guard lock(ctx.structure_mu);
  Result<Resource> r = ctx.registry.GetOfType(*arn, kind.type);
  if (!r.ok()) return r.status();
  if (StatusOf(*r) == status::kDeletePending) {
    return Status::InUse(std::string(kind.noun) + " " + *arn + " is already being deleted");
  }
  if (check) KINDRED_RETURN_IF_ERROR(check(*r));
  KINDRED_RETURN_IF_ERROR(ScheduleDeletion(ctx, *arn));
  return nlohmann::json::object();
}

Status ExplainCreate(Status created, std::string_view what, const std::string& name,
                     const std::string& arn) {
  if (created.code() != StatusCode::kAlreadyExists) return created;
  return Status::AlreadyExists("A " + std::string(what) + " named " + name + " already exists (" +
                               arn + ")");
}

}  // namespace kindred
