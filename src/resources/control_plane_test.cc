#include "resources/control_plane.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "resources/control_plane_fixture.h"
#include "resources/lifecycle.h"
#include "storage/rocksdb_kv_store.h"

namespace kindred {
namespace {

using nlohmann::json;

const char* kInteractionsSchema = R"({"type":"record","name":"Interactions",
  "namespace":"com.amazonaws.personalize.schema","version":"1.0","fields":[
  {"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},
  {"name":"TIMESTAMP","type":"long"}]})";

class ControlPlaneTest : public ControlPlaneFixture {
 protected:
  // A group with an ACTIVE Interactions dataset; returns the dataset ARN.
  std::string MakeDataset(const std::string& group = "shop") {
    return ControlPlaneFixture::MakeDataset(group, kInteractionsSchema);
  }
  json Import(const std::string& dataset, const std::string& name, const std::string& location,
              const std::string& mode = "FULL") {
    std::string arn = Ok("CreateDatasetImportJob",
                         {{"jobName", name},
                          {"datasetArn", dataset},
                          {"dataSource", {{"dataLocation", location}}},
                          {"roleArn", "arn:aws:iam::123456789012:role/r"},
                          {"importMode", mode}})["datasetImportJobArn"];
    cp_->WaitIdle();
    return Ok("DescribeDatasetImportJob", {{"datasetImportJobArn", arn}})["datasetImportJob"];
  }

};

TEST_F(ControlPlaneTest, SchemaLifecycleAndErrors) {
  json created = Ok("CreateSchema", {{"name", "s1"}, {"schema", kInteractionsSchema}});
  EXPECT_EQ(created["schemaArn"], "arn:aws:personalize:us-east-1:123456789012:schema/s1");
  EXPECT_EQ(Code("CreateSchema", {{"name", "s1"}, {"schema", kInteractionsSchema}}),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(Code("CreateSchema", {{"name", "s2"}, {"schema", "{nope"}}), StatusCode::kInvalidInput);
  json d = Ok("DescribeSchema", {{"schemaArn", created["schemaArn"]}})["schema"];
  EXPECT_EQ(d["name"], "s1");
  EXPECT_EQ(d["schema"], kInteractionsSchema);
  EXPECT_TRUE(d["creationDateTime"].is_number());
  EXPECT_EQ(Ok("ListSchemas", json::object())["schemas"].size(), 1u);
  Ok("DeleteSchema", {{"schemaArn", created["schemaArn"]}});
  EXPECT_EQ(Code("DescribeSchema", {{"schemaArn", created["schemaArn"]}}), StatusCode::kNotFound);
}

TEST_F(ControlPlaneTest, DatasetGroupBecomesActiveAndRefusesDeleteWhileItHasDatasets) {
  std::string dataset = MakeDataset();
  std::string group = "arn:aws:personalize:us-east-1:123456789012:dataset-group/shop";
  EXPECT_EQ(dataset, "arn:aws:personalize:us-east-1:123456789012:dataset/shop/INTERACTIONS");
  EXPECT_EQ(Ok("DescribeDatasetGroup", {{"datasetGroupArn", group}})["datasetGroup"]["status"],
            "ACTIVE");
  json ds = Ok("DescribeDataset", {{"datasetArn", dataset}})["dataset"];
  EXPECT_EQ(ds["status"], "ACTIVE");
  EXPECT_EQ(ds["datasetType"], "Interactions");
  EXPECT_EQ(ds["rowCount"], 0);
  EXPECT_EQ(Code("DeleteDatasetGroup", {{"datasetGroupArn", group}}), StatusCode::kInUse);
  EXPECT_EQ(Code("DeleteSchema", {{"schemaArn", ds["schemaArn"]}}), StatusCode::kInUse);
  // A second Interactions dataset in the same group is refused.
  EXPECT_EQ(Code("CreateDataset", {{"name", "again"},
                                   {"schemaArn", ds["schemaArn"]},
                                   {"datasetGroupArn", group},
                                   {"datasetType", "Interactions"}}),
            StatusCode::kAlreadyExists);
  // A schema that does not suit the type is refused with the reason.
  Result<json> wrong = Call("CreateDataset", {{"name", "items"},
                                              {"schemaArn", ds["schemaArn"]},
                                              {"datasetGroupArn", group},
                                              {"datasetType", "Items"}});
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(wrong.status().message().find("Items"), std::string::npos);
}

TEST_F(ControlPlaneTest, ImportJobImportsAndReports) {
  std::string dataset = MakeDataset();
  // Ten good rows and one without a USER_ID: under the 10% limit, so the job succeeds.
  std::string csv = "USER_ID,ITEM_ID,TIMESTAMP\n";
  for (int i = 0; i < 10; ++i) csv += "u" + std::to_string(i) + ",i1,100\n";
  WriteFile("bucket/a.csv", csv + ",i3,300\n");
  json job = Import(dataset, "load-1", "s3://bucket/a.csv");
  EXPECT_EQ(job["status"], "ACTIVE") << job.dump();
  EXPECT_EQ(job["importMode"], "FULL");
  EXPECT_EQ(job["importReport"]["rowsImported"], 10);
  EXPECT_EQ(job["importReport"]["rowsSkipped"], 1);
  EXPECT_EQ(job["importReport"]["problems"][0]["row"], 12);
  EXPECT_EQ(Ok("DescribeDataset", {{"datasetArn", dataset}})["dataset"]["rowCount"], 10);

  WriteFile("bucket/b.csv", "USER_ID,ITEM_ID,TIMESTAMP\nu3,i1,400\n");
  EXPECT_EQ(Import(dataset, "load-2", "s3://bucket/b.csv", "INCREMENTAL")["status"], "ACTIVE");
  EXPECT_EQ(Ok("DescribeDataset", {{"datasetArn", dataset}})["dataset"]["rowCount"], 11);
  // One bad row in two is far over the limit: the job fails and the dataset is unchanged.
  WriteFile("bucket/c.csv", "USER_ID,ITEM_ID,TIMESTAMP\nu9,i1,500\nu9,i1,later\n");
  json bad = Import(dataset, "load-3", "s3://bucket/c.csv", "INCREMENTAL");
  EXPECT_EQ(bad["status"], "CREATE FAILED");
  EXPECT_EQ(bad["importReport"]["rowsSkipped"], 1);
  EXPECT_EQ(Ok("DescribeDataset", {{"datasetArn", dataset}})["dataset"]["rowCount"], 11);
  json jobs = Ok("ListDatasetImportJobs", {{"datasetArn", dataset}})["datasetImportJobs"];
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0]["jobName"], "load-1");
}

