// Sequence trainer: learns the weights of the next-item model behind aws-user-personalization
// and aws-personalized-ranking (src/recipes/user_personalization.h describes the model).
//
// Every prefix of every selected user's history is one example: the last `bptt` items of the
// prefix, newest first, predict the item that follows. The loss is a sampled softmax over the
// target and `negative_samples` items drawn in proportion to popularity^0.75, with the log of
// that sampling probability subtracted from every logit (so the learned biases estimate the
// full softmax). Parameters are updated per example with row-wise Adagrad, in a shuffled order
// drawn from a fixed seed: the same data and options always give the same weights.
//
//   SequenceTrainingOptions o;  o.dimension = 64;
//   Result<SequenceWeights> w = TrainSequenceWeights(data, users, o, control);
//
// Thread-safety: a pure function; concurrent calls share nothing.
#pragma once

#include <cstdint>
#include <vector>

#include "recipes/recipe.h"

namespace kindred {

struct SequenceTrainingOptions {
  int dimension = 64;        // embedding size
  int bptt = 32;             // history items the user state looks at
  bool recency_mask = true;  // learned per-position weights; false: a plain mean
  int epochs = 5;
  double learning_rate = 0.1;
  int negative_samples = 32;
  double l2 = 0.005;  // weight decay on every updated row
  uint64_t seed = 42;
};

// What the model scores with, materialised per item. Items without training interactions are
// represented by their metadata alone (zero when they have none).
struct SequenceWeights {
  int dimension = 0;
  std::vector<float> positions;  // weight of the k-th newest history item, bptt of them
  std::vector<float> input;      // item count x dimension: an item as history
  std::vector<float> output;     // item count x dimension: an item as candidate
  std::vector<float> bias;       // per item
};

// Trains on the histories of users u with train_user[u]; kInternal when control cancels.
Result<SequenceWeights> TrainSequenceWeights(const TrainingData& data,
                                             const std::vector<bool>& train_user,
                                             const SequenceTrainingOptions& options,
                                             const TrainingControl& control);

}  // namespace kindred
