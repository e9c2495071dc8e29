#include "serving/recommender.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

namespace kindred {
namespace {

constexpr double kSecondsPerDay = 86400.0;
constexpr float kNegInf = -std::numeric_limits<float>::infinity();

// The `n` best (score, candidate) pairs, best first; ties keep the lower candidate first.
std::vector<std::pair<double, int32_t>> TopK(std::vector<std::pair<double, int32_t>> scored,
                                             size_t n) {
  auto better = [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  n = std::min(n, scored.size());
  std::partial_sort(scored.begin(), scored.begin() + n, scored.end(), better);
  scored.resize(n);
  return scored;
}

}  // namespace

// Model item j <-> state item index, for one GroupState at one items_version.
struct Recommender::Binding {
  uint64_t state_id = 0;
  uint64_t items_version = 0;
  std::vector<int32_t> model_to_state;                  // -1: the state does not know the item
  std::vector<int32_t> state_to_model;                  // -1: the model did not train on the item
  std::vector<int32_t> unseen;                          // state indices the model did not train on
  std::vector<std::vector<std::string>> unseen_tokens;  // their metadata tokens
};

Recommender::Recommender(std::shared_ptr<const Model> model, const RecipeInfo& recipe,
                         ExplorationConfig exploration)
    : model_(std::move(model)),
      recipe_(recipe),
      exploration_(exploration),
      softmax_scores_(recipe.name == "aws-user-personalization" ||
                      recipe.name == "aws-personalized-ranking"),
      explores_(recipe.name == "aws-user-personalization") {}

std::shared_ptr<const Recommender::Binding> Recommender::BindingFor(const GroupState& state) const {
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    if (cache_ && cache_->state_id == state.id() &&
        cache_->items_version == state.items_version()) {
      return cache_;
    }
  }
  auto b = std::make_shared<Binding>();
  b->state_id = state.id();
  b->items_version = state.items_version();
  const std::vector<std::string>& ids = model_->item_ids();
  const MetadataTable& items = state.items();
  b->state_to_model.assign(items.size(), -1);
  b->model_to_state.resize(ids.size());
  for (size_t j = 0; j < ids.size(); ++j) {
    const int32_t s = items.Find(ids[j]);
    b->model_to_state[j] = s;
    if (s >= 0) b->state_to_model[s] = static_cast<int32_t>(j);
  }
  for (int32_t s = 0; s < items.size(); ++s) {
    if (b->state_to_model[s] >= 0) continue;
    b->unseen.push_back(s);
    b->unseen_tokens.push_back(items.FeatureTokens(s));
  }
  std::lock_guard<std::mutex> lock(cache_mu_);
  cache_ = b;
  return b;
}

Status Recommender::ScoreAll(const GroupState& state, const Binding& b, const Query& query,
                             std::vector<float>* model_scores,
                             std::vector<float>* unseen_scores) const {
  ModelQuery mq;
  std::vector<int32_t> history;
  if (!query.user.empty()) {
    for (const ServingEvent& e : state.Events(query.user)) {
      if (static_cast<size_t>(e.item) < b.state_to_model.size() && b.state_to_model[e.item] >= 0) {
        history.push_back(b.state_to_model[e.item]);
      }
    }
  }
  mq.history = history;
  if (!query.item.empty()) {
    const int32_t s = state.items().Find(query.item);
    if (s >= 0 && static_cast<size_t>(s) < b.state_to_model.size()) mq.item = b.state_to_model[s];
  }
  KINDRED_RETURN_IF_ERROR(model_->Score(mq, model_scores));
  return model_->ScoreUnseen(mq, b.unseen_tokens, unseen_scores);
}

Result<std::vector<RankedItem>> Recommender::Recommend(const GroupState& state,
                                                       const Query& query) const {
  const bool related = recipe_.recipe_type == "RELATED_ITEMS";
  if (related && query.item.empty()) {
    return Status::InvalidInput("itemId is required for a campaign with recipe " + recipe_.name);
  }
  if (!related && query.user.empty()) {
    return Status::InvalidInput("userId is required for a campaign with recipe " + recipe_.name);
  }
  std::shared_ptr<const Binding> b = BindingFor(state);
  std::vector<float> model_scores, unseen_scores;
  KINDRED_RETURN_IF_ERROR(ScoreAll(state, *b, query, &model_scores, &unseen_scores));

  // Candidates: model items 0..M-1, then unseen items M..M+U-1.
  const int32_t m = static_cast<int32_t>(model_scores.size());
  auto state_index = [&](int32_t c) { return c < m ? b->model_to_state[c] : b->unseen[c - m]; };
  auto raw = [&](int32_t c) { return c < m ? model_scores[c] : unseen_scores[c - m]; };
  const int32_t total = m + static_cast<int32_t>(unseen_scores.size());

  float best = kNegInf;
  for (int32_t c = 0; c < total; ++c) best = std::max(best, raw(c));
  if (best == kNegInf) return std::vector<RankedItem>();
  double normaliser = 0;  // softmax over the whole catalogue
  for (int32_t c = 0; c < total; ++c) {
    if (raw(c) != kNegInf) normaliser += std::exp(static_cast<double>(raw(c) - best));
  }
  const int32_t seed = related ? state.items().Find(query.item) : -1;
  const double w = explores_ ? exploration_.weight : 0.0;
  const double cutoff = exploration_.age_cutoff_days * kSecondsPerDay;

  std::vector<std::pair<double, int32_t>> scored;
  scored.reserve(total);
  for (int32_t c = 0; c < total; ++c) {
    const float r = raw(c);
    const int32_t s = state_index(c);
    if (s >= 0 && s == seed) continue;
    if (query.allowed != nullptr &&
        (s < 0 || static_cast<size_t>(s) >= query.allowed->size() || !(*query.allowed)[s])) {
      continue;
    }
    if (w == 0) {
      if (r != kNegInf) scored.emplace_back(r, c);
      continue;
    }
    // Relevance in [0, 1]: the item's probability relative to the best item's (0 for an item
    // the model cannot score, which only exploration can bring in).
    const double relevance = r == kNegInf ? 0.0 : std::exp(static_cast<double>(r - best));
    double novelty = 0;
    if (s >= 0) {
      std::optional<int64_t> created = state.items().CreationTimestamp(s);
      const bool is_new = created ? static_cast<double>(query.now - *created) < cutoff : c >= m;
      if (is_new) novelty = 1.0 / (1.0 + state.Impressions(s));
    }
    if (r == kNegInf && novelty == 0) continue;
    scored.emplace_back((1 - w) * relevance + w * novelty, c);
  }
  std::vector<RankedItem> out;
  for (const auto& [value, c] : TopK(std::move(scored), static_cast<size_t>(query.num_results))) {
    RankedItem item;
    item.item_id = c < m ? model_->item_ids()[c] : state.items().Id(b->unseen[c - m]);
    if (softmax_scores_) {
      item.score =
          raw(c) == kNegInf ? 0.0 : std::exp(static_cast<double>(raw(c) - best)) / normaliser;
    }
    out.push_back(std::move(item));
  }
  return out;
}

Result<std::vector<RankedItem>> Recommender::Rank(const GroupState& state, const Query& query,
                                                  std::span<const std::string> items) const {
  if (query.user.empty()) return Status::InvalidInput("userId is required");
  std::shared_ptr<const Binding> b = BindingFor(state);
  std::vector<float> model_scores, unseen_scores;
  KINDRED_RETURN_IF_ERROR(ScoreAll(state, *b, query, &model_scores, &unseen_scores));
  std::unordered_map<std::string_view, int32_t> model_index;
  const std::vector<std::string>& ids = model_->item_ids();
  for (const std::string& id : items) model_index.emplace(id, -1);
  for (size_t j = 0; j < ids.size(); ++j) {
    if (auto it = model_index.find(ids[j]); it != model_index.end()) it->second = j;
  }
  std::unordered_map<int32_t, float> unseen_score;  // state index -> score
  for (size_t u = 0; u < b->unseen.size(); ++u) unseen_score[b->unseen[u]] = unseen_scores[u];

  std::vector<std::pair<double, int32_t>> scored;  // (raw score, position in `items`)
  std::vector<int32_t> unscored;
  for (int32_t p = 0; p < static_cast<int32_t>(items.size()); ++p) {
    const int32_t s = state.items().Find(items[p]);
    if (query.allowed != nullptr &&
        (s < 0 || static_cast<size_t>(s) >= query.allowed->size() || !(*query.allowed)[s])) {
      continue;
    }
    float r = kNegInf;
    if (const int32_t j = model_index[items[p]]; j >= 0) {
      r = model_scores[j];
    } else if (auto it = unseen_score.find(s); s >= 0 && it != unseen_score.end()) {
      r = it->second;
    }
    if (r == kNegInf) {
      unscored.push_back(p);
    } else {
      scored.emplace_back(r, p);
    }
  }
  double best = kNegInf, normaliser = 0;
  for (const auto& [r, p] : scored) best = std::max(best, r);
  for (const auto& [r, p] : scored) normaliser += std::exp(r - best);
  std::vector<RankedItem> out;
  for (const auto& [r, p] : TopK(scored, scored.size())) {
    RankedItem item{items[p], std::nullopt};
    if (softmax_scores_) item.score = std::exp(r - best) / normaliser;
    out.push_back(std::move(item));
  }
  for (int32_t p : unscored) out.push_back({items[p], std::nullopt});
  return out;
}

}  // namespace kindred
