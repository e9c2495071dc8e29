#include "storage/rocksdb_kv_store.h"

#include <filesystem>

#include "storage/kv_store_conformance.h"

namespace kindred {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<KvStore> OpenRocks(const std::string& id, bool reopen) {
  fs::path dir = fs::temp_directory_path() / ("kindred-kv-" + std::to_string(::getpid())) / id;
  if (!reopen) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  auto r = RocksDbKvStore::Open(dir.string());
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : nullptr;
}

INSTANTIATE_TEST_SUITE_P(RocksDb, KvStoreConformance,
                         ::testing::Values(KvStoreFactory{"rocksdb", &OpenRocks}));

TEST(RocksDbKvStoreTest, OpenFailsWithReadableErrorOnBadDirectory) {
  auto r = RocksDbKvStore::Open("/proc/definitely/not/writable");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_NE(r.status().message().find("/proc/definitely/not/writable"), std::string::npos);
}

}  // namespace
}  // namespace kindred
