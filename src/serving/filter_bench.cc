// filter_bench: Filter::Evaluate on a 100k-item catalogue, the size a request must handle within
// about a millisecond. Items have a categorical GENRE (20 genres, 1-3 per item), a STUDIO (200
// values) and a PRICE; the user has 300 events of 3 types. Each benchmark is one expression.
#include <benchmark/benchmark.h>

#include "serving/filter.h"

namespace kindred {
namespace {

constexpr int32_t kItems = 100'000;

const MetadataTable& Items() {
  static const MetadataTable table = [] {
    DatasetSchema schema;
    schema.fields = {{"ITEM_ID", FieldType::kString},
                     {"GENRE", FieldType::kString, true, /*categorical=*/true},
                     {"STUDIO", FieldType::kString, true},
                     {"PRICE", FieldType::kDouble, true}};
    MetadataTable t("ITEM_ID", schema);
    for (int32_t i = 0; i < kItems; ++i) {
      std::string genres = "g" + std::to_string(i % 20);
      if (i % 3 > 0) genres += "|g" + std::to_string(i * 7 % 20);
      if (i % 3 > 1) genres += "|g" + std::to_string(i * 13 % 20);
      Result<int32_t> r =
          t.Upsert(Row{{"item" + std::to_string(i), genres, "studio" + std::to_string(i % 200),
                        static_cast<double>(i % 1000) / 10.0}});
      if (!r.ok()) std::abort();
    }
    return t;
  }();
  return table;
}

std::vector<FilterEvent> Events() {
  static const char* kTypes[] = {"click", "watch", "buy"};
  std::vector<FilterEvent> events;
  for (int i = 0; i < 300; ++i) events.push_back({i * 331 % kItems, kTypes[i % 3], i});
  return events;
}

void Run(benchmark::State& state, const char* expression) {
  const MetadataTable& items = Items();
  std::vector<FilterEvent> events = Events();
  std::map<std::string, std::string> values = {{"GENRES", R"("g1","g2","g3")"}, {"MAX", "50"}};
  Result<Filter> filter = Filter::Parse(expression);
  if (!filter.ok()) {
    state.SkipWithError(filter.status().message().c_str());
    return;
  }
  FilterContext ctx{items};
  ctx.events = events;
  ctx.values = &values;
  for (auto _ : state) {
    Result<std::vector<bool>> allowed = filter->Evaluate(ctx);
    if (!allowed.ok()) {
      state.SkipWithError(allowed.status().message().c_str());
      return;
    }
    benchmark::DoNotOptimize(allowed->size());
  }
}

void BM_ExcludeInteracted(benchmark::State& state) {
  Run(state, R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "buy"))");
}
BENCHMARK(BM_ExcludeInteracted)->Unit(benchmark::kMicrosecond);

void BM_IncludeGenresPlaceholder(benchmark::State& state) {
  Run(state, "INCLUDE ItemID WHERE Items.GENRE IN ($GENRES)");
}
BENCHMARK(BM_IncludeGenresPlaceholder)->Unit(benchmark::kMicrosecond);

void BM_PriceRangeAndStudio(benchmark::State& state) {
  Run(state, R"(INCLUDE ItemID WHERE Items.PRICE < $MAX AND Items.STUDIO NOT IN ("studio7"))");
}
BENCHMARK(BM_PriceRangeAndStudio)->Unit(benchmark::kMicrosecond);

void BM_ThreeExpressions(benchmark::State& state) {
  Run(state, R"(INCLUDE ItemID WHERE Items.GENRE IN ($GENRES) | EXCLUDE ItemID WHERE )"
             R"(Interactions.EVENT_TYPE IN ("*") | EXCLUDE ItemID WHERE Items.PRICE >= 90)");
}
BENCHMARK(BM_ThreeExpressions)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace kindred

BENCHMARK_MAIN();
