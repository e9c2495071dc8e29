// Tagging operations (TagResource, UntagResource, ListTagsForResource) and the tag rules that
// Create* operations share: at most 50 tags per resource, keys unique, no "aws:" prefix.
//
// Thread-safety: handlers may run concurrently; the registry serialises updates.
#pragma once

#include "resources/operation_table.h"
#include "resources/resource_context.h"

namespace kindred {

// Merges `incoming` ([{"tagKey","tagValue"}], from a request) into `existing`, replacing the
// value of keys already present. kInvalidInput / kTooManyTags when the rules are broken.
Result<nlohmann::json> MergeTags(const nlohmann::json& existing, const nlohmann::json& incoming);

// The "tags" member of a Create* request checked as a new resource's tags (may be absent).
Result<nlohmann::json> TagsOfNewResource(const nlohmann::json& input);

void RegisterTagOps(ResourceContext& ctx, OperationTable& table);

}  // namespace kindred
