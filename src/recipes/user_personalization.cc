#include "recipes/user_personalization.h"

#include <algorithm>
#include <cmath>

#include "recipes/model_codec.h"
#include "recipes/sequence_trainer.h"

namespace kindred {
namespace {

constexpr std::string_view kMagic = "KSEQ";
constexpr uint32_t kVersion = 1;
constexpr uint64_t kSeed = 42;

class SequenceModel : public Model {
 public:
  SequenceModel(std::vector<std::string> item_ids, bool recency_mask, SequenceWeights weights)
      : item_ids_(std::move(item_ids)), recency_mask_(recency_mask), w_(std::move(weights)) {}

  const std::vector<std::string>& item_ids() const override { return item_ids_; }

  Status Score(const ModelQuery& query, std::vector<float>* scores) const override {
    const int d = w_.dimension;
    const int32_t num_items = static_cast<int32_t>(item_ids_.size());
    // The newest bptt known items of the history, newest first.
    std::vector<int32_t> recent;
    for (auto it = query.history.rbegin();
         it != query.history.rend() && recent.size() < w_.positions.size(); ++it) {
      if (*it >= 0 && *it < num_items) recent.push_back(*it);
    }
    std::vector<float> state(d, 0.0f);
    for (size_t k = 0; k < recent.size(); ++k) {
      const float weight = recency_mask_ ? w_.positions[k] : 1.0f / recent.size();
      const float* in = w_.input.data() + static_cast<size_t>(recent[k]) * d;
      for (int i = 0; i < d; ++i) state[i] += weight * in[i];
    }
    scores->resize(num_items);
    for (int32_t j = 0; j < num_items; ++j) {
      const float* out = w_.output.data() + static_cast<size_t>(j) * d;
      float s = w_.bias[j];
      for (int i = 0; i < d; ++i) s += state[i] * out[i];
      (*scores)[j] = s;
    }
    return Status::Ok();
  }

  std::string Serialize() const override {
    ByteWriter w;
    w.Raw(kMagic);
    w.U32(kVersion);
    w.Strings(item_ids_);
    w.U32(static_cast<uint32_t>(w_.dimension));
    w.U32(recency_mask_ ? 1 : 0);
    w.U32(static_cast<uint32_t>(w_.positions.size()));
    for (float v : w_.positions) w.F32(v);
    for (float v : w_.input) w.F32(v);
    for (float v : w_.output) w.F32(v);
    for (float v : w_.bias) w.F32(v);
    return std::move(w).Take();
  }

