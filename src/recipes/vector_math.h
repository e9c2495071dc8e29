// Vector math of the embedding models: the dot products and scaled additions that training and
// scoring spend their time in, written so that the compiler turns them into SIMD code at -O2
// (eight independent lanes, non-aliasing arguments) and sums in a fixed order, so that results
// do not depend on the optimisation level.
//
//   float s = Dot(a, b, d);
//   AddScaled(x, 0.5f, y, d);  // y += 0.5 * x
//
// Thread-safety: pure functions.
#pragma once

namespace kindred {

inline constexpr int kLanes = 8;

// Σ a[i]·b[i] over i < n.
inline float Dot(const float* a, const float* b, int n) {
  float lanes[kLanes] = {};
  int i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int l = 0; l < kLanes; ++l) lanes[l] += a[i + l] * b[i + l];
  }
  float sum = 0;
  for (; i < n; ++i) sum += a[i] * b[i];
  for (float lane : lanes) sum += lane;
  return sum;
}

// into[i] += scale · x[i] for i < n; x and into must not overlap.
inline void AddScaled(const float* __restrict x, float scale, float* __restrict into, int n) {
  int i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int l = 0; l < kLanes; ++l) into[i + l] += scale * x[i + l];
  }
  for (; i < n; ++i) into[i] += scale * x[i];
}

}  // namespace kindred
