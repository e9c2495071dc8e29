#include "recipes/sims.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "recipes/model_codec.h"
#include "recipes/popularity_count.h"

namespace kindred {
namespace {

constexpr std::string_view kMagic = "KSIM";
constexpr uint32_t kVersion = 1;

using Neighbour = ItemNeighbour;
using NeighbourLists = ItemNeighbourLists;

class NeighbourModel : public Model {
 public:
  NeighbourModel(std::string_view magic, std::vector<std::string> item_ids,
                 std::vector<uint32_t> popularity, NeighbourLists neighbours)
      : magic_(magic),
        item_ids_(std::move(item_ids)),
        popularity_(std::move(popularity)),
        neighbours_(std::move(neighbours)) {
    fallback_.reserve(popularity_.size());
    for (uint32_t p : popularity_) fallback_.push_back(-1.0f / (1.0f + static_cast<float>(p)));
  }

  const std::vector<std::string>& item_ids() const override { return item_ids_; }

  Status Score(const ModelQuery& query, std::vector<float>* scores) const override {
    scores->assign(fallback_.begin(), fallback_.end());
    int32_t seed = query.item;
    if (seed < 0 && !query.history.empty()) seed = query.history.back();
    if (seed < 0 || seed >= static_cast<int32_t>(item_ids_.size())) return Status::Ok();
    for (const Neighbour& n : neighbours_[seed]) (*scores)[n.item] = n.score;
    (*scores)[seed] = -std::numeric_limits<float>::infinity();
    return Status::Ok();
  }

  std::string Serialize() const override {
    ByteWriter w;
    w.Raw(magic_);
    w.U32(kVersion);
    w.Strings(item_ids_);
    for (uint32_t p : popularity_) w.U32(p);
    for (const std::vector<Neighbour>& list : neighbours_) {
      w.U32(static_cast<uint32_t>(list.size()));
      for (const Neighbour& n : list) {
        w.U32(n.item);
        w.F32(n.score);
      }
    }
    return std::move(w).Take();
  }

