#include "serving/exp_sum.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace kindred {
namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

// GCC/Clang vector extensions: plain code on any target, SIMD instructions where there are some
// (16-byte vectors everywhere: SSE2, the x86-64 baseline, has them; AVX2 where noted).
using Floats = float __attribute__((vector_size(16)));

// 2^(j/64) for j = 0..63.
const std::array<double, 64> kExp2Table = [] {
  std::array<double, 64> t{};
  for (size_t j = 0; j < t.size(); ++j) t[j] = std::exp2(static_cast<double>(j) / 64);
  return t;
}();

// Vectors of kWidth doubles, and of as many floats and 64-bit integers.
template <int kWidth>
struct Lanes;
template <>
struct Lanes<2> {
  using Floats = float __attribute__((vector_size(8)));
  using Doubles = double __attribute__((vector_size(16)));
  using Longs = int64_t __attribute__((vector_size(16)));
};
template <>
struct Lanes<4> {
  using Floats = float __attribute__((vector_size(16)));
  using Doubles = double __attribute__((vector_size(32)));
  using Longs = int64_t __attribute__((vector_size(32)));
};

// x = e^x in each lane, for x <= 0 (-infinity included): relative error below 1e-15 down to
// x = -708, and 0 below it (where e^x < 1e-307, nothing next to the softmax normaliser's 1).
// x = (64q + j)·ln2/64 + r with |r| <= ln2/128, so e^x = 2^q · 2^(j/64) · e^r, e^r by its Taylor
// polynomial of degree 5 (error below r^6/6! < 1e-16).
template <int kWidth>
[[gnu::always_inline]] inline void ExpNonPositive(typename Lanes<kWidth>::Doubles& x) {
  using Doubles = typename Lanes<kWidth>::Doubles;
  using Longs = typename Lanes<kWidth>::Longs;
  constexpr double kLn2Hi = 6.93147180369123816490e-01 / 64;  // ln2/64 in two parts, the first
  constexpr double kLn2Lo = 1.90821492927058770002e-10 / 64;  // exact when multiplied by k
  const Doubles lowest = Doubles{} - 708.0;
  const Doubles shift = Doubles{} + 0x1.8p52;  // adding it rounds to an integer in the low bits
  const Longs underflow = x < lowest;
  const Doubles y = underflow ? lowest : x;
  const Doubles shifted = y * (64 / 0.6931471805599453) + shift;
  const Doubles k = shifted - shift;  // 64q + j
  const Doubles r = y - k * kLn2Hi - k * kLn2Lo;
  const Doubles r2 = r * r;
  const Doubles p = (1 + r) + r2 * ((0.5 + r * (1.0 / 6)) + r2 * (1.0 / 24 + r * (1.0 / 120)));
  const Longs bits = __builtin_bit_cast(Longs, shifted);  // 64q + j in two's complement, low bits
  Doubles table;
  for (int l = 0; l < kWidth; ++l) table[l] = kExp2Table[bits[l] & 63];
  const Longs scaled = __builtin_bit_cast(Longs, table) + ((bits & ~int64_t{63}) << 46);  // · 2^q
  x = underflow ? Doubles{} : p * __builtin_bit_cast(Doubles, scaled);
}

// Σ e^(v[i] - best) in double over v (each difference taken in float, as the scores are);
// -infinity scores add nothing. kWidth lanes, two vectors at a time.
template <int kWidth>
[[gnu::always_inline]] inline double ExpSumOf(std::span<const float> v, float best) {
  using Floats = typename Lanes<kWidth>::Floats;
  using Doubles = typename Lanes<kWidth>::Doubles;
  Doubles sums[2] = {};
  auto add = [&](const float* from, Doubles& sum) {
    Floats x;
    std::memcpy(&x, from, sizeof x);
    Doubles e = __builtin_convertvector(x - best, Doubles);
    ExpNonPositive<kWidth>(e);
    sum += e;
  };
  size_t i = 0;
  for (; i + 2 * kWidth <= v.size(); i += 2 * kWidth) {
    add(v.data() + i, sums[0]);
    add(v.data() + i + kWidth, sums[1]);
  }
  float tail[2 * kWidth];
  std::fill(std::begin(tail), std::end(tail), kNegInf);
  std::copy(v.begin() + static_cast<ptrdiff_t>(i), v.end(), tail);
  add(tail, sums[0]);
  add(tail + kWidth, sums[1]);
  const Doubles sum = sums[0] + sums[1];
  double total = 0;
  for (int l = 0; l < kWidth; ++l) total += sum[l];
  return total;
}

