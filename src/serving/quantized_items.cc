#include "serving/quantized_items.h"

#include <algorithm>
#include <cmath>
#include <limits>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace kindred {
namespace {

constexpr int kBlock = 8;            // items per block
constexpr int kCodeLimit = 127;      // item codes are in [-127, 127]
constexpr double kUnit = 0x1p-24;    // float's unit roundoff
constexpr double kNormSlack = 1e-9;  // covers the rounding of the norms computed in double

// The query's int16 codes as int32 pairs (code 2p in the low half, 2p + 1 in the high half),
// and t.
struct QueryCodes {
  std::vector<int32_t> pairs;
  float scale = 0;
};

// Writes t·s_j·Σ p·c_j + b_j for the items of `blocks` blocks from `codes` (and the matching
// `scales` and `biases`) to out[0..8·blocks), and returns the largest (-infinity for none).
// Generic code: any processor.
float ScanGeneric(const int8_t* codes, int pairs, const QueryCodes& q, const float* scales,
                  const float* biases, int64_t blocks, float* out) {
  float best = -std::numeric_limits<float>::infinity();
  for (int64_t k = 0; k < blocks; ++k) {
    int32_t acc[kBlock] = {};
    const int8_t* block = codes + k * pairs * 16;
    for (int p = 0; p < pairs; ++p) {
      const auto lo = static_cast<int16_t>(q.pairs[p] & 0xffff);
      const auto hi = static_cast<int16_t>(q.pairs[p] >> 16);
      for (int l = 0; l < kBlock; ++l) {
        acc[l] += block[p * 16 + 2 * l] * lo + block[p * 16 + 2 * l + 1] * hi;
      }
    }
    for (int l = 0; l < kBlock; ++l) {
      float& score = out[k * kBlock + l];
      score =
          static_cast<float>(acc[l]) * (q.scale * scales[k * kBlock + l]) + biases[k * kBlock + l];
      best = std::max(best, score);
    }
  }
  return best;
}

#if defined(__x86_64__)
// AVX2: per pair of dimensions and 8 items, one sign extension of 16 codes to int16 and one
// multiply-add of pairs (vpmaddwd); four blocks at a time share the query's broadcast pair.
[[gnu::target("avx2,fma"), gnu::always_inline]] inline __m256i MaddPair(const int8_t* codes,
                                                                        __m256i query_pair) {
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(codes));
  return _mm256_madd_epi16(_mm256_cvtepi8_epi16(x), query_pair);
}

[[gnu::target("avx2,fma"), gnu::always_inline]] inline void Finish(__m256i acc, __m256 t,
                                                                   const float* scales,
                                                                   const float* biases, float* out,
                                                                   __m256& best) {
  const __m256 scale = _mm256_mul_ps(t, _mm256_loadu_ps(scales));
  const __m256 score = _mm256_fmadd_ps(_mm256_cvtepi32_ps(acc), scale, _mm256_loadu_ps(biases));
  _mm256_storeu_ps(out, score);
  best = _mm256_max_ps(best, score);
}

[[gnu::target("avx2,fma")]] float ScanAvx2(const int8_t* codes, int pairs, const QueryCodes& q,
                                           const float* scales, const float* biases, int64_t blocks,
                                           float* out) {
  const __m256 t = _mm256_set1_ps(q.scale);
  __m256 best = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
  const int64_t stride = int64_t{pairs} * 16;  // bytes per block
  int64_t k = 0;
  for (; k + 4 <= blocks; k += 4) {
    const int8_t* b = codes + k * stride;
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
    for (int p = 0; p < pairs; ++p) {
      const __m256i query_pair = _mm256_set1_epi32(q.pairs[p]);
      a0 = _mm256_add_epi32(a0, MaddPair(b + p * 16, query_pair));
      a1 = _mm256_add_epi32(a1, MaddPair(b + stride + p * 16, query_pair));
      a2 = _mm256_add_epi32(a2, MaddPair(b + 2 * stride + p * 16, query_pair));
      a3 = _mm256_add_epi32(a3, MaddPair(b + 3 * stride + p * 16, query_pair));
    }
    Finish(a0, t, scales + k * kBlock, biases + k * kBlock, out + k * kBlock, best);
    Finish(a1, t, scales + (k + 1) * kBlock, biases + (k + 1) * kBlock, out + (k + 1) * kBlock,
           best);
    Finish(a2, t, scales + (k + 2) * kBlock, biases + (k + 2) * kBlock, out + (k + 2) * kBlock,
           best);
    Finish(a3, t, scales + (k + 3) * kBlock, biases + (k + 3) * kBlock, out + (k + 3) * kBlock,
           best);
  }
  for (; k < blocks; ++k) {
    const int8_t* b = codes + k * stride;
    __m256i acc = _mm256_setzero_si256();
    for (int p = 0; p < pairs; ++p) {
      acc = _mm256_add_epi32(acc, MaddPair(b + p * 16, _mm256_set1_epi32(q.pairs[p])));
    }
    Finish(acc, t, scales + k * kBlock, biases + k * kBlock, out + k * kBlock, best);
  }
  float lanes[kBlock];
  _mm256_storeu_ps(lanes, best);
  return *std::max_element(lanes, lanes + kBlock);
}
#endif

