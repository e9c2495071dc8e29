// Solutions, solution versions (training), recipes and GetSolutionMetrics through the control
// plane's operation table, on a real RocksDB store.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "recipes/recipe.h"
#include "resources/control_plane.h"
#include "resources/control_plane_fixture.h"
#include "resources/model_store.h"
#include "storage/rocksdb_kv_store.h"

namespace kindred {
namespace {

using nlohmann::json;

const char* kSchema = R"({"type":"record","name":"Interactions",
  "namespace":"com.amazonaws.personalize.schema","version":"1.0","fields":[
  {"name":"USER_ID","type":"string"},{"name":"ITEM_ID","type":"string"},
  {"name":"TIMESTAMP","type":"long"},{"name":"EVENT_TYPE","type":"string"},
  {"name":"EVENT_VALUE","type":["null","float"]}]})";
const char* kSims = "arn:aws:personalize:::recipe/aws-sims";
const char* kPopularity = "arn:aws:personalize:::recipe/aws-popularity-count";

// `n` interactions of `users` users over 50 items; even rows "click" with value 1, odd rows
// "watch" with value 5.
std::string Csv(int n, int users) {
  std::string csv = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n";
  for (int i = 0; i < n; ++i) {
    int u = i % users;
    csv += "u" + std::to_string(u) + ",i" + std::to_string((u * 7 + i / users) % 50) + "," +
           std::to_string(1700000000 + i) + (i % 2 ? ",watch,5\n" : ",click,1\n");
  }
  return csv;
}

