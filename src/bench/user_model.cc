#include "bench/user_model.h"

#include <algorithm>

namespace kindred {
namespace {

constexpr uint64_t kStream = 2;

}  // namespace

UserPopulation UserPopulation::Generate(const UserOptions& options, const Catalogue& catalogue,
                                        uint64_t seed) {
  RandomStream rng(seed, kStream);
  UserPopulation p;
  p.options_ = options;
  p.dimension_ = catalogue.options().dimension;
  const int32_t users = std::max(1, options.users);
  const int32_t genres = std::max(1, catalogue.options().genres);
  const int liked = std::max(1, options.genres_per_user);

  std::vector<double> genre_sums(genres + 1, 0.0);
  for (int32_t g = 0; g < genres; ++g) genre_sums[g + 1] = genre_sums[g] + 1.0 / (g + 1);

  p.interests_.assign(static_cast<size_t>(users) * p.dimension_, 0.0f);
  p.activity_sums_.assign(users + 1, 0.0);
  p.last_choice_.assign(users, -1);
  for (int32_t u = 0; u < users; ++u) {
    float* interest = p.interests_.data() + static_cast<size_t>(u) * p.dimension_;
    for (int k = 0; k < liked; ++k) {
      const double x = rng.Uniform() * genre_sums.back();
      const int32_t g = std::min<int32_t>(
          static_cast<int32_t>(std::upper_bound(genre_sums.begin() + 1, genre_sums.end(), x) -
                               genre_sums.begin()) -
              1,
          genres - 1);
      std::span<const float> centre = catalogue.GenreVector(g);
      for (int d = 0; d < p.dimension_; ++d) interest[d] += centre[d] / liked;
    }
    for (int d = 0; d < p.dimension_; ++d) {
      interest[d] += static_cast<float>(options.interest_spread * rng.Normal());
    }
    p.activity_sums_[u + 1] = p.activity_sums_[u] + rng.Pareto(options.activity_shape);
  }
  return p;
}

std::span<const float> UserPopulation::Interest(int32_t user) const {
  return {interests_.data() + static_cast<size_t>(user) * dimension_,
          static_cast<size_t>(dimension_)};
}

int32_t UserPopulation::DrawActive(RandomStream& rng) const {
  const double x = rng.Uniform() * activity_sums_.back();
  const auto it = std::upper_bound(activity_sums_.begin() + 1, activity_sums_.end(), x);
  return std::min<int32_t>(static_cast<int32_t>(it - activity_sums_.begin()) - 1, size() - 1);
}

void UserPopulation::Consume(int32_t user, int32_t item, const Catalogue& catalogue) {
  float* interest = interests_.data() + static_cast<size_t>(user) * dimension_;
  std::span<const float> v = catalogue.ItemVector(item);
  const float drift = static_cast<float>(options_.drift);
  for (int d = 0; d < dimension_; ++d) interest[d] += drift * (v[d] - interest[d]);
  last_choice_[user] = item;
}

}  // namespace kindred