TEST_F(ControlPlaneTest, FailedImportNamesThePathAndKeepsData) {
  std::string dataset = MakeDataset();
  WriteFile("bucket/a.csv", "USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,100\n");
  ASSERT_EQ(Import(dataset, "ok", "s3://bucket/a.csv")["status"], "ACTIVE");
  json missing = Import(dataset, "missing", "s3://bucket/nope.csv");
  EXPECT_EQ(missing["status"], "CREATE FAILED");
  EXPECT_NE(missing["failureReason"].get<std::string>().find("nope.csv"), std::string::npos);
  WriteFile("bucket/bad.csv", "USER_ID,TIMESTAMP\nu1,100\n");
  json bad = Import(dataset, "bad-columns", "s3://bucket/bad.csv");
  EXPECT_EQ(bad["status"], "CREATE FAILED");
  EXPECT_NE(bad["failureReason"].get<std::string>().find("ITEM_ID"), std::string::npos);
  EXPECT_EQ(Ok("DescribeDataset", {{"datasetArn", dataset}})["dataset"]["rowCount"], 1);
  EXPECT_EQ(Code("CreateDatasetImportJob", {{"jobName", "ok"},
                                            {"datasetArn", dataset},
                                            {"dataSource", {{"dataLocation", "s3://bucket/a.csv"}}},
                                            {"roleArn", "arn:aws:iam::123456789012:role/r"}}),
            StatusCode::kAlreadyExists);
}

