#include "recipes/sequence_trainer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <span>

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

 private:
  std::mt19937_64 engine_;
};

// A dimension-wide row table updated with row-wise Adagrad (one accumulator per row).
class Table {
 public:
  Table(size_t rows, int dim, float init_scale, Rng* rng)
      : dim_(dim), values_(rows * dim), squares_(rows, 0.0f) {
    if (init_scale == 0) return;
    for (float& v : values_) v = static_cast<float>((rng->Uniform() * 2 - 1) * init_scale);
  }
  std::span<float> Row(size_t r) { return {values_.data() + r * dim_, static_cast<size_t>(dim_)}; }
  std::span<const float> Row(size_t r) const {
    return {values_.data() + r * dim_, static_cast<size_t>(dim_)};
  }
  // row -= lr * (scale * grad + l2 * row) / sqrt(accumulated mean square gradient)
  void Update(size_t r, std::span<const float> grad, float scale, float lr, float l2) {
    std::span<float> row = Row(r);
    float sum = 0;
    for (int i = 0; i < dim_; ++i) {
      const float g = scale * grad[i] + l2 * row[i];
      sum += g * g;
    }
    squares_[r] += sum / static_cast<float>(dim_);
    const float step = lr / std::sqrt(squares_[r] + 1e-8f);
    for (int i = 0; i < dim_; ++i) row[i] -= step * (scale * grad[i] + l2 * row[i]);
  }

 private:
  int dim_;
  std::vector<float> values_;
  std::vector<float> squares_;
};

