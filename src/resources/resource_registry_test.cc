#include "resources/resource_registry.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "storage/rocksdb_kv_store.h"

namespace kindred {
namespace {

namespace fs = std::filesystem;

class ResourceRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("kindred-registry-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  void Reopen() {
    store_.reset();
    auto s = RocksDbKvStore::Open(dir_.string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
  }
  static Resource Make(std::string arn, std::string type, std::string parent = "") {
    Resource r;
    r.arn = std::move(arn);
    r.type = std::move(type);
    r.parent_arn = std::move(parent);
    r.body = {{"name", r.arn}};
    return r;
  }

  fs::path dir_;
  std::unique_ptr<KvStore> store_;
};

TEST_F(ResourceRegistryTest, CreateGetUpdateEraseAndDuplicates) {
  ResourceRegistry reg(*store_);
  ASSERT_TRUE(reg.Load().ok());
  ASSERT_TRUE(reg.Create(Make("a", "dataset-group")).ok());
  EXPECT_EQ(reg.Create(Make("a", "dataset-group")).code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(reg.Update("a", [](Resource& r) {
                   r.body["status"] = "ACTIVE";
                   return Status::Ok();
                 }).ok());
  EXPECT_EQ(reg.Get("a")->body["status"], "ACTIVE");
  EXPECT_EQ(reg.GetOfType("a", "schema").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(reg.Erase("a").ok());
  EXPECT_EQ(reg.Get("a").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(reg.Erase("a").code(), StatusCode::kNotFound);
}

TEST_F(ResourceRegistryTest, FailedMutationChangesNothing) {
  ResourceRegistry reg(*store_);
  ASSERT_TRUE(reg.Create(Make("a", "schema")).ok());
  Status s = reg.Update("a", [](Resource& r) {
    r.body["name"] = "changed";
    return Status::InUse("refused");
  });
  EXPECT_EQ(s.code(), StatusCode::kInUse);
  EXPECT_EQ(reg.Get("a")->body["name"], "a");
}

TEST_F(ResourceRegistryTest, RecordsSurviveReopenInCreationOrder) {
  {
    ResourceRegistry reg(*store_);
    ASSERT_TRUE(reg.Load().ok());
    ASSERT_TRUE(reg.Create(Make("g2", "dataset-group")).ok());
    ASSERT_TRUE(reg.Create(Make("g1", "dataset-group")).ok());
    ASSERT_TRUE(reg.Create(Make("d1", "dataset", "g1")).ok());
    ASSERT_TRUE(reg.Update("g1", [](Resource& r) {
                     r.tags = nlohmann::json::array({{{"tagKey", "k"}, {"tagValue", "v"}}});
                     return Status::Ok();
                   }).ok());
  }
  Reopen();
  ResourceRegistry reg(*store_);
  ASSERT_TRUE(reg.Load().ok());
  std::vector<Resource> groups = reg.List("dataset-group");
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].arn, "g2");
  EXPECT_EQ(groups[1].arn, "g1");
  EXPECT_EQ(groups[1].tags[0]["tagValue"], "v");
  ASSERT_EQ(reg.Children("g1").size(), 1u);
  EXPECT_EQ(reg.Children("g1")[0].arn, "d1");
  // New records continue the sequence after the loaded ones.
  ASSERT_TRUE(reg.Create(Make("g3", "dataset-group")).ok());
  EXPECT_GT(reg.Get("g3")->seq, reg.Get("d1")->seq);
  EXPECT_EQ(reg.List("dataset-group", std::nullopt, groups[0].seq).size(), 2u);
}

TEST_F(ResourceRegistryTest, CommitterWritesRecordAndItsOwnOpsTogether) {
  ResourceRegistry reg(*store_);
  ASSERT_TRUE(reg.Create(Make("job", "dataset-import-job")).ok());
  ASSERT_TRUE(reg.Update(
                     "job",
                     [](Resource& r) {
                       r.body["status"] = "ACTIVE";
                       return Status::Ok();
                     },
                     [&](WriteBatch& b) {
                       b.Put("d/other", "data");
                       return store_->Write(b, true);
                     })
                  .ok());
  EXPECT_EQ(store_->Get("d/other")->value(), "data");
  // A committer that fails leaves the in-memory record unchanged too.
  Status s = reg.Update(
      "job",
      [](Resource& r) {
        r.body["status"] = "CREATE FAILED";
        return Status::Ok();
      },
      [](WriteBatch&) { return Status::IoError("disk full"); });
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_EQ(reg.Get("job")->body["status"], "ACTIVE");
}

TEST_F(ResourceRegistryTest, CorruptRecordIsReportedNotIgnored) {
  ASSERT_TRUE(store_->Put("r/bad", "{not json").ok());
  ResourceRegistry reg(*store_);
  Status s = reg.Load();
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("r/bad"), std::string::npos);
}

}  // namespace
}  // namespace kindred
