// ControlPlaneFixture: the GoogleTest fixture the control-plane tests share — a fresh RocksDB
// store and s3 root in a temporary directory, a started ControlPlane on them, and helpers that
// call operations by name as the protocol layer would.
//
// Test-only. Thread-safety: used from the test thread.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "resources/control_plane.h"
#include "storage/rocksdb_kv_store.h"

namespace kindred {

class ControlPlaneFixture : public ::testing::Test {
 protected:
  using json = nlohmann::json;

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kindred-cp-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "s3" / "bucket");
    Start();
  }
  void TearDown() override {
    Stop();
    std::filesystem::remove_all(dir_);
  }
  void Start(ControlPlaneOptions o = {}) {
    auto s = RocksDbKvStore::Open((dir_ / "db").string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    o.data_location.s3_root = (dir_ / "s3").string();
    cp_ = std::make_unique<ControlPlane>(*store_, SystemClock::Get(), o);
    ASSERT_TRUE(cp_->Start().ok());
  }
  void Stop() {
    cp_.reset();
    store_.reset();
  }
  void Restart(ControlPlaneOptions o = {}) {
    Stop();
    Start(o);
  }

  Result<json> Call(const std::string& op, const json& in) {
    auto it = cp_->operations().find(op);
    if (it == cp_->operations().end()) return Status::Internal("no operation " + op);
    return it->second(in);
  }
  json Ok(const std::string& op, const json& in) {
    Result<json> r = Call(op, in);
    EXPECT_TRUE(r.ok()) << op << ": " << r.status().message();
    return r.ok() ? *r : json();
  }
  StatusCode Code(const std::string& op, const json& in) { return Call(op, in).status().code(); }

  // Writes `content` to <s3 root>/<rel>, i.e. the object s3://<rel>.
  void WriteFile(const std::string& rel, const std::string& content) {
    std::ofstream(dir_ / "s3" / rel) << content;
  }

  // An ACTIVE group `group` with an ACTIVE Interactions dataset of `schema`; returns the dataset
  // ARN.
  std::string MakeDataset(const std::string& group, const char* schema) {
    std::string schema_arn =
        Ok("CreateSchema", {{"name", group + "-schema"}, {"schema", schema}})["schemaArn"];
    std::string g = Ok("CreateDatasetGroup", {{"name", group}})["datasetGroupArn"];
    cp_->WaitIdle();
    std::string d = Ok("CreateDataset", {{"name", group + "-events"},
                                         {"schemaArn", schema_arn},
                                         {"datasetGroupArn", g},
                                         {"datasetType", "interactions"}})["datasetArn"];
    cp_->WaitIdle();
    return d;
  }

  std::filesystem::path dir_;
  std::unique_ptr<KvStore> store_;
  std::unique_ptr<ControlPlane> cp_;
};

}  // namespace kindred
