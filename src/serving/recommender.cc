#include "serving/recommender.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <utility>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

#include "common/reused.h"
#include "serving/catalogue_binding.h"
#include "serving/exp_sum.h"
#include "serving/quantized_items.h"

namespace kindred {
namespace {

constexpr double kSecondsPerDay = 86400.0;
constexpr float kNegInf = -std::numeric_limits<float>::infinity();
constexpr double kNegInfD = -std::numeric_limits<double>::infinity();

// The per-request work below is written for catalogues of a million items: one pass for the best
// score, one vectorised pass for the softmax normaliser, and a top-K pass that looks at an item
// beyond its raw score only when the score could place it among the best K. Results are those of
// the plain definitions (docs/serving.md): the same items in the same order, scores equal to
// within about 1e-14 relative (the normaliser's exponentials are computed by ExpSum) when the
// scores are exact, and to within e^eps - 1 when the model's are approximate (recommender.h).

// The largest float below x (x = -infinity: -infinity).
float FloatBelow(double x) {
  const auto f = static_cast<float>(x);
  return static_cast<double>(f) < x ? f : std::nextafter(f, kNegInf);
}

// GCC/Clang vector extensions: plain code on any target, SIMD instructions where there are some
// (16-byte vectors everywhere: SSE2, the x86-64 baseline, has them).
using Floats = float __attribute__((vector_size(16)));

// Whether any lane of a comparison's result is set (one instruction with SSE2).
inline bool AnyLane(Floats compared) {
#if defined(__SSE2__)
  return _mm_movemask_ps(std::bit_cast<__m128>(compared)) != 0;
#else
  const auto words = std::bit_cast<std::array<uint64_t, 2>>(compared);
  return (words[0] | words[1]) != 0;
#endif
}

// Calls visit(first + i), in increasing order, for each i with scores[i] > cut (read again
// after each call: visit may raise it). Blocks of 16 scores are compared at once through their
// lane-wise maximum, so that a catalogue costs well under one instruction per item when few
// scores are above the cut. Not inlined: inside Recommend the loop's vectors and index were
// kept in memory for want of registers.
template <typename Visit>
[[gnu::noinline]] void ForEachAbove(std::span<const float> scores, int32_t first, const float& cut,
                                    Visit visit) {
  const float* data = scores.data();
  const size_t n = scores.size();
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    Floats v0, v1, v2, v3;
    std::memcpy(&v0, data + i, sizeof v0);
    std::memcpy(&v1, data + i + 4, sizeof v1);
    std::memcpy(&v2, data + i + 8, sizeof v2);
    std::memcpy(&v3, data + i + 12, sizeof v3);
    const Floats m01 = v0 > v1 ? v0 : v1, m23 = v2 > v3 ? v2 : v3;
    const Floats bound = Floats{} + cut;
    if (!AnyLane(Floats((m01 > m23 ? m01 : m23) > bound))) continue;
    for (size_t k = i; k < i + 16; ++k) {
      if (data[k] > cut) visit(first + static_cast<int32_t>(k));
    }
  }
  for (; i < n; ++i) {
    if (data[i] > cut) visit(first + static_cast<int32_t>(i));
  }
}

// A raw score r such that every score at most r has r - best (taken in float, as the ranking
// does) below `lowest`; -infinity when none is found quickly.
float ScoreCut(float best, double lowest) {
  if (std::isinf(lowest)) return static_cast<float>(lowest);
  const double margin = (std::abs(static_cast<double>(best)) + std::abs(lowest)) * 0x1p-20;
  const auto cut = static_cast<float>(static_cast<double>(best) + lowest - margin);
  return static_cast<double>(cut - best) < lowest ? cut : kNegInf;
}

// The `n` best (value, candidate) pairs pushed, where a higher value is better and, between
// equal values, the lower candidate; Take() lists them best first. Which pairs are kept does not
// depend on the order they are pushed in.
class TopK {
 public:
  using Entry = std::pair<double, int32_t>;

  explicit TopK(size_t n) : n_(n) {}

  bool full() const { return n_ > 0 && heap_.size() >= n_; }
  // The worst pair kept; only when full().
  const Entry& worst() const { return heap_.front(); }

