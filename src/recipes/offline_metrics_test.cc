#include "recipes/offline_metrics.h"

#include <cmath>

#include <gtest/gtest.h>

#include "recipes/sims.h"
#include "recipes/testing.h"

namespace kindred {
namespace {

// Scores item "i<k>" with 1000 - k whatever the query, so the ideal ranking is i0, i1, ...
class FixedModel : public Model {
 public:
  explicit FixedModel(std::vector<std::string> ids) : ids_(std::move(ids)) {}
  const std::vector<std::string>& item_ids() const override { return ids_; }
  Status Score(const ModelQuery&, std::vector<float>* scores) const override {
    scores->clear();
    for (const std::string& id : ids_) scores->push_back(1000.0f - std::stoi(id.substr(1)));
    return Status::Ok();
  }
  std::string Serialize() const override { return {}; }

 private:
  std::vector<std::string> ids_;
};

class FixedRecipe : public Recipe {
 public:
  const RecipeInfo& info() const override {
    static const RecipeInfo kInfo = [] {
      RecipeInfo info;
      info.name = "test-fixed";
      info.recipe_type = "USER_PERSONALIZATION";
      return info;
    }();
    return kInfo;
  }
  Result<std::unique_ptr<Model>> Train(const TrainingData& data, const HyperParameters&,
                                       const TrainingControl&) const override {
    trained_events = data.interactions.size();
    std::unique_ptr<Model> model = std::make_unique<FixedModel>(data.items.names());
    return model;
  }
  Result<std::unique_ptr<Model>> Load(std::string_view) const override {
    return Status::Corruption("unused");
  }
  mutable size_t trained_events = 0;
};

std::vector<std::string> Range(int from, int to) {
  std::vector<std::string> items;
  for (int k = from; k < to; ++k) items.push_back("i" + std::to_string(k));
  return items;
}

TEST(NextItemTest, RanksTheLastEventAgainstUnseenItems) {
  const TrainingData data = MakeHistories({
      Range(0, 10),          // u0 (10 events): target i9 after i0..i8 -> rank 1 (i0..i8 excluded)
      {"i5", "i6", "i0"},    // target i0 -> rank 1
      {"i0", "i1", "i4"},    // target i4; i2, i3 ahead -> rank 3
      {"i1", "i2", "i9"},    // target i9; i0, i3..i8 ahead -> rank 8
      {"i7", "i8"},          // too short: trains, is not evaluated
  });
  FixedRecipe recipe;
  NextItemOptions options;
  options.cutoff = 5;
  Result<NextItemMetrics> m = EvaluateNextItem(data, recipe, {}, {}, options);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(recipe.trained_events, 8u + 1 + 1 + 1 + 2);
  EXPECT_EQ(m->users, 4);
  EXPECT_DOUBLE_EQ(m->hit_rate, 3.0 / 4);
  EXPECT_DOUBLE_EQ(m->ndcg, (1 + 1 + 0.5) / 4);
  // 10 items: fewer unseen items than 100 negatives, so every unseen item is a negative.
  EXPECT_DOUBLE_EQ(m->sampled_hit_rate, m->hit_rate);
  EXPECT_DOUBLE_EQ(m->sampled_ndcg, m->ndcg);
}

TEST(NextItemTest, ValidationTargetIsTheEventBeforeTheLast) {
  const TrainingData data = MakeHistories({{"i3", "i2", "i0"}, {"i0", "i5", "i1"}});
  FixedRecipe recipe;
  NextItemOptions options;
  options.target = NextItemOptions::Target::kValidation;
  options.cutoff = 1;
  Result<NextItemMetrics> m = EvaluateNextItem(data, recipe, {}, {}, options);
  ASSERT_TRUE(m.ok());
  // The catalogue is i0, i1, i2, i3, i5. u0: history {i3}, target i2: i0, i1 ahead -> rank 3,
  // a miss at 1. u1: history {i0}, target i5: i1, i2, i3 ahead -> rank 4, a miss.
  EXPECT_EQ(m->hit_rate, 0);
  options.cutoff = 5;
  m = EvaluateNextItem(data, recipe, {}, {}, options);
  ASSERT_TRUE(m.ok());
  EXPECT_DOUBLE_EQ(m->ndcg, (1 / std::log2(4.0) + 1 / std::log2(5.0)) / 2);
}

TEST(NextItemTest, SampledRankingUsesDistinctUnseenNegatives) {
  std::vector<std::vector<std::string>> histories = {{"i50", "i60", "i40"}};
  histories.push_back(Range(0, 200));  // makes a 200-item catalogue
  const TrainingData data = MakeHistories(histories);
  FixedRecipe recipe;
  NextItemOptions options;
  options.num_negatives = 197;  // u0 leaves exactly 197 unseen items: all of them are drawn
  Result<NextItemMetrics> m = EvaluateNextItem(data, recipe, {}, {}, options);
  ASSERT_TRUE(m.ok());
  // u0's target i40 ranks 41st (i0..i39 ahead), u1's target i199 first (i0..i198 are its
  // history).
  EXPECT_EQ(m->users, 2);
  EXPECT_DOUBLE_EQ(m->hit_rate, 0.5);
  EXPECT_DOUBLE_EQ(m->sampled_hit_rate, m->hit_rate);
  EXPECT_DOUBLE_EQ(m->sampled_ndcg, m->ndcg);
  options.num_negatives = 5;
  Result<NextItemMetrics> a = EvaluateNextItem(data, recipe, {}, {}, options);
  Result<NextItemMetrics> b = EvaluateNextItem(data, recipe, {}, {}, options);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->sampled_ndcg, b->sampled_ndcg);  // fixed seed
  EXPECT_GE(a->sampled_hit_rate, a->hit_rate);   // fewer competitors never hurt
}

TEST(NextItemTest, SimsRecommendsWhatFollowedTheLastItemForOthers) {
  // Users 0-19 train on "v<k>, t<k>" (k = group); users 20-39 see v<k> as their validation
  // event and must predict t<k>. Noise items are unique to one user.
  std::vector<std::vector<std::string>> histories;
  for (int u = 0; u < 40; ++u) {
    const std::string k = std::to_string(u % 4), n = std::to_string(u);
    if (u < 20) {
      histories.push_back({"v" + k, "t" + k, "w" + n, "z" + n});
    } else {
      histories.push_back({"x" + n, "y" + n, "v" + k, "t" + k});
    }
  }
  const TrainingData data = MakeHistories(histories);
  const HyperParameters params = {{"max_item_interaction_count_percentile", "1"}};
  Result<NextItemMetrics> m = EvaluateNextItem(data, SimsRecipe(), params, {}, {});
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->users, 40);
  // Users 20-39 rank t<k> first; users 0-19 cannot predict an unseen noise item.
  EXPECT_DOUBLE_EQ(m->hit_rate, 0.5);
  EXPECT_DOUBLE_EQ(m->ndcg, 0.5);
  EXPECT_GE(m->sampled_hit_rate, 0.5);
}

