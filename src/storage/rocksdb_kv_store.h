// RocksDbKvStore: the embedded KvStore backend, one RocksDB database under a directory.
//
// Durable writes set WriteOptions::sync, so an acknowledged write is in the fsynced WAL.
// Opening recovers whatever the WAL holds; a torn tail from a crash is dropped by RocksDB's
// point-in-time recovery, never a half-applied batch.
//
// Thread-safety: as KvStore; RocksDB serialises writers internally.
#pragma once

#include <memory>
#include <string>

#include "storage/kv_store.h"

namespace kindred {

class RocksDbKvStore final : public KvStore {
 public:
  // Opens (creating if needed) the database in `dir`.
  static Result<std::unique_ptr<KvStore>> Open(const std::string& dir);
  ~RocksDbKvStore() override;

  Result<std::optional<std::string>> Get(std::string_view key) override;
  Status Write(const WriteBatch& batch, bool durable) override;
  Status Scan(std::string_view prefix, const Visitor& visit, std::string_view start_at) override;
  Status Sync() override;

 private:
  struct Impl;
  explicit RocksDbKvStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kindred