  // Keeps (value, c) if it is among the best n so far; true when it was kept.
  bool Push(double value, int32_t c) {
    if (n_ == 0) return false;
    if (!full()) {
      heap_.emplace_back(value, c);
      std::push_heap(heap_.begin(), heap_.end(), Better);
      return true;
    }
    if (!Better({value, c}, heap_.front())) return false;
    std::pop_heap(heap_.begin(), heap_.end(), Better);
    heap_.back() = {value, c};
    std::push_heap(heap_.begin(), heap_.end(), Better);
    return true;
  }

  std::vector<Entry> Take() && {
    std::sort_heap(heap_.begin(), heap_.end(), Better);
    return std::move(heap_);
  }

 private:
  // As a heap's "less", it puts the worst pair at the front.
  static bool Better(const Entry& a, const Entry& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  }

  size_t n_;
  std::vector<Entry> heap_;
};

// Whether an item counts as new for exploration at `now`: created less than `cutoff` seconds
// ago or, without CREATION_TIMESTAMP, when the model did not train on it.
bool IsNew(std::optional<int64_t> created, bool unseen, int64_t now, double cutoff) {
  return created ? static_cast<double>(now - *created) < cutoff : unseen;
}

}  // namespace

// Buffers for the raw scores of one request, lent from the thread's stock (Reused) so that a
// request allocates nothing that grows with the catalogue: a thread keeps about 4 bytes per item
// of the largest catalogue it scored for each request it served at once (one, or a batch's).
struct Recommender::Scratch {
  std::vector<float> model_scores;
  std::vector<float> unseen_scores;
  std::vector<float> query;  // the query vector (DotProductForm)
};

// One request's raw scores, in its Scratch: exact, or for the model's items within eps
// of the exact ones (then `query` is the form's query vector, for rescoring, and an item's
// exact score replaces its approximation once computed).
struct Recommender::Scores {
  std::span<float> model;         // per model item
  std::span<const float> unseen;  // per unseen item, exact
  std::span<const float> query;
  double eps = 0;              // |exact - model[j]| <= eps; 0: `model` is exact
  float model_best = kNegInf;  // the largest of `model`
};

Recommender::Recommender(std::shared_ptr<const Model> model, const RecipeInfo& recipe,
                         ExplorationConfig exploration, ScoringOptions scoring)
    : model_(std::move(model)),
      form_(model_->dot_product()),
      recipe_(recipe),
      exploration_(exploration),
      softmax_scores_(recipe.name == "aws-user-personalization" ||
                      recipe.name == "aws-personalized-ranking"),
      explores_(recipe.name == "aws-user-personalization") {
  const auto n = static_cast<int64_t>(model_->item_ids().size());
  if (form_ != nullptr && n >= scoring.approximate_from_items) {
    quantized_ = QuantizedItems::Build(*form_, static_cast<int32_t>(n));
  }
}

Recommender::~Recommender() = default;

std::shared_ptr<const Recommender::Binding> Recommender::BindingFor(const GroupState& state) const {
  std::shared_ptr<const Binding> cached;
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    cached = cache_;
  }
  if (cached && cached->state_id == state.id() && cached->items_version == state.items_version()) {
    return cached;
  }
  std::shared_ptr<const Binding> b;
  if (cached) b = cached->Follow(*model_, state).value_or(nullptr);
  if (!b) b = Binding::Build(*model_, state);
  std::lock_guard<std::mutex> lock(cache_mu_);
  cache_ = b;
  return b;
}

ModelQuery Recommender::QueryFor(const GroupState& state, const Binding& b, const Query& query,
                                 std::vector<int32_t>* history) const {
  const auto m = static_cast<int32_t>(b.model_to_state.size());
  auto model_item = [&](int32_t s) {
    if (s < 0 || static_cast<size_t>(s) >= b.state_to_candidate.size()) return -1;
    const int32_t c = b.state_to_candidate[s];
    return c < m ? c : -1;
  };
  ModelQuery mq;
  history->clear();
  if (!query.user.empty()) {
    for (const ServingEvent& e : state.Events(query.user)) {
      if (const int32_t j = model_item(e.item); j >= 0) history->push_back(j);
    }
  }
  mq.history = *history;
  if (!query.item.empty()) mq.item = model_item(state.items().Find(query.item));
  return mq;
}

