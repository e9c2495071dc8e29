#include "bench/choice_model.h"

#include <cmath>
#include <vector>

namespace kindred {

double MultinomialLogitChoice::Utility(std::span<const float> interest,
                                       std::span<const float> item) const {
  double dot = 0, a = 0, b = 0;
  for (size_t d = 0; d < interest.size(); ++d) {
    dot += interest[d] * item[d];
    a += interest[d] * interest[d];
    b += item[d] * item[d];
  }
  const double norms = std::sqrt(a * b);
  return norms > 0 ? options_.affinity_weight * dot / norms : 0.0;
}

Choice MultinomialLogitChoice::Choose(std::span<const float> interest, const Catalogue& catalogue,
                                      std::span<const int32_t> slate, RandomStream& rng) const {
  std::vector<double> utility(slate.size());
  std::vector<double> weight(slate.size());
  double total = std::exp(options_.no_choice_utility);
  for (size_t i = 0; i < slate.size(); ++i) {
    utility[i] = Utility(interest, catalogue.ItemVector(slate[i]));
    weight[i] = std::exp(utility[i]);
    total += weight[i];
  }
  double x = rng.Uniform() * total;
  for (size_t i = 0; i < slate.size(); ++i) {
    x -= weight[i];
    if (x < 0) return {static_cast<int>(i), utility[i]};
  }
  return {};
}

}  // namespace kindred
