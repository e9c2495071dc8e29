#include "recipes/user_personalization.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#include "recipes/popularity_count.h"
#include "recipes/testing.h"

namespace kindred {
namespace {

const HyperParameters kSmall = {
    {"hidden_dimension", "32"}, {"epochs", "20"}, {"negative_samples", "8"}};

std::unique_ptr<Model> Train(const TrainingData& data, HyperParameters params = kSmall) {
  Result<std::unique_ptr<Model>> model = UserPersonalizationRecipe().Train(data, params, {});
  EXPECT_TRUE(model.ok()) << model.status().message();
  return model.ok() ? std::move(model).value() : nullptr;
}

std::vector<float> Scores(const Model& model, const TrainingData& data,
                          const std::vector<std::string>& history) {
  std::vector<int32_t> items;
  for (const std::string& name : history) items.push_back(data.items.Find(name));
  ModelQuery query;
  query.history = items;
  std::vector<float> scores;
  EXPECT_TRUE(model.Score(query, &scores).ok());
  return scores;
}

float ScoreOf(const TrainingData& data, const std::vector<float>& scores, const std::string& item) {
  return scores[data.items.Find(item)];
}

// The best-scored item outside the history.
std::string Top(const Model& model, const TrainingData& data,
                const std::vector<std::string>& history) {
  const std::vector<float> scores = Scores(model, data, history);
  int32_t best = -1;
  for (int32_t i = 0; i < data.num_items(); ++i) {
    const std::string& name = data.items.Name(i);
    if (std::find(history.begin(), history.end(), name) != history.end()) continue;
    if (best < 0 || scores[i] > scores[best]) best = i;
  }
  return data.items.Name(best);
}

// Users go a → b → c, or b → a → d; others wander over filler items.
TrainingData OrderedPaths() {
  std::vector<std::vector<std::string>> histories;
  for (int u = 0; u < 30; ++u) {
    const std::string f = "f" + std::to_string(u % 6);
    histories.push_back({f, "a", "b", "c"});
    histories.push_back({f, "b", "a", "d"});
    histories.push_back({f, "f" + std::to_string((u + 1) % 6), "f" + std::to_string((u + 3) % 6)});
  }
  return MakeHistories(histories);
}

TEST(UserPersonalizationTest, FindsTheSequentialPatternAndTheOrderMatters) {
  const TrainingData data = OrderedPaths();
  // a and b are each other's neighbours in both orders: only the attention over the history
  // (which item is newest) tells c from d, which takes the default dimension to learn.
  HyperParameters params = kSmall;
  params["hidden_dimension"] = "64";
  std::unique_ptr<Model> model = Train(data, params);
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(Top(*model, data, {"f1", "a", "b"}), "c");
  EXPECT_EQ(Top(*model, data, {"f1", "b", "a"}), "d");
  EXPECT_EQ(Top(*model, data, {"f2", "a"}), "b");
  EXPECT_EQ(Top(*model, data, {"f2", "b"}), "a");
}

// Users play either rpg or racing games; two more games of each genre have metadata only. With
// `later_events`, 20 more users then play rpg0, rpg1 and the new rpg7, after every other event.
TrainingData TwoGenres(bool later_events = false) {
  TrainingDataBuilder builder;
  int64_t t = 0;
  for (int u = 0; u < 40; ++u) {
    const std::string genre = u % 2 == 0 ? "rpg" : "racing";
    for (int k = 0; k < 4; ++k) {
      builder.AddInteraction("u" + std::to_string(u), genre + std::to_string((u / 2 + k) % 6), ++t);
    }
  }
  for (int i = 0; i < 6; ++i) {
    builder.AddItemFeature("rpg" + std::to_string(i), "GENRE", "rpg");
    builder.AddItemFeature("racing" + std::to_string(i), "GENRE", "racing");
  }
  builder.AddItemFeature("new-rpg", "GENRE", "rpg");
  builder.AddItemFeature("new-racing", "GENRE", "racing");
  if (later_events) {
    for (int u = 40; u < 60; ++u) {
      for (const char* item : {"rpg0", "rpg1", "rpg7"}) {
        builder.AddInteraction("u" + std::to_string(u), item, 1000 + ++t);
      }
    }
    builder.AddItemFeature("rpg7", "GENRE", "rpg");
    builder.AddItemFeature("racing9", "GENRE", "racing");
  }
  return std::move(builder).Finish();
}

TEST(UserPersonalizationTest, ColdItemIsScoredByItsMetadata) {
  const TrainingData data = TwoGenres();
  std::unique_ptr<Model> model = Train(data);
  ASSERT_NE(model, nullptr);
  const std::vector<float> rpg_fan = Scores(*model, data, {"rpg0", "rpg1"});
  EXPECT_GT(ScoreOf(data, rpg_fan, "new-rpg"), ScoreOf(data, rpg_fan, "new-racing"));
  const std::vector<float> racing_fan = Scores(*model, data, {"racing2", "racing3"});
  EXPECT_GT(ScoreOf(data, racing_fan, "new-racing"), ScoreOf(data, racing_fan, "new-rpg"));
}

std::vector<float> UnseenScores(const Model& model, const TrainingData& data,
                                const std::vector<std::string>& history,
                                const std::vector<std::vector<std::string>>& items) {
  std::vector<int32_t> indices;
  for (const std::string& name : history) indices.push_back(data.items.Find(name));
  ModelQuery query;
  query.history = indices;
  std::vector<float> scores;
  EXPECT_TRUE(model.ScoreUnseen(query, items, &scores).ok());
  return scores;
}

TEST(UserPersonalizationTest, UnseenItemIsScoredLikeACatalogueItemWithItsMetadata) {
  const TrainingData data = TwoGenres();
  std::unique_ptr<Model> model = Train(data);
  ASSERT_NE(model, nullptr);
  const std::vector<std::vector<std::string>> unseen = {
      {"GENRE=rpg"}, {"GENRE=racing"}, {"GENRE=rpg", "COLOR=blue"}, {}};
  for (const std::vector<std::string>& history :
       {std::vector<std::string>{"rpg0", "rpg1"}, std::vector<std::string>{"racing2"}}) {
    const std::vector<float> scores = UnseenScores(*model, data, history, unseen);
    ASSERT_EQ(scores.size(), unseen.size());
    const std::vector<float> catalogue = Scores(*model, data, history);
    EXPECT_FLOAT_EQ(scores[0], ScoreOf(data, catalogue, "new-rpg"));
    EXPECT_FLOAT_EQ(scores[1], ScoreOf(data, catalogue, "new-racing"));
    EXPECT_EQ(scores[2], scores[0]) << "unknown tokens are ignored";
    EXPECT_TRUE(std::isfinite(scores[3]));
  }
  const std::vector<float> rpg_fan = UnseenScores(*model, data, {"rpg0", "rpg1"}, unseen);
  EXPECT_GT(rpg_fan[0], rpg_fan[1]);
  const std::vector<float> racing_fan = UnseenScores(*model, data, {"racing2", "racing3"}, unseen);
  EXPECT_GT(racing_fan[1], racing_fan[0]);
}

// Users stay within a cluster (x or y) for 2 to 5 items, then switch to the other for 3: the
// next item is in the cluster of the latest.
TrainingData Switchers() {
  std::vector<std::vector<std::string>> histories;
  for (int u = 0; u < 48; ++u) {
    const std::string from = u % 2 == 0 ? "x" : "y", to = u % 2 == 0 ? "y" : "x";
    std::vector<std::string> h;
    for (int k = 0; k < 2 + u / 2 % 4; ++k) h.push_back(from + std::to_string((u + k) % 8));
    for (int k = 0; k < 3; ++k) h.push_back(to + std::to_string((u + 2 * k) % 8));
    histories.push_back(h);
  }
  return MakeHistories(histories);
}

TEST(UserPersonalizationTest, TheLatestItemsDominate) {
  const TrainingData data = Switchers();
  std::unique_ptr<Model> model = Train(data);
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(Top(*model, data, {"x0", "x1", "x2", "x3", "y4"})[0], 'y');
  EXPECT_EQ(Top(*model, data, {"y0", "y1", "y2", "y3", "x4"})[0], 'x');
}

TEST(UserPersonalizationTest, BpttBoundsTheHistoryThatCounts) {
  const TrainingData data = Switchers();
  HyperParameters short_memory = kSmall;
  short_memory["bptt"] = "2";
  std::unique_ptr<Model> model = Train(data, short_memory);
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(Scores(*model, data, {"x0", "x1", "y2", "y3"}), Scores(*model, data, {"y2", "y3"}));
  std::unique_ptr<Model> long_memory = Train(data);
  EXPECT_NE(Scores(*long_memory, data, {"x0", "x1", "y2", "y3"}),
            Scores(*long_memory, data, {"y2", "y3"}));
}

TEST(UserPersonalizationTest, WithoutRecencyMaskHistoryOrderIsIgnored) {
  const TrainingData data = OrderedPaths();
  HyperParameters mean = kSmall;
  mean["recency_mask"] = "false";
  std::unique_ptr<Model> model = Train(data, mean);
  ASSERT_NE(model, nullptr);
  const std::vector<float> ab = Scores(*model, data, {"a", "b"});
  const std::vector<float> ba = Scores(*model, data, {"b", "a"});
  for (size_t i = 0; i < ab.size(); ++i) EXPECT_NEAR(ab[i], ba[i], 1e-5) << i;
}

TEST(UserPersonalizationTest, EmptyHistoryRanksByTheLearnedBias) {
  std::vector<std::vector<std::string>> histories;
  for (int u = 0; u < 30; ++u) histories.push_back({"i" + std::to_string(u % 10), "hit"});
  const TrainingData data = MakeHistories(histories);
  std::unique_ptr<Model> model = Train(data);
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(Top(*model, data, {}), "hit");
  ModelQuery unknown_items;
  const std::vector<int32_t> history = {-1, 1000};
  unknown_items.history = history;
  std::vector<float> scores;
  ASSERT_TRUE(model->Score(unknown_items, &scores).ok());
  EXPECT_EQ(scores, Scores(*model, data, {}));
}

TEST(UserPersonalizationTest, TrainingIsDeterministic) {
  const TrainingData data = OrderedPaths();
  EXPECT_EQ(Train(data)->Serialize(), Train(data)->Serialize());
}

TEST(UserPersonalizationTest, LoadOfSerializeScoresIdentically) {
  const TrainingData data = TwoGenres();
  std::unique_ptr<Model> model = Train(data);
  ASSERT_NE(model, nullptr);
  const std::string bytes = model->Serialize();
  const UserPersonalizationRecipe user_personalization;
  const PersonalizedRankingRecipe personalized_ranking;
  for (const SequenceRecipe* recipe :
       std::vector<const SequenceRecipe*>{&user_personalization, &personalized_ranking}) {
    Result<std::unique_ptr<Model>> loaded = recipe->Load(bytes);
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    EXPECT_EQ((*loaded)->item_ids(), model->item_ids());
    const std::vector<std::string> history = {"rpg1", "rpg0"};
    EXPECT_EQ(Scores(**loaded, data, history), Scores(*model, data, history));
    const std::vector<std::vector<std::string>> unseen = {{"GENRE=rpg"}, {"GENRE=racing"}, {}};
    EXPECT_EQ(UnseenScores(**loaded, data, history, unseen),
              UnseenScores(*model, data, history, unseen));
    EXPECT_EQ((*loaded)->Serialize(), bytes);
    for (size_t cut = 0; cut < bytes.size(); cut += 7) {
      EXPECT_EQ(recipe->Load(bytes.substr(0, cut)).status().code(), StatusCode::kCorruption)
          << cut;
    }
    EXPECT_EQ(recipe->Load(bytes.substr(0, bytes.size() - 1)).status().code(),
              StatusCode::kCorruption);
    EXPECT_EQ(recipe->Load(bytes + "x").status().code(), StatusCode::kCorruption);
    EXPECT_EQ(recipe->Load("KSIM").status().code(), StatusCode::kCorruption);
    std::string bad_token = bytes;
    bad_token[bytes.find("GENRE=racing") + 12 + 4 * 1] = '\x7f';  // item 0's first token
    EXPECT_EQ(recipe->Load(bad_token).status().code(), StatusCode::kCorruption);
  }
}

TEST(UserPersonalizationTest, UpdateAddsNewItemsAndKeepsTheOldScoresClose) {
  const TrainingData before = TwoGenres();
  const TrainingData after = TwoGenres(/*later_events=*/true);
  std::unique_ptr<Model> model = Train(before);
  ASSERT_NE(model, nullptr);
  Result<std::unique_ptr<Model>> updated =
      UserPersonalizationRecipe().Update(*model, after, kSmall, {});
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  ASSERT_EQ((*updated)->item_ids(), after.items.names());

  // The new rpg7 follows rpg0, rpg1: it now outscores every racing game for an rpg fan.
  const std::vector<float> rpg_fan = Scores(**updated, after, {"rpg0", "rpg1"});
  for (int i = 0; i < 6; ++i) {
    EXPECT_GT(ScoreOf(after, rpg_fan, "rpg7"),
              ScoreOf(after, rpg_fan, "racing" + std::to_string(i)));
  }
  EXPECT_GT(ScoreOf(after, rpg_fan, "racing9"), -std::numeric_limits<float>::infinity());

  // The racing side, which no new event touched, barely moves.
  const std::vector<std::string> racing_fan = {"racing2", "racing3"};
  const std::vector<float> old_scores = Scores(*model, before, racing_fan);
  const std::vector<float> new_scores = Scores(**updated, after, racing_fan);
  float spread = 0, moved = 0;
  for (int32_t i = 0; i < before.num_items(); ++i) {
    const int32_t j = after.items.Find(before.items.Name(i));
    spread = std::max(spread, std::abs(old_scores[i] - old_scores[0]));
    moved = std::max(moved, std::abs(new_scores[j] - old_scores[i]));
  }
  EXPECT_LT(moved, 0.25f * spread);
  EXPECT_EQ(Ranking(before, old_scores).front(), Ranking(after, new_scores).front());

  // Not a sequence model: refused.
  const PopularityCountRecipe popularity;
  Result<std::unique_ptr<Model>> other = popularity.Train(before, {}, {});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(UserPersonalizationRecipe().Update(**other, after, kSmall, {}).status().code(),
            StatusCode::kInvalidInput);
}

TEST(UserPersonalizationTest, CancelStopsTraining) {
  const std::atomic<bool> cancel{true};
  TrainingControl control;
  control.cancel = &cancel;
  Result<std::unique_ptr<Model>> model =
      UserPersonalizationRecipe().Train(OrderedPaths(), kSmall, control);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), StatusCode::kInternal);
}

TEST(UserPersonalizationTest, BothRecipesAreRegisteredWithTheirTypes) {
  const Recipe* up = FindRecipe("aws-user-personalization");
  const Recipe* ranking = FindRecipe("arn:aws:personalize:::recipe/aws-personalized-ranking");
  ASSERT_NE(up, nullptr);
  ASSERT_NE(ranking, nullptr);
  EXPECT_EQ(up->info().recipe_type, "USER_PERSONALIZATION");
  EXPECT_EQ(ranking->info().recipe_type, "PERSONALIZED_RANKING");
  Result<HyperParameters> bad = ResolveHyperParameters(up->info(), {{"bptt", "64"}});
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace kindred