Status Recommender::ScoreAll(const Binding& b, const ModelQuery& mq, Scratch& scratch,
                             Scores* out) const {
  *out = Scores();
  if (quantized_ != nullptr) {
    const size_t d = form_->dimension();
    scratch.query.resize(d);
    KINDRED_RETURN_IF_ERROR(form_->QueryVector(mq, scratch.query));
    scratch.model_scores.resize(quantized_->size());
    if (std::optional<QuantizedItems::Approximation> approximation =
            quantized_->Scores(scratch.query, scratch.model_scores)) {
      scratch.unseen_scores.resize(b.unseen.size());
      for (size_t u = 0; u < b.unseen.size(); ++u) {
        scratch.unseen_scores[u] = DotProductForm::ExactScore(
            scratch.query, b.unseen_vectors.data() + u * d, b.unseen_biases[u]);
      }
      *out = {scratch.model_scores, scratch.unseen_scores, scratch.query, approximation->eps,
              approximation->best};
      return Status::Ok();
    }
  }
  KINDRED_RETURN_IF_ERROR(model_->Score(mq, &scratch.model_scores));
  if (b.unseen_tokens.empty()) {  // spares the model a second pass over the query
    scratch.unseen_scores.clear();
  } else {
    KINDRED_RETURN_IF_ERROR(model_->ScoreUnseen(mq, b.unseen_tokens, &scratch.unseen_scores));
  }
  out->model = scratch.model_scores;
  out->unseen = scratch.unseen_scores;
  out->model_best = MaxOf(out->model);
  return Status::Ok();
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
  std::vector<int32_t> history;
  Reused<Scratch> scratch;
  Scores scores;
  KINDRED_RETURN_IF_ERROR(ScoreAll(*b, QueryFor(state, *b, query, &history), *scratch, &scores));
  const double eps = scores.eps;

  // Candidates: model items 0..M-1, then unseen items M..M+U-1.
  const auto m = static_cast<int32_t>(scores.model.size());
  auto state_index = [&](int32_t c) { return c < m ? b->model_to_state[c] : b->unseen[c - m]; };
  // The exact raw score: rescored when the model's scores are approximate, and kept, so that
  // the normaliser sums the exact scores of the items that come near the top.
  auto raw = [&](int32_t c) {
    if (c >= m) return scores.unseen[c - m];
    if (eps == 0) return scores.model[c];
    float exact = 0;
    form_->ScoreItems(scores.query, {&c, 1}, {&exact, 1});
    return scores.model[c] = exact;
  };

  // `top`: the best score in `scores`, the best exact score when the model's are exact.
  // `reference`: at least every score, exact or approximate (the normaliser's reference).
  const float top = std::max(scores.model_best, MaxOf(scores.unseen));
  if (top == kNegInf) return std::vector<RankedItem>();
  const float reference = eps == 0 ? top : -FloatBelow(-(static_cast<double>(top) + eps));
  const int32_t seed = related ? state.items().Find(query.item) : -1;
  auto eligible = [&](int32_t s) {
    if (s >= 0 && s == seed) return false;
    return query.allowed == nullptr ||
           (s >= 0 && static_cast<size_t>(s) < query.allowed->size() && (*query.allowed)[s]);
  };
  const double w = explores_ ? exploration_.weight : 0.0;
  const double cutoff = exploration_.age_cutoff_days * kSecondsPerDay;

  TopK out_top(static_cast<size_t>(query.num_results));  // as many as there are when negative
  // Only candidates whose exact raw score is above `cut` can enter `out_top`; each pass raises
  // it as `out_top` fills up. The model's scores are compared against `model_cut`, which is
  // below cut - eps: an exact score above `cut` has its approximation above it.
  float cut = kNegInf, model_cut = kNegInf;
  auto set_cut = [&](float c) {
    cut = c;
    model_cut = eps == 0 ? c : FloatBelow(static_cast<double>(c) - eps);
  };
  auto scan = [&](auto visit) {
    // No model score is above model_best: with exploration, the new items often fill the top
    // so well that the pass over the catalogue's scores can be skipped.
    if (model_cut < scores.model_best) ForEachAbove(scores.model, 0, model_cut, visit);
    ForEachAbove(scores.unseen, m, cut, visit);
  };
  if (w == 0) {
    // Ranked by raw score; candidates come in increasing order, so an equal score loses.
    scan([&](int32_t c) {
      if (eligible(state_index(c)) && out_top.Push(raw(c), c) && out_top.full()) {
        set_cut(static_cast<float>(out_top.worst().first));
      }
    });
  } else {
    // The best exact score: the approximation of the item with the best exact score is at least
    // model_best - 2·eps (the best approximation's item scores at least model_best - eps).
    float best = top;
    if (eps != 0) {
      best = MaxOf(scores.unseen);
      const float from = FloatBelow(static_cast<double>(scores.model_best) - 2 * eps);
      ForEachAbove(scores.model, 0, from, [&](int32_t c) { best = std::max(best, raw(c)); });
    }
    // Ranked by (1 - w) * relevance + w * novelty, relevance = the item's probability relative
    // to the best item's (0 when the model cannot score it), novelty = 1 / (1 + impressions)
    // for new items, else 0.
    auto value = [&](float r, double novelty) {
      const double relevance = r == kNegInf ? 0.0 : std::exp(static_cast<double>(r - best));
      return (1 - w) * relevance + w * novelty;
    };
    // A raw score r such that an item with novelty at most `novelty` and a score at most r
    // cannot beat the worst value kept, as (1 - w) * e^(r - best) + w * novelty grows with r;
    // -infinity when there is none. The bound stays below the exact one by a margin far larger
    // than the rounding of exp and log.
    auto cut_for = [&](double novelty) {
      const double room = out_top.full() ? out_top.worst().first - w * novelty : 0.0;
      if (room <= 0) return kNegInf;
      double lowest = std::numeric_limits<double>::infinity();
      if (w < 1) {
        const double exact = std::log(room / (1 - w));
        lowest = exact - 1e-9 * (1 + std::abs(exact));
      }
      return ScoreCut(best, lowest);
    };
    // New items first, each valued in full, in decreasing order of their value bounded from
    // above (from the approximate score plus eps, with a margin for exp's rounding), so that
    // once the top is full the first one whose bound cannot enter ends the pass: only about K of
    // them are rescored.
    struct Fresh {
      double bound;
      double novelty;
      int32_t c;
      bool operator<(const Fresh& o) const { return bound < o.bound; }
    };
    std::vector<Fresh> fresh;
    auto add_new = [&](int32_t c, int32_t s) {
      if (!eligible(s)) return;
      const double novelty = 1.0 / (1.0 + state.Impressions(s));
      const float above = eps != 0 && c < m ? -FloatBelow(-(scores.model[c] + eps)) : raw(c);
      fresh.push_back({value(above, novelty) * (1 + 1e-12), novelty, c});
    };
    for (const auto& [created, c, s] : b->dated) {
      if (!IsNew(created, c >= m, query.now, cutoff)) break;
      add_new(c, s);
    }
    for (int32_t c : b->undated_unseen) add_new(c, state_index(c));
    std::make_heap(fresh.begin(), fresh.end());
    for (auto end = fresh.end(); end != fresh.begin(); --end) {
      std::pop_heap(fresh.begin(), end);
      const Fresh& f = *(end - 1);
      if (out_top.full() && f.bound < out_top.worst().first) break;
      out_top.Push(value(raw(f.c), f.novelty), f.c);
    }
    // Then the others (novelty 0).
    auto update_cut = [&] { set_cut(cut_for(0.0)); };
    update_cut();
    scan([&](int32_t c) {
      const int32_t s = state_index(c);
      if (s >= 0 && IsNew(state.items().CreationTimestamp(s), c >= m, query.now, cutoff)) {
        return;  // pushed above
      }
      if (eligible(s) && out_top.Push(value(raw(c), 0.0), c)) update_cut();
    });
  }
  double normaliser = 1.0;  // softmax over the whole catalogue
  if (softmax_scores_) {
    normaliser =
        (eps == 0 ? ExpSum(scores.model, reference) : CoarseExpSum(scores.model, reference)) +
        ExpSum(scores.unseen, reference);
  }
  std::vector<RankedItem> out;
  for (const auto& [v, c] : std::move(out_top).Take()) {
    RankedItem item;
    item.item_id = c < m ? model_->item_ids()[c] : state.items().Id(b->unseen[c - m]);
    if (softmax_scores_) {
      // Exact already: every candidate in the top was scored by raw(), which kept the score.
      const float r = c < m ? scores.model[c] : scores.unseen[c - m];
      item.score = r == kNegInf ? 0.0 : std::exp(static_cast<double>(r - reference)) / normaliser;
    }
    out.push_back(std::move(item));
  }
  return out;
}

