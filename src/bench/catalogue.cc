#include "bench/catalogue.h"

#include <algorithm>
#include <array>

namespace kindred {
namespace {

constexpr uint64_t kStream = 1;
constexpr int64_t kBacklog =
    365 * 86400;  // items existing at the start were made in the year before

constexpr std::array<const char*, 18> kGenreNames = {
    "Action",  "Adventure", "Animation", "Comedy",  "Crime",    "Documentary",
    "Drama",   "Family",    "Fantasy",   "History", "Horror",   "Music",
    "Mystery", "Romance",   "SciFi",     "Sports",  "Thriller", "Western"};

// `count` vectors of `dimension`, each centre[i] + spread * N(0, I), where centre[i] is row
// `of(i)` of `centres` (or 0 when `centres` is empty).
template <typename Of>
std::vector<float> Around(const std::vector<float>& centres, int32_t count, int dimension,
                          double spread, Of of, RandomStream& rng) {
  std::vector<float> out(static_cast<size_t>(count) * dimension);
  for (int32_t i = 0; i < count; ++i) {
    for (int d = 0; d < dimension; ++d) {
      const float centre =
          centres.empty() ? 0.0f : centres[static_cast<size_t>(of(i)) * dimension + d];
      out[static_cast<size_t>(i) * dimension + d] =
          centre + static_cast<float>(spread * rng.Normal());
    }
  }
  return out;
}

}  // namespace

Catalogue Catalogue::Generate(const CatalogueOptions& options, uint64_t seed) {
  RandomStream rng(seed, kStream);
  Catalogue c;
  c.options_ = options;
  const int dim = options.dimension;
  const int32_t genres = std::max(1, options.genres);
  const int32_t items = std::max(1, options.items);
  const int32_t providers = options.providers > 0 ? options.providers : std::max(1, items / 20);

  c.genre_vectors_ = Around(
      {}, genres, dim, 1.0, [](int32_t) { return 0; }, rng);
  c.provider_genre_.resize(providers);
  for (int32_t& g : c.provider_genre_) g = static_cast<int32_t>(rng.Below(genres));
  const std::vector<float> provider_vectors = Around(
      c.genre_vectors_, providers, dim, options.provider_spread,
      [&](int32_t p) { return c.provider_genre_[p]; }, rng);

  // Providers' shares of the items, as prefix sums to draw from.
  std::vector<double> share_sums(providers + 1, 0.0);
  for (int32_t p = 0; p < providers; ++p) {
    share_sums[p + 1] = share_sums[p] + rng.Pareto(options.provider_size_shape);
  }
  c.item_provider_.resize(items);
  for (int32_t i = 0; i < items; ++i) {
    const double x = rng.Uniform() * share_sums.back();
    const auto it = std::upper_bound(share_sums.begin(), share_sums.end(), x);
    c.item_provider_[i] =
        std::clamp<int32_t>(static_cast<int32_t>(it - share_sums.begin()) - 1, 0, providers - 1);
  }
  c.item_vectors_ = Around(
      provider_vectors, items, dim, options.item_spread,
      [&](int32_t i) { return c.item_provider_[i]; }, rng);

  const int32_t initial =
      std::clamp<int32_t>(static_cast<int32_t>(options.initial_share * items), 1, items);
  c.creation_.resize(items);
  for (int32_t i = 0; i < items; ++i) {
    const bool backlog = i < initial;
    const int64_t from = backlog ? options.start - kBacklog : options.start;
    const int64_t span = backlog ? kBacklog : std::max<int64_t>(1, options.horizon);
    c.creation_[i] = from + rng.Below(span);
  }
  // Number items in creation order: the vectors and providers were drawn independently of the
  // times, so sorting the times alone keeps every item's attributes random.
  std::sort(c.creation_.begin(), c.creation_.end());

  c.prominence_sums_.assign(items + 1, 0.0);
  for (int32_t i = 0; i < items; ++i) {
    c.prominence_sums_[i + 1] = c.prominence_sums_[i] + rng.Pareto(options.prominence_shape);
  }
  c.provider_items_.resize(providers);
  for (int32_t i = 0; i < items; ++i) c.provider_items_[c.item_provider_[i]].push_back(i);
  return c;
}

std::span<const float> Catalogue::GenreVector(int32_t genre) const {
  return {genre_vectors_.data() + static_cast<size_t>(genre) * options_.dimension,
          static_cast<size_t>(options_.dimension)};
}

std::string Catalogue::GenreName(int32_t genre) {
  if (genre >= 0 && genre < static_cast<int32_t>(kGenreNames.size())) return kGenreNames[genre];
  return "Genre" + std::to_string(genre);
}

std::span<const float> Catalogue::ItemVector(int32_t item) const {
  return {item_vectors_.data() + static_cast<size_t>(item) * options_.dimension,
          static_cast<size_t>(options_.dimension)};
}

int32_t Catalogue::AvailableAt(int64_t time) const {
  return static_cast<int32_t>(std::upper_bound(creation_.begin(), creation_.end(), time) -
                              creation_.begin());
}

int32_t Catalogue::DrawProminent(int32_t available, RandomStream& rng) const {
  const double x = rng.Uniform() * prominence_sums_[available];
  const auto it =
      std::upper_bound(prominence_sums_.begin() + 1, prominence_sums_.begin() + available + 1, x);
  return std::min<int32_t>(static_cast<int32_t>(it - prominence_sums_.begin()) - 1, available - 1);
}

int32_t Catalogue::DrawFromProvider(int32_t provider, int32_t available, RandomStream& rng) const {
  const std::vector<int32_t>& own = provider_items_[provider];
  const int64_t existing = std::lower_bound(own.begin(), own.end(), available) - own.begin();
  return existing == 0 ? -1 : own[rng.Below(existing)];
}

}  // namespace kindred
