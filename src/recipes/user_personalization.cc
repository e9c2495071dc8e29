#include "recipes/user_personalization.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "recipes/sequence_model.h"
#include "recipes/sequence_trainer.h"

namespace kindred {
namespace {

constexpr uint64_t kSeed = 42;

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

// The training options and the users to train on that hyperparameters describe.
struct SequenceConfig {
  SequenceTrainingOptions training;
  double min_history_percentile = 0, max_history_percentile = 1;
};

Result<SequenceConfig> Configure(const RecipeInfo& info, const HyperParameters& params) {
  Result<HyperParameters> resolved = ResolveHyperParameters(info, params);
  if (!resolved.ok()) return resolved.status();
  auto param = [&](const char* name) { return NumericParam(*resolved, name); };
  SequenceConfig config;
  SequenceTrainingOptions& options = config.training;
  options.dimension = static_cast<int>(param("hidden_dimension"));
  options.bptt = static_cast<int>(param("bptt"));
  const std::string& recency = resolved->at("recency_mask");
  options.recency_mask = recency == "true" || recency == "True";
  options.epochs = static_cast<int>(param("epochs"));
  options.learning_rate = param("learning_rate");
  options.negative_samples = static_cast<int>(param("negative_samples"));
  options.l2 = param("l2_regularization");
  options.seed = kSeed;
  config.min_history_percentile = param("min_user_history_length_percentile");
  config.max_history_percentile = param("max_user_history_length_percentile");
  return config;
}

// Copies into `p` (indexed like data) the rows of `old` (indexed like `catalogue`) of the items
// and feature tokens both know, with their Adagrad accumulators, and the shared weights; items
// new to `old` get its cold bias.
void CarryOver(const SequenceCatalogue& catalogue, const SequenceParameters& old,
               const TrainingData& data, SequenceParameters* p) {
  auto copy_row = [](const ParameterTable& from, size_t from_row, ParameterTable* to,
                     size_t to_row) {
    std::copy_n(from.Row(from_row), from.cols, to->Row(to_row));
    to->squares[to_row] = from.squares[from_row];
  };
  std::fill(p->bias.values.begin(), p->bias.values.end(), old.cold_bias);
  for (size_t i = 0; i < catalogue.item_ids.size(); ++i) {
    const int32_t j = data.items.Find(catalogue.item_ids[i]);
    if (j < 0) continue;
    copy_row(old.items, i, &p->items, j);
    copy_row(old.bias, i, &p->bias, j);
  }
  for (size_t f = 0; f < catalogue.features.size(); ++f) {
    const int32_t g = data.features.Find(catalogue.features[f]);
    if (g >= 0) copy_row(old.features, f, &p->features, g);
  }
  p->cold_bias = old.cold_bias;
  p->positions = old.positions;
  p->query = old.query;
}

// The newest event timestamp of `data`; the lowest int64 when it has none.
int64_t NewestEvent(const TrainingData& data) {
  int64_t newest = std::numeric_limits<int64_t>::min();
  for (const Interaction& x : data.interactions) newest = std::max(newest, x.timestamp);
  return newest;
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
  Result<SequenceConfig> config = Configure(info(), params);
  if (!config.ok()) return config.status();
  const std::vector<bool> users =
      UsersWithinPercentiles(data, config->min_history_percentile, config->max_history_percentile);
  SequenceParameters p = InitialSequenceParameters(data, config->training);
  KINDRED_RETURN_IF_ERROR(TrainSequence(data, AllExamples(data, users), ItemCounts(data, users),
                                        config->training, control, &p));
  std::unique_ptr<Model> model =
      std::make_unique<SequenceModel>(SequenceCatalogue::Of(data), std::move(p), NewestEvent(data));
  return model;
}

Result<std::unique_ptr<Model>> SequenceRecipe::Update(const Model& previous,
                                                      const TrainingData& data,
                                                      const HyperParameters& params,
                                                      const TrainingControl& control) const {
  const auto* before = dynamic_cast<const SequenceModel*>(&previous);
  if (before == nullptr) {
    return Status::InvalidInput("the model to update is not an " + info().name + " model");
  }
  Result<SequenceConfig> config = Configure(info(), params);
  if (!config.ok()) return config.status();
  // The architecture is the previous model's.
  const SequenceParameters& old = before->parameters();
  SequenceTrainingOptions* options = &config->training;
  options->dimension = old.dimension;
  options->bptt = old.bptt();
  options->recency_mask = old.recency_mask;
  SequenceParameters p = InitialSequenceParameters(data, *options);
  CarryOver(before->catalogue(), old, data, &p);

  std::vector<SequenceExample> examples;
  for (int32_t u = 0; u < data.num_users(); ++u) {
    std::span<const Interaction> h = data.History(u);
    for (size_t t = 1; t < h.size(); ++t) {
      if (h[t].timestamp > before->trained_until()) {
        examples.push_back({u, static_cast<uint32_t>(t)});
      }
    }
  }
  const std::vector<bool> everyone(data.num_users(), true);
  KINDRED_RETURN_IF_ERROR(
      TrainSequence(data, std::move(examples), ItemCounts(data, everyone), *options, control, &p));
  std::unique_ptr<Model> model =
      std::make_unique<SequenceModel>(SequenceCatalogue::Of(data), std::move(p),
                                      std::max(before->trained_until(), NewestEvent(data)));
  return model;
}

Result<std::unique_ptr<Model>> SequenceRecipe::Load(std::string_view bytes) const {
  Result<std::unique_ptr<SequenceModel>> model = SequenceModel::Load(bytes, info().name);
  if (!model.ok()) return model.status();
  return std::unique_ptr<Model>(std::move(model).value());
}

}  // namespace kindred
