#include "serving/quantized_items.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <thread>
#include <vector>

#include "common/fiber_batch.h"

namespace kindred {
namespace {

// A DotProductForm over plain row-major vectors.
class TableForm : public DotProductForm {
 public:
  TableForm(int d, std::vector<float> vectors, std::vector<float> biases)
      : d_(d), vectors_(std::move(vectors)), biases_(std::move(biases)) {}
  int dimension() const override { return d_; }
  Status QueryVector(const ModelQuery&, std::span<float>) const override { return Status::Ok(); }
  void ItemVector(int32_t j, std::span<float> out) const override {
    std::copy_n(vectors_.data() + static_cast<size_t>(j) * d_, d_, out.begin());
  }
  float ItemBias(int32_t j) const override { return biases_[j]; }
  void ScoreItems(std::span<const float> q, std::span<const int32_t> items,
                  std::span<float> out) const override {
    for (size_t k = 0; k < items.size(); ++k) {
      out[k] =
          ExactScore(q, vectors_.data() + static_cast<size_t>(items[k]) * d_, biases_[items[k]]);
    }
  }
  void UnseenItemVector(std::span<const std::string>, std::span<float> out,
                        float* bias) const override {
    std::fill(out.begin(), out.end(), 0.0f);
    *bias = 0;
  }

