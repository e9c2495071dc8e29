#include "recipes/sims.h"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "recipes/testing.h"

namespace kindred {
namespace {

std::unique_ptr<Model> TrainSims(const TrainingData& data, const HyperParameters& params = {}) {
  Result<std::unique_ptr<Model>> model = SimsRecipe().Train(data, params, {});
  EXPECT_TRUE(model.ok()) << model.status().message();
  return model.ok() ? std::move(model).value() : nullptr;
}

std::vector<float> ScoresForItem(const Model& model, const TrainingData& data,
                                 const std::string& seed) {
  ModelQuery query;
  query.item = data.items.Find(seed);
  std::vector<float> scores;
  EXPECT_TRUE(model.Score(query, &scores).ok());
  return scores;
}


float ScoreOf(const TrainingData& data, const std::vector<float>& scores, const std::string& item) {
  return scores[data.items.Find(item)];
}

TEST(SimsTest, ReturnsThePlantedCoOccurringItemFirst) {
  std::vector<std::vector<std::string>> histories;
  for (int u = 0; u < 6; ++u) histories.push_back({"f" + std::to_string(u), "p", "q"});
  // Decoys: p co-occurs with g0 and with g1 for 3 users each, half as often as with q.
  for (int u = 0; u < 6; ++u) histories.push_back({"p", "g" + std::to_string(u % 2)});
  const TrainingData data = MakeHistories(histories);
  std::unique_ptr<Model> model = TrainSims(data, {{"min_cointeraction_count", "1"}});
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(Ranking(data, ScoresForItem(*model, data, "p")).front(), "q");
  EXPECT_EQ(Ranking(data, ScoresForItem(*model, data, "q")).front(), "p");
  EXPECT_TRUE(std::isinf(ScoreOf(data, ScoresForItem(*model, data, "p"), "p")));
}

TEST(SimsTest, MinCointeractionCountDropsRarePairs) {
  // a-b co-occur for 2 users, a-c for 3.
  const TrainingData data = MakeHistories(
      {{"a", "b"}, {"a", "b"}, {"a", "c"}, {"a", "c"}, {"a", "c"}, {"b"}, {"c"}});
  const HyperParameters all_items = {{"max_item_interaction_count_percentile", "1"}};
  HyperParameters min3 = all_items, min2 = all_items;
  min3["min_cointeraction_count"] = "3";
  min2["min_cointeraction_count"] = "2";
  std::vector<float> strict = ScoresForItem(*TrainSims(data, min3), data, "a");
  EXPECT_GT(ScoreOf(data, strict, "c"), 0);
  EXPECT_LT(ScoreOf(data, strict, "b"), 0);  // fallback: not a neighbour
  std::vector<float> loose = ScoresForItem(*TrainSims(data, min2), data, "a");
  EXPECT_GT(ScoreOf(data, loose, "b"), 0);
}

// Seed s co-occurs with x (very popular) for 4 users and with y (niche) for 3.
TrainingData PopularVersusNiche() {
  std::vector<std::vector<std::string>> histories;
  for (int u = 0; u < 4; ++u) histories.push_back({"s", "x"});
  for (int u = 0; u < 3; ++u) histories.push_back({"s", "y"});
  for (int u = 0; u < 16; ++u) histories.push_back({"x", "z" + std::to_string(u)});
  return MakeHistories(histories);
}

TEST(SimsTest, DiscountFactorTradesCoOccurrenceForPopularity) {
  const TrainingData data = PopularVersusNiche();
  HyperParameters params = {{"max_item_interaction_count_percentile", "1"},
                            {"min_cointeraction_count", "3"}};
  params["popularity_discount_factor"] = "0";
  std::vector<float> raw = ScoresForItem(*TrainSims(data, params), data, "s");
  EXPECT_FLOAT_EQ(ScoreOf(data, raw, "x"), 4);  // raw co-occurrence counts
  EXPECT_FLOAT_EQ(ScoreOf(data, raw, "y"), 3);
  params["popularity_discount_factor"] = "1";
  std::vector<float> cosine = ScoresForItem(*TrainSims(data, params), data, "s");
  EXPECT_FLOAT_EQ(ScoreOf(data, cosine, "x"), 4 / std::sqrt(7.0f * 20));
  EXPECT_FLOAT_EQ(ScoreOf(data, cosine, "y"), 3 / std::sqrt(7.0f * 3));
  EXPECT_EQ(Ranking(data, raw).front(), "x");
  EXPECT_EQ(Ranking(data, cosine).front(), "y");
}

TEST(SimsTest, DefaultItemPercentileKeepsTheMostInteractedItemsOutOfPairs) {
  const TrainingData data = PopularVersusNiche();
  std::vector<float> scores = ScoresForItem(*TrainSims(data), data, "s");
  EXPECT_LT(ScoreOf(data, scores, "x"), 0);  // x is above the 0.9 percentile of counts
  EXPECT_GT(ScoreOf(data, scores, "y"), 0);
}

TEST(SimsTest, UnknownSeedOrSeedWithoutNeighboursGetsPopularItems) {
  const TrainingData data = MakeHistories(
      {{"hot", "a"}, {"hot", "b"}, {"hot", "warm"}, {"warm", "c"}, {"lonely"}});
  std::unique_ptr<Model> model = TrainSims(data);
  std::vector<float> unknown;
  ASSERT_TRUE(model->Score(ModelQuery{}, &unknown).ok());
  std::vector<std::string> ranking = Ranking(data, unknown);
  EXPECT_EQ(std::vector<std::string>(ranking.begin(), ranking.begin() + 2),
            (std::vector<std::string>{"hot", "warm"}));
  ModelQuery out_of_range;
  out_of_range.item = 1000;
  std::vector<float> scores;
  ASSERT_TRUE(model->Score(out_of_range, &scores).ok());
  EXPECT_EQ(scores, unknown);
  EXPECT_EQ(Ranking(data, ScoresForItem(*model, data, "lonely")).front(), "hot");
}

TEST(SimsTest, UserQueryIsAnsweredFromTheLastHistoryItem) {
  const TrainingData data = MakeHistories({{"a", "b"}, {"a", "b"}, {"a", "b"}, {"c", "d"},
                                           {"c", "d"}, {"c", "d"}, {"e"}, {"f"}, {"g"}});
  std::unique_ptr<Model> model = TrainSims(data, {{"max_item_interaction_count_percentile", "1"}});
  const std::vector<int32_t> history = {data.items.Find("a"), data.items.Find("c")};
  ModelQuery query;
  query.user = 0;
  query.history = history;
  std::vector<float> scores;
  ASSERT_TRUE(model->Score(query, &scores).ok());
  EXPECT_EQ(scores, ScoresForItem(*model, data, "c"));
  EXPECT_EQ(Ranking(data, scores).front(), "d");
}

TEST(SimsTest, BoundsNeighboursAndPairedHistory) {
  std::vector<std::string> long_history;
  for (int i = 0; i < 300; ++i) long_history.push_back("h" + std::to_string(i));
  const TrainingData data = MakeHistories({long_history});
  std::unique_ptr<Model> model = TrainSims(
      data, {{"min_cointeraction_count", "1"}, {"max_item_interaction_count_percentile", "1"}});
  auto neighbours = [&](const std::string& seed) {
    std::vector<float> s = ScoresForItem(*model, data, seed);
    return std::count_if(s.begin(), s.end(), [](float v) { return v > 0; });
  };
  EXPECT_EQ(neighbours("h0"), 0);  // older than the last kMaxPairHistory events
  EXPECT_EQ(neighbours("h299"), SimsRecipe::kMaxNeighbours);
}

TEST(SimsTest, LoadOfSerializeScoresIdentically) {
  const TrainingData data = PopularVersusNiche();
  std::unique_ptr<Model> model = TrainSims(data, {{"min_cointeraction_count", "1"}});
  const std::string bytes = model->Serialize();
  SimsRecipe recipe;
  Result<std::unique_ptr<Model>> loaded = recipe.Load(bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ((*loaded)->item_ids(), model->item_ids());
  for (const std::string& seed : data.items.names()) {
    EXPECT_EQ(ScoresForItem(**loaded, data, seed), ScoresForItem(*model, data, seed)) << seed;
  }
  EXPECT_EQ((*loaded)->Serialize(), bytes);
  EXPECT_EQ(recipe.Load(bytes.substr(0, bytes.size() - 3)).status().code(),
            StatusCode::kCorruption);
  std::string bad_neighbour = bytes;
  bad_neighbour[bad_neighbour.size() - 8] = '\x7f';  // last neighbour's item index
  EXPECT_EQ(recipe.Load(bad_neighbour).status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace kindred
