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
};

}  // namespace kindred
