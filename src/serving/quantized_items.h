// QuantizedItems: a compact int8 copy of a dot-product model's item vectors (DotProductForm,
// src/recipes/model.h) with their biases, scanned to score the whole catalogue approximately
// with a rigorous error bound per query.
//
//   std::unique_ptr<const QuantizedItems> index = QuantizedItems::Build(form, n);  // once
//   std::optional<QuantizedItems::Approximation> a = index->Scores(query_vector, scores);
//   // |form's exact score of j - scores[j]| <= a->eps for every j < n
//
// Quantisation. Item j's vector v_j is kept as int8 codes c_j = round(v_j / s_j) with the row's
// scale s_j = max_i |v_j[i]| / 127 (d bytes + a float scale + a float bias per item: about a
// quarter of the float vectors' memory, which is what a scan is bound by); the query q as int16
// codes p = round(q / t), t = max_i |q[i]| / Q, with Q <= 32767 small enough that the int32 sums
// of d products cannot overflow (a coarser, int8 query would make the error common to all items
// and so not average out in the softmax normaliser: about 1e-3 instead of 4e-5 relative). The
// scan computes t·s_j·Σ_i p_i·c_j[i] + b_j with the sum in exact integer arithmetic, with the
// best kernel the processor has (chosen at run time): AMX (tile multiply-adds of unsigned by
// signed bytes, 16 items x 64 dimensions x up to 8 queries' two byte rows per instruction; d <=
// 256, beyond which it scans as VNNI does), AVX-512 VNNI (the query's codes as two unsigned bytes
// each, two multiply-adds of unsigned by signed bytes per 64 bytes: 16 items and 4 dimensions),
// AVX2 (int16 multiply-adds, 4 items at a time), or plain code. Every kernel gives the same sums
// and the same float results.
//
// The bound. With residuals r_j = v_j - s_j·c_j and u = q - t·p (computed exactly in double),
//   q·v_j - t·s_j·(p·c_j) = q·r_j + u·(s_j·c_j),
// so by Cauchy-Schwarz the difference is at most ‖q‖·R + ‖u‖·V with R = max_j ‖r_j‖ and
// V = max_j max(‖v_j‖, ‖s_j·c_j‖) (both taken at build time). To that Scores adds the rounding
// of the float arithmetic on both sides (the exact score's d float products and sums, the
// approximate score's conversion, scaling and bias): at most (2d + 16)·2^-24·(2‖q‖·V + B) with
// B = max_j |b_j|, a factor of two above the standard bounds.
//
// Concurrent Scores calls with the AMX or VNNI kernel share passes over the codes (SharedPasses,
// which inside a FiberBatch gathers the batch's calls): up to 8 queries per pass with AMX, 4 with
// VNNI, as many passes at once as the machine has hardware threads; a lone call scans alone.
//
// Thread-safety: immutable after Build apart from the pass coordination, which is synchronised;
// Scores may be called concurrently.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "common/cache_aligned.h"
#include "recipes/model.h"
#include "serving/shared_passes.h"

namespace kindred {

struct QuantizedScanJob;  // one query's scan (quantized_items.cc)

class QuantizedItems {
 public:
  // Copies and quantises the vectors and biases of the form's items 0..n-1; null when one of
  // them is not finite (there would be no bound).
  static std::unique_ptr<const QuantizedItems> Build(const DotProductForm& form, int32_t n);

  int32_t size() const { return n_; }

  // Concurrent Scores calls served by one pass over the codes, at most (AMX; VNNI: 4).
  static constexpr size_t kQueriesPerPass = 8;

  // The scan's instruction sets; the processor (and for AMX the OS) may lack all but kGeneric.
  enum class Kernel { kGeneric, kAvx2, kAvx512Vnni, kAmx };
  static bool Supported(Kernel kernel);
  static Kernel BestKernel();  // the fastest supported one

  struct Approximation {
    double eps;  // |exact - out[j]| <= eps for every j
    float best;  // the largest out[j], -infinity when there are no items
  };
  // Writes the approximate score of every item to `out` (size() floats), where exact is
  // DotProductForm::ExactScore of `query_vector` (dimension() floats) and item j's float vector
  // and bias. nullopt (and `out` unspecified) when the query vector is not finite. `kernel`
  // must be supported.
  std::optional<Approximation> Scores(std::span<const float> query_vector, std::span<float> out,
                                      Kernel kernel = BestKernel()) const;

 private:
  QuantizedItems() = default;

  int d_ = 0;
  int32_t n_ = 0;
  int groups_ = 0;       // ⌈d / 4⌉: dimensions are scanned four at a time
  int query_limit_ = 0;  // Q
  // Blocks of 16 items; in block k, the 64 bytes of group g hold each of its items' codes of
  // dimensions 4g..4g + 3: codes_[(k · groups_ + g) · 64 + 4l + h] is item 16k + l's code of
  // dimension 4g + h (0 past d and past n).
  // These four are cache-line aligned, so that the kernels' 64-byte reads never straddle two
  // lines.
  CacheAlignedVector<int8_t> codes_;
  CacheAlignedVector<int32_t> code_sums_;  // Σ_i c_j[i], padded with 0 to whole blocks
  CacheAlignedVector<float> scales_;       // s_j, padded with 0
  CacheAlignedVector<float> biases_;       // b_j, padded with 0
  double residual_norm_ = 0;   // R
  double vector_norm_ = 0;     // V
  double bias_bound_ = 0;      // B
  // Per kernel: the passes of concurrent calls with the VNNI and AMX kernels.
  std::array<std::unique_ptr<SharedPasses<QuantizedScanJob, kQueriesPerPass>>, 4> passes_;
};

}  // namespace kindred