TEST_F(ControlPlaneTest, DeleteResourceTreeDryRunThenDeleteChildrenFirst) {
  std::string dataset = MakeDataset();
  WriteFile("bucket/a.csv", "USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,100\n");
  std::string job = Import(dataset, "load", "s3://bucket/a.csv")["datasetImportJobArn"];
  std::string group = "arn:aws:personalize:us-east-1:123456789012:dataset-group/shop";
  json plan = Ok("DeleteResourceTree", {{"resourceArn", group}, {"dryRun", true}});
  EXPECT_EQ(plan["deletedArns"], json::array({job, dataset, group}));
  EXPECT_EQ(Ok("DescribeDataset", {{"datasetArn", dataset}})["dataset"]["rowCount"], 1);
  json done = Ok("DeleteResourceTree", {{"resourceArn", group}});
  EXPECT_EQ(done["deletedArns"], plan["deletedArns"]);
  EXPECT_EQ(Code("DescribeDatasetGroup", {{"datasetGroupArn", group}}), StatusCode::kNotFound);
  EXPECT_EQ(Code("DescribeDatasetImportJob", {{"datasetImportJobArn", job}}),
            StatusCode::kNotFound);
  EXPECT_EQ(Code("DeleteResourceTree", {{"resourceArn", group}}), StatusCode::kNotFound);
  // The same names can be used again, and the new dataset starts empty.
  std::string again = MakeDataset("shop2");
  EXPECT_EQ(Ok("DescribeDataset", {{"datasetArn", again}})["dataset"]["rowCount"], 0);
}

TEST_F(ControlPlaneTest, PaginationWalksEveryGroupOnceAndRejectsForeignTokens) {
  for (int i = 0; i < 5; ++i) Ok("CreateDatasetGroup", {{"name", "g" + std::to_string(i)}});
  std::vector<std::string> seen;
  json in = {{"maxResults", 2}};
  int pages = 0;
  for (;;) {
    json page = Ok("ListDatasetGroups", in);
    ++pages;
    for (const auto& g : page["datasetGroups"]) seen.push_back(g["name"]);
    if (!page.contains("nextToken")) break;
    in["nextToken"] = page["nextToken"];
    EXPECT_EQ(Code("ListSchemas", {{"nextToken", page["nextToken"]}}),
              StatusCode::kInvalidNextToken);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"g0", "g1", "g2", "g3", "g4"}));
  EXPECT_EQ(Code("ListDatasetGroups", {{"nextToken", "garbage"}}), StatusCode::kInvalidNextToken);
}

TEST_F(ControlPlaneTest, DatasetGroupQuotaIsEnforced) {
  Stop();
  ControlPlaneOptions o;
  o.max_dataset_groups = 2;
  Start(o);
  Ok("CreateDatasetGroup", {{"name", "a"}});
  Ok("CreateDatasetGroup", {{"name", "b"}});
  Result<json> third = Call("CreateDatasetGroup", {{"name", "c"}});
  EXPECT_EQ(third.status().code(), StatusCode::kLimitExceeded);
  EXPECT_NE(third.status().message().find("2 dataset groups"), std::string::npos);
}

TEST_F(ControlPlaneTest, ChildrenWaitForTheirParentToBeActive) {
  Stop();
  ControlPlaneOptions o;
  o.lifecycle_delay = std::chrono::milliseconds(300);
  Start(o);
  std::string schema =
      Ok("CreateSchema", {{"name", "s"}, {"schema", kInteractionsSchema}})["schemaArn"];
  std::string group = Ok("CreateDatasetGroup", {{"name", "slow"}})["datasetGroupArn"];
  EXPECT_EQ(Ok("DescribeDatasetGroup", {{"datasetGroupArn", group}})["datasetGroup"]["status"],
            "CREATE PENDING");
  json dataset = {{"name", "d"},
                  {"schemaArn", schema},
                  {"datasetGroupArn", group},
                  {"datasetType", "Interactions"}};
  Result<json> early = Call("CreateDataset", dataset);
  EXPECT_EQ(early.status().code(), StatusCode::kInUse);
  EXPECT_NE(early.status().message().find("CREATE PENDING"), std::string::npos);
  cp_->WaitIdle();
  EXPECT_EQ(Ok("DescribeDatasetGroup", {{"datasetGroupArn", group}})["datasetGroup"]["status"],
            "ACTIVE");
  std::string arn = Ok("CreateDataset", dataset)["datasetArn"];
  WriteFile("bucket/a.csv", "USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,100\n");
  EXPECT_EQ(Code("CreateDatasetImportJob",
                 {{"jobName", "early"},
                  {"datasetArn", arn},
                  {"dataSource", {{"dataLocation", "s3://bucket/a.csv"}}}}),
            StatusCode::kInUse);
}

