// RandomStream: the synthetic world's source of randomness — a seeded xoshiro256** generator with
// the few distributions the generator needs. They are written out here rather than taken from
// <random>, whose distributions may differ between standard libraries, so that a seed names one
// dataset.
//
// One seed gives many independent streams (the stream number is mixed into the state), so each
// model — catalogue, users, simulation — draws from its own stream and changing how much one of
// them draws does not shift the others.
//
//   RandomStream rng(seed, /*stream=*/2);
//   double x = rng.Normal();
//
// Thread-safety: a RandomStream belongs to one thread at a time.
#pragma once

#include <cstdint>

namespace kindred {

class RandomStream {
 public:
  RandomStream(uint64_t seed, uint64_t stream);

  uint64_t NextU64();
  // Uniform in [0, 1).
  double Uniform();
  // Uniform in [0, n), n > 0.
  int64_t Below(int64_t n);
  // Standard normal (Box–Muller).
  double Normal();
  // Pareto with scale 1 and shape `alpha` > 0: at least 1, P(X > x) = x^-alpha.
  double Pareto(double alpha);

 private:
  uint64_t s_[4];
  double spare_normal_ = 0;
  bool has_spare_normal_ = false;
};

}  // namespace kindred
