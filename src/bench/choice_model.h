// MultinomialLogitChoice: how a synthetic user picks from the slate they are shown (RecSim NG's
// multinomial logit choice model with a no-choice option).
//
// An item's utility for a user is affinity_weight * cosine(interest, item vector). The user
// picks item i of the slate with probability exp(u_i) / (exp(u_0) + sum_j exp(u_j)), where u_0
// is the utility of choosing nothing, and picks nothing with the remaining probability.
//
//   MultinomialLogitChoice choice(options);
//   Choice c = choice.Choose(users.Interest(u), catalogue, slate, rng);
//   if (c.index >= 0) Consume(slate[c.index]);
//
// Thread-safety: immutable; Choose may be called from any thread with its own RandomStream.
#pragma once

#include <cstdint>
#include <span>

#include "bench/catalogue.h"
#include "bench/random_stream.h"

namespace kindred {

struct ChoiceOptions {
  double affinity_weight = 6.0;    // utility of a perfectly aligned item
  double no_choice_utility = 4.0;  // utility of choosing nothing
};

struct Choice {
  int index = -1;        // into the slate; -1: nothing chosen
  double utility = 0.0;  // of the chosen item
};

class MultinomialLogitChoice {
 public:
  explicit MultinomialLogitChoice(const ChoiceOptions& options) : options_(options) {}

  double Utility(std::span<const float> interest, std::span<const float> item) const;
  Choice Choose(std::span<const float> interest, const Catalogue& catalogue,
                std::span<const int32_t> slate, RandomStream& rng) const;

 private:
  ChoiceOptions options_;
};

}  // namespace kindred
