// Stored models: the serialised Model of each ACTIVE solution version, under the key prefix
// "m/" (layout in docs/storage-layout.md), cut into chunks of at most 4 MiB.
//
//   WriteBatch batch;
//   AddModelWrites(version_arn, "aws-sims", model->Serialize(), &batch);  // with the record
//   Result<std::optional<StoredModel>> m = ReadModel(store, version_arn);
//
// Thread-safety: free functions over a thread-safe KvStore. A model is written once, in the
// batch that makes its version ACTIVE, and deleted with the version; it is never rewritten.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "storage/kv_store.h"

namespace kindred {

inline constexpr size_t kModelChunkBytes = 4u << 20;

struct StoredModel {
  std::string recipe;  // the recipe name, e.g. "aws-sims", whose Load() reads `bytes`
  std::string bytes;   // Model::Serialize()
};

// Adds the puts that store `bytes` as the model of `version_arn` to `batch`.
void AddModelWrites(std::string_view version_arn, std::string_view recipe, std::string_view bytes,
                    WriteBatch* batch);

// Adds the deletion of `version_arn`'s model (if any) to `batch`.
void AddModelDeletion(std::string_view version_arn, WriteBatch* batch);

// The stored model of `version_arn`, nullopt when there is none; kCorruption when its chunks do
// not add up to what its header says.
Result<std::optional<StoredModel>> ReadModel(KvStore& store, std::string_view version_arn);

}  // namespace kindred
