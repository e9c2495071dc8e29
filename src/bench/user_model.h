// UserPopulation: the user side of the synthetic world, after RecSim NG's ecosystem models —
// users with latent interest vectors that drift towards what they consume.
//
// A user likes a few genres (popular genres more often: genre g is picked with weight
// 1 / (g + 1)); their interest starts at the mean of those genres' vectors plus noise. How often
// a user comes back is Pareto distributed, so a few users are very active. Each consumed item
// pulls the interest a little towards the item's vector (interest evolution), and the user
// remembers the last item chosen (the slate policy shows more of its provider).
//
//   UserPopulation users = UserPopulation::Generate(options, catalogue, seed);
//   int32_t u = users.DrawActive(rng);
//   users.Consume(u, item, catalogue);
//
// Thread-safety: one thread at a time; Consume changes the population.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "bench/catalogue.h"
#include "bench/random_stream.h"

namespace kindred {

struct UserOptions {
  int32_t users = 1000;
  int genres_per_user = 2;
  double interest_spread = 0.5;  // std-dev of the noise around the liked genres' mean
  double activity_shape = 1.5;   // Pareto shape of users' visit rates (smaller: heavier tail)
  double drift = 0.05;           // share of the way a consumed item pulls the interest
};

class UserPopulation {
 public:
  static UserPopulation Generate(const UserOptions& options, const Catalogue& catalogue,
                                 uint64_t seed);

  int32_t size() const { return static_cast<int32_t>(last_choice_.size()); }
  std::span<const float> Interest(int32_t user) const;
  // The item the user chose last, -1 before their first choice.
  int32_t LastChoice(int32_t user) const { return last_choice_[user]; }
  // A user drawn with probability proportional to their visit rate.
  int32_t DrawActive(RandomStream& rng) const;
  // The user consumed `item`: the interest moves `drift` of the way towards its vector and it
  // becomes the last choice.
  void Consume(int32_t user, int32_t item, const Catalogue& catalogue);

 private:
  UserOptions options_;
  int dimension_ = 0;
  std::vector<float> interests_;       // users x dimension
  std::vector<double> activity_sums_;  // prefix sums of visit rates, size users + 1
  std::vector<int32_t> last_choice_;
};

}  // namespace kindred
