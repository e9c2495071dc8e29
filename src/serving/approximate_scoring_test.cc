// Recommender with approximate scores (QuantizedItems) against the exact path on the same
// SequenceModel: the same items in the same order, with filters, unseen items, exploration,
// and planted exact ties and near-ties (closer than the approximation can tell apart).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "recipes/recipe.h"
#include "recipes/sequence_model.h"
#include "common/fiber_batch.h"
#include "serving/genre_items_schema.h"
#include "serving/recommender.h"

namespace kindred {
namespace {

constexpr int kDimension = 16;
constexpr int kItems = 3000;
constexpr int kGenres = 10;
constexpr int kUnseen = 40;
constexpr int kUsers = 40;
constexpr int64_t kNow = 1'700'000'000;
constexpr int64_t kDay = 86'400;

std::string ItemId(int j) { return "i" + std::to_string(j); }
std::string Genre(int j) { return "g" + std::to_string(j % kGenres); }

// Items 100..139 copy item 99 (exact ties), 200..239 are item 199 moved by 1e-6 (near-ties);
// items 1000..1199 lie along one direction at close magnitudes (a dense top for the users who
// clicked them).
std::shared_ptr<SequenceModel> PlantedModel() {
  std::mt19937_64 rng(7);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  SequenceCatalogue c;
  for (int g = 0; g < kGenres; ++g) c.features.push_back("GENRE=" + Genre(g));
  for (int j = 0; j < kItems; ++j) {
    c.item_ids.push_back(ItemId(j));
    c.item_features.push_back({j % kGenres});
  }
  SequenceParameters p;
  p.dimension = kDimension;
  p.items = ParameterTable(kItems, kDimension);
  p.features = ParameterTable(kGenres, kDimension);
  p.bias = ParameterTable(kItems, 1);
  p.positions = ParameterTable(8, 1);
  p.query = ParameterTable(kDimension, kDimension);
  for (float& v : p.items.values) v = 0.3f * normal(rng);
  for (float& v : p.features.values) v = 0.3f * normal(rng);
  for (float& v : p.bias.values) v = 0.5f * normal(rng);
  for (float& v : p.positions.values) v = normal(rng);
  for (float& v : p.query.values) v = 0.2f * normal(rng);
  p.cold_bias = 0.25f;
  std::vector<float> direction(kDimension);
  for (float& v : direction) v = normal(rng);
  for (int j = 0; j < kItems; ++j) {
    int source = -1;
    if (j >= 100 && j < 140) source = 99;
    if (j >= 200 && j < 240) source = 199;
    if (source >= 0) {
      std::copy_n(p.items.Row(source), kDimension, p.items.Row(j));
      c.item_features[j] = c.item_features[source];
      p.bias.values[j] = p.bias.values[source];
      if (source == 199) p.items.Row(j)[j % kDimension] += 1e-6f * static_cast<float>(j - 219);
    }
    if (j >= 1000 && j < 1200) {
      for (int i = 0; i < kDimension; ++i) {
        p.items.Row(j)[i] = direction[i] * (1.0f + 1e-4f * static_cast<float>(j % 37));
      }
      p.bias.values[j] = 0;
    }
  }
  return std::make_shared<SequenceModel>(std::move(c), std::move(p), kNow - 10 * kDay);
}

// The same model without its DotProductForm.
class WithoutForm : public Model {
 public:
  explicit WithoutForm(std::shared_ptr<const Model> model) : model_(std::move(model)) {}
  const std::vector<std::string>& item_ids() const override { return model_->item_ids(); }
  Status Score(const ModelQuery& q, std::vector<float>* scores) const override {
    return model_->Score(q, scores);
  }
  Status ScoreUnseen(const ModelQuery& q, std::span<const std::vector<std::string>> items,
                     std::vector<float>* scores) const override {
    return model_->ScoreUnseen(q, items, scores);
  }
  std::string Serialize() const override { return model_->Serialize(); }

 private:
  std::shared_ptr<const Model> model_;
};

class ApproximateScoringTest : public ::testing::Test {
 protected:
  ApproximateScoringTest() : model_(PlantedModel()), state_(GenreItemsSchema(), std::nullopt) {
    std::mt19937_64 rng(11);
    // The last 10 model items are not in the state; every 25th is new (3 days old), and
    // every 7th of the near-ties.
    for (int j = 0; j < kItems - 10; ++j) {
      const bool young = j % 25 == 0 || (j >= 200 && j < 240 && j % 7 == 0);
      Put(ItemId(j), Genre(j), young ? kNow - 3 * kDay : kNow - 400 * kDay);
    }
    // Unseen items: known genres, an unknown one, some without CREATION_TIMESTAMP.
    for (int k = 0; k < kUnseen; ++k) {
      const std::string genre = k % 5 == 4 ? std::string("unknown") : Genre(k);
      Put("new" + std::to_string(k), genre,
          k % 3 == 0 ? FieldValue{} : FieldValue{kNow - (k % 2 == 0 ? 1 : 90) * kDay});
    }
    std::uniform_int_distribution<int> any(0, kItems - 11);
    for (int u = 0; u < kUsers; ++u) {
      for (int e = 0; e < 1 + u % 9; ++e) {
        int j = any(rng);
        if (u % 4 == 0) j = 1000 + j % 200;    // the dense cluster
        if (u % 4 == 1) j = 99 + j % 2 * 100;  // the ties
        const std::string item = ItemId(j);
        state_.AddEvent({.user = "u" + std::to_string(u),
                         .item = item,
                         .event_type = "click",
                         .timestamp = kNow - 1000 + e});
      }
    }
    std::vector<std::string> shown;
    for (int j = 0; j < 400; j += 3) shown.push_back(ItemId(j * 25 % (kItems - 10)));
    shown.push_back("new0");
    state_.AddImpressions(shown);
  }

