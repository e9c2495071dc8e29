#include "common/random.h"

#include <openssl/rand.h>

#include <openssl/crypto.h>

#include <array>
#include <cstring>
#include <stdexcept>

namespace kindred {
namespace {

void FillRandom(unsigned char* out, size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed: no entropy source");
  }
}

// Copies the next n <= 16 random bytes of this thread's pool to `out`, refilling the pool from
// the OS entropy source (one call per 16 UUIDs: a request takes two).
void TakeRandom(unsigned char* out, size_t n) {
  thread_local std::array<unsigned char, 256> pool{};
  thread_local size_t used = pool.size();
  if (used + n > pool.size()) {
    FillRandom(pool.data(), pool.size());
    used = 0;
  }
  std::memcpy(out, pool.data() + used, n);
  OPENSSL_cleanse(pool.data() + used, n);  // a byte handed out is not kept
  used += n;
}

}  // namespace

std::string NewUuid() {
  std::array<unsigned char, 16> b{};
  TakeRandom(b.data(), b.size());
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  size_t at = 0;
  for (size_t i = 0; i < b.size(); ++i) {
    if (at == 8 || at == 13 || at == 18 || at == 23) ++at;  // the dashes
    out[at++] = kHex[b[i] >> 4];
    out[at++] = kHex[b[i] & 0x0f];
  }
  return out;
}

std::string RandomString(size_t length, const std::string& alphabet) {
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    unsigned char byte;
    FillRandom(&byte, 1);
    // Rejection sampling keeps the distribution uniform over the alphabet.
    const size_t limit = 256 - (256 % alphabet.size());
    if (byte < limit) out.push_back(alphabet[byte % alphabet.size()]);
  }
  return out;
}

}  // namespace kindred