 private:
  std::vector<std::string> item_ids_;
  bool recency_mask_;
  SequenceWeights w_;
};

// keep[u]: the history length of user u lies within the [lo, hi] percentiles of the lengths of
// users with at least one event.
std::vector<bool> UsersWithinPercentiles(const TrainingData& data, double lo, double hi) {
  std::vector<size_t> sorted;
  for (int32_t u = 0; u < data.num_users(); ++u) {
    if (!data.History(u).empty()) sorted.push_back(data.History(u).size());
  }
  std::vector<bool> keep(data.num_users(), false);
  if (sorted.empty()) return keep;
  std::sort(sorted.begin(), sorted.end());
  const double last = static_cast<double>(sorted.size() - 1);
  const size_t min_length = sorted[static_cast<size_t>(std::floor(lo * last))];
  const size_t max_length = sorted[static_cast<size_t>(std::ceil(hi * last))];
  for (int32_t u = 0; u < data.num_users(); ++u) {
    const size_t n = data.History(u).size();
    keep[u] = n > 0 && n >= min_length && n <= max_length;
  }
  return keep;
}

std::vector<HyperParameterSpec> SequenceHyperParameters() {
  using Kind = HyperParameterSpec::Kind;
  return {
      {"hidden_dimension", Kind::kInteger, "64", 32, 256, {}, true},
      {"bptt", Kind::kInteger, "32", 2, 32, {}, true},
      {"recency_mask", Kind::kCategorical, "true", 0, 0, {"true", "false", "True", "False"}, true},
      {"min_user_history_length_percentile", Kind::kContinuous, "0.0", 0.0, 1.0, {}, false},
      {"max_user_history_length_percentile", Kind::kContinuous, "0.99", 0.0, 1.0, {}, false},
      {"epochs", Kind::kInteger, "5", 1, 100, {}, true},
      {"learning_rate", Kind::kContinuous, "0.1", 0.001, 1.0, {}, true},
      {"negative_samples", Kind::kInteger, "32", 1, 1000, {}, true},
      {"l2_regularization", Kind::kContinuous, "0.005", 0.0, 1.0, {}, true},
  };
}

}  // namespace

const RecipeInfo& UserPersonalizationRecipe::info() const {
  static const RecipeInfo kInfo{
      .name = "aws-user-personalization",
      .recipe_type = "USER_PERSONALIZATION",
      .description =
          "Predicts the items a user will interact with next from the order and "
          "recency of their latest interactions and the items' metadata, so items "
          "without interactions are recommended by their metadata.",
      .hyperparameters = SequenceHyperParameters(),
      .feature_transformation = "user-personalization",
  };
  return kInfo;
}

const RecipeInfo& PersonalizedRankingRecipe::info() const {
  static const RecipeInfo kInfo{
      .name = "aws-personalized-ranking",
      .recipe_type = "PERSONALIZED_RANKING",
      .description =
          "Ranks a given list of items for a user by how likely the user is to "
          "interact with each next, with the model of aws-user-personalization.",
      .hyperparameters = SequenceHyperParameters(),
      .feature_transformation = "JSON-percentile-filtering",
  };
  return kInfo;
}

Result<std::unique_ptr<Model>> SequenceRecipe::Train(const TrainingData& data,
                                                     const HyperParameters& params,
                                                     const TrainingControl& control) const {
  Result<HyperParameters> resolved = ResolveHyperParameters(info(), params);
  if (!resolved.ok()) return resolved.status();
  auto param = [&](const char* name) { return NumericParam(*resolved, name); };
  SequenceTrainingOptions options;
  options.dimension = static_cast<int>(param("hidden_dimension"));
  options.bptt = static_cast<int>(param("bptt"));
  const std::string& recency = resolved->at("recency_mask");
  options.recency_mask = recency == "true" || recency == "True";
  options.epochs = static_cast<int>(param("epochs"));
  options.learning_rate = param("learning_rate");
  options.negative_samples = static_cast<int>(param("negative_samples"));
  options.l2 = param("l2_regularization");
  options.seed = kSeed;
  const std::vector<bool> users =
      UsersWithinPercentiles(data, param("min_user_history_length_percentile"),
                             param("max_user_history_length_percentile"));
  Result<SequenceWeights> weights = TrainSequenceWeights(data, users, options, control);
  if (!weights.ok()) return weights.status();
  std::unique_ptr<Model> model = std::make_unique<SequenceModel>(
      data.items.names(), options.recency_mask, std::move(weights).value());
  return model;
}

Result<std::unique_ptr<Model>> SequenceRecipe::Load(std::string_view bytes) const {
  ByteReader r(bytes);
  uint32_t version = 0;
  std::vector<std::string> ids;
  if (!r.Expect(kMagic) || !r.U32(&version) || version != kVersion || !r.Strings(&ids)) {
    return Status::Corruption("not an " + info().name + " model");
  }
  const Status corrupt = Status::Corruption(info().name + " model is truncated or corrupt");
  uint32_t dimension = 0, recency = 0, bptt = 0;
  if (!r.U32(&dimension) || !r.U32(&recency) || !r.Count(&bptt, 4) || dimension == 0 ||
      recency > 1 || bptt == 0) {
    return corrupt;
  }
  SequenceWeights w;
  w.dimension = static_cast<int>(dimension);
  const size_t n = ids.size();
  // Checked before allocating: the bytes left must hold every vector.
  const size_t floats = bptt + (2 * static_cast<size_t>(dimension) + 1) * n;
  if (dimension > (1u << 16) || bytes.size() < floats * 4) return corrupt;
  auto read = [&](std::vector<float>* v, size_t count) {
    v->resize(count);
    for (float& x : *v) {
      if (!r.F32(&x)) return false;
    }
    return true;
  };
  if (!read(&w.positions, bptt) || !read(&w.input, n * dimension) ||
      !read(&w.output, n * dimension) || !read(&w.bias, n)) {
    return corrupt;
  }
  if (!r.done()) return Status::Corruption(info().name + " model has trailing bytes");
  std::unique_ptr<Model> model =
      std::make_unique<SequenceModel>(std::move(ids), recency == 1, std::move(w));
  return model;
}

}  // namespace kindred
