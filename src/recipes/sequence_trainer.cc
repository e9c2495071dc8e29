#include "recipes/sequence_trainer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "recipes/vector_math.h"

namespace kindred {
namespace {

constexpr double kSamplingExponent = 0.75;
constexpr int kCancelCheckInterval = 4096;

// Uniform draws from a fixed-seed engine, the same on every platform (std:: distributions are
// implementation-defined).
class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  size_t Below(size_t n) { return static_cast<size_t>(Uniform() * static_cast<double>(n)); }
  float Symmetric(float scale) { return static_cast<float>((Uniform() * 2 - 1) * scale); }

 private:
  std::mt19937_64 engine_;
};

// Row-wise Adagrad: row -= lr · g / sqrt(accumulated mean square of g), g = scale·grad + l2·row.
// Written in kLanes-wide blocks so that both passes vectorise.
void Update(ParameterTable* t, size_t r, const float* __restrict grad, float scale, float lr,
            float l2) {
  float* __restrict row = t->Row(r);
  const int n = t->cols;
  float lanes[kLanes] = {};
  int i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int l = 0; l < kLanes; ++l) {
      const float g = scale * grad[i + l] + l2 * row[i + l];
      lanes[l] += g * g;
    }
  }
  float sum = 0;
  for (; i < n; ++i) {
    const float g = scale * grad[i] + l2 * row[i];
    sum += g * g;
  }
  for (float lane : lanes) sum += lane;
  t->squares[r] += sum / static_cast<float>(n);
  const float step = lr / std::sqrt(t->squares[r] + 1e-8f);
  const float decay = 1.0f - step * l2, along = step * scale;
  for (i = 0; i + kLanes <= n; i += kLanes) {
    for (int l = 0; l < kLanes; ++l) row[i + l] = decay * row[i + l] - along * grad[i + l];
  }
  for (; i < n; ++i) row[i] = decay * row[i] - along * grad[i];
}

void UpdateScalar(ParameterTable* t, size_t r, float grad, float lr) {
  Update(t, r, &grad, 1.0f, lr, 0.0f);
}

class Trainer {
 public:
  Trainer(const TrainingData& data, const SequenceTrainingOptions& options,
          const std::vector<uint32_t>& item_counts, SequenceParameters* p)
      : data_(data),
        o_(options),
        d_(options.dimension),
        p_(*p),
        rng_(options.seed ^ 0x9e3779b97f4a7c15ull),
        lr_(static_cast<float>(options.learning_rate)),
        l2_(static_cast<float>(options.l2)),
        scale_(1.0f / std::sqrt(static_cast<float>(options.dimension))) {
    std::vector<double> weight;
    double total = 0;
    for (int32_t i = 0; i < data_.num_items(); ++i) {
      if (item_counts[i] == 0) continue;
      weight.push_back(std::pow(static_cast<double>(item_counts[i]), kSamplingExponent));
      total += weight.back();
      sampled_.push_back(i);
    }
    log_q_.assign(data_.num_items(), 0.0f);
    for (size_t k = 0; k < sampled_.size(); ++k) {
      log_q_[sampled_[k]] = static_cast<float>(std::log(weight[k] / total));
    }
    BuildAliasTable(weight, total);
  }

  Status Run(std::vector<SequenceExample> examples, const TrainingControl& control) {
    KINDRED_RETURN_IF_ERROR(CheckCancelled(control));
    if (examples.empty() || sampled_.empty()) return Status::Ok();
    const double total_steps = static_cast<double>(examples.size()) * o_.epochs;
    for (int epoch = 0; epoch < o_.epochs; ++epoch) {
      for (size_t i = examples.size() - 1; i > 0; --i) {
        std::swap(examples[i], examples[rng_.Below(i + 1)]);
      }
      for (size_t e = 0; e < examples.size(); ++e) {
        if (e % kCancelCheckInterval == 0) {
          KINDRED_RETURN_IF_ERROR(CheckCancelled(control));
          if (control.progress) {
            control.progress((static_cast<double>(epoch) * examples.size() + e) / total_steps);
          }
        }
        Step(examples[e]);
      }
    }
    if (control.progress) control.progress(1.0);
    return Status::Ok();
  }

 private:
  void Represent(int32_t item, float* into) const {
    kindred::Represent(p_, data_.item_features[item], item, into);
  }

  // Applies gradient scale·grad of an item's representation to its id and feature rows.
  void UpdateItem(int32_t item, const float* grad, float scale) {
    Update(&p_.items, item, grad, scale, lr_, l2_);
    const std::vector<int32_t>& tokens = data_.item_features[item];
    for (int32_t f : tokens) Update(&p_.features, f, grad, scale / tokens.size(), lr_, l2_);
  }