  void Put(const std::string& id, const std::string& genre, FieldValue created) {
    ASSERT_TRUE(state_.PutItem(Row{{id, genre, std::move(created)}}).ok());
  }

  Recommender Make(std::shared_ptr<const Model> model, const char* recipe, double weight,
                   int64_t approximate_from) const {
    return Recommender(std::move(model), FindRecipe(recipe)->info(),
                       {.weight = weight, .age_cutoff_days = 30},
                       {.approximate_from_items = approximate_from});
  }

  std::shared_ptr<SequenceModel> model_;
  GroupState state_;
};

void ExpectSameAnswer(const Result<std::vector<RankedItem>>& exact,
                      const Result<std::vector<RankedItem>>& fast, const std::string& what) {
  ASSERT_TRUE(exact.ok()) << exact.status().message();
  ASSERT_TRUE(fast.ok()) << fast.status().message();
  ASSERT_EQ(exact->size(), fast->size()) << what;
  for (size_t k = 0; k < exact->size(); ++k) {
    EXPECT_EQ((*exact)[k].item_id, (*fast)[k].item_id) << what << " rank " << k;
    ASSERT_TRUE((*exact)[k].score && (*fast)[k].score);
    // Only the normaliser is approximate: e^eps - 1 is well below 5% here.
    EXPECT_NEAR(*(*fast)[k].score / *(*exact)[k].score, 1.0, 0.05) << what << " rank " << k;
  }
}

TEST_F(ApproximateScoringTest, RecommendReturnsTheExactPathsItemsInOrder) {
  const int64_t never = std::numeric_limits<int64_t>::max();
  std::mt19937_64 rng(3);
  std::bernoulli_distribution half(0.5);
  int compared = 0;
  for (double weight : {0.0, 0.3, 1.0}) {
    const Recommender exact = Make(model_, "aws-user-personalization", weight, never);
    const Recommender fast = Make(model_, "aws-user-personalization", weight, 0);
    ASSERT_FALSE(exact.approximates());
    ASSERT_TRUE(fast.approximates());
    for (int u = 0; u < kUsers; ++u) {
      const std::string user = "u" + std::to_string(u);
      std::vector<bool> allowed(state_.items().size());
      for (size_t s = 0; s < allowed.size(); ++s) allowed[s] = half(rng);
      for (int k : {1, 25, 300}) {
        for (const std::vector<bool>* mask : {static_cast<const std::vector<bool>*>(nullptr),
                                              static_cast<const std::vector<bool>*>(&allowed)}) {
          const Recommender::Query q{.user = user, .num_results = k, .allowed = mask, .now = kNow};
          ExpectSameAnswer(exact.Recommend(state_, q), fast.Recommend(state_, q),
                           user + " weight " + std::to_string(weight) + " k " + std::to_string(k) +
                               (mask ? " filtered" : ""));
          ++compared;
        }
      }
    }
  }
  EXPECT_EQ(compared, 3 * kUsers * 3 * 2);
}

// The requests of a FiberBatch (the HTTP server's batches) share scans, each with buffers of its
// own: every user's answer in a batch of all users is the one it gets alone.
TEST_F(ApproximateScoringTest, RequestsInAFiberBatchGetTheirOwnAnswers) {
  for (double weight : {0.0, 0.3}) {
    const Recommender fast = Make(model_, "aws-user-personalization", weight, 0);
    ASSERT_TRUE(fast.approximates());
    std::vector<Result<std::vector<RankedItem>>> alone, batched(kUsers, Status::Internal("unset"));
    std::vector<std::string> users;
    for (int u = 0; u < kUsers; ++u) users.push_back("u" + std::to_string(u));
    auto query = [&users](int u) {  // Query::user is a view: of users[u]
      return Recommender::Query{.user = users[u], .num_results = 25, .now = kNow};
    };
    for (int u = 0; u < kUsers; ++u) alone.push_back(fast.Recommend(state_, query(u)));
    FiberBatch batch;
    for (int u = 0; u < kUsers; ++u) {
      batch.Add([&, u] { batched[u] = fast.Recommend(state_, query(u)); });
    }
    batch.Run();
    for (int u = 0; u < kUsers; ++u) {
      ASSERT_TRUE(alone[u].ok() && batched[u].ok()) << u;
      ASSERT_EQ(alone[u]->size(), batched[u]->size()) << u;
      for (size_t k = 0; k < alone[u]->size(); ++k) {
        EXPECT_EQ((*alone[u])[k].item_id, (*batched[u])[k].item_id) << u << " rank " << k;
        EXPECT_EQ((*alone[u])[k].score, (*batched[u])[k].score) << u << " rank " << k;
      }
    }
  }
}

// A Recommender that keeps answering while items change (its binding following the changes)
// answers exactly as one made after the changes (binding built afresh).
TEST_F(ApproximateScoringTest, ItemChangesGiveWhatAFreshBindingGives) {
  const Recommender kept = Make(model_, "aws-user-personalization", 0.3, 0);
  auto expect_fresh = [&](const std::string& step) {
    const Recommender fresh = Make(model_, "aws-user-personalization", 0.3, 0);
    for (int u = 0; u < kUsers; u += 3) {
      const std::string user = "u" + std::to_string(u);  // the query holds a view of it
      const Recommender::Query q{.user = user, .num_results = 40, .now = kNow};
      Result<std::vector<RankedItem>> want = fresh.Recommend(state_, q);
      Result<std::vector<RankedItem>> got = kept.Recommend(state_, q);
      ASSERT_TRUE(want.ok() && got.ok()) << step;
      ASSERT_EQ(want->size(), got->size()) << step;
      for (size_t k = 0; k < want->size(); ++k) {
        EXPECT_EQ((*got)[k].item_id, (*want)[k].item_id) << step << " rank " << k;
        EXPECT_EQ((*got)[k].score, (*want)[k].score) << step << " rank " << k;
      }
    }
  };
  expect_fresh("before any change");
  Put(ItemId(kItems - 3), Genre(1), kNow - kDay);  // a model item the state lacked
  expect_fresh("model item put");
  Put("brand-new", Genre(2), kNow - 2 * kDay);  // a new unseen item, young
  Put("undated-new", Genre(3), FieldValue{});
  expect_fresh("unseen items put");
  Put("new3", Genre(7), kNow - kDay);  // an unseen item's genre and age change
  Put("new0", Genre(4), FieldValue{});  // and one loses its timestamp
  Put(ItemId(7), Genre(7), kNow - kDay);  // an old model item becomes new
  expect_fresh("items changed");
  state_.AddEvent({.user = "u1", .item = "ghost-1", .event_type = "click", .timestamp = kNow});
  state_.AddImpressions(std::vector<std::string>{"ghost-2", "brand-new"});
  expect_fresh("items interned by events and impressions");
  for (int k = 0; k < 100; ++k) Put("burst" + std::to_string(k), Genre(k), kNow - kDay);
  expect_fresh("more changes than a binding follows");
}

TEST_F(ApproximateScoringTest, TheDefaultThresholdKeepsSmallCataloguesExact) {
  EXPECT_FALSE(
      Recommender(model_, FindRecipe("aws-user-personalization")->info(), {}).approximates());
  EXPECT_FALSE(
      Make(std::make_shared<WithoutForm>(model_), "aws-user-personalization", 0, 0).approximates());
}

TEST_F(ApproximateScoringTest, RankWithTheFormEqualsRankWithout) {
  const Recommender with = Make(model_, "aws-personalized-ranking", 0, 0);
  const Recommender without =
      Make(std::make_shared<WithoutForm>(model_), "aws-personalized-ranking", 0, 0);
  // Model items, ties, unseen items (one of an unknown genre), a model item the state lacks,
  // and an item nobody knows.
  const std::vector<std::string> list = {"i5",   "i100",  "i101", "i99",   "i205", "new1",
                                         "new4", "i2995", "zzz",  "i1100", "i0",   "new0"};
  std::vector<bool> allowed(state_.items().size(), true);
  allowed[state_.items().Find("i5")] = false;
  for (int u = 0; u < kUsers; u += 3) {
    const std::string user = "u" + std::to_string(u);
    for (const std::vector<bool>* mask : {static_cast<const std::vector<bool>*>(nullptr),
                                          static_cast<const std::vector<bool>*>(&allowed)}) {
      auto a = with.Rank(state_, {.user = user, .allowed = mask}, list);
      auto b = without.Rank(state_, {.user = user, .allowed = mask}, list);
      ASSERT_TRUE(a.ok() && b.ok());
      ASSERT_EQ(a->size(), b->size());
      for (size_t k = 0; k < a->size(); ++k) {
        EXPECT_EQ((*a)[k].item_id, (*b)[k].item_id) << user << " rank " << k;
        EXPECT_EQ((*a)[k].score, (*b)[k].score) << user << " rank " << k;
      }
    }
  }
}

}  // namespace
}  // namespace kindred
