// The ACTIVE datasets of a dataset group, by type, with their schemas: what training, serving
// and the events API read and write.
//
// Thread-safety: pure functions over the thread-safe ResourceContext.
#pragma once

#include <optional>
#include <string>

#include "data/dataset_schema.h"
#include "resources/resource_context.h"

namespace kindred {

struct GroupDataset {
  std::string arn;
  DatasetSchema schema;
  DatasetType type;
};

struct GroupDatasets {
  std::optional<GroupDataset> interactions, items, users;
};

// The group's ACTIVE datasets; kNotFound when the group does not exist.
Result<GroupDatasets> ActiveDatasetsOf(ResourceContext& ctx, const std::string& group_arn);

}  // namespace kindred
