// The synthetic interaction generator: a small RecSim NG-style ecosystem (catalogue.h,
// user_model.h, slate_policy.h, choice_model.h) run forward in time to produce events.
//
// Events are spread evenly over [start, start + horizon) of the catalogue options, in time
// order. Each visit: a user is drawn by activity, the slate policy shows a slate of items that
// exist at that time, and the user picks one by the choice model or nothing. A pick is an event
// — EVENT_TYPE "watch" when its utility reaches `watch_utility`, else "click" — and the user's
// interest drifts towards the item. Visits without a pick produce no event; the simulation runs
// until `events` events (or gives up after max_visits_per_event * events visits).
//
// The same options (seed included) give the same world and the same events. Each model draws
// from its own random stream, so e.g. more events do not change the catalogue.
//
//   GeneratorOptions options = SyntheticOptions(10'000, 2'000, 500'000, /*seed=*/7);
//   SyntheticWorld world = BuildWorld(options);
//   Simulate(options, &world, [&](const SyntheticEvent& e) { ... });
//
// Output in Personalize CSV and TrainingData form: synthetic_dataset.h. The generator is
// documented in docs/benchmarks/generator.md.
//
// Thread-safety: a SyntheticWorld belongs to one thread; separate worlds may be simulated
// concurrently.
#pragma once

#include <cstdint>
#include <functional>

#include "bench/catalogue.h"
#include "bench/choice_model.h"
#include "bench/slate_policy.h"
#include "bench/user_model.h"

namespace kindred {

struct GeneratorOptions {
  uint64_t seed = 1;
  int64_t events = 10'000;
  CatalogueOptions catalogue;
  UserOptions users;
  SlateOptions slate;
  ChoiceOptions choice;
  double watch_utility = 5.0;     // a pick at least this useful is a "watch", else a "click"
  int max_visits_per_event = 50;  // gives up when picks are this rare
};

// The default options with the given sizes.
GeneratorOptions SyntheticOptions(int32_t users, int32_t items, int64_t events, uint64_t seed);

struct SyntheticWorld {
  Catalogue catalogue;
  UserPopulation users;
};

struct SyntheticEvent {
  int32_t user = 0;
  int32_t item = 0;
  int64_t timestamp = 0;
  bool watch = false;  // EVENT_TYPE "watch", else "click"
};

struct SimulationStats {
  int64_t visits = 0;
  int64_t events = 0;
};

SyntheticWorld BuildWorld(const GeneratorOptions& options);

// Runs the simulation on `world` (whose users' interests evolve), calling `emit` for each
// event, in time order.
SimulationStats Simulate(const GeneratorOptions& options, SyntheticWorld* world,
                         const std::function<void(const SyntheticEvent&)>& emit);

}  // namespace kindred