 private:
  int d_;
  std::vector<float> vectors_;
  std::vector<float> biases_;
};

// Checks |exact - approximate| <= eps for every item and query; returns the largest ratio
// error / eps seen.
double WorstRatio(int d, int n, float spread, float bias_spread, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> vectors(static_cast<size_t>(n) * d), biases(n);
  for (int j = 0; j < n; ++j) {
    // Rows of very different scales, some zero, some with one large value.
    const float scale = j % 17 == 0 ? 0.0f : spread * std::exp(normal(rng));
    for (int i = 0; i < d; ++i) vectors[static_cast<size_t>(j) * d + i] = scale * normal(rng);
    if (j % 13 == 0) vectors[static_cast<size_t>(j) * d] = 40 * spread;
    biases[j] = bias_spread * normal(rng);
  }
  const TableForm form(d, vectors, biases);
  std::unique_ptr<const QuantizedItems> index = QuantizedItems::Build(form, n);
  EXPECT_NE(index, nullptr);
  if (index == nullptr) return 0;
  EXPECT_EQ(index->size(), n);
  std::vector<float> approximate(n), exact(n);
  std::vector<int32_t> all(n);
  for (int j = 0; j < n; ++j) all[j] = j;
  double worst = 0;
  for (int query = 0; query < 20; ++query) {
    std::vector<float> q(d);
    const float scale = query == 0 ? 0.0f : std::exp(2 * normal(rng));
    for (float& x : q) x = scale * normal(rng);
    std::optional<QuantizedItems::Approximation> a = index->Scores(q, approximate);
    EXPECT_TRUE(a.has_value());
    if (!a) continue;
    EXPECT_EQ(a->best, *std::max_element(approximate.begin(), approximate.end()));
    const double* eps = &a->eps;
    form.ScoreItems(q, all, exact);
    for (int j = 0; j < n; ++j) {
      const double error = std::abs(static_cast<double>(exact[j]) - approximate[j]);
      EXPECT_LE(error, *eps) << "d " << d << " item " << j << " query " << query;
      if (*eps > 0) worst = std::max(worst, error / *eps);
    }
  }
  return worst;
}

TEST(QuantizedItemsTest, ErrorBoundHoldsOnRandomData) {
  double worst = 0;
  uint64_t seed = 1;
  for (int d : {1, 7, 16, 64, 129}) {
    for (int n : {1, 8, 13, 1000}) {
      worst = std::max(worst, WorstRatio(d, n, 0.1f, 1.0f, seed++));
      worst = std::max(worst, WorstRatio(d, n, 30.0f, 0.0f, seed++));
    }
  }
  // The bound is not wildly loose either (it would then send every item to rescoring).
  EXPECT_GT(worst, 0.01);
}

// n items of dimension d with standard normal vectors and biases.
TableForm RandomForm(int d, int n, std::mt19937_64& rng) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> vectors(static_cast<size_t>(n) * d), biases(n);
  for (float& x : vectors) x = normal(rng);
  for (float& b : biases) b = normal(rng);
  return TableForm(d, std::move(vectors), std::move(biases));
}

// Every kernel the processor has computes the same integer sums, hence the same float scores,
// as the plain one, on shapes with partial groups of dimensions and partial blocks of items.
TEST(QuantizedItemsTest, KernelsAgree) {
  using Kernel = QuantizedItems::Kernel;
  ASSERT_TRUE(QuantizedItems::Supported(QuantizedItems::BestKernel()));
  std::mt19937_64 rng(7);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  int compared = 0;
  for (int d : {1, 3, 4, 64, 130, 1000}) {  // 1000: Q below 32767, sums that wrap midway
    for (int n : {1, 15, 16, 17, 64, 1000}) {
      const TableForm form = RandomForm(d, n, rng);
      std::unique_ptr<const QuantizedItems> index = QuantizedItems::Build(form, n);
      ASSERT_NE(index, nullptr);
      std::vector<float> q(d), want(n), got(n);
      for (float& x : q) x = 3 * normal(rng);
      std::optional<QuantizedItems::Approximation> plain = index->Scores(q, want, Kernel::kGeneric);
      ASSERT_TRUE(plain.has_value());
      for (Kernel kernel : {Kernel::kAvx2, Kernel::kAvx512Vnni, Kernel::kAmx}) {
        if (!QuantizedItems::Supported(kernel)) continue;
        std::optional<QuantizedItems::Approximation> a = index->Scores(q, got, kernel);
        ASSERT_TRUE(a.has_value());
        EXPECT_EQ(a->eps, plain->eps);
        EXPECT_EQ(a->best, plain->best);
        for (int j = 0; j < n; ++j) {
          ASSERT_EQ(got[j], want[j]) << "kernel " << static_cast<int>(kernel) << " d " << d
                                     << " n " << n << " item " << j;
        }
        ++compared;
      }
    }
  }
  std::printf("kernel comparisons against the plain one: %d\n", compared);
}

// Passes for several queries at once (the calls of a FiberBatch's tasks, 8 per AMX pass, 4 per
// VNNI pass) give each query the plain kernel's scores, on shapes with one to four AMX chunks
// and partial ones (d = 20: 5 groups; 130: 33) and partial blocks of items.
TEST(QuantizedItemsTest, PassesForManyQueriesAgreeWithThePlainKernel) {
  using Kernel = QuantizedItems::Kernel;
  std::mt19937_64 rng(5);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  int compared = 0;
  for (int d : {20, 64, 130, 256, 300}) {
    for (int n : {16, 33, 1000}) {
      const TableForm form = RandomForm(d, n, rng);
      std::unique_ptr<const QuantizedItems> index = QuantizedItems::Build(form, n);
      ASSERT_NE(index, nullptr);
      constexpr int kQueries = 11;
      std::vector<std::vector<float>> queries(kQueries, std::vector<float>(d));
      std::vector<std::vector<float>> want(kQueries, std::vector<float>(n));
      for (int i = 0; i < kQueries; ++i) {
        for (float& x : queries[i]) x = 2 * normal(rng);
        ASSERT_TRUE(index->Scores(queries[i], want[i], Kernel::kGeneric).has_value());
      }
      for (Kernel kernel : {Kernel::kAvx512Vnni, Kernel::kAmx}) {
        if (!QuantizedItems::Supported(kernel)) continue;
        std::vector<std::vector<float>> got(kQueries, std::vector<float>(n));
        std::vector<float> best(kQueries);
        FiberBatch batch;
        for (int i = 0; i < kQueries; ++i) {
          batch.Add([&, i] { best[i] = index->Scores(queries[i], got[i], kernel)->best; });
        }
        batch.Run();
        for (int i = 0; i < kQueries; ++i) {
          EXPECT_EQ(best[i], *std::max_element(want[i].begin(), want[i].end()));
          for (int j = 0; j < n; ++j) {
            ASSERT_EQ(got[i][j], want[i][j]) << "kernel " << static_cast<int>(kernel) << " d "
                                             << d << " n " << n << " query " << i << " item " << j;
          }
        }
        ++compared;
      }
    }
  }
  std::printf("batched kernel comparisons against the plain one: %d\n", compared);
}

// Calls from many threads at once (whose scans the index batches) give each query exactly what
// it gets alone.
TEST(QuantizedItemsTest, ConcurrentCallsGetTheirOwnScores) {
  constexpr int d = 64, n = 3001, kThreads = 8, kQueries = 40;
  std::mt19937_64 rng(11);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const TableForm form = RandomForm(d, n, rng);
  std::unique_ptr<const QuantizedItems> index = QuantizedItems::Build(form, n);
  ASSERT_NE(index, nullptr);
  std::vector<std::vector<float>> queries(kThreads * kQueries, std::vector<float>(d));
  std::vector<std::vector<float>> alone(queries.size(), std::vector<float>(n));
  std::vector<float> alone_best(queries.size());
  for (size_t k = 0; k < queries.size(); ++k) {
    for (float& x : queries[k]) x = normal(rng);
    alone_best[k] = index->Scores(queries[k], alone[k])->best;
  }
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<float> got(n);
      for (int r = 0; r < 5; ++r) {
        for (int k = t * kQueries; k < (t + 1) * kQueries; ++k) {
          std::optional<QuantizedItems::Approximation> a = index->Scores(queries[k], got);
          if (!a || a->best != alone_best[k] || got != alone[k]) ++mismatches;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(QuantizedItemsTest, NonFiniteInputsHaveNoBound) {
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(QuantizedItems::Build(TableForm(2, {1, inf}, {0}), 1), nullptr);
  EXPECT_EQ(QuantizedItems::Build(TableForm(2, {1, 2}, {std::nanf("")}), 1), nullptr);
  std::unique_ptr<const QuantizedItems> index =
      QuantizedItems::Build(TableForm(2, {1, 2, 3, 4}, {0, 1}), 2);
  ASSERT_NE(index, nullptr);
  std::vector<float> out(2);
  EXPECT_FALSE(index->Scores(std::vector<float>{1, inf}, out).has_value());
  std::optional<QuantizedItems::Approximation> a = index->Scores(std::vector<float>{1, 0}, out);
  ASSERT_TRUE(a.has_value());
  EXPECT_NEAR(out[0], 1, a->eps);
  EXPECT_NEAR(out[1], 4, a->eps);
}

}  // namespace
}  // namespace kindred
