#include "serving/exp_sum.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace kindred {
namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

// Σ e^(v[i] - best) term by term with the standard library, the differences taken in float.
double Reference(const std::vector<float>& v, float best) {
  double sum = 0;
  for (float x : v) sum += std::exp(static_cast<double>(x - best));
  return sum;
}

TEST(ExpSumTest, MatchesTheStandardLibraryAtEveryLength) {
  std::mt19937_64 rng(3);
  std::normal_distribution<float> normal(0.0f, 4.0f);
  for (size_t n = 0; n <= 70; ++n) {
    std::vector<float> v(n);
    for (float& x : v) x = normal(rng);
    if (n % 5 == 1 && n > 1) v[n / 2] = kNegInf;  // adds nothing
    if (n % 7 == 2) v[0] = -500.0f;               // below the float exponential's range
    const float best = MaxOf(v);
    if (n == 0) {
      EXPECT_EQ(best, kNegInf);
      EXPECT_EQ(ExpSum(v, 0.0f), 0.0);
      EXPECT_EQ(CoarseExpSum(v, 0.0f), 0.0);
      continue;
    }
    const double want = Reference(v, best);
    EXPECT_NEAR(ExpSum(v, best), want, 1e-14 * want) << n;
    EXPECT_NEAR(CoarseExpSum(v, best), want, 1e-6 * want) << n;
  }
}

// The largest value wherever it lies (each lane and chain of the vector loop, and the tail),
// NaNs ignored.
TEST(ExpSumTest, MaxOfFindsTheLargestAtEveryPosition) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (size_t n = 1; n <= 70; ++n) {
    for (size_t at = 0; at < n; ++at) {
      std::vector<float> v(n);
      for (size_t i = 0; i < n; ++i) v[i] = -static_cast<float>((i * 37) % 101) - 1.0f;
      v[at] = 0.5f;
      v[(at + 1) % n] = n > 1 ? nan : v[at];
      EXPECT_EQ(MaxOf(v), 0.5f) << "n " << n << " at " << at;
    }
  }
  EXPECT_EQ(MaxOf(std::vector<float>(33, nan)), kNegInf);
}

TEST(ExpSumTest, CoarseTermsStayWithinTheirBoundAcrossTheRange) {
  // One term at a time, over the whole range the float exponential covers.
  double worst = 0;
  for (float x = -86.9f; x <= 0.0f; x += 0.0137f) {
    const std::vector<float> v = {x};
    const double want = std::exp(static_cast<double>(x));
    worst = std::max(worst, std::abs(CoarseExpSum(v, 0.0f) / want - 1));
  }
  EXPECT_LT(worst, 1e-6);
  // Below e^-87 a term may count as 0 (and -infinity always does).
  EXPECT_LE(CoarseExpSum(std::vector<float>{-90.0f, kNegInf}, 0.0f), 1e-39);
  EXPECT_EQ(CoarseExpSum(std::vector<float>{kNegInf}, 0.0f), 0.0);
}

}  // namespace
}  // namespace kindred
