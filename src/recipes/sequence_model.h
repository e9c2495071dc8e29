// Sequence model: the trained next-item model of aws-user-personalization and
// aws-personalized-ranking (src/recipes/user_personalization.h describes what it computes),
// with its parameters, its scoring and its "KSEQ" bytes (docs/model-formats.md).
//
// An item is represented by its id embedding plus the mean of the embeddings of its metadata
// tokens; the same vector serves the item as history and as candidate. An item without training
// events has a zero id embedding and the shared cold bias, so it is represented by its metadata
// alone — which is also how ScoreUnseen represents items put after training.
//
//   SequenceModel model(catalogue, std::move(parameters), trained_until);
//   model.Score(query, &scores);
//
// Thread-safety: immutable after construction; every const method may be called concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "recipes/model.h"
#include "recipes/training_data.h"

namespace kindred {

// Rows of `cols` floats with one row-wise Adagrad accumulator each (kept in the model so that
// trainingMode UPDATE continues the optimisation where training left it).
struct ParameterTable {
  int cols = 0;
  std::vector<float> values;   // rows × cols, row-major
  std::vector<float> squares;  // per row: accumulated mean square gradient

  ParameterTable() = default;
  ParameterTable(size_t rows, int cols) : cols(cols), values(rows * cols), squares(rows) {}
  size_t rows() const { return squares.size(); }
  float* Row(size_t r) { return values.data() + r * cols; }
  const float* Row(size_t r) const { return values.data() + r * cols; }
};

// Everything the model learns. d = dimension; b = bptt.
struct SequenceParameters {
  int dimension = 0;
  bool recency_mask = true;  // false: the state is the plain mean of the history
  ParameterTable items;      // n × d id embeddings (zero for items without training events)
  ParameterTable features;   // f × d metadata-token embeddings
  ParameterTable bias;       // n × 1
  float cold_bias = 0;       // the bias of an item without training events
  ParameterTable positions;  // b × 1: attention bias of the k-th newest history item
  ParameterTable query;      // d × d: the newest item's attention query (recency_mask only)

  int bptt() const { return static_cast<int>(positions.rows()); }
};

// The items and metadata tokens the parameters are indexed by.
struct SequenceCatalogue {
  std::vector<std::string> item_ids;
  std::vector<std::string> features;                // tokens "FIELD=value"
  std::vector<std::vector<int32_t>> item_features;  // per item, indices into `features`

  static SequenceCatalogue Of(const TrainingData& data);
};

// Writes item's representation: its id row plus the mean of the rows of its feature `tokens`.
void Represent(const SequenceParameters& p, std::span<const int32_t> tokens, int32_t item,
               float* into);

// The user state computed from a history: the forward pass shared by scoring and training.
// Holds the intermediate values training needs for its gradients.
struct SequenceState {
  std::vector<int32_t> context;  // the newest bptt history items, newest first
  std::vector<float> inputs;     // their representations, context.size() × d
  std::vector<float> attention;  // their weights in the pooled history (sum to 1)
  std::vector<float> query;      // d: Q · input_0; logit_k = query · input_k / √d + position_k
  std::vector<float> state;      // d: Σ attention_k · input_k
};

// Fills `out` with the state of `history` (oldest first; indices outside the catalogue are
// skipped). `represent(item, into)` writes an item's d-dimensional representation.
void ComputeState(const SequenceParameters& p, std::span<const int32_t> history, int32_t num_items,
                  const std::function<void(int32_t item, float* into)>& represent,
                  SequenceState* out);

// Scores are dot products of the user state with the item representations plus the item's bias,
// so the model is its own DotProductForm (the query vector is the state).
class SequenceModel : public Model, public DotProductForm {
 public:
  // `trained_until`: the newest event timestamp trained on (trainingMode UPDATE trains on the
  // events after it).
  SequenceModel(SequenceCatalogue catalogue, SequenceParameters parameters, int64_t trained_until);

  const std::vector<std::string>& item_ids() const override { return catalogue_.item_ids; }
  Status Score(const ModelQuery& query, std::vector<float>* scores) const override;
  Status ScoreUnseen(const ModelQuery& query, std::span<const std::vector<std::string>> items,
                     std::vector<float>* scores) const override;
  std::string Serialize() const override;
  const DotProductForm* dot_product() const override { return this; }

  // DotProductForm.
  int dimension() const override { return p_.dimension; }
  Status QueryVector(const ModelQuery& query, std::span<float> out) const override;
  void ItemVector(int32_t j, std::span<float> out) const override;
  float ItemBias(int32_t j) const override { return p_.bias.values[j]; }
  void ScoreItems(std::span<const float> query_vector, std::span<const int32_t> items,
                  std::span<float> out) const override;
  void UnseenItemVector(std::span<const std::string> tokens, std::span<float> out,
                        float* bias) const override;

  // The model of Serialize()'s bytes; kCorruption naming `recipe` when they do not decode.
  static Result<std::unique_ptr<SequenceModel>> Load(std::string_view bytes,
                                                     const std::string& recipe);

  const SequenceCatalogue& catalogue() const { return catalogue_; }
  const SequenceParameters& parameters() const { return p_; }
  int64_t trained_until() const { return trained_until_; }

 private:
  void State(const ModelQuery& query, SequenceState* state) const;

  SequenceCatalogue catalogue_;
  SequenceParameters p_;
  int64_t trained_until_;
  // Materialised item representations, kLanes items per block of kLanes × d floats, the i-th
  // value of item j at blocks_[(j / kLanes · d + i) · kLanes + j % kLanes].
  std::vector<float> blocks_;
  // The same, item after item (item j's values at rows_[j · d ...]): ItemVector and ScoreItems
  // read one item at a time, 4 cache lines at d = 64 instead of blocks_'s 32. Twice the memory
  // of the vectors, for about 5% of a served request's CPU (docs/benchmarks/serving.md).
  std::vector<float> rows_;
  std::unordered_map<std::string, int32_t> feature_index_;
};

}  // namespace kindred
