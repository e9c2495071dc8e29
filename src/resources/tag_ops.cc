#include "resources/tag_ops.h"

#include <set>

#include "resources/request_fields.h"

namespace kindred {
namespace {

constexpr size_t kMaxTagsPerResource = 50;

Result<nlohmann::json> ListTags(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> arn = RequiredString(in, "resourceArn");
  if (!arn.ok()) return arn.status();
  Result<Resource> r = ctx.registry.Get(*arn);
  if (!r.ok()) return r.status();
  return nlohmann::json{{"tags", r->tags}};
}

Result<nlohmann::json> Tag(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> arn = RequiredString(in, "resourceArn");
  if (!arn.ok()) return arn.status();
  nlohmann::json incoming = in.value("tags", nlohmann::json::array());
  KINDRED_RETURN_IF_ERROR(ctx.registry.Update(*arn, [&](Resource& r) {
    Result<nlohmann::json> merged = MergeTags(r.tags, incoming);
    if (!merged.ok()) return merged.status();
    r.tags = std::move(merged).value();
    return Status::Ok();
  }));
  return nlohmann::json::object();
}

Result<nlohmann::json> Untag(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> arn = RequiredString(in, "resourceArn");
  if (!arn.ok()) return arn.status();
  nlohmann::json keys = in.value("tagKeys", nlohmann::json::array());
  if (!keys.is_array()) return Status::InvalidInput("tagKeys must be a list of tag keys");
  if (keys.size() > kMaxTagsPerResource) {
    return Status(StatusCode::kTooManyTagKeys,
                  "At most " + std::to_string(kMaxTagsPerResource) +
                      " tag keys can be removed in one request, got " +
                      std::to_string(keys.size()));
  }
  std::set<std::string> drop;
  for (const auto& k : keys) {
    if (k.is_string()) drop.insert(k.get<std::string>());
  }
  KINDRED_RETURN_IF_ERROR(ctx.registry.Update(*arn, [&](Resource& r) {
    nlohmann::json kept = nlohmann::json::array();
    for (const auto& t : r.tags) {
      if (!drop.count(t.value("tagKey", ""))) kept.push_back(t);
    }
    r.tags = std::move(kept);
    return Status::Ok();
  }));
  return nlohmann::json::object();
}

}  // namespace

Result<nlohmann::json> MergeTags(const nlohmann::json& existing, const nlohmann::json& incoming) {
  if (!incoming.is_array()) return Status::InvalidInput("tags must be a list of tags");
  nlohmann::json merged = existing.is_array() ? existing : nlohmann::json::array();
  std::set<std::string> seen_in_request;
  for (const auto& tag : incoming) {
    if (!tag.is_object() || !tag.contains("tagKey") || !tag["tagKey"].is_string() ||
        !tag.contains("tagValue") || !tag["tagValue"].is_string()) {
      return Status::InvalidInput("Each tag needs a string tagKey and a string tagValue");
    }
    std::string key = tag["tagKey"].get<std::string>();
    if (key.rfind("aws:", 0) == 0) {
      return Status::InvalidInput("Tag key " + key + " is invalid: the aws: prefix is reserved");
    }
    if (!seen_in_request.insert(key).second) {
      return Status::InvalidInput("Tag key " + key + " appears more than once in the request");
    }
    bool replaced = false;
    for (auto& t : merged) {
      if (t.value("tagKey", "") == key) {
        t["tagValue"] = tag["tagValue"];
        replaced = true;
      }
    }
    if (!replaced) merged.push_back({{"tagKey", key}, {"tagValue", tag["tagValue"]}});
  }
  if (merged.size() > kMaxTagsPerResource) {
    return Status(StatusCode::kTooManyTags,
                  "A resource can have at most " + std::to_string(kMaxTagsPerResource) +
                      " tags; this request would give it " + std::to_string(merged.size()));
  }
  return merged;
}

Result<nlohmann::json> TagsOfNewResource(const nlohmann::json& input) {
  auto it = input.find("tags");
  if (it == input.end() || it->is_null()) return nlohmann::json::array();
  return MergeTags(nlohmann::json::array(), *it);
}

void RegisterTagOps(ResourceContext& ctx, OperationTable& table) {
  table["TagResource"] = [&ctx](const nlohmann::json& in) { return Tag(ctx, in); };
  table["UntagResource"] = [&ctx](const nlohmann::json& in) { return Untag(ctx, in); };
  table["ListTagsForResource"] = [&ctx](const nlohmann::json& in) { return ListTags(ctx, in); };
}

}  // namespace kindred
