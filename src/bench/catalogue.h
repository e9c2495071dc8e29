// Catalogue: the content side of the synthetic world, after RecSim NG's ecosystem models —
// genres, content providers and the items they produce, each with a latent vector.
//
// Every genre has a random vector; a provider belongs to one genre and has its own vector
// around the genre's; its items have vectors around the provider's, so items of one provider
// resemble each other and share its GENRE. Providers differ in output (a Pareto-distributed
// share of the items). Each item has a prominence — how much the platform pushes it, Pareto
// distributed, which makes popularity follow a power law — and a creation time: a share of the
// items exists before the first event, the rest arrives uniformly over the event horizon.
// Items are numbered in creation order, so the items that exist at time t are a prefix.
//
//   Catalogue c = Catalogue::Generate(options, seed);
//   int32_t n = c.AvailableAt(now);                    // items [0, n) exist at `now`
//   int32_t shown = c.DrawProminent(n, rng);
//
// Thread-safety: immutable once generated; const methods may be called from any thread (each
// with its own RandomStream).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bench/random_stream.h"

namespace kindred {

struct CatalogueOptions {
  int32_t items = 1000;
  int32_t providers = 0;  // 0: one per 20 items, at least 1
  int32_t genres = 12;
  int dimension = 16;                // of every latent vector
  double provider_spread = 0.7;      // std-dev of a provider's vector around its genre's
  double item_spread = 0.5;          // std-dev of an item's vector around its provider's
  double provider_size_shape = 1.5;  // Pareto shape of providers' shares of the items
  double prominence_shape = 1.1;     // Pareto shape of item prominence (smaller: heavier tail)
  double initial_share = 0.5;        // share of items created before `start` (at least one item)
  int64_t start = 1'700'000'000;     // time of the first event, seconds since the epoch
  int64_t horizon = 90 * 86400;      // events happen in [start, start + horizon)
};

class Catalogue {
 public:
  static Catalogue Generate(const CatalogueOptions& options, uint64_t seed);

  const CatalogueOptions& options() const { return options_; }
  int32_t size() const { return static_cast<int32_t>(creation_.size()); }

  std::span<const float> GenreVector(int32_t genre) const;
  // "Action", "Comedy", ...; genres past the named ones are "Genre<n>".
  static std::string GenreName(int32_t genre);

  std::span<const float> ItemVector(int32_t item) const;
  int32_t Provider(int32_t item) const { return item_provider_[item]; }
  int32_t Genre(int32_t item) const { return provider_genre_[item_provider_[item]]; }
  int64_t Creation(int32_t item) const { return creation_[item]; }

  // The number of items created at or before `time`: items [0, AvailableAt(time)) exist then.
  int32_t AvailableAt(int64_t time) const;
  // An item of [0, available), available > 0, drawn with probability proportional to its
  // prominence.
  int32_t DrawProminent(int32_t available, RandomStream& rng) const;
  // An item of `provider` among [0, available), uniformly; -1 when it has none yet.
  int32_t DrawFromProvider(int32_t provider, int32_t available, RandomStream& rng) const;

 private:
  CatalogueOptions options_;
  std::vector<float> genre_vectors_;  // genres x dimension
  std::vector<int32_t> provider_genre_;
  std::vector<float> item_vectors_;  // items x dimension
  std::vector<int32_t> item_provider_;
  std::vector<int64_t> creation_;                     // ascending
  std::vector<double> prominence_sums_;               // prefix sums of prominence, size items + 1
  std::vector<std::vector<int32_t>> provider_items_;  // each ascending
};

}  // namespace kindred
