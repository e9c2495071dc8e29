// The vectorised passes over a catalogue's scores that the softmax normaliser needs: the best
// score, and Σ e^(score - best) with a table-based exp in double precision (or a coarser, faster
// one in float).
//
//   const float best = MaxOf(scores);
//   const double normaliser = ExpSum(scores, best);
//
// Thread-safety: pure functions.
#pragma once

#include <span>

namespace kindred {

// The largest value of `v`, -infinity when empty; NaNs are ignored.
float MaxOf(std::span<const float> v);

// Σ e^(v[i] - best) in double over v, each difference taken in float (as the scores are), for
// best >= every v[i]; -infinity values add nothing. Relative error below 1e-15 per term (terms
// below e^-708 count as 0). AVX2 and FMA where the processor has them (chosen at run time).
double ExpSum(std::span<const float> v, float best);

// The same sum with each term's relative error below 1e-6 (on top of the difference's rounding
// to float; terms below e^-87 may count as 0), for scores that are approximate anyway: float
// exponentials, 16 at a time, where the processor has AVX-512 (chosen at run time), about four
// times as fast; ExpSum elsewhere.
double CoarseExpSum(std::span<const float> v, float best);

}  // namespace kindred
