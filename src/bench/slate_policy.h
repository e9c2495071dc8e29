// SlatePolicy: what the platform shows a synthetic user on a visit. It stands in for the
// recommender agent of RecSim NG's ecosystem, which the simulator will later let a kindred
// campaign play; for now it is a fixed mix of three sources, each slot drawn independently:
//  - fresh: an item created within the last `fresh_window` seconds, uniformly (new arrivals get
//    exposure);
//  - continuation: an item of the provider of the user's last choice (series, same artist);
//  - otherwise: an existing item drawn in proportion to its prominence (the power-law head).
// A slate holds distinct items that exist at the visit's time.
//
//   SlatePolicy policy(options);
//   policy.Build(catalogue, users, user, now, rng, &slate);
//
// Thread-safety: immutable; Build may be called from any thread with its own RandomStream and
// slate.
#pragma once

#include <cstdint>
#include <vector>

#include "bench/catalogue.h"
#include "bench/random_stream.h"
#include "bench/user_model.h"

namespace kindred {

struct SlateOptions {
  int size = 10;
  double fresh_share = 0.2;          // probability that a slot shows a fresh item
  int64_t fresh_window = 7 * 86400;  // seconds an item counts as fresh
  double continuation_share = 0.2;   // probability that a slot continues the last choice
};

class SlatePolicy {
 public:
  explicit SlatePolicy(const SlateOptions& options) : options_(options) {}

  // Replaces `slate` with at most options.size distinct items existing at `now`; empty when no
  // item exists yet.
  void Build(const Catalogue& catalogue, const UserPopulation& users, int32_t user, int64_t now,
             RandomStream& rng, std::vector<int32_t>* slate) const;

 private:
  SlateOptions options_;
};

}  // namespace kindred
