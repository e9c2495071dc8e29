#include "recipes/offline_metrics.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <random>

namespace kindred {
namespace {

constexpr float kExcluded = -std::numeric_limits<float>::infinity();

// `data` with only the oldest keep[u] events of each user u; ids and metadata unchanged, so
// user and item indices stay valid.
TrainingData KeepOldest(const TrainingData& data, const std::vector<size_t>& keep) {
  TrainingData out;
  out.users = data.users;
  out.items = data.items;
  out.event_types = data.event_types;
  out.features = data.features;
  out.item_features = data.item_features;
  out.item_creation = data.item_creation;
  out.user_offsets.assign(data.num_users() + 1, 0);
  for (int32_t u = 0; u < data.num_users(); ++u) {
    std::span<const Interaction> h = data.History(u).first(keep[u]);
    out.interactions.insert(out.interactions.end(), h.begin(), h.end());
    out.user_offsets[u + 1] = out.interactions.size();
  }
  return out;
}

Result<std::unique_ptr<Model>> TrainTimed(const Recipe& recipe, const TrainingData& data,
                                          const HyperParameters& params,
                                          const TrainingControl& control, double* seconds) {
  const auto start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<Model>> model = recipe.Train(data, params, control);
  *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return model;
}

// Scores every item for `user` with `history`; items of the history score kExcluded.
Status ScoreHistory(const Model& model, const Recipe& recipe, int32_t user,
                    const std::vector<int32_t>& history, std::vector<float>* scores) {
  ModelQuery query;
  query.user = user;
  query.history = history;
  if (recipe.info().recipe_type == "RELATED_ITEMS" && !history.empty()) query.item = history.back();
  KINDRED_RETURN_IF_ERROR(model.Score(query, scores));
  if (scores->size() != model.item_ids().size()) return Status::Internal("model scored badly");
  for (int32_t item : history) (*scores)[item] = kExcluded;
  return Status::Ok();
}

// True when item a ranks ahead of item b.
bool Ahead(const std::vector<float>& scores, int32_t a, int32_t b) {
  return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
}

// The (at most) k best items with a finite score, best first.
std::vector<int32_t> TopK(const std::vector<float>& scores, size_t k) {
  std::vector<int32_t> items;
  for (int32_t i = 0; i < static_cast<int32_t>(scores.size()); ++i) {
    if (scores[i] != kExcluded) items.push_back(i);
  }
  k = std::min(k, items.size());
  std::partial_sort(items.begin(), items.begin() + k, items.end(),
                    [&](int32_t a, int32_t b) { return Ahead(scores, a, b); });
  items.resize(k);
  return items;
}

std::vector<int32_t> Items(std::span<const Interaction> events) {
  std::vector<int32_t> items;
  for (const Interaction& x : events) items.push_back(x.item);
  return items;
}

double Round4(double v) { return std::round(v * 1e4) / 1e4; }

}  // namespace

Result<std::map<std::string, double>> PersonalizeOfflineMetrics(const TrainingData& data,
                                                                const Recipe& recipe,
                                                                const HyperParameters& params,
                                                                const TrainingControl& control,
                                                                uint64_t seed) {
  std::vector<int32_t> eligible;
  for (int32_t u = 0; u < data.num_users(); ++u) {
    if (data.History(u).size() >= 2) eligible.push_back(u);
  }
  if (eligible.empty()) return Status::InvalidInput("no user has the 2 events needed to evaluate");
  std::mt19937_64 rng(seed);
  std::shuffle(eligible.begin(), eligible.end(), rng);
  eligible.resize(std::max<size_t>(1, (eligible.size() + 5) / 10));
  std::sort(eligible.begin(), eligible.end());

  std::vector<size_t> keep(data.num_users());
  for (int32_t u = 0; u < data.num_users(); ++u) keep[u] = data.History(u).size();
  for (int32_t u : eligible) keep[u] = 0;
  double seconds = 0;
  Result<std::unique_ptr<Model>> model =
      TrainTimed(recipe, KeepOldest(data, keep), params, control, &seconds);
  if (!model.ok()) return model.status();

  constexpr int kCutoffs[] = {5, 10, 25};
  std::map<std::string, double> sums;
  std::vector<bool> covered(data.num_items(), false);
  std::vector<float> scores;
  int64_t evaluated = 0;
  for (int32_t u : eligible) {
    std::span<const Interaction> h = data.History(u);
    const size_t num_relevant = std::max<size_t>(1, h.size() / 10);
    const std::vector<int32_t> history = Items(h.first(h.size() - num_relevant));
    std::vector<int32_t> relevant;
    for (int32_t item : Items(h.last(num_relevant))) {
      if (std::find(history.begin(), history.end(), item) == history.end() &&
          std::find(relevant.begin(), relevant.end(), item) == relevant.end()) {
        relevant.push_back(item);
      }
    }
    if (relevant.empty()) continue;
    KINDRED_RETURN_IF_ERROR(ScoreHistory(**model, recipe, u, history, &scores));
    const std::vector<int32_t> top = TopK(scores, 25);
    ++evaluated;
    double dcg = 0, reciprocal_rank = 0;
    int hits = 0;
    size_t next_cutoff = 0;
    for (size_t pos = 0; pos < 25; ++pos) {
      if (pos < top.size()) {
        covered[top[pos]] = true;
        if (std::find(relevant.begin(), relevant.end(), top[pos]) != relevant.end()) {
          ++hits;
          dcg += 1.0 / std::log2(pos + 2.0);
          if (reciprocal_rank == 0) reciprocal_rank = 1.0 / (pos + 1.0);
        }
      }
      if (pos + 1 == static_cast<size_t>(kCutoffs[next_cutoff])) {
        const int k = kCutoffs[next_cutoff++];
        double ideal = 0;
        for (size_t i = 0; i < std::min<size_t>(k, relevant.size()); ++i) {
          ideal += 1.0 / std::log2(i + 2.0);
        }
        const std::string suffix = "_at_" + std::to_string(k);
        sums["normalized_discounted_cumulative_gain" + suffix] += dcg / ideal;
        sums["precision" + suffix] += static_cast<double>(hits) / k;
      }
    }
    sums["mean_reciprocal_rank_at_25"] += reciprocal_rank;
  }
  if (evaluated == 0) {
    return Status::InvalidInput("no held-out user has a new item among their newest events");
  }
  std::map<std::string, double> metrics;
  for (const auto& [name, sum] : sums) metrics[name] = Round4(sum / evaluated);
  metrics["coverage"] =
      Round4(static_cast<double>(std::count(covered.begin(), covered.end(), true)) /
             std::max(1, data.num_items()));
  return metrics;
}

Result<NextItemMetrics> EvaluateNextItem(const TrainingData& data, const Recipe& recipe,
                                         const HyperParameters& params,
                                         const TrainingControl& control,
                                         const NextItemOptions& options) {
  std::vector<size_t> keep(data.num_users());
  for (int32_t u = 0; u < data.num_users(); ++u) {
    const size_t n = data.History(u).size();
    keep[u] = n >= 3 ? n - 2 : n;
  }
  NextItemMetrics m;
  Result<std::unique_ptr<Model>> model =
      TrainTimed(recipe, KeepOldest(data, keep), params, control, &m.train_seconds);
  if (!model.ok()) return model.status();

  const size_t from_end = options.target == NextItemOptions::Target::kTest ? 1 : 2;
  std::mt19937_64 rng(options.seed);
  std::uniform_int_distribution<int32_t> any_item(0, std::max(0, data.num_items() - 1));
  std::vector<int32_t> marked(data.num_items(), -1);
  std::vector<float> scores;
  for (int32_t u = 0; u < data.num_users(); ++u) {
    std::span<const Interaction> h = data.History(u);
    if (h.size() < 3) continue;
    const size_t target_at = h.size() - from_end;
    const int32_t target = h[target_at].item;
    const std::vector<int32_t> history = Items(h.first(target_at));
    if (std::find(history.begin(), history.end(), target) != history.end()) continue;
    KINDRED_RETURN_IF_ERROR(ScoreHistory(**model, recipe, u, history, &scores));
    ++m.users;
    if (scores[target] == kExcluded) continue;  // a miss for both rankings

    int64_t rank = 1;
    for (int32_t i = 0; i < data.num_items(); ++i) {
      if (i != target && Ahead(scores, i, target)) ++rank;
    }
    if (rank <= options.cutoff) {
      m.hit_rate += 1;
      m.ndcg += 1.0 / std::log2(rank + 1.0);
    }

    // marked[i] == u: u interacted with i, or i is already one of u's negatives.
    int64_t interacted = 0;
    for (const Interaction& x : h) {
      if (marked[x.item] != u) ++interacted;
      marked[x.item] = u;
    }
    int64_t sampled_rank = 1;
    if (data.num_items() - interacted <= options.num_negatives) {
      for (int32_t i = 0; i < data.num_items(); ++i) {
        if (marked[i] != u && Ahead(scores, i, target)) ++sampled_rank;
      }
    } else {
      for (int drawn = 0; drawn < options.num_negatives;) {
        const int32_t i = any_item(rng);
        if (marked[i] == u) continue;
        marked[i] = u;
        ++drawn;
        if (Ahead(scores, i, target)) ++sampled_rank;
      }
    }
    if (sampled_rank <= options.cutoff) {
      m.sampled_hit_rate += 1;
      m.sampled_ndcg += 1.0 / std::log2(sampled_rank + 1.0);
    }
  }
  if (m.users == 0) return Status::InvalidInput("no user has the 3 events needed to evaluate");
  for (double* v : {&m.hit_rate, &m.ndcg, &m.sampled_hit_rate, &m.sampled_ndcg}) *v /= m.users;
  return m;
}

}  // namespace kindred