class SolutionTest : public ControlPlaneFixture {
 protected:
  // An ACTIVE group whose Interactions dataset holds Csv(n, users); returns the group ARN.
  std::string Group(int n, int users, const std::string& name = "shop") {
    std::string d = MakeDataset(name, kSchema);
    WriteFile("bucket/" + name + ".csv", Csv(n, users));
    Ok("CreateDatasetImportJob",
       {{"jobName", name + "-load"},
        {"datasetArn", d},
        {"dataSource", {{"dataLocation", "s3://bucket/" + name + ".csv"}}}});
    cp_->WaitIdle();
    return Ok("DescribeDataset", {{"datasetArn", d}})["dataset"]["datasetGroupArn"];
  }
  std::string Solution(const std::string& group, json extra = json::object(),
                       const std::string& name = "sol") {
    json in = {{"name", name}, {"datasetGroupArn", group}, {"recipeArn", kSims}};
    in.update(extra);
    std::string arn = Ok("CreateSolution", in)["solutionArn"];
    cp_->WaitIdle();
    return arn;
  }
  json Version(const std::string& arn) {
    return Ok("DescribeSolutionVersion", {{"solutionVersionArn", arn}})["solutionVersion"];
  }
  // Creates a version, waits for its training to end and returns its description.
  json Train(const std::string& solution, const std::string& mode = "FULL") {
    std::string arn = Ok("CreateSolutionVersion",
                         {{"solutionArn", solution}, {"trainingMode", mode}})["solutionVersionArn"];
    cp_->WaitIdle();
    return Version(arn);
  }
  void WaitForStatus(const std::string& version, const std::string& want) {
    for (int i = 0; i < 400 && Version(version)["status"] != want; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_EQ(Version(version)["status"], want);
  }
};

TEST_F(SolutionTest, CreateSolutionChecksItsInput) {
  std::string g = Group(10, 2);
  json base = {{"name", "s"}, {"datasetGroupArn", g}, {"recipeArn", kSims}};
  auto with = [&](json extra) {
    json in = base;
    in.update(extra);
    return Call("CreateSolution", in);
  };
  Result<json> unknown = with({{"recipeArn", "arn:aws:personalize:::recipe/aws-hrnn"}});
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(unknown.status().message().find("aws-hrnn"), std::string::npos);
  Result<json> threshold = with({{"solutionConfig", {{"eventValueThreshold", "2"}}}});
  EXPECT_EQ(threshold.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(threshold.status().message().find("eventType"), std::string::npos);
  EXPECT_EQ(with({{"eventType", "click"}, {"solutionConfig", {{"eventValueThreshold", "x"}}}})
                .status()
                .code(),
            StatusCode::kInvalidInput);
  Result<json> automl = with({{"performAutoML", true}});
  EXPECT_EQ(automl.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(automl.status().message().find("not supported"), std::string::npos);
  EXPECT_EQ(with({{"solutionConfig",
                   {{"algorithmHyperParameters", {{"min_cointeraction_count", "99"}}}}}})
                .status()
                .code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(
      with({{"solutionConfig", {{"algorithmHyperParameters", {{"nope", "1"}}}}}}).status().code(),
      StatusCode::kInvalidInput);
  EXPECT_EQ(with({{"datasetGroupArn", g + "x"}}).status().code(), StatusCode::kNotFound);

  std::string arn = Ok("CreateSolution", base)["solutionArn"];
  EXPECT_EQ(arn, "arn:aws:personalize:us-east-1:123456789012:solution/s");
  cp_->WaitIdle();
  json s = Ok("DescribeSolution", {{"solutionArn", arn}})["solution"];
  EXPECT_EQ(s["status"], "ACTIVE");
  EXPECT_EQ(s["recipeArn"], kSims);
  EXPECT_EQ(s["datasetGroupArn"], g);
  EXPECT_EQ(s["performHPO"], false);
  EXPECT_FALSE(s.contains("latestSolutionVersion"));
  EXPECT_EQ(Code("CreateSolution", base), StatusCode::kAlreadyExists);
  EXPECT_EQ(Ok("ListSolutions", {{"datasetGroupArn", g}})["solutions"].size(), 1u);
  EXPECT_EQ(Ok("ListSolutions", {{"datasetGroupArn", g + "x"}})["solutions"].size(), 0u);
  Ok("DeleteSolution", {{"solutionArn", arn}});
  cp_->WaitIdle();
  EXPECT_EQ(Code("DescribeSolution", {{"solutionArn", arn}}), StatusCode::kNotFound);
}

TEST_F(SolutionTest, TrainsFullThenUpdateAndStoresModelAndMetrics) {
  std::string solution = Solution(Group(1200, 40));
  EXPECT_EQ(Code("CreateSolutionVersion", {{"solutionArn", solution}, {"trainingMode", "UPDATE"}}),
            StatusCode::kInvalidInput);
  json full = Train(solution);
  ASSERT_EQ(full["status"], "ACTIVE") << full.dump();
  std::string arn = full["solutionVersionArn"];
  EXPECT_EQ(arn.rfind(solution + "/", 0), 0u);
  EXPECT_EQ(arn.size(), solution.size() + 9);
  EXPECT_EQ(full["trainingMode"], "FULL");
  EXPECT_TRUE(full["trainingHours"].is_number());
  EXPECT_EQ(full["recipeArn"], kSims);
  EXPECT_FALSE(full.contains("metrics"));
  json metrics = Ok("GetSolutionMetrics", {{"solutionVersionArn", arn}});
  EXPECT_EQ(metrics["solutionVersionArn"], arn);
  for (const char* key :
       {"coverage", "mean_reciprocal_rank_at_25", "normalized_discounted_cumulative_gain_at_5",
        "normalized_discounted_cumulative_gain_at_10",
        "normalized_discounted_cumulative_gain_at_25", "precision_at_5", "precision_at_10",
        "precision_at_25"}) {
    EXPECT_TRUE(metrics["metrics"][key].is_number()) << key << " in " << metrics.dump();
  }
  Result<std::optional<StoredModel>> stored = ReadModel(*store_, arn);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->recipe, "aws-sims");
  EXPECT_TRUE(FindRecipe("aws-sims")->Load((*stored)->bytes).ok());

  json update = Train(solution, "UPDATE");
  EXPECT_EQ(update["status"], "ACTIVE") << update.dump();
  EXPECT_EQ(update["trainingMode"], "UPDATE");
  json listed = Ok("ListSolutionVersions", {{"solutionArn", solution}})["solutionVersions"];
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[1]["solutionVersionArn"], update["solutionVersionArn"]);
  EXPECT_EQ(
      Ok("DescribeSolution",
         {{"solutionArn", solution}})["solution"]["latestSolutionVersion"]["solutionVersionArn"],
      update["solutionVersionArn"]);
}

TEST_F(SolutionTest, PerformHpoTunesWithinTheRangesAndReportsTheTunedParams) {
  std::string g = Group(1200, 40);
  auto ranges = [](int max_count) {
    return json{{"integerHyperParameterRanges",
                 {{{"name", "min_cointeraction_count"}, {"minValue", 1}, {"maxValue", max_count}}}},
                {"continuousHyperParameterRanges",
                 {{{"name", "popularity_discount_factor"}, {"minValue", 0.2}, {"maxValue", 0.4}}}}};
  };
  json hpo = {{"algorithmHyperParameterRanges", ranges(11)}};
  Result<json> outside = Call("CreateSolution", {{"name", "outside"},
                                                 {"datasetGroupArn", g},
                                                 {"recipeArn", kSims},
                                                 {"performHPO", true},
                                                 {"solutionConfig", {{"hpoConfig", hpo}}}});
  EXPECT_EQ(outside.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(outside.status().message().find("min_cointeraction_count"), std::string::npos);

  hpo = {{"algorithmHyperParameterRanges", ranges(2)},
         {"hpoResourceConfig", {{"maxNumberOfTrainingJobs", "3"}}},
         {"hpoObjective",
          {{"type", "Maximize"}, {"metricName", "normalized_discounted_cumulative_gain_at_10"}}}};
  json extra = {{"performHPO", true}, {"solutionConfig", {{"hpoConfig", hpo}}}};
  json v = Train(Solution(g, extra, "tuned"));
  ASSERT_EQ(v["status"], "ACTIVE") << v.dump();
  EXPECT_EQ(v["performHPO"], true);
  json tuned = v["tunedHPOParams"]["algorithmHyperParameters"];
  EXPECT_EQ(tuned.size(), FindRecipe("aws-sims")->info().hyperparameters.size()) << tuned.dump();
  for (const auto& [name, value] : tuned.items()) EXPECT_TRUE(value.is_string()) << name;
  const double count = std::stod(tuned["min_cointeraction_count"].get<std::string>());
  const double discount = std::stod(tuned["popularity_discount_factor"].get<std::string>());
  EXPECT_TRUE(count >= 1 && count <= 2) << count;
  EXPECT_TRUE(discount >= 0.2 && discount <= 0.4) << discount;
  EXPECT_EQ(tuned["max_item_interaction_count_percentile"], "0.9");  // not tunable: default
  // The search is seeded: the same solution tunes to the same parameters.
  EXPECT_EQ(Train(Solution(g, extra, "again"))["tunedHPOParams"], v["tunedHPOParams"]);
  EXPECT_FALSE(Train(Solution(g, json::object(), "plain")).contains("tunedHPOParams"));
}

TEST_F(SolutionTest, MinimumDataRulesFailTheVersionWithTheReason) {
  std::string few = Solution(Group(999, 40, "few"), json::object(), "few");
  json v = Train(few);
  EXPECT_EQ(v["status"], "CREATE FAILED");
  EXPECT_EQ(v["failureReason"],
            "Insufficient training data: there should be at least 1000 interactions (after "
            "filtering by eventType and eventValueThreshold, if provided); found 999.");
  EXPECT_EQ(Code("GetSolutionMetrics", {{"solutionVersionArn", v["solutionVersionArn"]}}),
            StatusCode::kInUse);
  std::string narrow = Solution(Group(1000, 24, "narrow"), json::object(), "narrow");
  EXPECT_EQ(Train(narrow)["failureReason"],
            "Insufficient training data: there should be at least 25 unique users with at least "
            "2 interactions each; found 24.");
}

TEST_F(SolutionTest, EventTypeAndThresholdRestrictTheTrainingData) {
  std::string g = Group(1200, 40);
  EXPECT_EQ(Train(Solution(g, json::object(), "all"))["status"], "ACTIVE");
  // Half the events are clicks: too few once filtered.
  json clicks = Train(Solution(g, {{"eventType", "click"}}, "clicks"));
  EXPECT_EQ(clicks["status"], "CREATE FAILED");
  EXPECT_NE(clicks["failureReason"].get<std::string>().find("found 600."), std::string::npos);
  EXPECT_EQ(clicks["eventType"], "click");
  json strong = Train(Solution(
      g, {{"eventType", "watch"}, {"solutionConfig", {{"eventValueThreshold", "5"}}}}, "strong"));
  EXPECT_NE(strong["failureReason"].get<std::string>().find("found 600."), std::string::npos);
  json none = Train(Solution(
      g, {{"eventType", "watch"}, {"solutionConfig", {{"eventValueThreshold", "5.5"}}}}, "none"));
  EXPECT_NE(none["failureReason"].get<std::string>().find("found 0."), std::string::npos);
}

TEST_F(SolutionTest, StopPendingAndRunningTrainings) {
  std::string solution = Solution(Group(1200, 40));
  ControlPlaneOptions slow;
  slow.lifecycle_delay = std::chrono::milliseconds(200);
  Restart(slow);
  std::string pending =
      Ok("CreateSolutionVersion", {{"solutionArn", solution}})["solutionVersionArn"];
  EXPECT_EQ(Version(pending)["status"], "CREATE PENDING");
  // One training per solution at a time; a training solution cannot be deleted.
  EXPECT_EQ(Code("CreateSolutionVersion", {{"solutionArn", solution}}), StatusCode::kInUse);
  EXPECT_EQ(Code("DeleteSolution", {{"solutionArn", solution}}), StatusCode::kInUse);
  EXPECT_EQ(Code("DeleteResourceTree", {{"resourceArn", solution}}), StatusCode::kInUse);
  Ok("StopSolutionVersionCreation", {{"solutionVersionArn", pending}});
  EXPECT_EQ(Version(pending)["status"], "CREATE STOPPED");
  EXPECT_EQ(Code("StopSolutionVersionCreation", {{"solutionVersionArn", pending}}),
            StatusCode::kInUse);

  std::string running =
      Ok("CreateSolutionVersion", {{"solutionArn", solution}})["solutionVersionArn"];
  WaitForStatus(running, "CREATE IN_PROGRESS");
  Ok("StopSolutionVersionCreation", {{"solutionVersionArn", running}});
  std::string s = Version(running)["status"];
  EXPECT_TRUE(s == "CREATE STOPPING" || s == "CREATE STOPPED") << s;
  cp_->WaitIdle();
  EXPECT_EQ(Version(running)["status"], "CREATE STOPPED");
  EXPECT_FALSE(ReadModel(*store_, running)->has_value());
  EXPECT_EQ(Code("StopSolutionVersionCreation", {{"solutionVersionArn", solution + "/00000000"}}),
            StatusCode::kNotFound);
}

TEST_F(SolutionTest, RestartFailsInterruptedTrainingsAndRequeuesPendingOnes) {
  std::string solution = Solution(Group(1200, 40));
  Stop();
  {
    auto s = RocksDbKvStore::Open((dir_ / "db").string());
    ASSERT_TRUE(s.ok());
    ResourceRegistry reg(**s);
    ASSERT_TRUE(reg.Load().ok());
    for (const char* st : {"CREATE IN_PROGRESS", "CREATE STOPPING", "CREATE PENDING"}) {
      Resource v;
      v.arn = solution + "/" + (st[7] == 'I' ? "0000000a" : st[7] == 'S' ? "0000000b" : "0000000c");
      v.type = "solution-version";
      v.parent_arn = solution;
      v.body = {{"solutionVersionArn", v.arn},
                {"solutionArn", solution},
                {"status", st},
                {"trainingMode", "FULL"}};
      ASSERT_TRUE(reg.Create(v).ok());
    }
  }
  Start();
  cp_->WaitIdle();
  for (const char* id : {"/0000000a", "/0000000b"}) {
    json v = Version(solution + id);
    EXPECT_EQ(v["status"], "CREATE FAILED");
    EXPECT_NE(v["failureReason"].get<std::string>().find("interrupted"), std::string::npos);
  }
  EXPECT_EQ(Version(solution + "/0000000c")["status"], "ACTIVE");
}

TEST_F(SolutionTest, DeleteResourceTreeRemovesSolutionsVersionsAndModels) {
  std::string group = Group(1200, 40);
  std::string solution = Solution(group);
  std::string version = Train(solution)["solutionVersionArn"];
  ASSERT_TRUE(ReadModel(*store_, version)->has_value());
  EXPECT_EQ(Code("DeleteDatasetGroup", {{"datasetGroupArn", group}}), StatusCode::kInUse);
  json done = Ok("DeleteResourceTree", {{"resourceArn", group}});
  std::vector<std::string> arns = done["deletedArns"];
  auto pos = [&](const std::string& a) {
    return std::find(arns.begin(), arns.end(), a) - arns.begin();
  };
  EXPECT_LT(pos(version), pos(solution));
  EXPECT_LT(pos(solution), pos(group));
  EXPECT_EQ(arns.back(), group);
  EXPECT_EQ(Code("DescribeSolutionVersion", {{"solutionVersionArn", version}}),
            StatusCode::kNotFound);
  EXPECT_FALSE(ReadModel(*store_, version)->has_value());
}

TEST_F(SolutionTest, DeleteSolutionDeletesItsVersionsAndModels) {
  std::string solution = Solution(Group(1200, 40));
  std::string version = Train(solution)["solutionVersionArn"];
  Ok("DeleteSolution", {{"solutionArn", solution}});
  cp_->WaitIdle();
  EXPECT_EQ(Code("DescribeSolutionVersion", {{"solutionVersionArn", version}}),
            StatusCode::kNotFound);
  EXPECT_FALSE(ReadModel(*store_, version)->has_value());
}

TEST_F(SolutionTest, RecipesAlgorithmsAndFeatureTransformationsAreDescribed) {
  json recipes = Ok("ListRecipes", json::object())["recipes"];
  ASSERT_EQ(recipes.size(), AllRecipes().size());
  json page = Ok("ListRecipes", {{"maxResults", 1}});
  ASSERT_EQ(page["recipes"].size(), 1u);
  json rest = Ok("ListRecipes", {{"nextToken", page["nextToken"]}})["recipes"];
  EXPECT_EQ(rest.size(), AllRecipes().size() - 1);
  EXPECT_EQ(Ok("ListRecipes", {{"domain", "ECOMMERCE"}})["recipes"].size(), 0u);

  json recipe = Ok("DescribeRecipe", {{"recipeArn", kSims}})["recipe"];
  EXPECT_EQ(recipe["name"], "aws-sims");
  EXPECT_EQ(recipe["recipeType"], "RELATED_ITEMS");
  EXPECT_EQ(recipe["status"], "ACTIVE");
  json algo = Ok("DescribeAlgorithm", {{"algorithmArn", recipe["algorithmArn"]}})["algorithm"];
  EXPECT_EQ(algo["defaultHyperParameters"]["min_cointeraction_count"], "3");
  json ints = algo["defaultHyperParameterRanges"]["integerHyperParameterRanges"];
  ASSERT_EQ(ints.size(), 1u);
  EXPECT_EQ(ints[0], json({{"name", "min_cointeraction_count"},
                           {"minValue", 0},
                           {"maxValue", 10},
                           {"isTunable", true}}));
  EXPECT_EQ(algo["trainingInputMode"], "File");
  json ft = Ok("DescribeFeatureTransformation",
               {{"featureTransformationArn", recipe["featureTransformationArn"]}});
  EXPECT_EQ(ft["featureTransformation"]["status"], "ACTIVE");
  EXPECT_EQ(Code("DescribeRecipe", {{"recipeArn", "arn:aws:personalize:::recipe/nope"}}),
            StatusCode::kNotFound);
  EXPECT_EQ(Ok("DescribeRecipe", {{"recipeArn", kPopularity}})["recipe"]["name"],
            "aws-popularity-count");
}

}  // namespace
}  // namespace kindred
