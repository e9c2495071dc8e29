#include "recipes/popularity_count.h"

#include <gtest/gtest.h>

#include "recipes/testing.h"

namespace kindred {
namespace {

std::vector<float> ScoresOf(const Model& model, const ModelQuery& query = {}) {
  std::vector<float> scores;
  EXPECT_TRUE(model.Score(query, &scores).ok());
  return scores;
}

TEST(PopularityCountTest, CountsUniqueUsersNotEvents) {
  // "a" has 4 events from one user, "b" 2 events from two users, "c" 1 event.
  const TrainingData data = MakeHistories({{"a", "a", "a", "b", "a"}, {"b", "c"}});
  EXPECT_EQ(UniqueUserCounts(data), (std::vector<uint32_t>{1, 2, 1}));

  Result<std::unique_ptr<Model>> model = PopularityCountRecipe().Train(data, {}, {});
  ASSERT_TRUE(model.ok());
  EXPECT_EQ((*model)->item_ids(), (std::vector<std::string>{"a", "b", "c"}));
  const std::vector<float> scores = ScoresOf(**model);
  EXPECT_EQ(scores, (std::vector<float>{1, 2, 1}));
}

TEST(PopularityCountTest, GivesEveryQueryTheSameScores) {
  const TrainingData data = MakeHistories({{"a", "b"}, {"b"}, {"b", "c"}});
  Result<std::unique_ptr<Model>> model = PopularityCountRecipe().Train(data, {}, {});
  ASSERT_TRUE(model.ok());
  const std::vector<int32_t> history = {0, 2};
  ModelQuery user_query;
  user_query.user = 1;
  user_query.history = history;
  ModelQuery item_query;
  item_query.item = 2;
  EXPECT_EQ(ScoresOf(**model, user_query), ScoresOf(**model));
  EXPECT_EQ(ScoresOf(**model, item_query), (std::vector<float>{1, 3, 1}));
}

TEST(PopularityCountTest, LoadOfSerializeScoresIdentically) {
  const TrainingData data = MakeHistories({{"x", "y"}, {"y", "z"}, {"y"}});
  PopularityCountRecipe recipe;
  Result<std::unique_ptr<Model>> model = recipe.Train(data, {}, {});
  ASSERT_TRUE(model.ok());
  const std::string bytes = (*model)->Serialize();
  Result<std::unique_ptr<Model>> loaded = recipe.Load(bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ((*loaded)->item_ids(), (*model)->item_ids());
  EXPECT_EQ(ScoresOf(**loaded), ScoresOf(**model));
  EXPECT_EQ((*loaded)->Serialize(), bytes);

  EXPECT_EQ(recipe.Load(bytes.substr(0, bytes.size() - 1)).status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ(recipe.Load(bytes + "x").status().code(), StatusCode::kCorruption);
}

TEST(PopularityCountTest, ReportsProgressToTheEnd) {
  double last = -1;
  TrainingControl control;
  control.progress = [&](double fraction) { last = fraction; };
  ASSERT_TRUE(PopularityCountRecipe().Train(MakeHistories({{"a"}}), {}, control).ok());
  EXPECT_EQ(last, 1.0);
}

}  // namespace
}  // namespace kindred
