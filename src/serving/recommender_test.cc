#include "serving/recommender.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace kindred {
namespace {

// A model with fixed scores per item, plus 1 for an item that is the query's newest history
// item's "successor" (item index + 1), so tests can see the history in use. Unseen items score
// by token: "GENRE=new" -> 5, anything else -infinity.
class FixedModel : public Model {
 public:
  FixedModel(std::vector<std::string> ids, std::vector<float> scores)
      : ids_(std::move(ids)), scores_(std::move(scores)) {}
  const std::vector<std::string>& item_ids() const override { return ids_; }
  Status Score(const ModelQuery& q, std::vector<float>* out) const override {
    *out = scores_;
    if (!q.history.empty() && q.history.back() + 1 < static_cast<int32_t>(ids_.size())) {
      (*out)[q.history.back() + 1] += 10;
    }
    if (q.item >= 0 && q.item + 1 < static_cast<int32_t>(ids_.size())) (*out)[q.item + 1] += 10;
    return Status::Ok();
  }
  Status ScoreUnseen(const ModelQuery&, std::span<const std::vector<std::string>> items,
                     std::vector<float>* out) const override {
    out->clear();
    for (const auto& tokens : items) {
      bool is_new = std::find(tokens.begin(), tokens.end(), "GENRE=new") != tokens.end();
      out->push_back(is_new ? 5.0f : -std::numeric_limits<float>::infinity());
    }
    return Status::Ok();
  }
  std::string Serialize() const override { return ""; }

 private:
  std::vector<std::string> ids_;
  std::vector<float> scores_;
};

DatasetSchema ItemsSchema() {
  DatasetSchema schema;
  SchemaField id;
  id.name = "ITEM_ID";
  id.type = FieldType::kString;
  SchemaField genre;
  genre.name = "GENRE";
  genre.type = FieldType::kString;
  genre.nullable = true;
  genre.categorical = true;
  SchemaField created;
  created.name = "CREATION_TIMESTAMP";
  created.type = FieldType::kLong;
  created.nullable = true;
  schema.fields = {id, genre, created};
  return schema;
}

class RecommenderTest : public ::testing::Test {
 protected:
  RecommenderTest() : state_(ItemsSchema(), std::nullopt) {
    for (const char* id : {"a", "b", "c", "d"}) {
      EXPECT_TRUE(state_.PutItem(Row{{std::string(id), std::string("old"), int64_t{0}}}).ok());
    }
  }

  Recommender Make(std::string_view recipe, ExplorationConfig exploration = {0.0, 30.0}) {
    auto model = std::make_shared<FixedModel>(std::vector<std::string>{"a", "b", "c", "d"},
                                              std::vector<float>{4, 3, 2, 1});
    return Recommender(model, FindRecipe(recipe)->info(), exploration);
  }

  static std::vector<std::string> Ids(const Result<std::vector<RankedItem>>& r) {
    EXPECT_TRUE(r.ok()) << r.status().message();
    std::vector<std::string> ids;
    if (r.ok()) {
      for (const RankedItem& i : *r) ids.push_back(i.item_id);
    }
    return ids;
  }

