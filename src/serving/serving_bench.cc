// serving_bench: the server-side latency of GetRecommendations — Recommender::Recommend on a
// GroupState — for an aws-user-personalization model at hidden_dimension 64 and catalogues of
// 10k, 100k and 1M items (docs/benchmarks/serving.md has the figures and the command).
//
// The model is trained through the public recipe API only (FindRecipe(...)->Train on generated
// TrainingData, one epoch), so the benchmark measures whatever the recipe currently builds. The
// data: every item has one or two GENREs and a CREATION_TIMESTAMP (2% are younger than the
// exploration cut-off); 2,000 users with 25 events each, on items drawn with a skew towards the
// head of the catalogue; 100 items are put after training (scored from metadata, ScoreUnseen).
//
// Each benchmark times every request on its own and reports, besides Google Benchmark's mean,
// the median and 99th percentile of the requests as the counters p50_us and p99_us. Run with
// --benchmark_repetitions=N to get them per repetition (and their median over repetitions).
//
//   BM_Recommend/<items>/<exploration>/<filter>/<fast>  exploration 0: explorationWeight 0
//       (pure relevance); 1: the campaign default 0.3. filter 1: the request carries a filter,
//       evaluated per request (INCLUDE 3 of 20 genres | EXCLUDE the user's interacted items).
//       fast 0: the exact path (Model::Score for the whole catalogue); 1: the approximate path
//       (QuantizedItems and exact rescoring, whatever the catalogue's size), which also reports
//       recall_at_25: the share of the exact path's items that it returns, over the first
//       kRecallUsers users' requests (counted before the timing), and score_error: the largest
//       relative difference between the scores the two paths return for the same item there.
//   BM_ServingOnly/<items>/<exploration>/<filter>  the exact path with the model's scores
//       replayed (ReplayModel): serving's own work.
//   BM_ModelScore/<items>  Model::Score alone for the same queries: the model's share.
//   BM_QuantizedScan/<items>/<kernel>  QuantizedItems::Scores alone (the int8 scan of the
//       trained model's items) with one kernel (0 plain, 1 AVX2, 2 AVX-512 VNNI; skipped
//       where the processor lacks it); /threads:4: four callers at once (with the best kernel
//       their scans share passes when more than one pass per core is wanted).
//   BM_RecommendAfterPutItem/<items>  a PutItem (one item's metadata changed) before each
//       request, exploration 0.3: what following a change costs the next request.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "common/fiber_batch.h"
#include "recipes/recipe.h"
#include "serving/filter.h"
#include "serving/genre_items_schema.h"
#include "serving/quantized_items.h"
#include "serving/recommender.h"

