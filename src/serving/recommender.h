// Recommender: one campaign's trained model answering GetRecommendations and
// GetPersonalizedRanking against the live GroupState of its dataset group.
//
// What it adds to Model::Score:
//   - the user's state comes from GroupState (their latest events, real-time ones included),
//     so an event accepted a moment ago changes the next answer;
//   - items put after training (PutItems) are scored from their metadata (Model::ScoreUnseen)
//     and can be recommended at once by models that support it;
//   - a filter's allowed-items mask (filter.h) is applied before the top-K cut;
//   - exploration (aws-user-personalization only): items younger than the age cut-off with few
//     impressions get a bonus, blended as (1 - w) * relevance + w * novelty, where relevance is
//     the item's probability divided by the best one's and novelty is 1 / (1 + impressions);
//     w = 0 is pure relevance. An item without CREATION_TIMESTAMP counts as new only when the
//     model did not train on it; a new item the model cannot score enters with relevance 0.
//   - scores as Personalize reports them: a softmax over the whole catalogue for
//     aws-user-personalization, over the input list for aws-personalized-ranking, and none for
//     the other recipes.
//
// The mapping between the model's catalogue and the state's item indices is derived lazily per
// GroupState (and per change of its items) and cached.
//
// Thread-safety: immutable after construction apart from the internal cache, which is
// synchronised; all methods may be called concurrently, each with a GroupState the caller keeps
// from changing during the call (a shared lock).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "recipes/model.h"
#include "recipes/recipe.h"
#include "serving/group_state.h"

namespace kindred {

struct ExplorationConfig {
  double weight = 0.3;            // explorationWeight, in [0, 1]
  double age_cutoff_days = 30.0;  // explorationItemAgeCutOff, > 0
};

struct RankedItem {
  std::string item_id;
  std::optional<double> score;
};

class Recommender {
 public:
  Recommender(std::shared_ptr<const Model> model, const RecipeInfo& recipe,
              ExplorationConfig exploration);

  struct Query {
    std::string_view user;  // user or session id; empty when not given
    std::string_view item;  // related-item recipes: the seed item
    int num_results = 25;
    const std::vector<bool>* allowed = nullptr;  // by state item index; null: every item
    int64_t now = 0;                             // seconds since the epoch, for item ages
  };

  // GetRecommendations. kInvalidInput when the recipe needs an item (related items) and none
  // was given, or a user and none was given.
  Result<std::vector<RankedItem>> Recommend(const GroupState& state, const Query& query) const;

  // GetPersonalizedRanking: `items` reordered for the user, the filter applied; items the model
  // cannot score come last, in input order, without a score.
  Result<std::vector<RankedItem>> Rank(const GroupState& state, const Query& query,
                                       std::span<const std::string> items) const;

  const RecipeInfo& recipe() const { return recipe_; }

 private:
  struct Binding;
  std::shared_ptr<const Binding> BindingFor(const GroupState& state) const;
  // Raw model scores of the model's items and of the state's unseen items for `query`.
  Status ScoreAll(const GroupState& state, const Binding& binding, const Query& query,
                  std::vector<float>* model_scores, std::vector<float>* unseen_scores) const;

  std::shared_ptr<const Model> model_;
  const RecipeInfo& recipe_;
  ExplorationConfig exploration_;
  bool softmax_scores_;  // scores are reported
  bool explores_;        // exploration applies
  mutable std::mutex cache_mu_;
  mutable std::shared_ptr<const Binding> cache_;  // GUARDED_BY(cache_mu_)
};

}  // namespace kindred
