// Sequence trainer: learns the parameters of the next-item model behind aws-user-personalization
// and aws-personalized-ranking (src/recipes/sequence_model.h holds the model).
//
// An example is one event of a user's history, predicted from the (at most `bptt`) events before
// it through the model's state (ComputeState). The loss is a sampled softmax over the target and
// `negative_samples` items drawn in proportion to popularity^0.75, with the log of that sampling
// probability subtracted from every logit (so the learned biases estimate the full softmax).
// Parameters are updated per example with row-wise Adagrad, in a shuffled order drawn from a fixed
// seed: the same data, initial parameters and options always give the same weights.
//
//   SequenceParameters p = InitialSequenceParameters(data, options);
//   Status s = TrainSequence(data, AllExamples(data, users), ItemCounts(data, users), options,
//                            control, &p);
//
// Thread-safety: pure functions; concurrent calls share nothing.
#pragma once

#include <cstdint>
#include <vector>

#include "recipes/recipe.h"
#include "recipes/sequence_model.h"

namespace kindred {

struct SequenceTrainingOptions {
  int dimension = 64;        // embedding size
  int bptt = 32;             // history items the user state looks at
  bool recency_mask = true;  // attention over the history; false: a plain mean
  int epochs = 5;
  double learning_rate = 0.1;
  int negative_samples = 32;
  double l2 = 0.005;  // weight decay on every updated row
  uint64_t seed = 42;
};

// The event History(user)[position], position >= 1, predicted from the events before it.
struct SequenceExample {
  int32_t user = 0;
  uint32_t position = 0;
};

// Every event but the first of the users u with users[u].
std::vector<SequenceExample> AllExamples(const TrainingData& data, const std::vector<bool>& users);

// Events per item of the users u with users[u]: items without any are never drawn as negatives
// and, after training, represented by their metadata alone.
std::vector<uint32_t> ItemCounts(const TrainingData& data, const std::vector<bool>& users);

// Randomly initialised parameters for data's items and features (seeded by options.seed).
SequenceParameters InitialSequenceParameters(const TrainingData& data,
                                             const SequenceTrainingOptions& options);

// Trains `p` (indexed like data's items and features, with options' dimension, bptt and
// recency_mask) for options.epochs passes over `examples`. Afterwards items with
// item_counts[i] == 0 have a zero id embedding and the cold bias (the mean bias of the others),
// and tokens that only such items have a zero embedding.
// kInternal when control cancels.
Status TrainSequence(const TrainingData& data, std::vector<SequenceExample> examples,
                     const std::vector<uint32_t>& item_counts,
                     const SequenceTrainingOptions& options, const TrainingControl& control,
                     SequenceParameters* p);

}  // namespace kindred
