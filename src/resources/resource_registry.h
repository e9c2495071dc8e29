// ResourceRegistry: every control-plane resource (schemas, dataset groups, datasets, import
// jobs, ...) with its Personalize-shaped description, parent link and tags.
//
// All records live in memory for fast Describe/List and are written through to the KvStore
// (keys `r/<arn>`, docs/storage-layout.md) before a mutation is acknowledged, so a restart
// finds exactly what callers were told. Records are ordered by a creation sequence number,
// which is what List* pagination walks.
//
// Thread-safety: every method may be called from any thread; one mutex serialises mutations
// and guards the in-memory view. Callbacks passed to Update run under that mutex and must not
// call back into the registry.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "storage/kv_store.h"

namespace kindred {

struct Resource {
  std::string arn;
  std::string type;        // resource_type::k*
  std::string parent_arn;  // empty for top-level resources
  int64_t seq = 0;         // creation order, assigned by the registry
  nlohmann::json body;     // the Describe* object, e.g. {"name":..,"datasetGroupArn":..,"status":..}
  nlohmann::json tags = nlohmann::json::array();  // [{"tagKey":..,"tagValue":..}]
};

class ResourceRegistry {
 public:
  explicit ResourceRegistry(KvStore& store) : store_(store) {}

  // Reads every stored record. Call once, before any other method.
  Status Load();

  // Adds `resource` (its seq is assigned here). kAlreadyExists when its ARN is taken.
  Status Create(Resource resource);

  // A copy of the record, or kNotFound naming the ARN.
  Result<Resource> Get(const std::string& arn) const;

  // As Get, but kNotFound also when the record is of another type.
  Result<Resource> GetOfType(const std::string& arn, std::string_view type) const;

  // Applies `mutate` to a copy of the record; if it returns ok, the new record is persisted and
  // replaces the old one. `commit`, when given, receives the batch holding the record's write
  // and must apply it (it may add its own ops so both land atomically); by default the batch is
  // written durably to the store.
  using Mutator = std::function<Status(Resource&)>;
  using Committer = std::function<Status(WriteBatch&)>;
  Status Update(const std::string& arn, const Mutator& mutate, const Committer& commit = nullptr);

  // Removes the record (kNotFound if absent).
  Status Erase(const std::string& arn);

  // Records of `type`, optionally only those whose parent is `parent_arn`, in creation order,
  // starting after creation sequence `after_seq`.
  std::vector<Resource> List(std::string_view type, std::optional<std::string> parent_arn = {},
                             int64_t after_seq = 0) const;

  // Direct children of `arn`, in creation order.
  std::vector<Resource> Children(const std::string& arn) const;

  // Every record, in creation order (used by recovery at start-up).
  std::vector<Resource> All() const;

 private:
  Status Persist(const Resource& r, const Committer& commit);

  KvStore& store_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Resource> by_arn_;  // GUARDED_BY(mu_)
  std::map<int64_t, std::string> by_seq_;             // GUARDED_BY(mu_)
  int64_t next_seq_ = 1;                              // GUARDED_BY(mu_)
};

}  // namespace kindred