  // Vose's alias method: slot k keeps sampled_[k] with probability keep_[k], else gives
  // sampled_[alias_[k]]; every slot is drawn with probability 1 / slots.
  void BuildAliasTable(const std::vector<double>& weight, double total) {
    const size_t n = weight.size();
    keep_.assign(n, 1.0);
    alias_.resize(n);
    std::vector<double> scaled(n);
    std::vector<uint32_t> small, large;
    for (size_t k = 0; k < n; ++k) {
      alias_[k] = static_cast<uint32_t>(k);
      scaled[k] = weight[k] * static_cast<double>(n) / total;
      (scaled[k] < 1.0 ? small : large).push_back(static_cast<uint32_t>(k));
    }
    while (!small.empty() && !large.empty()) {
      const uint32_t s = small.back(), l = large.back();
      small.pop_back();
      keep_[s] = scaled[s];
      alias_[s] = l;
      scaled[l] -= 1.0 - scaled[s];
      if (scaled[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
  }

  int32_t Sample() {
    const double x = rng_.Uniform() * static_cast<double>(sampled_.size());
    const size_t slot = std::min(static_cast<size_t>(x), sampled_.size() - 1);
    return sampled_[x - static_cast<double>(slot) < keep_[slot] ? slot : alias_[slot]];
  }

  void Step(const SequenceExample& example) {
    std::span<const Interaction> h = data_.History(example.user);
    history_.clear();
    for (uint32_t t = 0; t < example.position; ++t) history_.push_back(h[t].item);
    ComputeState(
        p_, history_, data_.num_items(),
        [this](int32_t item, float* into) { Represent(item, into); }, &s_);
    const float* u = s_.state.data();
    const int32_t target = h[example.position].item;
    const int m = o_.negative_samples + 1;
    candidates_.resize(m);
    logits_.resize(m);
    outputs_.resize(static_cast<size_t>(m) * d_);
    float max_logit = -std::numeric_limits<float>::infinity();
    for (int c = 0; c < m; ++c) {
      const int32_t item = c == 0 ? target : Sample();
      candidates_[c] = item;
      float* out = outputs_.data() + static_cast<size_t>(c) * d_;
      Represent(item, out);
      logits_[c] = (c > 0 && item == target)
                       ? -std::numeric_limits<float>::infinity()
                       : Dot(u, out, d_) + p_.bias.values[item] - log_q_[item];
      max_logit = std::max(max_logit, logits_[c]);
    }
    float sum = 0;
    for (float& z : logits_) sum += (z = std::exp(z - max_logit));
    grad_state_.assign(d_, 0.0f);
    for (int c = 0; c < m; ++c) {
      const float g = logits_[c] / sum - (c == 0 ? 1.0f : 0.0f);  // dLoss / dLogit
      if (g == 0) continue;
      AddScaled(outputs_.data() + static_cast<size_t>(c) * d_, g, grad_state_.data(), d_);
      UpdateItem(candidates_[c], u, g);
      UpdateScalar(&p_.bias, candidates_[c], g, lr_);
    }
    BackwardState();
  }

  // Propagates grad_state_ through the state's computation and updates the weights involved.
  void BackwardState() {
    const int n = static_cast<int>(s_.context.size());
    // state = Σ_k attention_k · input_k
    grad_inputs_.assign(static_cast<size_t>(n) * d_, 0.0f);
    for (int k = 0; k < n; ++k) {
      AddScaled(grad_state_.data(), s_.attention[k], grad_inputs_.data() + k * d_, d_);
    }
    if (o_.recency_mask && n > 0) {
      // attention = softmax(logits), logit_k = query · input_k / √d + position_k,
      // query = Q · input_0
      grad_logits_.resize(n);
      float mean = 0;
      for (int k = 0; k < n; ++k) {
        grad_logits_[k] = Dot(grad_state_.data(), s_.inputs.data() + k * d_, d_);
        mean += s_.attention[k] * grad_logits_[k];
      }
      grad_query_.assign(d_, 0.0f);
      for (int k = 0; k < n; ++k) {
        grad_logits_[k] = s_.attention[k] * (grad_logits_[k] - mean);
        AddScaled(s_.query.data(), grad_logits_[k] * scale_, grad_inputs_.data() + k * d_, d_);
        AddScaled(s_.inputs.data() + k * d_, grad_logits_[k] * scale_, grad_query_.data(), d_);
      }
      for (int r = 0; r < d_; ++r) {
        AddScaled(p_.query.Row(r), grad_query_[r], grad_inputs_.data(), d_);
      }
      for (int r = 0; r < d_; ++r) Update(&p_.query, r, s_.inputs.data(), grad_query_[r], lr_, l2_);
      for (int k = 0; k < n; ++k) UpdateScalar(&p_.positions, k, grad_logits_[k], lr_);
    }
    for (int k = 0; k < n; ++k) UpdateItem(s_.context[k], grad_inputs_.data() + k * d_, 1.0f);
  }

  const TrainingData& data_;
  const SequenceTrainingOptions o_;
  const int d_;
  SequenceParameters& p_;
  Rng rng_;
  const float lr_, l2_, scale_;
  std::vector<int32_t> sampled_;  // items negatives are drawn from
  std::vector<double> keep_;
  std::vector<uint32_t> alias_;
  std::vector<float> log_q_;
  // Scratch space of Step.
  std::vector<int32_t> history_, candidates_;
  SequenceState s_;
  std::vector<float> outputs_, logits_, grad_state_, grad_inputs_, grad_logits_, grad_query_;
};

// Zeroes the id rows of items without events and the rows of tokens that only such items have
// (never trained, they would be noise), and gives those items the mean bias of the others.
void MakeColdItems(const TrainingData& data, const std::vector<uint32_t>& item_counts,
                   SequenceParameters* p) {
  double sum = 0;
  int64_t trained = 0;
  std::vector<bool> trained_feature(p->features.rows(), false);
  for (size_t i = 0; i < item_counts.size(); ++i) {
    if (item_counts[i] == 0) continue;
    sum += p->bias.values[i];
    ++trained;
    for (int32_t f : data.item_features[i]) trained_feature[f] = true;
  }
  p->cold_bias = trained > 0 ? static_cast<float>(sum / trained) : 0.0f;
  for (size_t i = 0; i < item_counts.size(); ++i) {
    if (item_counts[i] > 0) continue;
    std::fill_n(p->items.Row(i), p->dimension, 0.0f);
    p->bias.values[i] = p->cold_bias;
  }
  for (size_t f = 0; f < trained_feature.size(); ++f) {
    if (!trained_feature[f]) std::fill_n(p->features.Row(f), p->dimension, 0.0f);
  }
}

}  // namespace

std::vector<SequenceExample> AllExamples(const TrainingData& data, const std::vector<bool>& users) {
  std::vector<SequenceExample> examples;
  for (int32_t u = 0; u < data.num_users(); ++u) {
    if (!users[u]) continue;
    const size_t n = data.History(u).size();
    for (size_t t = 1; t < n; ++t) examples.push_back({u, static_cast<uint32_t>(t)});
  }
  return examples;
}

std::vector<uint32_t> ItemCounts(const TrainingData& data, const std::vector<bool>& users) {
  std::vector<uint32_t> counts(data.num_items(), 0);
  for (const Interaction& x : data.interactions) {
    if (users[x.user]) ++counts[x.item];
  }
  return counts;
}

SequenceParameters InitialSequenceParameters(const TrainingData& data,
                                             const SequenceTrainingOptions& o) {
  const int d = o.dimension;
  Rng rng(o.seed);
  const float embedding_scale = 0.5f / std::sqrt(static_cast<float>(d));
  SequenceParameters p;
  p.dimension = d;
  p.recency_mask = o.recency_mask;
  p.items = ParameterTable(data.num_items(), d);
  p.features = ParameterTable(data.features.size(), d);
  for (ParameterTable* t : {&p.items, &p.features}) {
    for (float& v : t->values) v = rng.Symmetric(embedding_scale);
  }
  p.bias = ParameterTable(data.num_items(), 1);
  p.positions = ParameterTable(o.bptt, 1);
  for (int k = 0; k < o.bptt; ++k) p.positions.values[k] = -std::log(static_cast<float>(k + 1));
  p.query = ParameterTable(d, d);
  return p;
}

Status TrainSequence(const TrainingData& data, std::vector<SequenceExample> examples,
                     const std::vector<uint32_t>& item_counts,
                     const SequenceTrainingOptions& options, const TrainingControl& control,
                     SequenceParameters* p) {
  Trainer trainer(data, options, item_counts, p);
  KINDRED_RETURN_IF_ERROR(trainer.Run(std::move(examples), control));
  MakeColdItems(data, item_counts, p);
  return Status::Ok();
}

}  // namespace kindred