 private:
  std::string magic_;
  std::vector<std::string> item_ids_;
  std::vector<uint32_t> popularity_;
  NeighbourLists neighbours_;
  std::vector<float> fallback_;  // -1 / (1 + popularity): below every neighbour, popular first
};

// keep[i]: values[i] > 0 and within the [lo, hi] percentiles of the positive values.
std::vector<bool> WithinPercentiles(const std::vector<uint32_t>& values, double lo, double hi) {
  std::vector<uint32_t> sorted;
  for (uint32_t v : values) {
    if (v > 0) sorted.push_back(v);
  }
  std::vector<bool> keep(values.size(), false);
  if (sorted.empty()) return keep;
  std::sort(sorted.begin(), sorted.end());
  const double last = static_cast<double>(sorted.size() - 1);
  const uint32_t min_value = sorted[static_cast<size_t>(std::floor(lo * last))];
  const uint32_t max_value = sorted[static_cast<size_t>(std::ceil(hi * last))];
  for (size_t i = 0; i < values.size(); ++i) {
    keep[i] = values[i] > 0 && values[i] >= min_value && values[i] <= max_value;
  }
  return keep;
}

// Distinct items of each kept user's last kMaxPairHistory events, as CSR; baskets with fewer
// than two items are left out (they form no pair).
struct Baskets {
  std::vector<int32_t> items;
  std::vector<size_t> offsets{0};
  size_t size() const { return offsets.size() - 1; }
};

Baskets BuildBaskets(const TrainingData& data, const std::vector<bool>& user_ok,
                     const std::vector<bool>& item_ok) {
  Baskets b;
  std::vector<int32_t> taken_by(data.num_items(), -1);  // the user whose basket took each item
  for (int32_t u = 0; u < data.num_users(); ++u) {
    if (!user_ok[u]) continue;
    std::span<const Interaction> h = data.History(u);
    if (h.size() > static_cast<size_t>(SimsRecipe::kMaxPairHistory)) {
      h = h.last(SimsRecipe::kMaxPairHistory);
    }
    for (const Interaction& x : h) {
      if (!item_ok[x.item] || taken_by[x.item] == u) continue;
      taken_by[x.item] = u;
      b.items.push_back(x.item);
    }
    if (b.items.size() - b.offsets.back() < 2) {
      b.items.resize(b.offsets.back());
    } else {
      b.offsets.push_back(b.items.size());
    }
  }
  return b;
}

Result<NeighbourLists> ComputeNeighbours(const Baskets& baskets, int32_t num_items,
                                         const std::vector<uint32_t>& popularity,
                                         double discount, uint32_t min_cointeractions,
                                         const TrainingControl& control) {
  // Inverted index: the baskets holding each item, as CSR.
  std::vector<size_t> item_offsets(num_items + 1, 0);
  for (int32_t item : baskets.items) ++item_offsets[item + 1];
  for (int32_t i = 0; i < num_items; ++i) item_offsets[i + 1] += item_offsets[i];
  std::vector<uint32_t> item_baskets(baskets.items.size());
  std::vector<size_t> fill(item_offsets.begin(), item_offsets.end() - 1);
  for (size_t k = 0; k < baskets.size(); ++k) {
    for (size_t j = baskets.offsets[k]; j < baskets.offsets[k + 1]; ++j) {
      item_baskets[fill[baskets.items[j]]++] = static_cast<uint32_t>(k);
    }
  }

  NeighbourLists lists(num_items);
  std::vector<uint32_t> cooccurrences(num_items, 0);
  std::vector<int32_t> touched;
  const uint32_t min_count = std::max<uint32_t>(min_cointeractions, 1);
  for (int32_t a = 0; a < num_items; ++a) {
    if (a % 1024 == 0) {
      KINDRED_RETURN_IF_ERROR(CheckCancelled(control));
      if (control.progress) control.progress(static_cast<double>(a) / num_items);
    }
    touched.clear();
    for (size_t j = item_offsets[a]; j < item_offsets[a + 1]; ++j) {
      const uint32_t k = item_baskets[j];
      for (size_t m = baskets.offsets[k]; m < baskets.offsets[k + 1]; ++m) {
        const int32_t b = baskets.items[m];
        if (b != a && cooccurrences[b]++ == 0) touched.push_back(b);
      }
    }
    std::vector<Neighbour>& list = lists[a];
    for (int32_t b : touched) {
      const uint32_t count = cooccurrences[b];
      cooccurrences[b] = 0;
      if (count < min_count) continue;
      const double norm =
          std::pow(static_cast<double>(popularity[a]) * popularity[b], discount / 2);
      list.push_back({static_cast<uint32_t>(b), static_cast<float>(count / norm)});
    }
    KeepBestNeighbours(popularity, &list);
  }
  if (control.progress) control.progress(1.0);
  return lists;
}

}  // namespace

void KeepBestNeighbours(const std::vector<uint32_t>& popularity, std::vector<ItemNeighbour>* list) {
  auto better = [&](const Neighbour& x, const Neighbour& y) {
    if (x.score != y.score) return x.score > y.score;
    if (popularity[x.item] != popularity[y.item]) return popularity[x.item] > popularity[y.item];
    return x.item < y.item;
  };
  const size_t keep = std::min<size_t>(list->size(), SimsRecipe::kMaxNeighbours);
  std::partial_sort(list->begin(), list->begin() + keep, list->end(), better);
  list->resize(keep);
  list->shrink_to_fit();
}

Result<ItemNeighbourLists> CoOccurrenceNeighbours(const TrainingData& data,
                                                  const std::vector<uint32_t>& popularity,
                                                  const CoOccurrenceOptions& options,
                                                  const TrainingControl& control) {
  std::vector<uint32_t> history_lengths(data.num_users());
  for (int32_t u = 0; u < data.num_users(); ++u) {
    history_lengths[u] = static_cast<uint32_t>(data.History(u).size());
  }
  std::vector<uint32_t> item_counts(data.num_items(), 0);
  for (const Interaction& x : data.interactions) ++item_counts[x.item];
  const Baskets baskets = BuildBaskets(
      data,
      WithinPercentiles(history_lengths, options.min_user_history_length_percentile,
                        options.max_user_history_length_percentile),
      WithinPercentiles(item_counts, options.min_item_interaction_count_percentile,
                        options.max_item_interaction_count_percentile));
  return ComputeNeighbours(baskets, data.num_items(), popularity,
                           options.popularity_discount_factor, options.min_cointeraction_count,
                           control);
}

std::unique_ptr<Model> MakeNeighbourModel(std::string_view magic, std::vector<std::string> item_ids,
                                          std::vector<uint32_t> popularity,
                                          ItemNeighbourLists neighbours) {
  return std::make_unique<NeighbourModel>(magic, std::move(item_ids), std::move(popularity),
                                          std::move(neighbours));
}

Result<std::unique_ptr<Model>> LoadNeighbourModel(std::string_view magic, std::string_view recipe,
                                                  std::string_view bytes) {
  const std::string name(recipe);
  ByteReader r(bytes);
  uint32_t version = 0;
  std::vector<std::string> ids;
  if (!r.Expect(magic) || !r.U32(&version) || version != kVersion || !r.Strings(&ids)) {
    return Status::Corruption("not an " + name + " model");
  }
  const Status truncated = Status::Corruption(name + " model is truncated or corrupt");
  std::vector<uint32_t> popularity(ids.size());
  for (uint32_t& p : popularity) {
    if (!r.U32(&p)) return truncated;
  }
  NeighbourLists lists(ids.size());
  for (std::vector<Neighbour>& list : lists) {
    uint32_t n = 0;
    if (!r.Count(&n, 8)) return truncated;
    list.resize(n);
    for (Neighbour& nb : list) {
      if (!r.U32(&nb.item) || !r.F32(&nb.score) || nb.item >= ids.size()) return truncated;
    }
  }
  if (!r.done()) return Status::Corruption(name + " model has trailing bytes");
  return MakeNeighbourModel(magic, std::move(ids), std::move(popularity), std::move(lists));
}

const RecipeInfo& SimsRecipe::info() const {
  using Kind = HyperParameterSpec::Kind;
  static const RecipeInfo kInfo{
      .name = "aws-sims",
      .recipe_type = "RELATED_ITEMS",
      .description = "Item-to-item similarities: recommends the items that co-occur most with a "
                     "given item in user histories, discounted by popularity; popular items when "
                     "the item is unknown or has too few interactions.",
      .hyperparameters =
          {
              {"popularity_discount_factor", Kind::kContinuous, "0.5", 0.0, 1.0, {}, true},
              {"min_cointeraction_count", Kind::kInteger, "3", 0, 10, {}, true},
              {"min_user_history_length_percentile", Kind::kContinuous, "0.005", 0.0, 1.0, {},
               false},
              {"max_user_history_length_percentile", Kind::kContinuous, "0.995", 0.0, 1.0, {},
               false},
              {"min_item_interaction_count_percentile", Kind::kContinuous, "0.01", 0.0, 1.0, {},
               false},
              {"max_item_interaction_count_percentile", Kind::kContinuous, "0.9", 0.0, 1.0, {},
               false},
          },
      .feature_transformation = "sims",
  };
  return kInfo;
}

Result<std::unique_ptr<Model>> SimsRecipe::Train(const TrainingData& data,
                                                 const HyperParameters& params,
                                                 const TrainingControl& control) const {
  Result<HyperParameters> resolved = ResolveHyperParameters(info(), params);
  if (!resolved.ok()) return resolved.status();
  auto param = [&](const char* name) { return NumericParam(*resolved, name); };
  CoOccurrenceOptions options;
  options.popularity_discount_factor = param("popularity_discount_factor");
  options.min_cointeraction_count = static_cast<uint32_t>(param("min_cointeraction_count"));
  options.min_user_history_length_percentile = param("min_user_history_length_percentile");
  options.max_user_history_length_percentile = param("max_user_history_length_percentile");
  options.min_item_interaction_count_percentile = param("min_item_interaction_count_percentile");
  options.max_item_interaction_count_percentile = param("max_item_interaction_count_percentile");
  std::vector<uint32_t> popularity = UniqueUserCounts(data);
  Result<NeighbourLists> lists = CoOccurrenceNeighbours(data, popularity, options, control);
  if (!lists.ok()) return lists.status();
  return MakeNeighbourModel(kMagic, data.items.names(), std::move(popularity),
                            std::move(lists).value());
}

Result<std::unique_ptr<Model>> SimsRecipe::Load(std::string_view bytes) const {
  return LoadNeighbourModel(kMagic, info().name, bytes);
}

}  // namespace kindred