  GroupState state_;
};

TEST_F(RecommenderTest, RanksByScoreWithSoftmaxScoresOverTheCatalogue) {
  Recommender r = Make("aws-user-personalization");
  auto got = r.Recommend(state_, {.user = "u", .num_results = 2});
  EXPECT_EQ(Ids(got), (std::vector<std::string>{"a", "b"}));
  double total = 0;
  for (float s : {4.0f, 3.0f, 2.0f, 1.0f}) total += std::exp(s - 4.0);
  ASSERT_TRUE((*got)[0].score.has_value());
  EXPECT_NEAR(*(*got)[0].score, 1.0 / total, 1e-9);
  EXPECT_NEAR(*(*got)[1].score, std::exp(-1.0) / total, 1e-9);
}

TEST_F(RecommenderTest, TheNewestEventChangesTheNextAnswer) {
  Recommender r = Make("aws-user-personalization");
  state_.AddEvent({.user = "u", .item = "c", .event_type = "click", .timestamp = 1});
  EXPECT_EQ(Ids(r.Recommend(state_, {.user = "u", .num_results = 1})),
            (std::vector<std::string>{"d"}));
}

TEST_F(RecommenderTest, FilterMaskAndUnseenItems) {
  Recommender r = Make("aws-user-personalization");
  ASSERT_TRUE(state_.PutItem(Row{{std::string("fresh"), std::string("new"), int64_t{0}}}).ok());
  ASSERT_TRUE(state_.PutItem(Row{{std::string("odd"), std::string("other"), int64_t{0}}}).ok());
  // The put item is scored from its metadata and recommended at once; "odd" cannot be scored.
  EXPECT_EQ(Ids(r.Recommend(state_, {.user = "u", .num_results = 10})),
            (std::vector<std::string>{"fresh", "a", "b", "c", "d"}));
  std::vector<bool> allowed(state_.items().size(), true);
  allowed[state_.items().Find("fresh")] = false;
  allowed[state_.items().Find("b")] = false;
  EXPECT_EQ(Ids(r.Recommend(state_, {.user = "u", .num_results = 10, .allowed = &allowed})),
            (std::vector<std::string>{"a", "c", "d"}));
}

TEST_F(RecommenderTest, ExplorationWeightPromotesNewItemsWithFewImpressions) {
  const int64_t now = 100 * 86400;
  ASSERT_TRUE(state_.PutItem(Row{{std::string("d"), std::string("old"), now - 86400}}).ok());
  ASSERT_TRUE(state_.PutItem(Row{{std::string("c"), std::string("old"), now - 86400}}).ok());
  state_.AddImpressions(std::vector<std::string>{"c", "c", "c"});
  Recommender none = Make("aws-user-personalization", {0.0, 30.0});
  Recommender full = Make("aws-user-personalization", {1.0, 30.0});
  Recommender short_cutoff = Make("aws-user-personalization", {1.0, 0.5});
  const Recommender::Query q{.user = "u", .num_results = 2, .now = now};
  EXPECT_EQ(Ids(none.Recommend(state_, q)), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Ids(full.Recommend(state_, q)), (std::vector<std::string>{"d", "c"}));
  EXPECT_EQ(Ids(short_cutoff.Recommend(state_, q)), (std::vector<std::string>{"a", "b"}));
  // Other recipes do not explore.
  Recommender pop = Make("aws-popularity-count", {1.0, 30.0});
  auto got = pop.Recommend(state_, q);
  EXPECT_EQ(Ids(got), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE((*got)[0].score.has_value());
}

// Exploration against its definition on 80 new items, many tying: value = (1 - w)·e^(s - best)
// + w / (1 + impressions), the best K by value, between equal values the earlier model item.
// With many ties the pass must value far more new items than it sorts first.
TEST(RecommenderExplorationTest, MatchesTheDefinitionWithManyTies) {
  constexpr int kItems = 80;
  const int64_t now = 100 * 86400;
  std::vector<std::string> ids;
  std::vector<float> scores;
  for (int j = 0; j < kItems; ++j) {
    ids.push_back("n" + std::to_string(j));
    scores.push_back(static_cast<float>(j % 4) * 0.25f);
  }
  auto model = std::make_shared<FixedModel>(ids, scores);
  for (int layout = 0; layout < 6; ++layout) {
    GroupState state(ItemsSchema(), std::nullopt);
    std::vector<uint32_t> impressions(kItems);
    for (int j = 0; j < kItems; ++j) {
      ASSERT_TRUE(state.PutItem(Row{{ids[j], std::string("old"), now - 86400}}).ok());
      impressions[j] = (j * 7 + layout * 13) % 5 < 2 ? 0 : 1 + (j + layout) % 3;
      for (uint32_t i = 0; i < impressions[j]; ++i) {
        state.AddImpressions(std::vector<std::string>{ids[j]});
      }
    }
    for (double w : {1.0, 0.5}) {
      for (int k : {1, 5}) {
        const float best = *std::max_element(scores.begin(), scores.end());
        std::vector<std::pair<double, int>> want;
        for (int j = 0; j < kItems; ++j) {
          const double relevance = std::exp(static_cast<double>(scores[j] - best));
          want.emplace_back((1 - w) * relevance + w / (1.0 + impressions[j]), j);
        }
        std::sort(want.begin(), want.end(), [](const auto& a, const auto& b) {
          return a.first != b.first ? a.first > b.first : a.second < b.second;
        });
        std::vector<std::string> expected;
        for (int r = 0; r < k; ++r) expected.push_back(ids[want[r].second]);
        const Recommender rec(model, FindRecipe("aws-user-personalization")->info(), {w, 30.0});
        Result<std::vector<RankedItem>> got =
            rec.Recommend(state, {.user = "nobody", .num_results = k, .now = now});
        ASSERT_TRUE(got.ok());
        std::vector<std::string> got_ids;
        for (const RankedItem& item : *got) got_ids.push_back(item.item_id);
        EXPECT_EQ(got_ids, expected) << "layout " << layout << " w " << w << " k " << k;
      }
    }
  }
}

TEST_F(RecommenderTest, RelatedItemsNeedAnItemAndLeaveItOut) {
  Recommender r = Make("aws-sims");
  EXPECT_EQ(r.Recommend(state_, {.user = "u"}).status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(Ids(r.Recommend(state_, {.item = "a", .num_results = 2})),
            (std::vector<std::string>{"b", "c"}));
  Recommender user = Make("aws-user-personalization");
  EXPECT_EQ(user.Recommend(state_, {.item = "a"}).status().code(), StatusCode::kInvalidInput);
}

TEST_F(RecommenderTest, RankReordersTheListAndPutsUnknownItemsLast) {
  Recommender r = Make("aws-personalized-ranking");
  const std::vector<std::string> list = {"zzz", "d", "b", "c"};
  auto got = r.Rank(state_, {.user = "u"}, list);
  EXPECT_EQ(Ids(got), (std::vector<std::string>{"b", "c", "d", "zzz"}));
  double total = 0;
  for (const RankedItem& i : *got) total += i.score.value_or(0);
  EXPECT_NEAR(total, 1.0, 1e-9);
  EXPECT_FALSE(got->back().score.has_value());
  EXPECT_EQ(r.Rank(state_, {}, list).status().code(), StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace kindred
