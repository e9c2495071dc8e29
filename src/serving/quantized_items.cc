#include "serving/quantized_items.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <thread>

#if defined(__x86_64__)
#include <immintrin.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace kindred {
namespace {
struct QueryCodes;
}  // namespace

// One query's scan: its codes, where its scores go, and (filled in) the largest of them.
struct QuantizedScanJob {
  const QueryCodes* q;
  float* out;
  float best = -std::numeric_limits<float>::infinity();
};

namespace {

constexpr int kBlock = 16;           // items per block
constexpr int kGroup = 4;            // dimensions per group
constexpr int kGroupBytes = kBlock * kGroup;
constexpr int kCodeLimit = 127;      // item codes are in [-127, 127]
constexpr double kUnit = 0x1p-24;    // float's unit roundoff
constexpr double kNormSlack = 1e-9;  // covers the rounding of the norms computed in double

// The query's codes p (int16, 0 past d), and t. For the VNNI kernel also the bytes of
// p + 2^15 = 256·high + low (both in [0, 255]): low[g] and high[g] hold those of dimensions
// 4g..4g + 3, one per byte.
struct QueryCodes {
  std::vector<int16_t> codes;
  std::vector<uint32_t> low, high;
  float scale = 0;
};

using Job = QuantizedScanJob;
constexpr size_t kMaxBatch = QuantizedItems::kQueriesPerPass;
static_assert(kMaxBatch == 8, "ScanJobs instantiates ScanAmx for 1 to 8 queries");
constexpr size_t kVnniBatch = 4;  // queries per VNNI pass
// AMX: groups of dimensions per tile row (64 bytes), and tiles of them the kernel keeps loaded.
constexpr int kAmxChunkGroups = 16;
constexpr int kAmxMaxChunks = 4;  // d <= 256

// The arguments of a scan: `blocks` whole blocks from `codes` and the matching per-item arrays.
struct Span {
  const int8_t* codes;
  const int32_t* code_sums;
  const float* scales;
  const float* biases;
  int groups;
  int64_t blocks;
};

// Item l's score from its integer sum: t·s_l·sum + b_l, one rounding for the product's sum
// (as FMA gives it in the vector kernels).
inline float Finish(int32_t sum, float t, float scale, float bias) {
  return std::fma(static_cast<float>(sum), t * scale, bias);
}

// Each kernel writes t·s_j·Σ p·c_j + b_j for the span's items to out[0..16·blocks) and returns
// the largest (-infinity for none). Generic code: any processor.
float ScanGeneric(const Span& in, const QueryCodes& q, float* out) {
  float best = -std::numeric_limits<float>::infinity();
  for (int64_t k = 0; k < in.blocks; ++k) {
    int32_t acc[kBlock] = {};
    const int8_t* block = in.codes + k * in.groups * kGroupBytes;
    for (int g = 0; g < in.groups; ++g) {
      const int16_t* p = q.codes.data() + g * kGroup;
      for (int l = 0; l < kBlock; ++l) {
        const int8_t* c = block + g * kGroupBytes + l * kGroup;
        acc[l] += c[0] * p[0] + c[1] * p[1] + c[2] * p[2] + c[3] * p[3];
      }
    }
    for (int l = 0; l < kBlock; ++l) {
      const int64_t j = k * kBlock + l;
      out[j] = Finish(acc[l], q.scale, in.scales[j], in.biases[j]);
      best = std::max(best, out[j]);
    }
  }
  return best;
}

#if defined(__x86_64__)
// AVX2: per group and 4 items, one sign extension of 16 codes to int16 and one multiply-add of
// pairs (vpmaddwd) against the group's 4 query codes; two int32 partial sums per item.
[[gnu::target("avx2,fma")]] float ScanAvx2(const Span& in, const QueryCodes& q, float* out) {
  const __m256 t = _mm256_set1_ps(q.scale);
  __m256 best = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
  for (int64_t k = 0; k < in.blocks; ++k) {
    const int8_t* block = in.codes + k * in.groups * kGroupBytes;
    __m256i acc[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(),
                      _mm256_setzero_si256()};
    for (int g = 0; g < in.groups; ++g) {
      int64_t quad;
      std::memcpy(&quad, q.codes.data() + g * kGroup, sizeof quad);
      const __m256i p = _mm256_set1_epi64x(quad);
      for (int c = 0; c < 4; ++c) {
        const __m128i x = _mm_loadu_si128(
            reinterpret_cast<const __m128i*>(block + g * kGroupBytes + c * 16));
        acc[c] = _mm256_add_epi32(acc[c], _mm256_madd_epi16(_mm256_cvtepi8_epi16(x), p));
      }
    }
    // acc[c] holds items 4c..4c + 3 as [a0 b0 a1 b1 | a2 b2 a3 b3]; the sums of adjacent pairs
    // of acc[c] and acc[c + 1], back in item order.
    for (int h = 0; h < 2; ++h) {
      const __m256i sums = _mm256_permute4x64_epi64(
          _mm256_hadd_epi32(acc[2 * h], acc[2 * h + 1]), 0xD8);
      const int64_t j = k * kBlock + h * 8;
      const __m256 scale = _mm256_mul_ps(t, _mm256_loadu_ps(in.scales + j));
      const __m256 score =
          _mm256_fmadd_ps(_mm256_cvtepi32_ps(sums), scale, _mm256_loadu_ps(in.biases + j));
      _mm256_storeu_ps(out + j, score);
      best = _mm256_max_ps(best, score);
    }
  }
  float lanes[8];
  _mm256_storeu_ps(lanes, best);
  return *std::max_element(lanes, lanes + 8);
}

// AVX-512 VNNI: per group and 16 items, two multiply-adds of unsigned by signed bytes
// (vpdpbusd) against the group's low and high query bytes. Σ (p + 2^15)·c = 256·Σ high·c +
// Σ low·c, so Σ p·c is that minus 2^15·Σ c, all modulo 2^32: exact, as the result fits in int32.
// Four blocks at a time, for independent chains of multiply-adds.
// What scoring 16 items j..j + 15 needs besides the sums: 2^15·Σ c, s and b of each (read once
// per block for all the queries).
struct Block16 {
  __m512i offsets;
  __m512 scales;
  __m512 biases;
};
[[gnu::target("avx512f,avx512bw,avx512vnni,fma"), gnu::always_inline]] inline Block16 LoadBlock16(
    const Span& in, int64_t j) {
  return {_mm512_slli_epi32(_mm512_loadu_si512(in.code_sums + j), 15),
          _mm512_loadu_ps(in.scales + j), _mm512_loadu_ps(in.biases + j)};
}
// The 16 scores t·s·Σ p·c + b from Σ low·c and Σ high·c (both kernels compute these two).
[[gnu::target("avx512f,avx512bw,avx512vnni,fma"), gnu::always_inline]] inline __m512 Score16(
    __m512i low, __m512i high, const Block16& block, __m512 t) {
  const __m512i sums =  // Σ (p + 2^15)·c - 2^15·Σ c
      _mm512_sub_epi32(_mm512_add_epi32(low, _mm512_slli_epi32(high, 8)), block.offsets);
  return _mm512_fmadd_ps(_mm512_cvtepi32_ps(sums), _mm512_mul_ps(t, block.scales), block.biases);
}

// Blocks k..k + kBlocks - 1 for kQueries queries at once: each 64 bytes of codes is read once
// for all of them.
template <int kQueries, int kBlocks>
[[gnu::target("avx512f,avx512bw,avx512vnni,fma"), gnu::always_inline]] inline void ScanBlocks(
    const Span& in, const QueryCodes* const* q, int64_t k, const __m512* t, float* const* out,
    __m512* best) {
  __m512i low[kQueries][kBlocks], high[kQueries][kBlocks];
#pragma GCC unroll 8
  for (int i = 0; i < kQueries; ++i) {
#pragma GCC unroll 8
    for (int b = 0; b < kBlocks; ++b) low[i][b] = high[i][b] = _mm512_setzero_si512();
  }
  const int64_t stride = int64_t{in.groups} * kGroupBytes;  // bytes per block
  const int8_t* base = in.codes + k * stride;
  for (int g = 0; g < in.groups; ++g) {
    __m512i lo[kQueries], hi[kQueries];
#pragma GCC unroll 8
    for (int i = 0; i < kQueries; ++i) {
      lo[i] = _mm512_set1_epi32(static_cast<int32_t>(q[i]->low[g]));
      hi[i] = _mm512_set1_epi32(static_cast<int32_t>(q[i]->high[g]));
    }
#pragma GCC unroll 8
    for (int b = 0; b < kBlocks; ++b) {
      const __m512i x = _mm512_loadu_si512(base + b * stride + g * kGroupBytes);
#pragma GCC unroll 8
      for (int i = 0; i < kQueries; ++i) {
        low[i][b] = _mm512_dpbusd_epi32(low[i][b], lo[i], x);
        high[i][b] = _mm512_dpbusd_epi32(high[i][b], hi[i], x);
      }
    }
  }
#pragma GCC unroll 8
  for (int b = 0; b < kBlocks; ++b) {
    const int64_t j = (k + b) * kBlock;
    const Block16 block = LoadBlock16(in, j);
#pragma GCC unroll 8
    for (int i = 0; i < kQueries; ++i) {
      const __m512 score = Score16(low[i][b], high[i][b], block, t[i]);
      _mm512_storeu_ps(out[i] + j, score);
      best[i] = _mm512_max_ps(best[i], score);
    }
  }
}

// The scan for kQueries jobs at once: their scores, and the largest of each in jobs[i]->best.
template <int kQueries>
[[gnu::target("avx512f,avx512bw,avx512vnni,fma")]] void ScanVnni(const Span& in,
                                                                   Job* const* jobs) {
  constexpr int kAtOnce = kQueries == 1 ? 4 : 2;  // blocks: independent chains of multiply-adds
  const QueryCodes* q[kQueries];
  float* out[kQueries];
  __m512 t[kQueries], best[kQueries];
  for (int i = 0; i < kQueries; ++i) {
    q[i] = jobs[i]->q;
    out[i] = jobs[i]->out;
    t[i] = _mm512_set1_ps(q[i]->scale);
    best[i] = _mm512_set1_ps(-std::numeric_limits<float>::infinity());
  }
  int64_t k = 0;
  for (; k + kAtOnce <= in.blocks; k += kAtOnce) {
    ScanBlocks<kQueries, kAtOnce>(in, q, k, t, out, best);
  }
  for (; k < in.blocks; ++k) ScanBlocks<kQueries, 1>(in, q, k, t, out, best);
  for (int i = 0; i < kQueries; ++i) jobs[i]->best = _mm512_reduce_max_ps(best[i]);
}

// AMX. Block k's groups 16h..16h + 15 ("chunk" h) are 16 rows of 64 bytes, each row 16 items x
// 4 dimensions: the layout of a tile of signed bytes for tdpbusd. The queries' low and high bytes
// of the same dimensions make the other tile, a row each (2i: query i's low bytes, 2i + 1: its
// high ones), so one tdpbusd gives, for 16 items and every query, Σ low·c and Σ high·c over 64
// dimensions; the rest is as in VNNI. A last chunk of fewer than 16 groups reads its tile's
// remaining rows past the block (Build pads the codes for that), against zero query bytes.
struct TileConfig {
  uint8_t palette = 1;
  uint8_t start_row = 0;
  uint8_t reserved[14] = {};
  uint16_t colsb[16] = {};
  uint8_t rows[16] = {};
};

// Tiles: 0 and 1 the sums of two blocks, 2 and 3 their codes, 4.. the query bytes per chunk
// (`chunks` <= kAmxMaxChunks of them). kQueries jobs, so that their values stay in registers.
template <int kQueries>
[[gnu::target("amx-tile,amx-int8,avx512f,avx512bw,avx512vnni,fma")]] void ScanAmx(
    const Span& in, Job* const* jobs, int chunks) {
  alignas(64) uint8_t a[kAmxMaxChunks][16][64] = {};
  __m512 t[kQueries], best[kQueries];
  float* out[kQueries];
#pragma GCC unroll 8
  for (int i = 0; i < kQueries; ++i) {
    out[i] = jobs[i]->out;
    const QueryCodes& q = *jobs[i]->q;
    for (int g = 0; g < in.groups; ++g) {
      std::memcpy(&a[g / kAmxChunkGroups][2 * i][g % kAmxChunkGroups * kGroup], &q.low[g], 4);
      std::memcpy(&a[g / kAmxChunkGroups][2 * i + 1][g % kAmxChunkGroups * kGroup], &q.high[g],
                  4);
    }
    t[i] = _mm512_set1_ps(q.scale);
    best[i] = _mm512_set1_ps(-std::numeric_limits<float>::infinity());
  }
  TileConfig config;
  const auto rows = static_cast<uint8_t>(2 * kQueries);
  for (int tile = 0; tile < 4 + chunks; ++tile) {
    config.colsb[tile] = 64;
    config.rows[tile] = tile == 2 || tile == 3 ? 16 : rows;
  }
  _tile_loadconfig(&config);
  _tile_loadd(4, a[0], 64);
  if (chunks > 1) _tile_loadd(5, a[1], 64);
  if (chunks > 2) _tile_loadd(6, a[2], 64);
  if (chunks > 3) _tile_loadd(7, a[3], 64);
  const int64_t stride = int64_t{in.groups} * kGroupBytes;
  alignas(64) int32_t sums[2][16][16];
  for (int64_t k = 0; k < in.blocks; k += 2) {
    const int8_t* first = in.codes + k * stride;
    const int8_t* second = k + 1 < in.blocks ? first + stride : first;  // odd count: twice
    _tile_zero(0);
    _tile_zero(1);
// Chunk h of both blocks against the query bytes in `query_tile` (the tile intrinsics take only
// literal tile numbers).
#define KINDRED_AMX_CHUNK(h, query_tile)                                     \
  _tile_loadd(2, first + (h) * kAmxChunkGroups * kGroupBytes, kGroupBytes);  \
  _tile_loadd(3, second + (h) * kAmxChunkGroups * kGroupBytes, kGroupBytes); \
  _tile_dpbusd(0, query_tile, 2);                                            \
  _tile_dpbusd(1, query_tile, 3)
    KINDRED_AMX_CHUNK(0, 4);
    if (chunks > 1) {
      KINDRED_AMX_CHUNK(1, 5);
    }
    if (chunks > 2) {
      KINDRED_AMX_CHUNK(2, 6);
    }
    if (chunks > 3) {
      KINDRED_AMX_CHUNK(3, 7);
    }
#undef KINDRED_AMX_CHUNK
    _tile_stored(0, sums[0], 64);
    _tile_stored(1, sums[1], 64);
    for (int b = 0; b < 2 && k + b < in.blocks; ++b) {
      const int64_t j = (k + b) * kBlock;
      const Block16 block = LoadBlock16(in, j);
#pragma GCC unroll 8
      for (int i = 0; i < kQueries; ++i) {
        const __m512 score = Score16(_mm512_load_si512(sums[b][2 * i]),
                                     _mm512_load_si512(sums[b][2 * i + 1]), block, t[i]);
        _mm512_storeu_ps(out[i] + j, score);
        best[i] = _mm512_max_ps(best[i], score);
      }
    }
  }
  _tile_release();
  for (int i = 0; i < kQueries; ++i) jobs[i]->best = _mm512_reduce_max_ps(best[i]);
}

// Whether the OS lets this process use the AMX tiles (Linux asks for it once per process).
bool AmxPermitted() {
  constexpr long kArchRequestXcompPermission = 0x1023;
  constexpr long kXfeatureTileData = 18;
  static const bool permitted =
      syscall(SYS_arch_prctl, kArchRequestXcompPermission, kXfeatureTileData) == 0;
  return permitted;
}
#endif

// Runs the scan of `in` for every job, with `kernel`; the AMX kernel reads the codes once for up
// to kMaxBatch jobs (for d <= 256; beyond, it scans as VNNI does), the VNNI one for up to 4.
void ScanJobs(QuantizedItems::Kernel kernel, const Span& in, std::span<Job* const> jobs) {
#if defined(__x86_64__)
  const int chunks = (in.groups + kAmxChunkGroups - 1) / kAmxChunkGroups;
  // One query alone scans faster with VNNI: a tile multiply-add costs the same for 1 or 8.
  if (kernel == QuantizedItems::Kernel::kAmx && chunks <= kAmxMaxChunks && jobs.size() > 1) {
    for (size_t i = 0; i < jobs.size(); i += kMaxBatch) {
      Job* const* batch = jobs.data() + i;
      switch (std::min<size_t>(kMaxBatch, jobs.size() - i)) {
        case 1: ScanAmx<1>(in, batch, chunks); break;
        case 2: ScanAmx<2>(in, batch, chunks); break;
        case 3: ScanAmx<3>(in, batch, chunks); break;
        case 4: ScanAmx<4>(in, batch, chunks); break;
        case 5: ScanAmx<5>(in, batch, chunks); break;
        case 6: ScanAmx<6>(in, batch, chunks); break;
        case 7: ScanAmx<7>(in, batch, chunks); break;
        default: ScanAmx<8>(in, batch, chunks); break;
      }
    }
    return;
  }
  if (kernel == QuantizedItems::Kernel::kAvx512Vnni || kernel == QuantizedItems::Kernel::kAmx) {
    for (size_t i = 0; i < jobs.size(); i += kVnniBatch) {
      Job* const* batch = jobs.data() + i;
      switch (std::min<size_t>(kVnniBatch, jobs.size() - i)) {
        case 1: ScanVnni<1>(in, batch); break;
        case 2: ScanVnni<2>(in, batch); break;
        case 3: ScanVnni<3>(in, batch); break;
        default: ScanVnni<4>(in, batch); break;
      }
    }
    return;
  }
#endif
  for (Job* job : jobs) {
#if defined(__x86_64__)
    if (kernel == QuantizedItems::Kernel::kAvx2) {
      job->best = ScanAvx2(in, *job->q, job->out);
      continue;
    }
#endif
    job->best = ScanGeneric(in, *job->q, job->out);
  }
}

// The scan of all n items for the jobs (at most kMaxBatch): whole blocks straight into their
// `out`, the last, partial block through a buffer of a whole one. Allocates nothing.
void ScanItems(QuantizedItems::Kernel kernel, Span in, int32_t n, std::span<Job* const> jobs) {
  const int64_t whole = n / kBlock;
  in.blocks = whole;
  ScanJobs(kernel, in, jobs);
  if (whole * kBlock == n) return;
  const int64_t rest = n - whole * kBlock;
  std::array<std::array<float, kBlock>, kMaxBatch> tails;
  std::array<Job, kMaxBatch> tail_jobs;
  std::array<Job*, kMaxBatch> tail_pointers;
  for (size_t i = 0; i < jobs.size(); ++i) {
    tail_jobs[i] = {jobs[i]->q, tails[i].data()};
    tail_pointers[i] = &tail_jobs[i];
  }
  in.codes += whole * in.groups * kGroupBytes;
  in.code_sums += whole * kBlock;
  in.scales += whole * kBlock;
  in.biases += whole * kBlock;
  in.blocks = 1;
  ScanJobs(kernel, in, {tail_pointers.data(), jobs.size()});
  for (size_t i = 0; i < jobs.size(); ++i) {
    std::copy_n(tails[i].data(), rest, jobs[i]->out + whole * kBlock);
    const float tail_best = *std::max_element(tails[i].data(), tails[i].data() + rest);
    jobs[i]->best = whole == 0 ? tail_best : std::max(jobs[i]->best, tail_best);
  }
}

}  // namespace