TEST_F(ControlPlaneTest, TagsAreMergedLimitedAndRemoved) {
  std::string g = Ok("CreateDatasetGroup",
                     {{"name", "tagged"},
                      {"tags", {{{"tagKey", "team"}, {"tagValue", "a"}}}}})["datasetGroupArn"];
  Ok("TagResource", {{"resourceArn", g},
                     {"tags", {{{"tagKey", "team"}, {"tagValue", "b"}},
                               {{"tagKey", "env"}, {"tagValue", "prod"}}}}});
  json tags = Ok("ListTagsForResource", {{"resourceArn", g}})["tags"];
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags[0]["tagValue"], "b");
  Ok("UntagResource", {{"resourceArn", g}, {"tagKeys", {"team"}}});
  EXPECT_EQ(Ok("ListTagsForResource", {{"resourceArn", g}})["tags"].size(), 1u);
  json many = json::array();
  for (int i = 0; i < 50; ++i) many.push_back({{"tagKey", "k" + std::to_string(i)}, {"tagValue", ""}});
  EXPECT_EQ(Code("TagResource", {{"resourceArn", g}, {"tags", many}}), StatusCode::kTooManyTags);
  EXPECT_EQ(Code("TagResource", {{"resourceArn", g + "x"}, {"tags", json::array()}}),
            StatusCode::kNotFound);
  EXPECT_EQ(Code("TagResource",
                 {{"resourceArn", g}, {"tags", {{{"tagKey", "aws:x"}, {"tagValue", "v"}}}}}),
            StatusCode::kInvalidInput);
}

TEST_F(ControlPlaneTest, RestartKeepsResourcesAndFailsInterruptedImports) {
  std::string dataset = MakeDataset();
  WriteFile("bucket/a.csv", "USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,100\nu2,i1,100\n");
  std::string done = Import(dataset, "done", "s3://bucket/a.csv")["datasetImportJobArn"];
  Stop();
  {
    // Simulate a crash in the middle of an import: a job record left IN_PROGRESS.
    auto s = RocksDbKvStore::Open((dir_ / "db").string());
    ASSERT_TRUE(s.ok());
    ResourceRegistry reg(**s);
    ASSERT_TRUE(reg.Load().ok());
    Resource job;
    job.arn = "arn:aws:personalize:us-east-1:123456789012:dataset-import-job/crashed";
    job.type = "dataset-import-job";
    job.parent_arn = dataset;
    job.body = {{"jobName", "crashed"}, {"datasetImportJobArn", job.arn},
                {"datasetArn", dataset}, {"status", "CREATE IN_PROGRESS"},
                {"dataSource", {{"dataLocation", "s3://bucket/a.csv"}}}};
    ASSERT_TRUE(reg.Create(job).ok());
  }
  Start();
  cp_->WaitIdle();
  json crashed = Ok("DescribeDatasetImportJob",
                    {{"datasetImportJobArn",
                      "arn:aws:personalize:us-east-1:123456789012:dataset-import-job/crashed"}});
  EXPECT_EQ(crashed["datasetImportJob"]["status"], "CREATE FAILED");
  EXPECT_NE(crashed["datasetImportJob"]["failureReason"].get<std::string>().find("interrupted"),
            std::string::npos);
  EXPECT_EQ(Ok("DescribeDatasetImportJob", {{"datasetImportJobArn", done}})["datasetImportJob"]
                ["status"],
            "ACTIVE");
  EXPECT_EQ(Ok("DescribeDataset", {{"datasetArn", dataset}})["dataset"]["rowCount"], 2);
}

}  // namespace
}  // namespace kindred
