// List* pagination as Personalize does it: `maxResults` (1..100, default 100) and an opaque
// `nextToken` that resumes after the last resource returned. Tokens name the operation that
// issued them, so one from ListSchemas is refused by ListDatasets.
//
// Thread-safety: pure functions.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "resources/resource_registry.h"

namespace kindred {

struct PageRequest {
  int64_t after_seq = 0;
  size_t max_results = 100;
};

// Reads maxResults and nextToken from `input`. kInvalidNextToken for a token that this
// operation did not issue.
Result<PageRequest> ReadPageRequest(const nlohmann::json& input, std::string_view operation);

// Builds {"<list_member>": [summary(r)...], "nextToken"?: ...} from the resources after the page
// start (as returned by ResourceRegistry::List).
nlohmann::json MakePage(const std::vector<Resource>& resources, const PageRequest& page,
                        std::string_view operation, std::string_view list_member,
                        const std::function<nlohmann::json(const Resource&)>& summary);

// A copy of `body` with only the members named in `fields` (those present).
nlohmann::json Pick(const nlohmann::json& body, std::initializer_list<const char*> fields);

}  // namespace kindred