Result<std::vector<RankedItem>> Recommender::Rank(const GroupState& state, const Query& query,
                                                  std::span<const std::string> items) const {
  if (query.user.empty()) return Status::InvalidInput("userId is required");
  std::shared_ptr<const Binding> b = BindingFor(state);
  std::vector<int32_t> history;
  const ModelQuery mq = QueryFor(state, *b, query, &history);
  const auto m = static_cast<int32_t>(b->model_to_state.size());
  // The raw score of candidate c: with the form, only for the input items.
  std::function<float(int32_t)> score;
  Reused<Scratch> reused;
  Scratch& scratch = *reused;
  if (form_ != nullptr) {
    const size_t d = form_->dimension();
    scratch.query.resize(d);
    KINDRED_RETURN_IF_ERROR(form_->QueryVector(mq, scratch.query));
    score = [&, d](int32_t c) {  // d by value: it ends with this block, the lambda does not
      if (c >= m) {
        return DotProductForm::ExactScore(scratch.query, b->unseen_vectors.data() + (c - m) * d,
                                          b->unseen_biases[c - m]);
      }
      float exact = 0;
      form_->ScoreItems(scratch.query, {&c, 1}, {&exact, 1});
      return exact;
    };
  } else {
    KINDRED_RETURN_IF_ERROR(model_->Score(mq, &scratch.model_scores));
    scratch.unseen_scores.clear();
    if (!b->unseen_tokens.empty()) {
      KINDRED_RETURN_IF_ERROR(model_->ScoreUnseen(mq, b->unseen_tokens, &scratch.unseen_scores));
    }
    score = [&](int32_t c) {
      return c < m ? scratch.model_scores[c] : scratch.unseen_scores[c - m];
    };
  }
  // The raw score of an input item, -infinity when the model cannot score it.
  auto score_of = [&](const std::string& id, int32_t s) {
    int32_t c = -1;
    if (s >= 0 && static_cast<size_t>(s) < b->state_to_candidate.size()) {
      c = b->state_to_candidate[s];
    } else if (auto it = b->model_only.find(id); it != b->model_only.end()) {
      c = it->second;
    }
    return c < 0 ? kNegInf : score(c);
  };

  std::vector<std::pair<double, int32_t>> scored;  // (raw score, position in `items`)
  std::vector<int32_t> unscored;
  for (int32_t p = 0; p < static_cast<int32_t>(items.size()); ++p) {
    const int32_t s = state.items().Find(items[p]);
    if (query.allowed != nullptr &&
        (s < 0 || static_cast<size_t>(s) >= query.allowed->size() || !(*query.allowed)[s])) {
      continue;
    }
    const float r = score_of(items[p], s);
    if (r == kNegInf) {
      unscored.push_back(p);
    } else {
      scored.emplace_back(r, p);
    }
  }
  double best = kNegInfD, normaliser = 0;
  for (const auto& [r, p] : scored) best = std::max(best, r);
  for (const auto& [r, p] : scored) normaliser += std::exp(r - best);
  TopK order(scored.size());
  for (const auto& [r, p] : scored) order.Push(r, p);
  std::vector<RankedItem> out;
  for (const auto& [r, p] : std::move(order).Take()) {
    RankedItem item{items[p], std::nullopt};
    if (softmax_scores_) item.score = std::exp(r - best) / normaliser;
    out.push_back(std::move(item));
  }
  for (int32_t p : unscored) out.push_back({items[p], std::nullopt});
  return out;
}

}  // namespace kindred
