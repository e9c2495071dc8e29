#include "bench/random_stream.h"

#include <cmath>
#include <numbers>

namespace kindred {
namespace {

uint64_t SplitMix64(uint64_t* x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t RotateLeft(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

RandomStream::RandomStream(uint64_t seed, uint64_t stream) {
  uint64_t x = seed ^ SplitMix64(&stream);
  for (uint64_t& word : s_) word = SplitMix64(&x);
}

uint64_t RandomStream::NextU64() {
  const uint64_t result = RotateLeft(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = RotateLeft(s_[3], 45);
  return result;
}

double RandomStream::Uniform() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }

int64_t RandomStream::Below(int64_t n) {
  return static_cast<int64_t>(
      (static_cast<unsigned __int128>(NextU64()) * static_cast<uint64_t>(n)) >> 64);
}

double RandomStream::Normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  const double u = 1.0 - Uniform();  // (0, 1]: log(u) is finite
  const double v = Uniform();
  const double radius = std::sqrt(-2.0 * std::log(u));
  spare_normal_ = radius * std::sin(2.0 * std::numbers::pi * v);
  has_spare_normal_ = true;
  return radius * std::cos(2.0 * std::numbers::pi * v);
}

double RandomStream::Pareto(double alpha) { return std::pow(1.0 - Uniform(), -1.0 / alpha); }

}  // namespace kindred