float Scan(const int8_t* codes, int pairs, const QueryCodes& q, const float* scales,
           const float* biases, int64_t blocks, float* out) {
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (avx2) return ScanAvx2(codes, pairs, q, scales, biases, blocks, out);
#endif
  return ScanGeneric(codes, pairs, q, scales, biases, blocks, out);
}

}  // namespace

std::unique_ptr<const QuantizedItems> QuantizedItems::Build(const DotProductForm& form, int32_t n) {
  std::unique_ptr<QuantizedItems> q(new QuantizedItems());
  const int d = form.dimension();
  q->d_ = d;
  q->n_ = n;
  q->pairs_ = (d + 1) / 2;
  // |Σ p·c| <= 2·pairs·127·Q must fit in an int32.
  q->query_limit_ = static_cast<int>(std::min<int64_t>(
      32767, std::numeric_limits<int32_t>::max() / (int64_t{2} * q->pairs_ * kCodeLimit)));
  const int64_t blocks = (int64_t{n} + kBlock - 1) / kBlock;
  q->codes_.assign(blocks * q->pairs_ * 16, 0);
  q->scales_.assign(blocks * kBlock, 0.0f);
  q->biases_.assign(blocks * kBlock, 0.0f);
  std::vector<float> v(d);
  for (int32_t j = 0; j < n; ++j) {
    form.ItemVector(j, v);
    const float bias = form.ItemBias(j);
    float largest = 0;
    for (float x : v) {
      if (!std::isfinite(x)) return nullptr;
      largest = std::max(largest, std::abs(x));
    }
    if (!std::isfinite(bias)) return nullptr;
    const float s = largest / kCodeLimit;
    double residual = 0, vector = 0, coded = 0;
    int8_t* block = q->codes_.data() + j / kBlock * q->pairs_ * 16 + 2 * (j % kBlock);
    for (int i = 0; i < d; ++i) {
      const int c =
          s == 0 ? 0 : std::clamp(static_cast<int>(std::lround(v[i] / s)), -kCodeLimit, kCodeLimit);
      block[i / 2 * 16 + i % 2] = static_cast<int8_t>(c);
      const double reconstructed = static_cast<double>(s) * c;  // exact in double
      residual += (v[i] - reconstructed) * (v[i] - reconstructed);
      vector += static_cast<double>(v[i]) * v[i];
      coded += reconstructed * reconstructed;
    }
    q->scales_[j] = s;
    q->biases_[j] = bias;
    q->residual_norm_ = std::max(q->residual_norm_, std::sqrt(residual));
    q->vector_norm_ = std::max({q->vector_norm_, std::sqrt(vector), std::sqrt(coded)});
    q->bias_bound_ = std::max(q->bias_bound_, std::abs(static_cast<double>(bias)));
  }
  return q;
}

std::optional<QuantizedItems::Approximation> QuantizedItems::Scores(
    std::span<const float> query_vector, std::span<float> out) const {
  float largest = 0;
  for (float x : query_vector) {
    if (!std::isfinite(x)) return std::nullopt;
    largest = std::max(largest, std::abs(x));
  }
  thread_local QueryCodes q;
  q.scale = largest / static_cast<float>(query_limit_);
  q.pairs.assign(pairs_, 0);
  double norm = 0, residual = 0;
  for (int i = 0; i < d_; ++i) {
    const float x = query_vector[i];
    const int p = q.scale == 0 ? 0
                               : std::clamp(static_cast<int>(std::lround(x / q.scale)),
                                            -query_limit_, query_limit_);
    q.pairs[i / 2] |=
        static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint16_t>(p)) << (16 * (i % 2)));
    const double u = x - static_cast<double>(q.scale) * p;  // exact in double
    norm += static_cast<double>(x) * x;
    residual += u * u;
  }
  norm = std::sqrt(norm);
  residual = std::sqrt(residual);

  const int64_t whole = n_ / kBlock;
  float best = Scan(codes_.data(), pairs_, q, scales_.data(), biases_.data(), whole, out.data());
  if (whole * kBlock < n_) {  // the last, partial block
    float tail[kBlock];
    Scan(codes_.data() + whole * pairs_ * 16, pairs_, q, scales_.data() + whole * kBlock,
         biases_.data() + whole * kBlock, 1, tail);
    std::copy_n(tail, n_ - whole * kBlock, out.data() + whole * kBlock);
    best = std::max(best, *std::max_element(tail, tail + (n_ - whole * kBlock)));
  }
  const double quantisation = (norm * residual_norm_ + residual * vector_norm_) * (1 + kNormSlack);
  const double rounding =
      (2.0 * d_ + 16) * kUnit * (2 * norm * vector_norm_ + bias_bound_) * (1 + kNormSlack);
  return Approximation{quantisation + rounding, best};
}

}  // namespace kindred