namespace kindred {
namespace {

constexpr int kUsers = 2000;
constexpr int kEventsPerUser = 25;
constexpr int kUnseenItems = 100;
constexpr int kReplayUsers = 16;  // BM_ServingOnly keeps their scores
constexpr int kRecallUsers = 200;
constexpr int kGenres = 20;
constexpr int64_t kNow = 1'700'000'000;
constexpr int64_t kDay = 86'400;

[[noreturn]] void Die(const Status& s) {
  std::fprintf(stderr, "serving_bench setup failed: %s\n", s.message().c_str());
  std::abort();
}

std::string ItemId(int32_t j) { return "item" + std::to_string(j); }
std::string UserId(int u) { return "user" + std::to_string(u); }
// An item's GENREs: one, or two for odd items.
std::vector<std::string> GenreList(int32_t j) {
  std::vector<std::string> genres = {"g" + std::to_string(j % kGenres)};
  if (j % 2 == 1) genres.push_back("g" + std::to_string(j * 7 % kGenres));
  return genres;
}
// The GENRE field's value ('|'-joined, as categorical values are stored).
std::string Genres(int32_t j) {
  std::string joined;
  for (const std::string& g : GenreList(j)) joined += (joined.empty() ? "" : "|") + g;
  return joined;
}
// 2% of the items are new (inside the 30-day exploration cut-off), the rest a year old.
int64_t Created(int32_t j) { return j % 50 == 0 ? kNow - 3 * kDay : kNow - 365 * kDay; }

// One catalogue: the live state, the trained model and the parsed filter.
struct Setup {
  std::unique_ptr<GroupState> state;
  std::shared_ptr<const Model> model;
  std::unique_ptr<Filter> filter;
};

std::unique_ptr<Setup> Build(int32_t items) {
  auto setup = std::make_unique<Setup>();
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  setup->state = std::make_unique<GroupState>(GenreItemsSchema(), std::nullopt);
  GroupState& state = *setup->state;
  TrainingDataBuilder data;
  for (int32_t j = 0; j < items; ++j) {
    const std::string id = ItemId(j);
    Result<int32_t> put = state.PutItem(Row{{id, Genres(j), Created(j)}});
    if (!put.ok()) Die(put.status());
    for (const std::string& g : GenreList(j)) data.AddItemFeature(id, "GENRE", g);
    data.SetItemCreation(id, Created(j));
  }
  for (int u = 0; u < kUsers; ++u) {
    const std::string user = UserId(u);
    for (int k = 0; k < kEventsPerUser; ++k) {
      const double x = unit(rng);
      const auto j = static_cast<int32_t>(x * x * x * items);  // skewed towards the head
      const std::string item = ItemId(j);
      const int64_t t = kNow - 30 * kDay + u * 60 + k;
      data.AddInteraction(user, item, t, "click");
      state.AddEvent(
          {.user = user, .session = {}, .item = item, .event_type = "click", .timestamp = t});
    }
  }
  const Recipe* recipe = FindRecipe("aws-user-personalization");
  TrainingData training = std::move(data).Finish();
  Result<std::unique_ptr<Model>> model =
      recipe->Train(training, {{"hidden_dimension", "64"}, {"epochs", "1"}}, {});
  if (!model.ok()) Die(model.status());
  setup->model = std::move(model).value();
  for (int32_t k = 0; k < kUnseenItems; ++k) {  // put after training (PutItems)
    Result<int32_t> put = state.PutItem(Row{{"new" + std::to_string(k), Genres(k), kNow - kDay}});
    if (!put.ok()) Die(put.status());
  }
  Result<Filter> filter = Filter::Parse(R"(INCLUDE ItemID WHERE Items.GENRE IN ($GENRES) | )"
                                        R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*"))");
  if (!filter.ok()) Die(filter.status());
  setup->filter = std::make_unique<Filter>(std::move(filter).value());
  return setup;
}

const Setup& SetupFor(int32_t items) {
  static std::map<int32_t, std::unique_ptr<Setup>> setups;
  std::unique_ptr<Setup>& s = setups[items];
  if (!s) s = Build(items);
  return *s;
}

// The filter's mask for `user`, as runtime_ops evaluates it per request.
std::vector<bool> Allowed(const Setup& setup, std::string_view user,
                          const std::map<std::string, std::string>& values) {
  const GroupState& s = *setup.state;
  std::vector<FilterEvent> events;
  for (const ServingEvent& e : s.Events(user)) {
    events.push_back({e.item, s.EventTypeName(e.event_type), e.timestamp});
  }
  FilterContext ctx{.items = s.items(), .events = events, .values = &values};
  Result<std::vector<bool>> mask = setup.filter->Evaluate(ctx);
  if (!mask.ok()) Die(mask.status());
  return std::move(mask).value();
}

// This thread's CPU time in seconds: unlike wall time, not stretched when other processes
// take the core.
double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// The q-quantile of `values` (reordered).
double Quantile(std::vector<double>& values, double q) {
  auto it = values.begin() + static_cast<ptrdiff_t>(q * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), it, values.end());
  return *it;
}

// Times each call of `request(iteration)`; reports the median and p99 of the requests' wall
// time (p50_us, p99_us) and of their CPU time (cpu_p50_us, cpu_p99_us), in microseconds.
template <typename Request>
void TimeRequests(benchmark::State& bm, Request request) {
  std::vector<double> wall, cpu;
  int64_t i = 0;
  for (auto _ : bm) {
    const double cpu_start = ThreadCpuSeconds();
    const auto start = std::chrono::steady_clock::now();
    request(i++);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    cpu.push_back((ThreadCpuSeconds() - cpu_start) * 1e6);
    bm.SetIterationTime(took.count());
    wall.push_back(took.count() * 1e6);
  }
  if (wall.empty()) return;
  bm.counters["p50_us"] = Quantile(wall, 0.50);
  bm.counters["p99_us"] = Quantile(wall, 0.99);
  bm.counters["cpu_p50_us"] = Quantile(cpu, 0.50);
  bm.counters["cpu_p99_us"] = Quantile(cpu, 0.99);
}

// A stand-in for a trained model that answers each query with the scores the model gave it
// the first time, so that timing Recommend with it measures serving's own work: the model's
// share is the difference. Single-threaded use only (the benchmark's thread).
class ReplayModel : public Model {
 public:
  explicit ReplayModel(std::shared_ptr<const Model> model) : model_(std::move(model)) {}