TEST(PersonalizeMetricsTest, ScoresTheHeldOutUsersNewestEvents) {
  // Only u0 has 2+ events, so it is the held-out user: history i10..i18, relevant i3.
  std::vector<std::vector<std::string>> histories = {Range(10, 19)};
  histories.back().push_back("i3");
  for (const std::string& item : Range(0, 30)) histories.push_back({item});
  const TrainingData data = MakeHistories(histories);
  FixedRecipe recipe;
  Result<std::map<std::string, double>> m = PersonalizeOfflineMetrics(data, recipe, {}, {});
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(recipe.trained_events, 30u);  // the held-out user is not trained on
  ASSERT_EQ(m->size(), 8u);
  const double ndcg = 1 / std::log2(5.0);  // i3 is 4th: i0, i1, i2, i3
  EXPECT_DOUBLE_EQ(m->at("mean_reciprocal_rank_at_25"), 0.25);
  EXPECT_DOUBLE_EQ(m->at("precision_at_5"), 0.2);
  EXPECT_DOUBLE_EQ(m->at("precision_at_10"), 0.1);
  EXPECT_DOUBLE_EQ(m->at("precision_at_25"), 0.04);
  EXPECT_DOUBLE_EQ(m->at("normalized_discounted_cumulative_gain_at_5"),
                   std::round(ndcg * 1e4) / 1e4);
  EXPECT_DOUBLE_EQ(m->at("normalized_discounted_cumulative_gain_at_25"), 0.4307);
  // 30 items minus the 9 history items: all 21 fit in the top 25.
  EXPECT_DOUBLE_EQ(m->at("coverage"), 0.7);
}

TEST(PersonalizeMetricsTest, NormalisesByTheIdealRankingOfSeveralRelevantItems) {
  // 20 events: 18 history items, the newest 2 (i0 and i2) relevant; ranking i0, i1, i2, ...
  std::vector<std::vector<std::string>> histories = {Range(30, 48)};
  histories.back().push_back("i2");
  histories.back().push_back("i0");
  for (const std::string& item : Range(0, 30)) histories.push_back({item});
  const TrainingData data = MakeHistories(histories);
  Result<std::map<std::string, double>> m = PersonalizeOfflineMetrics(data, FixedRecipe(), {}, {});
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_DOUBLE_EQ(m->at("mean_reciprocal_rank_at_25"), 1.0);
  EXPECT_DOUBLE_EQ(m->at("precision_at_5"), 0.4);
  EXPECT_DOUBLE_EQ(m->at("normalized_discounted_cumulative_gain_at_5"),
                   std::round((1 + 0.5) / (1 + 1 / std::log2(3.0)) * 1e4) / 1e4);
  EXPECT_DOUBLE_EQ(m->at("coverage"), std::round(25.0 / 48 * 1e4) / 1e4);
}

TEST(PersonalizeMetricsTest, NeedsAUserWithTwoEvents) {
  const TrainingData data = MakeHistories({{"a"}, {"b"}});
  EXPECT_EQ(PersonalizeOfflineMetrics(data, FixedRecipe(), {}, {}).status().code(),
            StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace kindred