#if defined(__x86_64__)
// The same with AVX2 and FMA, about three times as fast where the processor has them.
[[gnu::target("avx2,fma")]] double ExpSumAvx2(std::span<const float> v, float best) {
  return ExpSumOf<4>(v, best);
}

// e^x in each lane for x <= 0 in float, 0 below -87 (and for -infinity): x = n·ln2 + r with
// |r| <= ln2/2 (ln2 in two parts, the first exact when multiplied by n), e^r by its Taylor
// polynomial of degree 7 (truncation below 6e-9), scaled by 2^n. Relative error below 5e-7.
[[gnu::target("avx512f,avx512dq,fma"), gnu::always_inline]] inline __m512 ExpNonPositive16(
    __m512 x) {
  const __mmask16 kept = _mm512_cmp_ps_mask(x, _mm512_set1_ps(-87.0f), _CMP_GE_OQ);
  const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504f)),
                                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
  __m512 p = _mm512_set1_ps(1.0f / 5040);
  for (float c : {1.0f / 720, 1.0f / 120, 1.0f / 24, 1.0f / 6, 0.5f, 1.0f, 1.0f}) {
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(c));
  }
  return _mm512_maskz_mov_ps(kept, _mm512_scalef_ps(p, n));
}

// Adds e^(x - best) of 16 lanes to two sums of 8 doubles.
[[gnu::target("avx512f,avx512dq,fma"), gnu::always_inline]] inline void AddExp16(__m512 x,
                                                                                 __m512 best,
                                                                                 __m512d* sums) {
  const __m512 e = ExpNonPositive16(_mm512_sub_ps(x, best));
  sums[0] = _mm512_add_pd(sums[0], _mm512_cvtps_pd(_mm512_castps512_ps256(e)));
  sums[1] = _mm512_add_pd(sums[1], _mm512_cvtps_pd(_mm512_extractf32x8_ps(e, 1)));
}

[[gnu::target("avx512f,avx512dq,fma")]] double CoarseExpSumAvx512(std::span<const float> v,
                                                                  float best) {
  const __m512 b = _mm512_set1_ps(best);
  __m512d sums[2] = {_mm512_setzero_pd(), _mm512_setzero_pd()};
  size_t i = 0;
  for (; i + 16 <= v.size(); i += 16) AddExp16(_mm512_loadu_ps(v.data() + i), b, sums);
  const auto rest = static_cast<__mmask16>((1u << (v.size() - i)) - 1);
  AddExp16(_mm512_mask_loadu_ps(_mm512_set1_ps(kNegInf), rest, v.data() + i), b, sums);
  return _mm512_reduce_add_pd(_mm512_add_pd(sums[0], sums[1]));
}
#endif

}  // namespace

float MaxOf(std::span<const float> v) {
  // Four independent chains of lane-wise maxima, 16 values per step: one chain would wait on
  // each maximum's latency (measured: 11.8% of a popularity-count request's CPU at 25k items).
  Floats lanes[4] = {Floats{} + kNegInf, Floats{} + kNegInf, Floats{} + kNegInf,
                     Floats{} + kNegInf};
  size_t i = 0;
  for (; i + 16 <= v.size(); i += 16) {
    Floats x[4];
    std::memcpy(x, v.data() + i, sizeof x);
    for (int c = 0; c < 4; ++c) lanes[c] = x[c] > lanes[c] ? x[c] : lanes[c];  // NaN: kept out
  }
  float best = kNegInf;
  for (; i < v.size(); ++i) best = v[i] > best ? v[i] : best;
  for (const Floats& l : lanes) {
    for (int k = 0; k < 4; ++k) best = l[k] > best ? l[k] : best;
  }
  return best;
}

double ExpSum(std::span<const float> v, float best) {
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (avx2) return ExpSumAvx2(v, best);
#endif
  return ExpSumOf<2>(v, best);
}

double CoarseExpSum(std::span<const float> v, float best) {
#if defined(__x86_64__)
  static const bool avx512 = __builtin_cpu_supports("avx512f") &&
                             __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("fma");
  if (avx512) return CoarseExpSumAvx512(v, best);
#endif
  return ExpSum(v, best);
}

}  // namespace kindred
