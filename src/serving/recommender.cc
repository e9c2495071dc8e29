#include "serving/recommender.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <unordered_map>
#include <utility>

namespace kindred {
namespace {

constexpr double kSecondsPerDay = 86400.0;
constexpr float kNegInf = -std::numeric_limits<float>::infinity();
constexpr double kNegInfD = -std::numeric_limits<double>::infinity();

// The per-request work below is written for catalogues of a million items: one pass for the best
// score, one vectorised pass for the softmax normaliser, and a top-K pass that looks at an item
// beyond its raw score only when the score could place it among the best K. Results are those of
// the plain definitions (docs/serving.md): the same items in the same order, scores equal to
// within about 1e-14 relative (the normaliser's exponentials are computed by ExpSum).

// Buffers for the raw scores of one thread's requests, kept between requests so that a request
// allocates nothing that grows with the catalogue (each thread that served a request keeps about
// 4 bytes per item of the largest catalogue it scored). Recommend and Rank never nest.
struct Scratch {
  std::vector<float> model_scores;
  std::vector<float> unseen_scores;
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

// GCC/Clang vector extensions: plain code on any target, SIMD instructions where there are some
// (16-byte vectors everywhere: SSE2, the x86-64 baseline, has them; AVX2 where noted).
using Floats = float __attribute__((vector_size(16)));

// The largest value of `v`, -infinity when empty; NaNs are ignored.
float MaxOf(std::span<const float> v) {
  Floats lanes = Floats{} + kNegInf;
  size_t i = 0;
  for (; i + 4 <= v.size(); i += 4) {
    Floats x;
    std::memcpy(&x, v.data() + i, sizeof x);
    lanes = x > lanes ? x : lanes;
  }
  float best = kNegInf;
  for (; i < v.size(); ++i) best = v[i] > best ? v[i] : best;
  for (int l = 0; l < 4; ++l) best = lanes[l] > best ? lanes[l] : best;
  return best;
}

// 2^(j/64) for j = 0..63.
const std::array<double, 64> kExp2Table = [] {
  std::array<double, 64> t{};
  for (size_t j = 0; j < t.size(); ++j) t[j] = std::exp2(static_cast<double>(j) / 64);
  return t;
}();

// Vectors of kWidth doubles, and of as many floats and 64-bit integers.
template <int kWidth>
struct Lanes;
template <>
struct Lanes<2> {
  using Floats = float __attribute__((vector_size(8)));
  using Doubles = double __attribute__((vector_size(16)));
  using Longs = int64_t __attribute__((vector_size(16)));
};
template <>
struct Lanes<4> {
  using Floats = float __attribute__((vector_size(16)));
  using Doubles = double __attribute__((vector_size(32)));
  using Longs = int64_t __attribute__((vector_size(32)));
};

// x = e^x in each lane, for x <= 0 (-infinity included): relative error below 1e-15 down to
// x = -708, and 0 below it (where e^x < 1e-307, nothing next to the softmax normaliser's 1).
// x = (64q + j)·ln2/64 + r with |r| <= ln2/128, so e^x = 2^q · 2^(j/64) · e^r, e^r by its Taylor
// polynomial of degree 5 (error below r^6/6! < 1e-16).
template <int kWidth>
[[gnu::always_inline]] inline void ExpNonPositive(typename Lanes<kWidth>::Doubles& x) {
  using Doubles = typename Lanes<kWidth>::Doubles;
  using Longs = typename Lanes<kWidth>::Longs;
  constexpr double kLn2Hi = 6.93147180369123816490e-01 / 64;  // ln2/64 in two parts, the first
  constexpr double kLn2Lo = 1.90821492927058770002e-10 / 64;  // exact when multiplied by k
  const Doubles lowest = Doubles{} - 708.0;
  const Doubles shift = Doubles{} + 0x1.8p52;  // adding it rounds to an integer in the low bits
  const Longs underflow = x < lowest;
  const Doubles y = underflow ? lowest : x;
  const Doubles shifted = y * (64 / 0.6931471805599453) + shift;
  const Doubles k = shifted - shift;  // 64q + j
  const Doubles r = y - k * kLn2Hi - k * kLn2Lo;
  const Doubles r2 = r * r;
  const Doubles p = (1 + r) + r2 * ((0.5 + r * (1.0 / 6)) + r2 * (1.0 / 24 + r * (1.0 / 120)));
  const Longs bits = __builtin_bit_cast(Longs, shifted);  // 64q + j in two's complement, low bits
  Doubles table;
  for (int l = 0; l < kWidth; ++l) table[l] = kExp2Table[bits[l] & 63];
  const Longs scaled = __builtin_bit_cast(Longs, table) + ((bits & ~int64_t{63}) << 46);  // · 2^q
  x = underflow ? Doubles{} : p * __builtin_bit_cast(Doubles, scaled);
}

// Σ e^(v[i] - best) in double over v (each difference taken in float, as the scores are);
// -infinity scores add nothing. kWidth lanes, two vectors at a time.
template <int kWidth>
[[gnu::always_inline]] inline double ExpSumOf(std::span<const float> v, float best) {
  using Floats = typename Lanes<kWidth>::Floats;
  using Doubles = typename Lanes<kWidth>::Doubles;
  Doubles sums[2] = {};
  auto add = [&](const float* from, Doubles& sum) {
    Floats x;
    std::memcpy(&x, from, sizeof x);
    Doubles e = __builtin_convertvector(x - best, Doubles);
    ExpNonPositive<kWidth>(e);
    sum += e;
  };
  size_t i = 0;
  for (; i + 2 * kWidth <= v.size(); i += 2 * kWidth) {
    add(v.data() + i, sums[0]);
    add(v.data() + i + kWidth, sums[1]);
  }
  float tail[2 * kWidth];
  std::fill(std::begin(tail), std::end(tail), kNegInf);
  std::copy(v.begin() + static_cast<ptrdiff_t>(i), v.end(), tail);
  add(tail, sums[0]);
  add(tail + kWidth, sums[1]);
  const Doubles sum = sums[0] + sums[1];
  double total = 0;
  for (int l = 0; l < kWidth; ++l) total += sum[l];
  return total;
}

#if defined(__x86_64__)
// The same with AVX2 and FMA, about three times as fast where the processor has them.
[[gnu::target("avx2,fma")]] double ExpSumAvx2(std::span<const float> v, float best) {
  return ExpSumOf<4>(v, best);
}
#endif

double ExpSum(std::span<const float> v, float best) {
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (avx2) return ExpSumAvx2(v, best);
#endif
  return ExpSumOf<2>(v, best);
}

// Calls visit(first + i), in increasing order, for each i with scores[i] > cut (read again
// after each call: visit may raise it). Blocks of 8 scores are compared at once, so that a
// catalogue costs about one instruction per item when few scores are above the cut.
template <typename Visit>
void ForEachAbove(std::span<const float> scores, int32_t first, const float& cut, Visit visit) {
  using Ints = int32_t __attribute__((vector_size(16)));
  size_t i = 0;
  for (; i + 8 <= scores.size(); i += 8) {
    Floats a, b;
    std::memcpy(&a, scores.data() + i, sizeof a);
    std::memcpy(&b, scores.data() + i + 4, sizeof b);
    const Floats bound = Floats{} + cut;
    const auto above = std::bit_cast<std::array<uint64_t, 2>>(Ints(a > bound) | Ints(b > bound));
    if ((above[0] | above[1]) == 0) continue;
    for (size_t k = i; k < i + 8; ++k) {
      if (scores[k] > cut) visit(first + static_cast<int32_t>(k));
    }
  }
  for (; i < scores.size(); ++i) {
    if (scores[i] > cut) visit(first + static_cast<int32_t>(i));
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

// Model item j <-> state item index, for one GroupState at one items_version. Candidates are the
// model's items 0..M-1, then the state's unseen items M..M+U-1.
struct Recommender::Binding {
  uint64_t state_id = 0;
  uint64_t items_version = 0;
  std::vector<int32_t> model_to_state;      // -1: the state does not know the item
  std::vector<int32_t> state_to_candidate;  // every state item is a model item or unseen
  std::unordered_map<std::string_view, int32_t> model_only;  // model items the state lacks
  std::vector<int32_t> unseen;                               // state indices the model did not
  std::vector<std::vector<std::string>> unseen_tokens;       // train on, and their tokens
  // For exploration: the candidates the state has a CREATION_TIMESTAMP for, newest first, and
  // the unseen ones without it (new whatever the time).
  std::vector<std::pair<int64_t, int32_t>> dated;
  std::vector<int32_t> undated_unseen;
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
  const auto m = static_cast<int32_t>(ids.size());
  b->state_to_candidate.assign(items.size(), -1);
  b->model_to_state.resize(ids.size());
  for (int32_t j = 0; j < m; ++j) {
    const int32_t s = items.Find(ids[j]);
    b->model_to_state[j] = s;
    if (s >= 0) {
      b->state_to_candidate[s] = j;
    } else {
      b->model_only.emplace(ids[j], j);
    }
  }
  for (int32_t s = 0; s < items.size(); ++s) {
    if (b->state_to_candidate[s] >= 0) continue;
    b->state_to_candidate[s] = m + static_cast<int32_t>(b->unseen.size());
    b->unseen.push_back(s);
    b->unseen_tokens.push_back(items.FeatureTokens(s));
  }
  for (int32_t s = 0; s < items.size(); ++s) {
    const int32_t c = b->state_to_candidate[s];
    if (std::optional<int64_t> created = items.CreationTimestamp(s)) {
      b->dated.emplace_back(*created, c);
    } else if (c >= m) {
      b->undated_unseen.push_back(c);
    }
  }
  std::sort(b->dated.begin(), b->dated.end(), std::greater<>());
  std::lock_guard<std::mutex> lock(cache_mu_);
  cache_ = b;
  return b;
}

Status Recommender::ScoreAll(const GroupState& state, const Binding& b, const Query& query,
                             std::vector<float>* model_scores,
                             std::vector<float>* unseen_scores) const {
  const auto m = static_cast<int32_t>(b.model_to_state.size());
  auto model_item = [&](int32_t s) {
    if (s < 0 || static_cast<size_t>(s) >= b.state_to_candidate.size()) return -1;
    const int32_t c = b.state_to_candidate[s];
    return c < m ? c : -1;
  };
  ModelQuery mq;
  std::vector<int32_t> history;
  if (!query.user.empty()) {
    for (const ServingEvent& e : state.Events(query.user)) {
      if (const int32_t j = model_item(e.item); j >= 0) history.push_back(j);
    }
  }
  mq.history = history;
  if (!query.item.empty()) mq.item = model_item(state.items().Find(query.item));
  KINDRED_RETURN_IF_ERROR(model_->Score(mq, model_scores));
  if (b.unseen_tokens.empty()) {  // spares the model a second pass over the query
    unseen_scores->clear();
    return Status::Ok();
  }
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
  Scratch& scratch = ThreadScratch();
  KINDRED_RETURN_IF_ERROR(
      ScoreAll(state, *b, query, &scratch.model_scores, &scratch.unseen_scores));
  const std::span<const float> model_scores = scratch.model_scores;
  const std::span<const float> unseen_scores = scratch.unseen_scores;

  // Candidates: model items 0..M-1, then unseen items M..M+U-1.
  const auto m = static_cast<int32_t>(model_scores.size());
  auto state_index = [&](int32_t c) { return c < m ? b->model_to_state[c] : b->unseen[c - m]; };
  auto raw = [&](int32_t c) { return c < m ? model_scores[c] : unseen_scores[c - m]; };

  const float best = std::max(MaxOf(model_scores), MaxOf(unseen_scores));
  if (best == kNegInf) return std::vector<RankedItem>();
  const int32_t seed = related ? state.items().Find(query.item) : -1;
  auto eligible = [&](int32_t s) {
    if (s >= 0 && s == seed) return false;
    return query.allowed == nullptr ||
           (s >= 0 && static_cast<size_t>(s) < query.allowed->size() && (*query.allowed)[s]);
  };
  const double w = explores_ ? exploration_.weight : 0.0;
  const double cutoff = exploration_.age_cutoff_days * kSecondsPerDay;

  TopK top(static_cast<size_t>(query.num_results));  // as many as there are when negative
  // Only candidates whose raw score is above `cut` can enter `top`; each pass raises it as
  // `top` fills up.
  float cut = kNegInf;
  auto scan = [&](auto visit) {
    ForEachAbove(model_scores, 0, cut, visit);
    ForEachAbove(unseen_scores, m, cut, visit);
  };
  if (w == 0) {
    // Ranked by raw score; candidates come in increasing order, so an equal score loses.
    scan([&](int32_t c) {
      if (eligible(state_index(c)) && top.Push(raw(c), c) && top.full()) {
        cut = static_cast<float>(top.worst().first);
      }
    });
  } else {
    // Ranked by (1 - w) * relevance + w * novelty, relevance = the item's probability relative
    // to the best item's (0 when the model cannot score it), novelty = 1 / (1 + impressions)
    // for new items, else 0.
    auto value = [&](float r, double novelty) {
      const double relevance = r == kNegInf ? 0.0 : std::exp(static_cast<double>(r - best));
      return (1 - w) * relevance + w * novelty;
    };
    // New items first, each valued in full.
    auto push_new = [&](int32_t c) {
      const int32_t s = state_index(c);
      if (eligible(s)) top.Push(value(raw(c), 1.0 / (1.0 + state.Impressions(s))), c);
    };
    for (const auto& [created, c] : b->dated) {
      if (!IsNew(created, c >= m, query.now, cutoff)) break;
      push_new(c);
    }
    for (int32_t c : b->undated_unseen) push_new(c);
    // Then the others, whose value (1 - w) * e^(r - best) grows with r: one whose r - best is
    // below `lowest` cannot beat the worst value kept. The bound stays below the exact one by a
    // margin far larger than the rounding of exp and log.
    auto update_cut = [&] {
      if (!top.full() || top.worst().first <= 0) return;
      double lowest = std::numeric_limits<double>::infinity();
      if (w < 1) {
        const double exact = std::log(top.worst().first / (1 - w));
        lowest = exact - 1e-9 * (1 + std::abs(exact));
      }
      cut = ScoreCut(best, lowest);
    };
    update_cut();
    scan([&](int32_t c) {
      const int32_t s = state_index(c);
      if (s >= 0 && IsNew(state.items().CreationTimestamp(s), c >= m, query.now, cutoff)) {
        return;  // pushed above
      }
      if (eligible(s) && top.Push(value(raw(c), 0.0), c)) update_cut();
    });
  }
  const double normaliser =  // softmax over the whole catalogue
      softmax_scores_ ? ExpSum(model_scores, best) + ExpSum(unseen_scores, best) : 1.0;
  std::vector<RankedItem> out;
  for (const auto& [v, c] : std::move(top).Take()) {
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
  Scratch& scratch = ThreadScratch();
  KINDRED_RETURN_IF_ERROR(
      ScoreAll(state, *b, query, &scratch.model_scores, &scratch.unseen_scores));
  const std::vector<float>& model_scores = scratch.model_scores;
  const auto m = static_cast<int32_t>(model_scores.size());
  // The raw score of an input item, -infinity when the model cannot score it.
  auto score_of = [&](const std::string& id, int32_t s) {
    int32_t c = -1;
    if (s >= 0 && static_cast<size_t>(s) < b->state_to_candidate.size()) {
      c = b->state_to_candidate[s];
    } else if (auto it = b->model_only.find(id); it != b->model_only.end()) {
      c = it->second;
    }
    if (c < 0) return kNegInf;
    return c < m ? model_scores[c] : scratch.unseen_scores[c - m];
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
