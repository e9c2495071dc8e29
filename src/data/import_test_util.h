// Test helpers shared by the import tests: a temporary directory, a RocksDB-backed
// DatasetStore in it, and the schemas the tests import into.
//
// Thread-safety: test fixtures; each test uses its own instance.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "data/dataset_schema.h"
#include "data/dataset_store.h"
#include "storage/rocksdb_kv_store.h"

namespace kindred {

// Lets GoogleTest print rows in failure messages.
inline void PrintTo(const Row& row, std::ostream* os) {
  *os << "{";
  for (size_t i = 0; i < row.values.size(); ++i) {
    *os << (i ? ", " : "");
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            *os << "null";
          } else if constexpr (std::is_same_v<T, std::string>) {
            *os << '"' << v << '"';
          } else {
            *os << v;
          }
        },
        row.values[i]);
  }
  *os << "}";
}

namespace testing {

inline SchemaField Field(std::string name, FieldType type, bool nullable = false,
                         bool categorical = false) {
  SchemaField f;
  f.name = std::move(name);
  f.type = type;
  f.nullable = nullable;
  f.categorical = categorical;
  return f;
}

// USER_ID, ITEM_ID, TIMESTAMP (long), EVENT_TYPE (string), EVENT_VALUE (nullable float).
inline DatasetSchema InteractionsSchema() {
  DatasetSchema s;
  s.record_name = "Interactions";
  s.fields = {Field("USER_ID", FieldType::kString), Field("ITEM_ID", FieldType::kString),
              Field("TIMESTAMP", FieldType::kLong), Field("EVENT_TYPE", FieldType::kString),
              Field("EVENT_VALUE", FieldType::kFloat, /*nullable=*/true)};
  return s;
}

// The AWS workshop's Items schema: ITEM_ID, GENRE (categorical), YEAR (int, not null).
inline DatasetSchema ItemsSchema() {
  DatasetSchema s;
  s.record_name = "Items";
  s.fields = {Field("ITEM_ID", FieldType::kString),
              Field("GENRE", FieldType::kString, /*nullable=*/false, /*categorical=*/true),
              Field("YEAR", FieldType::kInt)};
  return s;
}

// A temporary directory holding a RocksDB store and input files; removed at the end.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kindred-import-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    kv_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Closes and reopens the store, as a restarted process would.
  void Reopen() {
    store_.reset();
    kv_.reset();
    auto kv = RocksDbKvStore::Open((dir_ / "db").string());
    ASSERT_TRUE(kv.ok()) << kv.status().message();
    kv_ = std::move(kv).value();
    store_ = std::make_unique<DatasetStore>(*kv_);
  }

  // Writes `content` to a file called `name` and returns its path.
  std::string WriteFile(const std::string& name, const std::string& content) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  // Every key under "d/", to check what a store holds.
  std::vector<std::string> DataKeys() {
    std::vector<std::string> keys;
    EXPECT_TRUE(kv_->Scan("d/",
                          [&](std::string_view k, std::string_view) {
                            keys.emplace_back(k);
                            return true;
                          })
                    .ok());
    return keys;
  }

  // Every live row of a dataset.
  std::vector<Row> Rows(const std::string& key, const DatasetSchema& schema, DatasetType type) {
    std::vector<Row> rows;
    Status s = store_->ForEachRow(key, schema, type, [&](const Row& r) {
      rows.push_back(r);
      return true;
    });
    EXPECT_TRUE(s.ok()) << s.message();
    return rows;
  }

  std::filesystem::path dir_;
  std::unique_ptr<KvStore> kv_;
  std::unique_ptr<DatasetStore> store_;
};

}  // namespace testing
}  // namespace kindred
