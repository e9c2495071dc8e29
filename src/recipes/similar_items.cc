#include "recipes/similar_items.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "recipes/popularity_count.h"
#include "recipes/sims.h"

namespace kindred {
namespace {

constexpr std::string_view kMagic = "KSIT";

// For every item, the IDF-weighted cosine similarity of its token set with every other item's
// (only pairs sharing a token; 0 elsewhere), accumulated into (*lists)[a] as `weight` times it.
Status AddMetadataSimilarity(const TrainingData& data, float weight, const TrainingControl& control,
                             ItemNeighbourLists* lists) {
  const int32_t n = data.num_items();
  std::vector<std::vector<int32_t>> postings(data.features.size());
  int32_t with_tokens = 0;
  for (int32_t i = 0; i < n; ++i) {
    if (!data.item_features[i].empty()) ++with_tokens;
    for (int32_t t : data.item_features[i]) postings[t].push_back(i);
  }
  std::vector<double> idf2(postings.size());  // squared IDF weight of each token
  for (size_t t = 0; t < postings.size(); ++t) {
    const double idf = postings[t].empty()
                           ? 0
                           : std::log(1.0 + static_cast<double>(with_tokens) / postings[t].size());
    idf2[t] = idf * idf;
  }
  std::vector<double> norm(n, 0);
  for (int32_t i = 0; i < n; ++i) {
    for (int32_t t : data.item_features[i]) norm[i] += idf2[t];
    norm[i] = std::sqrt(norm[i]);
  }

  std::vector<double> dot(n, 0);
  std::vector<int32_t> touched;
  for (int32_t a = 0; a < n; ++a) {
    if (a % 1024 == 0) KINDRED_RETURN_IF_ERROR(CheckCancelled(control));
    touched.clear();
    for (int32_t t : data.item_features[a]) {
      for (int32_t b : postings[t]) {
        if (b == a) continue;
        if (dot[b] == 0) touched.push_back(b);
        dot[b] += idf2[t];
      }
    }
    // Co-occurrence scores already in the list are blended with the metadata ones.
    std::vector<ItemNeighbour>& list = (*lists)[a];
    for (ItemNeighbour& nb : list) {
      if (dot[nb.item] > 0) {
        nb.score += static_cast<float>(weight * dot[nb.item] / (norm[a] * norm[nb.item]));
        dot[nb.item] = 0;
      }
    }
    for (int32_t b : touched) {
      if (dot[b] > 0) {
        list.push_back(
            {static_cast<uint32_t>(b), static_cast<float>(weight * dot[b] / (norm[a] * norm[b]))});
      }
      dot[b] = 0;
    }
  }
  return Status::Ok();
}

}  // namespace

const RecipeInfo& SimilarItemsRecipe::info() const {
  using Kind = HyperParameterSpec::Kind;
  static const RecipeInfo kInfo{
      .name = "aws-similar-items",
      .recipe_type = "RELATED_ITEMS",
      .description =
          "Similar items from co-occurrence in user histories blended with shared "
          "categorical item metadata, so items without interactions have similar "
          "items too; popular items when the item is unknown.",
      .hyperparameters =
          {
              {"popularity_discount_factor", Kind::kContinuous, "0.5", 0.0, 1.0, {}, true},
              {"min_cointeraction_count", Kind::kInteger, "3", 0, 10, {}, true},
              {"metadata_weight", Kind::kContinuous, "0.3", 0.0, 1.0, {}, true},
          },
      .feature_transformation = "similar-items",
  };
  return kInfo;
}

Result<std::unique_ptr<Model>> SimilarItemsRecipe::Train(const TrainingData& data,
                                                         const HyperParameters& params,
                                                         const TrainingControl& control) const {
  Result<HyperParameters> resolved = ResolveHyperParameters(info(), params);
  if (!resolved.ok()) return resolved.status();
  CoOccurrenceOptions options;
  options.popularity_discount_factor = NumericParam(*resolved, "popularity_discount_factor");
  options.min_cointeraction_count =
      static_cast<uint32_t>(NumericParam(*resolved, "min_cointeraction_count"));
  const float metadata_weight = static_cast<float>(NumericParam(*resolved, "metadata_weight"));

  std::vector<uint32_t> popularity = UniqueUserCounts(data);
  TrainingControl co_control = control;
  if (control.progress) co_control.progress = [&](double f) { control.progress(f / 2); };
  Result<ItemNeighbourLists> lists = CoOccurrenceNeighbours(data, popularity, options, co_control);
  if (!lists.ok()) return lists.status();
  for (std::vector<ItemNeighbour>& list : *lists) {
    float best = 0;
    for (const ItemNeighbour& nb : list) best = std::max(best, nb.score);
    for (ItemNeighbour& nb : list) nb.score = (1 - metadata_weight) * nb.score / best;
  }
  KINDRED_RETURN_IF_ERROR(AddMetadataSimilarity(data, metadata_weight, control, &*lists));
  for (std::vector<ItemNeighbour>& list : *lists) {
    std::erase_if(list, [](const ItemNeighbour& nb) { return !(nb.score > 0); });
    KeepBestNeighbours(popularity, &list);
  }
  if (control.progress) control.progress(1.0);
  return MakeNeighbourModel(kMagic, data.items.names(), std::move(popularity),
                            std::move(lists).value());
}

Result<std::unique_ptr<Model>> SimilarItemsRecipe::Load(std::string_view bytes) const {
  return LoadNeighbourModel(kMagic, info().name, bytes);
}

}  // namespace kindred
