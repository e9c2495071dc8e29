#include "common/random.h"

#include <openssl/rand.h>

#include <array>
#include <cstdio>
#include <stdexcept>

namespace kindred {
namespace {

void FillRandom(unsigned char* out, size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed: no entropy source");
  }
}

}  // namespace

std::string NewUuid() {
  std::array<unsigned char, 16> b{};
  FillRandom(b.data(), b.size());
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  char buf[37];
  std::snprintf(buf, sizeof(buf),
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return buf;
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
