// Model: a trained recipe, able to score the whole catalogue for a query.
//
// A query carries what Personalize's runtime receives: a user (with the history the model should
// condition on, which may include events newer than the training data) or an item (related-item
// recipes). Scores are comparable only within one query; higher is better. Items a model cannot
// score get -infinity. Top-K selection, exclusions and filters are the caller's (serving's) job.
//
// Thread-safety: a trained or loaded Model is immutable; Score may be called concurrently.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"

namespace kindred {

struct ModelQuery {
  int32_t user = -1;                // dense user index, -1 for an unknown or anonymous user
  std::span<const int32_t> history;  // the user's items, oldest first (may be empty)
  int32_t item = -1;                // related-item queries: the seed item, -1 when unknown
};

class DotProductForm;

class Model {
 public:
  virtual ~Model() = default;

  // Item ids of the catalogue; scores are indexed the same way.
  virtual const std::vector<std::string>& item_ids() const = 0;

  // Fills `scores` (resized to item_ids().size()) for `query`.
  virtual Status Score(const ModelQuery& query, std::vector<float>* scores) const = 0;

  // Scores items the model did not train on (put after training, e.g. with PutItems) from their
  // metadata: one list of feature tokens ("GENRE=Comedy", see FeatureToken) per item, for the
  // same query, on the same scale as Score. `scores` is resized to items.size(). Models that
  // cannot score unseen items give -infinity, which is what this default does.
  virtual Status ScoreUnseen(const ModelQuery& query,
                             std::span<const std::vector<std::string>> items,
                             std::vector<float>* scores) const;

  // Bytes that the recipe's Load() turns back into an equal model.
  virtual std::string Serialize() const = 0;

  // The model's scores as dot products (DotProductForm), or null for models whose scores are
  // not; the form lives as long as the model. This default returns null.
  virtual const DotProductForm* dot_product() const { return nullptr; }
};

// Optional capability of a Model whose score of an item is a dot product plus a bias:
//
//   Score(query)[j]        == ExactScore(q, ItemVector(j), ItemBias(j))
//   ScoreUnseen(query)[k]  == ExactScore(q, v, bias) with UnseenItemVector(items[k], v, &bias)
//
// where q = QueryVector(query), equal bit for bit (ExactScore fixes the order of the float
// operations, and the model computes its scores in that order). It lets serving keep its own
// compact copy of the item vectors, score the catalogue approximately and rescore a few items
// exactly (src/serving/quantized_items.h).
//
// Thread-safety: immutable; every method may be called concurrently.
class DotProductForm {
 public:
  virtual ~DotProductForm() = default;

  // d: the length of every vector below.
  virtual int dimension() const = 0;

  // Writes the query's vector (for a user, their state from the history) to `out` (d floats).
  virtual Status QueryVector(const ModelQuery& query, std::span<float> out) const = 0;

  // Writes catalogue item j's vector (j < item_ids().size()) to `out` (d floats).
  virtual void ItemVector(int32_t j, std::span<float> out) const = 0;
  virtual float ItemBias(int32_t j) const = 0;

  // out[k] = ExactScore(query_vector, ItemVector(items[k]), ItemBias(items[k])) for catalogue
  // items, computed without copying their vectors (the way to rescore a few items exactly).
  virtual void ScoreItems(std::span<const float> query_vector, std::span<const int32_t> items,
                          std::span<float> out) const = 0;

  // The vector and bias of an item the model did not train on, from its metadata tokens (as
  // for ScoreUnseen); a model that cannot represent it writes zeros and a bias of -infinity.
  virtual void UnseenItemVector(std::span<const std::string> tokens, std::span<float> out,
                                float* bias) const = 0;

  // Σ q[i]·v[i] summed in float in order of increasing i, starting from 0, then + bias.
  static float ExactScore(std::span<const float> q, const float* v, float bias);
};

}  // namespace kindred
