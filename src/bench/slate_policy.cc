#include "bench/slate_policy.h"

#include <algorithm>

namespace kindred {
namespace {

constexpr int kTriesPerSlot = 4;  // draws before a slot that keeps repeating items stays empty

}  // namespace

void SlatePolicy::Build(const Catalogue& catalogue, const UserPopulation& users, int32_t user,
                        int64_t now, RandomStream& rng, std::vector<int32_t>* slate) const {
  slate->clear();
  const int32_t available = catalogue.AvailableAt(now);
  if (available == 0) return;
  const int32_t fresh_from = catalogue.AvailableAt(now - options_.fresh_window);
  const int32_t last = users.LastChoice(user);
  const int size = std::min<int32_t>(options_.size, available);
  for (int slot = 0; slot < size; ++slot) {
    for (int attempt = 0; attempt < kTriesPerSlot; ++attempt) {
      const double source = rng.Uniform();
      int32_t item = -1;
      if (source < options_.fresh_share) {
        if (fresh_from < available) item = fresh_from + rng.Below(available - fresh_from);
      } else if (source < options_.fresh_share + options_.continuation_share) {
        if (last >= 0) item = catalogue.DrawFromProvider(catalogue.Provider(last), available, rng);
      }
      if (item < 0) item = catalogue.DrawProminent(available, rng);
      if (std::find(slate->begin(), slate->end(), item) == slate->end()) {
        slate->push_back(item);
        break;
      }
    }
  }
}

}  // namespace kindred
