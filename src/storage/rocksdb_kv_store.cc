#include "storage/rocksdb_kv_store.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/write_batch.h>

namespace kindred {
namespace {

Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Status::Ok();
  std::string msg = std::string(what) + ": " + s.ToString();
  if (s.IsCorruption()) return Status::Corruption(msg);
  return Status::IoError(msg);
}

rocksdb::Slice ToSlice(std::string_view v) { return {v.data(), v.size()}; }

// Smallest key greater than every key starting with `prefix`; empty when there is none.
std::string PrefixSuccessor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    unsigned char c = static_cast<unsigned char>(s.back());
    if (c != 0xff) {
      s.back() = static_cast<char>(c + 1);
      return s;
    }
    s.pop_back();
  }
  return s;
}

}  // namespace

struct RocksDbKvStore::Impl {
  std::unique_ptr<rocksdb::DB> db;
};

RocksDbKvStore::RocksDbKvStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RocksDbKvStore::~RocksDbKvStore() {
  if (impl_ && impl_->db) {
    (void)impl_->db->FlushWAL(/*sync=*/true);
    (void)impl_->db->Close();
  }
}

Result<std::unique_ptr<KvStore>> RocksDbKvStore::Open(const std::string& dir) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.IncreaseParallelism(2);
  // Concurrent writers (durable PutEvents requests) are grouped behind one WAL write and fsync
  // either way; inserting the group's batches into the memtable in parallel only adds hand-offs
  // between threads, which on a small machine cost more than the inserts: the group's leader
  // inserting them all took 13% less CPU per PutEvents request and served more of them
  // (docs/benchmarks/serving.md). enable_write_thread_adaptive_yield = false and
  // enable_pipelined_write = true were measured too and did not help.
  options.allow_concurrent_memtable_write = false;
  options.compression = rocksdb::kLZ4Compression;
  options.bottommost_compression = rocksdb::kZSTD;
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, dir, &raw);
  if (!s.ok() && s.IsInvalidArgument()) {
    // The build may lack a compression library; fall back to no compression rather than fail.
    options.compression = rocksdb::kNoCompression;
    options.bottommost_compression = rocksdb::kDisableCompressionOption;
    s = rocksdb::DB::Open(options, dir, &raw);
  }
  if (!s.ok()) return FromRocks(s, "opening store at " + dir);
  auto impl = std::make_unique<Impl>();
  impl->db.reset(raw);
  return std::unique_ptr<KvStore>(new RocksDbKvStore(std::move(impl)));
}

Result<std::optional<std::string>> RocksDbKvStore::Get(std::string_view key) {
  std::string value;
  rocksdb::Status s = impl_->db->Get(rocksdb::ReadOptions(), ToSlice(key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "get");
  return std::optional<std::string>(std::move(value));
}

Status RocksDbKvStore::Write(const WriteBatch& batch, bool durable) {
  rocksdb::WriteBatch wb;
  for (const auto& op : batch.ops()) {
    switch (op.kind) {
      case WriteBatch::Op::Kind::kPut:
        wb.Put(ToSlice(op.key), ToSlice(op.value));
        break;
      case WriteBatch::Op::Kind::kDelete:
        wb.Delete(ToSlice(op.key));
        break;
      case WriteBatch::Op::Kind::kDeletePrefix: {
        std::string end = PrefixSuccessor(op.key);
        if (end.empty()) {
          // The prefix is all 0xff bytes (or empty): delete key by key.
          std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions()));
          for (it->Seek(ToSlice(op.key)); it->Valid() && it->key().starts_with(ToSlice(op.key));
               it->Next()) {
            wb.Delete(it->key());
          }
          KINDRED_RETURN_IF_ERROR(FromRocks(it->status(), "scan for delete"));
        } else {
          wb.DeleteRange(ToSlice(op.key), ToSlice(end));
        }
        break;
      }
    }
  }
  rocksdb::WriteOptions wo;
  wo.sync = durable;
  return FromRocks(impl_->db->Write(wo, &wb), "write");
}

Status RocksDbKvStore::Scan(std::string_view prefix, const Visitor& visit,
                            std::string_view start_at) {
  rocksdb::ReadOptions ro;
  std::string upper = PrefixSuccessor(prefix);
  rocksdb::Slice upper_slice(upper);
  if (!upper.empty()) ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(ro));
  std::string_view seek = start_at > prefix ? start_at : prefix;
  for (it->Seek(ToSlice(seek)); it->Valid(); it->Next()) {
    rocksdb::Slice k = it->key();
    if (!k.starts_with(ToSlice(prefix))) break;
    rocksdb::Slice v = it->value();
    if (!visit(std::string_view(k.data(), k.size()), std::string_view(v.data(), v.size()))) break;
  }
  return FromRocks(it->status(), "scan");
}

Status RocksDbKvStore::Sync() { return FromRocks(impl_->db->FlushWAL(/*sync=*/true), "sync"); }

}  // namespace kindred