bool QuantizedItems::Supported(Kernel kernel) {
  switch (kernel) {
    case Kernel::kGeneric:
      return true;
#if defined(__x86_64__)
    case Kernel::kAvx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Kernel::kAvx512Vnni:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("fma");
    case Kernel::kAmx:
      return Supported(Kernel::kAvx512Vnni) && __builtin_cpu_supports("amx-tile") &&
             __builtin_cpu_supports("amx-int8") && AmxPermitted();
#endif
    default:
      return false;
  }
}

QuantizedItems::Kernel QuantizedItems::BestKernel() {
  static const Kernel best = Supported(Kernel::kAmx)           ? Kernel::kAmx
                             : Supported(Kernel::kAvx512Vnni) ? Kernel::kAvx512Vnni
                             : Supported(Kernel::kAvx2)     ? Kernel::kAvx2
                                                            : Kernel::kGeneric;
  return best;
}

std::unique_ptr<const QuantizedItems> QuantizedItems::Build(const DotProductForm& form, int32_t n) {
  std::unique_ptr<QuantizedItems> q(new QuantizedItems());
  const int d = form.dimension();
  q->d_ = d;
  q->n_ = n;
  q->groups_ = (d + kGroup - 1) / kGroup;
  for (Kernel kernel : {Kernel::kAvx512Vnni, Kernel::kAmx}) {
    q->passes_[static_cast<size_t>(kernel)] =
        std::make_unique<SharedPasses<QuantizedScanJob, kMaxBatch>>(
            static_cast<int>(std::thread::hardware_concurrency()));
  }
  // |Σ p·c| <= 4·groups·127·Q must fit in an int32.
  q->query_limit_ = static_cast<int>(std::min<int64_t>(
      32767, std::numeric_limits<int32_t>::max() / (int64_t{kGroup} * q->groups_ * kCodeLimit)));
  const int64_t blocks = (int64_t{n} + kBlock - 1) / kBlock;
  // Past the last block, the rows the AMX kernel's last tile of a block may read (see ScanAmx).
  const int padding_groups = (kAmxChunkGroups - q->groups_ % kAmxChunkGroups) % kAmxChunkGroups;
  q->codes_.assign((blocks * q->groups_ + padding_groups) * kGroupBytes, 0);
  q->code_sums_.assign(blocks * kBlock, 0);
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
    int8_t* item = q->codes_.data() + int64_t{j / kBlock} * q->groups_ * kGroupBytes +
                   j % kBlock * kGroup;
    for (int i = 0; i < d; ++i) {
      const int c =
          s == 0 ? 0 : std::clamp(static_cast<int>(std::lround(v[i] / s)), -kCodeLimit, kCodeLimit);
      item[i / kGroup * kGroupBytes + i % kGroup] = static_cast<int8_t>(c);
      q->code_sums_[j] += c;
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
    std::span<const float> query_vector, std::span<float> out, Kernel kernel) const {
  float largest = 0;
  for (float x : query_vector) {
    if (!std::isfinite(x)) return std::nullopt;
    largest = std::max(largest, std::abs(x));
  }
  QueryCodes q;  // not thread_local: with FiberBatch one thread scans for several queries at once
  q.scale = largest / static_cast<float>(query_limit_);
  q.codes.assign(static_cast<size_t>(groups_) * kGroup, 0);
  double norm = 0, residual = 0;
  for (int i = 0; i < d_; ++i) {
    const float x = query_vector[i];
    const int p = q.scale == 0 ? 0
                               : std::clamp(static_cast<int>(std::lround(x / q.scale)),
                                            -query_limit_, query_limit_);
    q.codes[i] = static_cast<int16_t>(p);
    const double u = x - static_cast<double>(q.scale) * p;  // exact in double
    norm += static_cast<double>(x) * x;
    residual += u * u;
  }
  norm = std::sqrt(norm);
  residual = std::sqrt(residual);
  if (kernel == Kernel::kAvx512Vnni || kernel == Kernel::kAmx) {
    q.low.assign(groups_, 0);
    q.high.assign(groups_, 0);
    for (int i = 0; i < groups_ * kGroup; ++i) {
      const auto v = static_cast<uint32_t>(q.codes[i] + 32768);  // in [0, 65535]
      q.low[i / kGroup] |= (v & 0xff) << (8 * (i % kGroup));
      q.high[i / kGroup] |= (v >> 8) << (8 * (i % kGroup));
    }
  }

  Job job{&q, out.data()};
  const Span in{codes_.data(), code_sums_.data(), scales_.data(), biases_.data(), groups_, 0};
  if (auto* passes = passes_[static_cast<size_t>(kernel)].get()) {  // VNNI and AMX
    passes->Run(&job, [&](std::span<Job* const> jobs) { ScanItems(kernel, in, n_, jobs); });
  } else {
    Job* const only[] = {&job};
    ScanItems(kernel, in, n_, only);
  }
  const float best = n_ == 0 ? -std::numeric_limits<float>::infinity() : job.best;
  const double quantisation = (norm * residual_norm_ + residual * vector_norm_) * (1 + kNormSlack);
  const double rounding =
      (2.0 * d_ + 16) * kUnit * (2 * norm * vector_norm_ + bias_bound_) * (1 + kNormSlack);
  return Approximation{quantisation + rounding, best};
}

}  // namespace kindred
