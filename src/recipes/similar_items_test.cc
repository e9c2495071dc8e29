#include "recipes/similar_items.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "recipes/sims.h"
#include "recipes/testing.h"

namespace kindred {
namespace {

// Histories (users "u0", "u1", ...) plus "FIELD=value" tokens per item.
TrainingData Catalogue(const std::vector<std::vector<std::string>>& histories,
                       const std::vector<std::pair<std::string, std::string>>& tokens) {
  TrainingDataBuilder builder;
  int64_t timestamp = 0;
  for (size_t u = 0; u < histories.size(); ++u) {
    for (const std::string& item : histories[u]) {
      builder.AddInteraction("u" + std::to_string(u), item, ++timestamp);
    }
  }
  for (const auto& [item, token] : tokens) {
    const size_t eq = token.find('=');
    builder.AddItemFeature(item, token.substr(0, eq), token.substr(eq + 1));
  }
  return std::move(builder).Finish();
}

std::unique_ptr<Model> Train(const TrainingData& data, const HyperParameters& params = {}) {
  Result<std::unique_ptr<Model>> model = SimilarItemsRecipe().Train(data, params, {});
  EXPECT_TRUE(model.ok()) << model.status().message();
  return model.ok() ? std::move(model).value() : nullptr;
}

std::vector<float> Scores(const Model& model, int32_t seed) {
  ModelQuery query;
  query.item = seed;
  std::vector<float> scores;
  EXPECT_TRUE(model.Score(query, &scores).ok());
  return scores;
}

// Item names from best to worst related-item score for `seed`, -infinity left out.
std::vector<std::string> RelatedRanking(const TrainingData& data, const Model& model,
                                        const std::string& seed) {
  return Ranking(data, Scores(model, data.items.Find(seed)));
}

// p co-occurs with q (6 users) and d (3 users); g1 and g2 share p's genre but co-occur only
// with q, the most popular item; "new" is a cold Horror item (metadata only) like h1 and h2.
TrainingData Planted() {
  std::vector<std::vector<std::string>> histories;
  for (int u = 0; u < 6; ++u) histories.push_back({"p", "q"});
  for (int u = 0; u < 3; ++u) histories.push_back({"p", "d"});
  for (int u = 0; u < 4; ++u) histories.push_back({"q", "g" + std::to_string(1 + u % 2)});
  for (int u = 0; u < 2; ++u) histories.push_back({"h1", "h2"});
  return Catalogue(histories, {{"p", "GENRE=Comedy"},
                               {"g1", "GENRE=Comedy"},
                               {"g2", "GENRE=Comedy"},
                               {"q", "GENRE=Drama"},
                               {"d", "GENRE=Drama"},
                               {"h1", "GENRE=Horror"},
                               {"h2", "GENRE=Horror"},
                               {"new", "GENRE=Horror"}});
}

TEST(SimilarItemsTest, WarmItemRanksItsCoOccurringItemFirst) {
  const TrainingData data = Planted();
  std::unique_ptr<Model> model = Train(data, {{"min_cointeraction_count", "1"}});
  ASSERT_NE(model, nullptr);
  const std::vector<std::string> ranking = RelatedRanking(data, *model, "p");
  EXPECT_EQ(ranking.front(), "q");
  EXPECT_EQ(ranking[1], "d");
  // The best co-occurrence is worth 1 - metadata_weight, identical metadata metadata_weight.
  const std::vector<float> scores = Scores(*model, data.items.Find("p"));
  EXPECT_FLOAT_EQ(scores[data.items.Find("q")], 0.7f);
  EXPECT_FLOAT_EQ(scores[data.items.Find("g1")], 0.3f);
}

TEST(SimilarItemsTest, ColdItemGetsNeighboursSharingItsGenre) {
  const TrainingData data = Planted();
  std::unique_ptr<Model> model = Train(data);
  const std::vector<std::string> ranking = RelatedRanking(data, *model, "new");
  std::vector<std::string> top(ranking.begin(), ranking.begin() + 2);
  std::sort(top.begin(), top.end());
  EXPECT_EQ(top, (std::vector<std::string>{"h1", "h2"}));
  const std::vector<float> scores = Scores(*model, data.items.Find("new"));
  EXPECT_GT(scores[data.items.Find("h1")], 0);
  EXPECT_LT(scores[data.items.Find("p")], 0);  // popular fallback: no shared token
  EXPECT_TRUE(std::isinf(scores[data.items.Find("new")]));
  // With no weight on metadata a cold item has no neighbours at all.
  std::unique_ptr<Model> co_only = Train(data, {{"metadata_weight", "0"}});
  const std::vector<float> fallback = Scores(*co_only, data.items.Find("new"));
  EXPECT_TRUE(std::all_of(fallback.begin(), fallback.end(), [](float s) { return s < 0; }));
}

TEST(SimilarItemsTest, RareSharedTokensWeighMoreThanCommonOnes) {
  // Everyone but "horror" speaks English; "new" shares the rare genre with "horror" and the
  // common language with "comedy".
  std::vector<std::pair<std::string, std::string>> tokens = {
      {"new", "GENRE=Horror"}, {"new", "LANG=en"},    {"horror", "GENRE=Horror"},
      {"horror", "LANG=fr"},   {"comedy", "LANG=en"}, {"comedy", "GENRE=Comedy"}};
  for (int i = 0; i < 6; ++i) tokens.push_back({"x" + std::to_string(i), "LANG=en"});
  const TrainingData data = Catalogue({{"comedy", "x0"}}, tokens);
  std::unique_ptr<Model> model = Train(data);
  EXPECT_EQ(RelatedRanking(data, *model, "new").front(), "horror");
}

TEST(SimilarItemsTest, UnknownItemGetsPopularItems) {
  const TrainingData data = Planted();
  std::unique_ptr<Model> model = Train(data);
  std::vector<float> unknown;
  ASSERT_TRUE(model->Score(ModelQuery{}, &unknown).ok());
  const auto best = std::max_element(unknown.begin(), unknown.end()) - unknown.begin();
  EXPECT_EQ(data.items.Name(static_cast<int32_t>(best)), "q");  // 10 users
  EXPECT_TRUE(std::all_of(unknown.begin(), unknown.end(), [](float s) { return s < 0; }));
  EXPECT_EQ(Scores(*model, 1000), unknown);
}

TEST(SimilarItemsTest, LoadOfSerializeScoresIdentically) {
  const TrainingData data = Planted();
  std::unique_ptr<Model> model = Train(data, {{"min_cointeraction_count", "1"}});
  const std::string bytes = model->Serialize();
  EXPECT_EQ(bytes.substr(0, 4), "KSIT");
  SimilarItemsRecipe recipe;
  Result<std::unique_ptr<Model>> loaded = recipe.Load(bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ((*loaded)->item_ids(), model->item_ids());
  for (int32_t seed = -1; seed < data.num_items(); ++seed) {
    EXPECT_EQ(Scores(**loaded, seed), Scores(*model, seed)) << seed;
  }
  EXPECT_EQ((*loaded)->Serialize(), bytes);
  EXPECT_EQ(recipe.Load(bytes.substr(0, bytes.size() - 3)).status().code(),
            StatusCode::kCorruption);
  const std::string sims = SimsRecipe().Train(data, {}, {}).value()->Serialize();
  EXPECT_EQ(recipe.Load(sims).status().code(), StatusCode::kCorruption);  // another recipe's
}

}  // namespace
}  // namespace kindred
