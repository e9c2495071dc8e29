// Building a dataset group's serving state (serving/group_state.h) from its stored datasets:
// every interaction as an event, every Items / Users row as metadata, and the impressions the
// Interactions dataset records in an IMPRESSION field. Used as the GroupStates loader.
//
// Thread-safety: may run on any thread, concurrently with writes to the datasets (see
// GroupStates for how live rows written meanwhile are accounted for).
#pragma once

#include <memory>
#include <string>
#include <unordered_set>

#include "resources/resource_context.h"
#include "serving/group_state.h"

namespace kindred {

// Adds to `seen` the live sequence number of every live row read.
Result<std::unique_ptr<GroupState>> LoadGroupState(ResourceContext& ctx,
                                                   const std::string& group_arn,
                                                   std::unordered_set<uint64_t>* seen);

// The items of an IMPRESSION value ("a|b|c").
std::vector<std::string> ImpressionItems(std::string_view value);

}  // namespace kindred
