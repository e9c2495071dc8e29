// The operation shapes that every resource family shares — Describe*, List*, Delete* and the
// "already exists" answer of Create* — so that each family's file keeps only what is its own
// (validation, the body it stores, extra checks).
//
//   const ResourceKind kCampaign{resource_type::kCampaign, "campaignArn", "campaign", "Campaign"};
//   table["DescribeCampaign"] = [&](const json& in) { return DescribeResource(ctx, kCampaign, in);
//   };
//
// Thread-safety: the functions only touch the thread-safe ResourceContext members; Delete
// holds ctx.structure_mu while it checks and schedules.
#pragma once

#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "resources/resource_context.h"

namespace kindred {

struct ResourceKind {
  std::string_view type;     // resource_type::k*
  const char* arn_member;    // the request member naming the resource, e.g. "campaignArn"
  const char* describe_key;  // the Describe* response member, e.g. "campaign"
  const char* noun;          // for messages, e.g. "Campaign"
};

// Describe*: {describe_key: body}; `decorate`, when given, may add to the body first.
using BodyDecorator = std::function<Status(const Resource& r, nlohmann::json* body)>;
Result<nlohmann::json> DescribeResource(ResourceContext& ctx, const ResourceKind& kind,
                                        const nlohmann::json& in,
                                        const BodyDecorator& decorate = nullptr);

// List*: the resources of the kind, in creation order, paginated; only those whose parent the
// request member `parent_member` names when it is given (null: no parent filter). Each is
// summarised by the `fields` of its body, under the response member `list_member`.
Result<nlohmann::json> ListResources(ResourceContext& ctx, const ResourceKind& kind,
                                     const nlohmann::json& in, const char* operation,
                                     const char* parent_member, const char* list_member,
                                     std::initializer_list<const char*> fields);

// Delete*: refuses (ResourceInUseException) a resource already DELETE PENDING or one that
// `check` refuses, else marks it DELETE PENDING and schedules its deletion.
using DeleteCheck = std::function<Status(const Resource& r)>;
Result<nlohmann::json> DeleteResource(ResourceContext& ctx, const ResourceKind& kind,
                                      const nlohmann::json& in, const DeleteCheck& check = nullptr);

// What Create* answers for registry.Create's `created`: kAlreadyExists becomes
// "A <what> named <name> already exists (<arn>)"; anything else is returned as is.
Status ExplainCreate(Status created, std::string_view what, const std::string& name,
                     const std::string& arn);

}  // namespace kindred
