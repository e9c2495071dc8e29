// KvStore: the one storage interface of kindred. Every byte kindred keeps goes through it.
//
// An ordered map from byte-string keys to byte-string values with atomic multi-key batches and
// prefix scans. The embedded backend is RocksDB (rocksdb_kv_store.h); a later scale-out backend
// (Redis / PostgreSQL) implements the same contract and must pass the same conformance suite
// (kv_store_conformance.h). No backend type ever appears in this header.
//
// Durability contract: when Write() or Put()/Delete() return ok, the change survives a crash
// of the process (kill -9) and of the machine, as far as the backend's medium allows
// (RocksDB: WAL fsynced). Writes with `durable=false` may be lost on a crash but are never
// torn: a batch is applied entirely or not at all.
//
// Key layout of everything kindred stores is documented in docs/storage-layout.md.
//
// Thread-safety: every method may be called concurrently from any thread. A Scan sees a
// consistent snapshot taken when it starts.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kindred {

// A list of puts and deletes applied atomically by KvStore::Write, in insertion order.
class WriteBatch {
 public:
  struct Op {
    enum class Kind { kPut, kDelete, kDeletePrefix } kind;
    std::string key;
    std::string value;  // only for kPut
  };

  void Put(std::string_view key, std::string_view value) {
    bytes_ += key.size() + value.size();
    ops_.push_back({Op::Kind::kPut, std::string(key), std::string(value)});
  }
  void Delete(std::string_view key) {
    bytes_ += key.size();
    ops_.push_back({Op::Kind::kDelete, std::string(key), {}});
  }
  // Deletes every key that starts with `prefix` (and that exists when the batch is applied).
  void DeletePrefix(std::string_view prefix) {
    bytes_ += prefix.size();
    ops_.push_back({Op::Kind::kDeletePrefix, std::string(prefix), {}});
  }

  // Appends every op of `other`, after this batch's own.
  void Append(const WriteBatch& other) {
    ops_.insert(ops_.end(), other.ops_.begin(), other.ops_.end());
    bytes_ += other.bytes_;
  }

  const std::vector<Op>& ops() const { return ops_; }
  size_t ApproximateBytes() const { return bytes_; }
  bool empty() const { return ops_.empty(); }
  void Clear() {
    ops_.clear();
    bytes_ = 0;
  }

 private:
  std::vector<Op> ops_;
  size_t bytes_ = 0;
};

class KvStore {
 public:
  virtual ~KvStore() = default;

  // The value at `key`, std::nullopt when absent, or an error status when the backend failed.
  virtual Result<std::optional<std::string>> Get(std::string_view key) = 0;

  // Applies `batch` atomically. With durable=true it is on stable storage when this returns.
  virtual Status Write(const WriteBatch& batch, bool durable = true) = 0;

  Status Put(std::string_view key, std::string_view value, bool durable = true) {
    WriteBatch b;
    b.Put(key, value);
    return Write(b, durable);
  }
  Status Delete(std::string_view key, bool durable = true) {
    WriteBatch b;
    b.Delete(key);
    return Write(b, durable);
  }

  // Calls `visit(key, value)` for each key starting with `prefix`, in ascending byte order,
  // beginning at the first key >= `start_after_or_at` (empty: from the prefix start). The scan
  // stops early, returning ok, when `visit` returns false.
  using Visitor = std::function<bool(std::string_view key, std::string_view value)>;
  virtual Status Scan(std::string_view prefix, const Visitor& visit,
                      std::string_view start_at = {}) = 0;

  // Makes every write so far durable (used after a series of durable=false writes).
  virtual Status Sync() = 0;
};

}  // namespace kindred
