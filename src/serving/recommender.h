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
// Scoring. A model with a DotProductForm (src/recipes/model.h) and at least
// ScoringOptions::approximate_from_items items is scored through an int8 copy of its item
// vectors (QuantizedItems, built at construction), which gives every item an approximate score
// within a per-query bound eps of its exact one. The top-K scan compares approximate scores with
// the current cut minus eps (an item whose exact score beats the cut cannot be below that) and
// rescores the few that pass exactly before they compete; with exploration, the best exact score
// is taken among the items within 2·eps of the best approximate one, and a new item is rescored
// only when its value, bounded from above, could enter. So the items returned and their order
// are those of the exact scores, with and without exploration, and so are the scores' numerators.
// The softmax normaliser sums the approximate scores, except for the items rescored (the top K
// among them, normally its largest terms), with float exponentials (CoarseExpSum, relative error
// below 1e-6 per term), so a returned score's relative error is at most e^(eps + 1e-6) - 1, and
// in practice far smaller (docs/benchmarks/serving.md: up to about 6e-4 measured; about 1e-14 on
// the exact path, whose normaliser uses ExpSum). Smaller catalogues, other models, and queries whose vector is not
// finite are scored exactly with Model::Score. With the form, Rank scores only its input items,
// exactly (the same values as Model::Score gives them).
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

struct CatalogueBinding;

struct ExplorationConfig {
  double weight = 0.3;            // explorationWeight, in [0, 1]
  double age_cutoff_days = 30.0;  // explorationItemAgeCutOff, > 0
};

struct ScoringOptions {
  // Catalogues (model items) from this size on are scored approximately when the model has a
  // DotProductForm. At 10,000 items (d = 64) the approximate path already takes less than half
  // the exact one's time (docs/benchmarks/serving.md); below it the model's float scores cost
  // tens of microseconds, and scores stay exact to within 1e-14.
  int64_t approximate_from_items = 10'000;
};

class QuantizedItems;

struct RankedItem {
  std::string item_id;
  std::optional<double> score;
};

class Recommender {
 public:
  Recommender(std::shared_ptr<const Model> model, const RecipeInfo& recipe,
              ExplorationConfig exploration, ScoringOptions scoring = {});
  ~Recommender();

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
  // Whether Recommend scores the model's catalogue approximately (see Scoring above).
  bool approximates() const { return quantized_ != nullptr; }

 private:
  using Binding = CatalogueBinding;
  struct Scores;
  struct Scratch;
  // The binding for the state now: the cached one, the cached one following the state's item
  // changes, or a new one.
  std::shared_ptr<const Binding> BindingFor(const GroupState& state) const;
  // The model's query for `query`; `history` holds its items.
  ModelQuery QueryFor(const GroupState& state, const Binding& binding, const Query& query,
                      std::vector<int32_t>* history) const;
  // Raw scores of the model's items and of the state's unseen items, approximate where
  // quantized_ applies; `scores` points into `scratch`.
  Status ScoreAll(const Binding& binding, const ModelQuery& query, Scratch& scratch,
                  Scores* scores) const;

  std::shared_ptr<const Model> model_;
  const DotProductForm* form_;                       // model_->dot_product()
  std::unique_ptr<const QuantizedItems> quantized_;  // null: exact scores
  const RecipeInfo& recipe_;
  ExplorationConfig exploration_;
  bool softmax_scores_;  // scores are reported
  bool explores_;        // exploration applies
  mutable std::mutex cache_mu_;
  mutable std::shared_ptr<const Binding> cache_;  // GUARDED_BY(cache_mu_)
};

}  // namespace kindred
