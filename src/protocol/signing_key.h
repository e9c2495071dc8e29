// SHA-256 and HMAC-SHA256, and SigV4 signing keys: the HMAC-SHA256 chain that turns a secret into the key for one
// (date, region, service) scope, and a cache of derived keys so that a server verifying many
// requests under the same scope derives each key once a day instead of once per request.
//
//   kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")
//
//   SigningKeyCache cache;
//   const SigningKey key = cache.Get(secret, "20261206", "us-east-1", "personalize");
//   std::string mac = HmacSha256(AsView(key), string_to_sign);
#pragma once

#include <array>
#include <cstddef>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kindred {

using Sha256Digest = std::array<unsigned char, 32>;
using SigningKey = Sha256Digest;

// SHA-256 of the concatenation of `parts`.
Sha256Digest Sha256(std::initializer_list<std::string_view> parts);

// Raw (binary, 32-byte) HMAC-SHA256 of `data` under `key`.
std::string HmacSha256(std::string_view key, std::string_view data);

// The bytes of a digest or key, e.g. as a key for HmacSha256.
inline std::string_view AsView(const Sha256Digest& key) {
  return {reinterpret_cast<const char*>(key.data()), key.size()};
}

// The signing key of `secret` for the scope `date` (YYYYMMDD) / `region` / `service`.
SigningKey DeriveSigningKey(std::string_view secret, std::string_view date,
                            std::string_view region, std::string_view service);

// Derived signing keys by (secret, date, region, service). Get() returns exactly what
// DeriveSigningKey() would. At most `capacity` keys are kept: when a new key would exceed it,
// the cache starts again empty (scopes change once a day, so this is rare).
//
// Thread-safety: Get() may be called from any number of threads at once (one mutex).
class SigningKeyCache {
 public:
  explicit SigningKeyCache(size_t capacity = 256) : capacity_(capacity) {}

  SigningKey Get(std::string_view secret, std::string_view date, std::string_view region,
                 std::string_view service);

  // How many keys are held (for tests).
  size_t size() const;

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, SigningKey> keys_;  // GUARDED_BY(mu_)
};

}  // namespace kindred
