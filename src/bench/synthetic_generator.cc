#include "bench/synthetic_generator.h"

#include <algorithm>
#include <vector>

namespace kindred {
namespace {

constexpr uint64_t kSimulationStream = 3;

}  // namespace

GeneratorOptions SyntheticOptions(int32_t users, int32_t items, int64_t events, uint64_t seed) {
  GeneratorOptions o;
  o.seed = seed;
  o.events = events;
  o.users.users = users;
  o.catalogue.items = items;
  return o;
}

SyntheticWorld BuildWorld(const GeneratorOptions& options) {
  Catalogue catalogue = Catalogue::Generate(options.catalogue, options.seed);
  UserPopulation users = UserPopulation::Generate(options.users, catalogue, options.seed);
  return {std::move(catalogue), std::move(users)};
}

SimulationStats Simulate(const GeneratorOptions& options, SyntheticWorld* world,
                         const std::function<void(const SyntheticEvent&)>& emit) {
  RandomStream rng(options.seed, kSimulationStream);
  const SlatePolicy policy(options.slate);
  const MultinomialLogitChoice choice(options.choice);
  const Catalogue& catalogue = world->catalogue;
  const int64_t start = catalogue.options().start;
  const double horizon = static_cast<double>(std::max<int64_t>(1, catalogue.options().horizon));
  const double events = static_cast<double>(std::max<int64_t>(1, options.events));
  const int64_t max_visits = options.events * std::max(1, options.max_visits_per_event);

  SimulationStats stats;
  std::vector<int32_t> slate;
  while (stats.events < options.events && stats.visits < max_visits) {
    ++stats.visits;
    // Event k happens in the k-th of `events` equal slices of the horizon: times never go back.
    const int64_t now =
        start + static_cast<int64_t>(horizon * (stats.events + rng.Uniform()) / events);
    const int32_t user = world->users.DrawActive(rng);
    policy.Build(catalogue, world->users, user, now, rng, &slate);
    const Choice pick = choice.Choose(world->users.Interest(user), catalogue, slate, rng);
    if (pick.index < 0) continue;
    const int32_t item = slate[pick.index];
    world->users.Consume(user, item, catalogue);
    emit({user, item, now, pick.utility >= options.watch_utility});
    ++stats.events;
  }
  return stats;
}

}  // namespace kindred
