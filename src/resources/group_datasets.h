// The ACTIVE datasets of a dataset group, by type, with their schemas: what training, serving
// and the events API read and write; and a cache of them for the events API.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "data/dataset_schema.h"
#include "resources/resource_context.h"

namespace kindred {

struct GroupDataset {
  std::string arn;
  DatasetSchema schema;
  DatasetType type;
  int64_t seq = 0;  // the dataset record's creation sequence (Resource::seq)
};

struct GroupDatasets {
  std::optional<GroupDataset> interactions, items, users;
};

// The group's ACTIVE datasets; kNotFound when the group does not exist.
// Thread-safety: a pure function over the thread-safe ResourceContext.
Result<GroupDatasets> ActiveDatasetsOf(ResourceContext& ctx, const std::string& group_arn);

// Each group's ACTIVE dataset of each type, parsed once, for the events API, which needs the
// dataset and its schema on every request (parsing the schema each time cost about a tenth of
// PutEvents). Get() answers what ActiveDatasetsOf() would: a remembered dataset is used only
// after reading its record again and finding the same record (same creation sequence: not
// deleted and created again) still ACTIVE; a dataset's schema cannot change, nor be deleted
// while the dataset exists, so its parsed schema is then current. Anything else (nothing
// remembered, a dataset deleted, recreated or no longer ACTIVE) reads the group as
// ActiveDatasetsOf() does, so the cache needs no notice of changes.
//
// Thread-safety: Get() may be called from any number of threads at once (one mutex, not held
// while reading the registry).
class GroupDatasetCache {
 public:
  // The group's ACTIVE dataset of `type`, or nullptr when it has none; kNotFound when the group
  // does not exist.
  Result<std::shared_ptr<const GroupDataset>> Get(ResourceContext& ctx,
                                                  const std::string& group_arn, DatasetType type);

 private:
  using Key = std::pair<std::string, DatasetType>;  // (group ARN, type)

  std::mutex mu_;
  std::map<Key, std::shared_ptr<const GroupDataset>> datasets_;  // GUARDED_BY(mu_)
};

}  // namespace kindred
