#include "resources/hpo.h"

#include <gtest/gtest.h>

#include <set>

#include "recipes/offline_metrics.h"
#include "recipes/testing.h"

namespace kindred {
namespace {

using nlohmann::json;

const RecipeInfo& Sims() { return FindRecipe("aws-sims")->info(); }

Result<HpoPlan> Plan(const json& config, const HyperParameters& fixed = {}) {
  return ParseHpoPlan(config, Sims(), fixed);
}

// The message of the kInvalidInput that `config` gets; "" when it is accepted.
std::string Rejection(const json& config, const HyperParameters& fixed = {}) {
  Result<HpoPlan> plan = Plan(config, fixed);
  if (plan.ok()) return "";
  EXPECT_EQ(plan.status().code(), StatusCode::kInvalidInput);
  return plan.status().message();
}

json IntRange(const std::string& name, int lo, int hi) {
  return {
      {"algorithmHyperParameterRanges",
       {{"integerHyperParameterRanges", {{{"name", name}, {"minValue", lo}, {"maxValue", hi}}}}}}};
}

TEST(HpoPlanTest, DefaultsSearchEveryTunableParameterOverTheRecipesRanges) {
  Result<HpoPlan> plan = Plan(json());
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  std::vector<std::string> names;
  for (const HyperParameterSpec& s : plan->searched) names.push_back(s.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"popularity_discount_factor", "min_cointeraction_count"}));
  EXPECT_EQ(plan->training_jobs, kDefaultHpoTrainingJobs);
  EXPECT_TRUE(plan->maximize);
  EXPECT_EQ(plan->metric, "precision_at_25");
  // A parameter set in algorithmHyperParameters is not searched.
  EXPECT_EQ(Plan(json(), {{"min_cointeraction_count", "2"}})->searched.size(), 1u);
}

TEST(HpoPlanTest, RangesNarrowTheSearch) {
  json config = IntRange("min_cointeraction_count", 2, 4);
  config["algorithmHyperParameterRanges"]["continuousHyperParameterRanges"] = {
      {{"name", "popularity_discount_factor"}, {"minValue", 0.25}, {"maxValue", 0.75}}};
  config["hpoResourceConfig"] = {{"maxNumberOfTrainingJobs", "30"}};
  config["hpoObjective"] = {{"type", "Minimize"}, {"metricName", "coverage"}};
  Result<HpoPlan> plan = Plan(config);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->searched[0].min, 0.25);
  EXPECT_EQ(plan->searched[0].max, 0.75);
  EXPECT_EQ(plan->searched[1].min, 2);
  EXPECT_EQ(plan->searched[1].max, 4);
  EXPECT_EQ(plan->training_jobs, kMaxHpoTrainingJobs);  // 30 is run as the cap
  EXPECT_FALSE(plan->maximize);
  EXPECT_EQ(plan->metric, "coverage");
}

TEST(HpoPlanTest, RejectsRangesOutsideTheRecipesNamingTheParameter) {
  EXPECT_NE(Rejection(IntRange("min_cointeraction_count", 0, 11)).find("min_cointeraction_count"),
            std::string::npos);
  EXPECT_NE(Rejection(IntRange("min_cointeraction_count", 5, 4)), "");
  EXPECT_NE(Rejection(IntRange("nope", 0, 1)).find("nope"), std::string::npos);
  EXPECT_NE(Rejection(IntRange("popularity_discount_factor", 0, 1)).find("popularity_discount"),
            std::string::npos);  // a continuous parameter in the integer list
  json untunable = {
      {"algorithmHyperParameterRanges",
       {{"continuousHyperParameterRanges",
         {{{"name", "max_user_history_length_percentile"}, {"minValue", 0.5}, {"maxValue", 1}}}}}}};
  EXPECT_NE(Rejection(untunable).find("not tunable"), std::string::npos);
  EXPECT_NE(Rejection(IntRange("min_cointeraction_count", 1, 2), {{"min_cointeraction_count", "3"}})
                .find("algorithmHyperParameters"),
            std::string::npos);
  for (const char* jobs : {"0", "41", "x", ""}) {
    EXPECT_NE(Rejection({{"hpoResourceConfig", {{"maxNumberOfTrainingJobs", jobs}}}})
                  .find("maxNumberOfTrainingJobs"),
              std::string::npos)
        << jobs;
  }
  EXPECT_NE(Rejection({{"hpoObjective", {{"type", "Max"}}}}), "");
  EXPECT_NE(Rejection({{"hpoObjective", {{"metricName", "auc"}}}}).find("auc"), std::string::npos);
}

TEST(HpoCandidatesTest, AreDeterministicAndWithinTheRanges) {
  json config = IntRange("min_cointeraction_count", 2, 4);
  config["hpoResourceConfig"] = {{"maxNumberOfTrainingJobs", "20"}};
  Result<HpoPlan> plan = Plan(config, {{"max_item_interaction_count_percentile", "1"}});
  ASSERT_TRUE(plan.ok());
  std::vector<HyperParameters> a = HpoCandidates(*plan, Sims(), {}, 7);
  ASSERT_EQ(a.size(), 20u);
  EXPECT_EQ(a, HpoCandidates(*plan, Sims(), {}, 7));
  EXPECT_NE(a, HpoCandidates(*plan, Sims(), {}, 8));
  std::set<std::string> counts;
  for (const HyperParameters& c : a) {
    EXPECT_TRUE(ResolveHyperParameters(Sims(), c).ok());
    EXPECT_EQ(c.size(), Sims().hyperparameters.size());
    const double count = NumericParam(c, "min_cointeraction_count");
    EXPECT_TRUE(count >= 2 && count <= 4) << count;
    counts.insert(c.at("min_cointeraction_count"));
  }
  EXPECT_EQ(counts.size(), 3u);  // 20 draws visit all of 2, 3 and 4
  // Nothing to search: one candidate, the defaults.
  Result<HpoPlan> none = ParseHpoPlan(json(), FindRecipe("aws-popularity-count")->info(), {});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(HpoCandidates(*none, FindRecipe("aws-popularity-count")->info(), {}, 7).size(), 1u);
}

TEST(RunHpoTest, ReturnsTheBestCandidateDeterministically) {
  std::vector<std::vector<std::string>> histories;
  for (int u = 0; u < 60; ++u) {
    histories.push_back({"a" + std::to_string(u % 7), "b" + std::to_string(u % 5),
                         "c" + std::to_string(u % 3), "d" + std::to_string(u % 4)});
  }
  const TrainingData data = MakeHistories(histories);
  Result<HpoPlan> plan = Plan(IntRange("min_cointeraction_count", 1, 3));
  ASSERT_TRUE(plan.ok());
  Result<HpoOutcome> best = RunHpo(data, *FindRecipe("aws-sims"), *plan, {}, {}, 42);
  ASSERT_TRUE(best.ok()) << best.status().message();
  const double count = NumericParam(best->params, "min_cointeraction_count");
  EXPECT_TRUE(count >= 1 && count <= 3);
  for (const HyperParameters& c : HpoCandidates(*plan, Sims(), {}, 42)) {
    auto metrics = PersonalizeOfflineMetrics(data, *FindRecipe("aws-sims"), c, {}, 42);
    ASSERT_TRUE(metrics.ok());
    EXPECT_LE(metrics->at("precision_at_25"), best->metrics.at("precision_at_25"));
  }
  Result<HpoOutcome> again = RunHpo(data, *FindRecipe("aws-sims"), *plan, {}, {}, 42);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->params, best->params);
  EXPECT_EQ(again->metrics, best->metrics);
}

}  // namespace
}  // namespace kindred