float Dot(std::span<const float> a, std::span<const float> b) {
  float sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

void AddScaled(std::span<const float> x, float scale, std::span<float> into) {
  for (size_t i = 0; i < x.size(); ++i) into[i] += scale * x[i];
}

class Trainer {
 public:
  Trainer(const TrainingData& data, const SequenceTrainingOptions& options)
      : data_(data),
        o_(options),
        d_(options.dimension),
        rng_(options.seed),
        item_in_(data.num_items(), d_, 0.5f / std::sqrt(static_cast<float>(d_)), &rng_),
        item_out_(data.num_items(), d_, 0, &rng_),
        feature_in_(data.features.size(), d_, 0.5f / std::sqrt(static_cast<float>(d_)), &rng_),
        feature_out_(data.features.size(), d_, 0, &rng_),
        bias_(data.num_items(), 1, 0, &rng_),
        positions_(o_.bptt, 1, 0, &rng_),
        counts_(data.num_items(), 0) {
    for (int k = 0; k < o_.bptt; ++k) {
      positions_.Row(k)[0] = o_.recency_mask ? 1.0f / static_cast<float>(k + 1) : 1.0f;
    }
  }

  // Counts the training interactions of each item and the negative sampling distribution.
  void BuildSampler(const std::vector<bool>& train_user) {
    for (const Interaction& x : data_.interactions) {
      if (train_user[x.user]) ++counts_[x.item];
    }
    std::vector<double> weight(data_.num_items(), 0.0);
    double total = 0;
    for (int32_t i = 0; i < data_.num_items(); ++i) {
      total += (weight[i] = std::pow(static_cast<double>(counts_[i]), kSamplingExponent));
    }
    log_q_.assign(data_.num_items(), 0.0f);
    double running = 0;
    for (int32_t i = 0; i < data_.num_items(); ++i) {
      running += weight[i];
      cumulative_.push_back(running);
      if (weight[i] > 0) log_q_[i] = static_cast<float>(std::log(weight[i] / total));
    }
  }

  Status Run(const std::vector<bool>& train_user, const TrainingControl& control) {
    KINDRED_RETURN_IF_ERROR(CheckCancelled(control));
    BuildSampler(train_user);
    std::vector<std::pair<int32_t, uint32_t>> examples;  // (user, position of the target)
    for (int32_t u = 0; u < data_.num_users(); ++u) {
      if (!train_user[u]) continue;
      const size_t n = data_.History(u).size();
      for (size_t t = 1; t < n; ++t) examples.emplace_back(u, static_cast<uint32_t>(t));
    }
    if (examples.empty() || cumulative_.empty() || cumulative_.back() <= 0) return Status::Ok();
    const double total_steps = static_cast<double>(examples.size()) * o_.epochs;
    for (int epoch = 0; epoch < o_.epochs; ++epoch) {
      for (size_t i = examples.size() - 1; i > 0; --i)
        std::swap(examples[i], examples[rng_.Below(i + 1)]);
      for (size_t e = 0; e < examples.size(); ++e) {
        if (e % kCancelCheckInterval == 0) {
          KINDRED_RETURN_IF_ERROR(CheckCancelled(control));
          if (control.progress) {
            control.progress((static_cast<double>(epoch) * examples.size() + e) / total_steps);
          }
        }
        Step(examples[e].first, examples[e].second);
      }
    }
    if (control.progress) control.progress(1.0);
    return Status::Ok();
  }

  SequenceWeights Finish() const {
    SequenceWeights w;
    w.dimension = d_;
    for (int k = 0; k < o_.bptt; ++k) w.positions.push_back(positions_.Row(k)[0]);
    w.input.resize(static_cast<size_t>(data_.num_items()) * d_);
    w.output.resize(w.input.size());
    double trained_bias = 0;
    int64_t trained = 0;
    for (int32_t i = 0; i < data_.num_items(); ++i) {
      if (counts_[i] == 0) continue;
      trained_bias += bias_.Row(i)[0];
      ++trained;
    }
    const float cold_bias = trained > 0 ? static_cast<float>(trained_bias / trained) : 0.0f;
    for (int32_t i = 0; i < data_.num_items(); ++i) {
      std::span<float> in(w.input.data() + static_cast<size_t>(i) * d_, d_);
      std::span<float> out(w.output.data() + static_cast<size_t>(i) * d_, d_);
      Represent(item_in_, feature_in_, i, counts_[i] > 0, in);
      Represent(item_out_, feature_out_, i, counts_[i] > 0, out);
      w.bias.push_back(counts_[i] > 0 ? bias_.Row(i)[0] : cold_bias);
    }
    return w;
  }

 private:
  // The item's id row (when `with_id`) plus the mean of its feature rows, into `into`.
  void Represent(const Table& items, const Table& features, int32_t item, bool with_id,
                 std::span<float> into) const {
    std::fill(into.begin(), into.end(), 0.0f);
    if (with_id) AddScaled(items.Row(item), 1.0f, into);
    const std::vector<int32_t>& tokens = data_.item_features[item];
    for (int32_t f : tokens) AddScaled(features.Row(f), 1.0f / tokens.size(), into);
  }

  // Applies gradient `grad` of an item representation to its id and feature rows.
  void UpdateItem(Table* items, Table* features, int32_t item, std::span<const float> grad,
                  float scale) {
    const float lr = static_cast<float>(o_.learning_rate);
    const float l2 = static_cast<float>(o_.l2);
    items->Update(item, grad, scale, lr, l2);
    const std::vector<int32_t>& tokens = data_.item_features[item];
    for (int32_t f : tokens) features->Update(f, grad, scale / tokens.size(), lr, l2);
  }

  int32_t Sample() {
    const double x = rng_.Uniform() * cumulative_.back();
    auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), x);
    return static_cast<int32_t>(
        std::min<ptrdiff_t>(it - cumulative_.begin(), data_.num_items() - 1));
  }

  void Step(int32_t user, uint32_t target_pos) {
    std::span<const Interaction> h = data_.History(user);
    const int n = std::min<int>(o_.bptt, static_cast<int>(target_pos));
    context_.resize(static_cast<size_t>(n) * d_);
    user_.assign(d_, 0.0f);
    for (int k = 0; k < n; ++k) {
      std::span<float> in(context_.data() + static_cast<size_t>(k) * d_, d_);
      Represent(item_in_, feature_in_, h[target_pos - 1 - k].item, true, in);
      AddScaled(in, Weight(k, n), user_);
    }
    const int32_t target = h[target_pos].item;
    const int m = o_.negative_samples + 1;
    candidates_.resize(m);
    logits_.resize(m);
    outputs_.resize(static_cast<size_t>(m) * d_);
    float max_logit = -std::numeric_limits<float>::infinity();
    for (int c = 0; c < m; ++c) {
      const int32_t item = c == 0 ? target : Sample();
      candidates_[c] = item;
      std::span<float> out(outputs_.data() + static_cast<size_t>(c) * d_, d_);
      Represent(item_out_, feature_out_, item, true, out);
      logits_[c] = (c > 0 && item == target) ? -std::numeric_limits<float>::infinity()
                                             : Dot(user_, out) + bias_.Row(item)[0] - log_q_[item];
      max_logit = std::max(max_logit, logits_[c]);
    }
    float sum = 0;
    for (float& z : logits_) sum += (z = std::exp(z - max_logit));
    grad_user_.assign(d_, 0.0f);
    const float lr = static_cast<float>(o_.learning_rate);
    for (int c = 0; c < m; ++c) {
      const float g = logits_[c] / sum - (c == 0 ? 1.0f : 0.0f);  // dLoss / dLogit
      if (g == 0) continue;
      std::span<const float> out(outputs_.data() + static_cast<size_t>(c) * d_, d_);
      AddScaled(out, g, grad_user_);
      UpdateItem(&item_out_, &feature_out_, candidates_[c], user_, g);
      bias_.Update(candidates_[c], std::span<const float>(&g, 1), 1.0f, lr, 0.0f);
    }
    for (int k = 0; k < n; ++k) {
      std::span<const float> in(context_.data() + static_cast<size_t>(k) * d_, d_);
      const float weight = Weight(k, n);  // the weight the state was computed with
      if (o_.recency_mask) {
        const float g = Dot(grad_user_, in);
        positions_.Update(k, std::span<const float>(&g, 1), 1.0f, lr, 0.0f);
      }
      UpdateItem(&item_in_, &feature_in_, h[target_pos - 1 - k].item, grad_user_, weight);
    }
  }

  // Weight of the k-th newest of n context items.
  float Weight(int k, int n) const {
    return o_.recency_mask ? positions_.Row(k)[0] : 1.0f / static_cast<float>(n);
  }

  const TrainingData& data_;
  const SequenceTrainingOptions o_;
  const int d_;
  Rng rng_;
  Table item_in_, item_out_, feature_in_, feature_out_, bias_, positions_;
  std::vector<uint32_t> counts_;  // training interactions per item
  std::vector<double> cumulative_;
  std::vector<float> log_q_;
  // Scratch space of Step.
  std::vector<float> context_, user_, outputs_, logits_, grad_user_;
  std::vector<int32_t> candidates_;
};

}  // namespace

Result<SequenceWeights> TrainSequenceWeights(const TrainingData& data,
                                             const std::vector<bool>& train_user,
                                             const SequenceTrainingOptions& options,
                                             const TrainingControl& control) {
  Trainer trainer(data, options);
  KINDRED_RETURN_IF_ERROR(trainer.Run(train_user, control));
  return trainer.Finish();
}

}  // namespace kindred