  const std::vector<std::string>& item_ids() const override { return model_->item_ids(); }
  Status Score(const ModelQuery& query, std::vector<float>* scores) const override {
    Recorded& r = replies_[Key(query)];
    if (r.scores.empty()) KINDRED_RETURN_IF_ERROR(model_->Score(query, &r.scores));
    scores->assign(r.scores.begin(), r.scores.end());
    return Status::Ok();
  }
  Status ScoreUnseen(const ModelQuery& query, std::span<const std::vector<std::string>> items,
                     std::vector<float>* scores) const override {
    Recorded& r = replies_[Key(query)];
    if (!r.unseen) {
      KINDRED_RETURN_IF_ERROR(model_->ScoreUnseen(query, items, &r.unseen.emplace()));
    }
    scores->assign(r.unseen->begin(), r.unseen->end());
    return Status::Ok();
  }
  std::string Serialize() const override { return model_->Serialize(); }

 private:
  struct Recorded {
    std::vector<float> scores;
    std::optional<std::vector<float>> unseen;
  };
  static std::vector<int32_t> Key(const ModelQuery& q) {
    std::vector<int32_t> key(q.history.begin(), q.history.end());
    key.push_back(q.user);
    key.push_back(q.item);
    return key;
  }

  std::shared_ptr<const Model> model_;
  mutable std::map<std::vector<int32_t>, Recorded> replies_;
};

// Times Recommend for `users` (in turn) with `model`, on the approximate path when `fast` (else
// the exact one); range(1): exploration, range(2): filter.
void RunRecommend(benchmark::State& bm, const Setup& setup, std::shared_ptr<const Model> model,
                  int users, bool fast) {
  const bool explore = bm.range(1) != 0;
  const bool filtered = bm.range(2) != 0;
  const ExplorationConfig exploration{.weight = explore ? 0.3 : 0.0, .age_cutoff_days = 30};
  const RecipeInfo& recipe = FindRecipe("aws-user-personalization")->info();
  constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
  const Recommender recommender(model, recipe, exploration,
                                {.approximate_from_items = fast ? 0 : kNever});
  const std::map<std::string, std::string> values = {{"GENRES", R"("g1","g2","g3")"}};
  std::vector<std::string> ids;
  for (int u = 0; u < users; ++u) ids.push_back(UserId(u * 7919 % kUsers));
  Recommender::Query query{
      .user = {}, .item = {}, .num_results = 25, .allowed = nullptr, .now = kNow};
  auto ask = [&](const Recommender& r, const std::string& user) {
    std::vector<bool> allowed;
    if (filtered) allowed = Allowed(setup, user, values);
    query.user = user;
    query.allowed = filtered ? &allowed : nullptr;
    Result<std::vector<RankedItem>> got = r.Recommend(*setup.state, query);
    if (!got.ok() || got->size() != 25) {
      Die(got.ok() ? Status::Internal("short list") : got.status());
    }
    return std::move(got).value();
  };
  if (fast) {  // recall@25 against the exact path
    const Recommender exact(model, recipe, exploration, {.approximate_from_items = kNever});
    double found = 0, wanted = 0, worst = 0;
    for (int u = 0; u < std::min(users, kRecallUsers); ++u) {
      const std::vector<RankedItem> want = ask(exact, ids[u]), got = ask(recommender, ids[u]);
      for (const RankedItem& w : want) {
        auto it = std::find_if(got.begin(), got.end(),
                               [&](const RankedItem& g) { return g.item_id == w.item_id; });
        if (it == got.end()) continue;
        found += 1;
        worst = std::max(worst, std::abs(*it->score / *w.score - 1));
      }
      wanted += static_cast<double>(want.size());
    }
    bm.counters["recall_at_25"] = found / wanted;
    bm.counters["score_error"] = worst;  // the largest relative error of a returned score
  }
  // Binds the state (and records the replies of a ReplayModel, whose users are that few).
  for (int u = 0; u < std::min(users, kReplayUsers); ++u) ask(recommender, ids[u]);
  TimeRequests(bm, [&](int64_t i) {
    const std::vector<RankedItem> got = ask(recommender, ids[i % users]);
    benchmark::DoNotOptimize(got.data());
  });
}

void BM_Recommend(benchmark::State& bm) {
  const Setup& setup = SetupFor(static_cast<int32_t>(bm.range(0)));
  RunRecommend(bm, setup, setup.model, kUsers, bm.range(3) != 0);
}
BENCHMARK(BM_Recommend)
    ->ArgsProduct({{10'000, 25'000, 100'000, 1'000'000}, {0, 1}, {0, 1}, {0, 1}})
    ->ArgNames({"items", "explore", "filter", "fast"})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

void BM_ServingOnly(benchmark::State& bm) {
  const Setup& setup = SetupFor(static_cast<int32_t>(bm.range(0)));
  RunRecommend(bm, setup, std::make_shared<ReplayModel>(setup.model), kReplayUsers, false);
}
BENCHMARK(BM_ServingOnly)
    ->ArgsProduct({{10'000, 100'000, 1'000'000}, {0, 1}, {0, 1}})
    ->ArgNames({"items", "explore", "filter"})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

void BM_ModelScore(benchmark::State& bm) {
  const Setup& setup = SetupFor(static_cast<int32_t>(bm.range(0)));
  const GroupState& s = *setup.state;
  // The model's own indices of each user's history (training interned items in event order).
  std::vector<std::vector<int32_t>> histories;
  std::map<std::string_view, int32_t> model_index;
  const std::vector<std::string>& ids = setup.model->item_ids();
  for (size_t j = 0; j < ids.size(); ++j) model_index.emplace(ids[j], static_cast<int32_t>(j));
  for (int u = 0; u < kUsers; ++u) {
    std::vector<int32_t>& h = histories.emplace_back();
    for (const ServingEvent& e : s.Events(UserId(u * 7919 % kUsers))) {
      h.push_back(model_index.at(s.items().Id(e.item)));
    }
  }
  std::vector<float> scores;
  TimeRequests(bm, [&](int64_t i) {
    Status st = setup.model->Score({.history = histories[i % kUsers]}, &scores);
    if (!st.ok()) Die(st);
    benchmark::DoNotOptimize(scores.data());
  });
}
BENCHMARK(BM_ModelScore)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->ArgName("items")
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

// What the scan benchmarks share: the index of catalogue bm.range(0), built once per catalogue
// (under a lock: all of a run's threads get here at once, and SetupFor trains a model the first
// time), and `count` random query vectors from `seed`. Null, with the run marked skipped, when
// the processor lacks kernel bm.range(1).
struct ScanInputs {
  const QuantizedItems* index;
  std::vector<std::vector<float>> queries;
};
std::optional<ScanInputs> ScanInputsFor(benchmark::State& bm, int count, uint64_t seed) {
  if (!QuantizedItems::Supported(static_cast<QuantizedItems::Kernel>(bm.range(1)))) {
    bm.SkipWithError("the processor lacks this kernel");
    return std::nullopt;
  }
  static std::mutex mu;
  static std::unique_ptr<const QuantizedItems> index;
  static int64_t indexed = -1;
  const Setup* setup = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu);
    setup = &SetupFor(static_cast<int32_t>(bm.range(0)));
    if (indexed != bm.range(0)) {
      index = QuantizedItems::Build(*setup->model->dot_product(),
                                    static_cast<int32_t>(setup->model->item_ids().size()));
      indexed = bm.range(0);
    }
  }
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const int d = setup->model->dot_product()->dimension();
  ScanInputs in{index.get(), std::vector<std::vector<float>>(count, std::vector<float>(d))};
  for (auto& q : in.queries) {
    for (float& x : q) x = normal(rng);
  }
  return in;
}

void BM_QuantizedScan(benchmark::State& bm) {
  const auto kernel = static_cast<QuantizedItems::Kernel>(bm.range(1));
  std::optional<ScanInputs> in = ScanInputsFor(bm, 64, bm.thread_index());
  if (!in) return;
  std::vector<float> out(in->index->size());
  int64_t i = 0;
  for (auto _ : bm) {
    benchmark::DoNotOptimize(in->index->Scores(in->queries[i++ % in->queries.size()], out, kernel));
  }
}
BENCHMARK(BM_QuantizedScan)
    ->ArgsProduct({{25'000, 100'000}, {0, 1, 2, 3}})
    ->ArgNames({"items", "kernel"})
    ->Threads(1)
    ->Threads(4)
    ->Unit(benchmark::kMicrosecond);

// Eight queries' scans as the tasks of one FiberBatch (as the HTTP server batches requests):
// one pass for all eight with AMX, two with VNNI, eight with the others. Time per iteration is
// for the eight; items_per_second counts queries.
void BM_QuantizedScanBatch(benchmark::State& bm) {
  const auto kernel = static_cast<QuantizedItems::Kernel>(bm.range(1));
  constexpr int kQueries = 8;
  std::optional<ScanInputs> in = ScanInputsFor(bm, kQueries, 1);
  if (!in) return;
  std::vector<std::vector<float>> out(kQueries, std::vector<float>(in->index->size()));
  for (auto _ : bm) {
    FiberBatch batch;
    for (int i = 0; i < kQueries; ++i) {
      batch.Add([&, i] {
        benchmark::DoNotOptimize(in->index->Scores(in->queries[i], out[i], kernel));
      });
    }
    batch.Run();
  }
  bm.SetItemsProcessed(bm.iterations() * kQueries);
}
BENCHMARK(BM_QuantizedScanBatch)
    ->ArgsProduct({{25'000, 100'000}, {2, 3}})
    ->ArgNames({"items", "kernel"})
    ->Unit(benchmark::kMicrosecond);

// PutItems then GetRecommendations: each request follows one item change (the same new item,
// its genre alternating), which the Recommender's binding applies instead of rebinding the
// catalogue. Registered last: it leaves that one item in the state.
void BM_RecommendAfterPutItem(benchmark::State& bm) {
  const Setup& setup = SetupFor(static_cast<int32_t>(bm.range(0)));
  GroupState& state = *setup.state;
  const RecipeInfo& recipe = FindRecipe("aws-user-personalization")->info();
  const Recommender recommender(setup.model, recipe, {.weight = 0.3, .age_cutoff_days = 30});
  int64_t i = 0;
  TimeRequests(bm, [&](int64_t k) {
    Result<int32_t> put = state.PutItem(Row{{std::string("churn"), Genres(k % 2), kNow - kDay}});
    if (!put.ok()) Die(put.status());
    Result<std::vector<RankedItem>> got = recommender.Recommend(
        state, {.user = UserId(static_cast<int>(i++ % kUsers)), .num_results = 25, .now = kNow});
    if (!got.ok()) Die(got.status());
    benchmark::DoNotOptimize(got->data());
  });
}
BENCHMARK(BM_RecommendAfterPutItem)
    ->Arg(25'000)
    ->Arg(100'000)
    ->ArgName("items")
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace kindred

BENCHMARK_MAIN();
