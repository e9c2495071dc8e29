#include "protocol/signing_key.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>

namespace kindred {
namespace {

// The parts, each prefixed with its length, so that no two scopes share a cache key.
std::string CacheKey(std::initializer_list<std::string_view> parts) {
  std::string key;
  for (std::string_view p : parts) {
    const auto n = static_cast<uint32_t>(p.size());
    key.append(reinterpret_cast<const char*>(&n), sizeof(n));
    key.append(p);
  }
  return key;
}

}  // namespace

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(), &len);
  return std::string(reinterpret_cast<const char*>(mac.data()), len);
}

SigningKey DeriveSigningKey(std::string_view secret, std::string_view date,
                            std::string_view region, std::string_view service) {
  std::string key = HmacSha256("AWS4" + std::string(secret), date);
  key = HmacSha256(key, region);
  key = HmacSha256(key, service);
  key = HmacSha256(key, "aws4_request");
  SigningKey out{};
  std::copy_n(key.begin(), out.size(), out.begin());
  return out;
}

SigningKey SigningKeyCache::Get(std::string_view secret, std::string_view date,
                                std::string_view region, std::string_view service) {
  std::string cache_key = CacheKey({secret, date, region, service});
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = keys_.find(cache_key); it != keys_.end()) return it->second;
  }
  const SigningKey key = DeriveSigningKey(secret, date, region, service);
  std::lock_guard<std::mutex> lock(mu_);
  if (keys_.size() >= capacity_) keys_.clear();
  keys_.insert_or_assign(std::move(cache_key), key);
  return key;
}

size_t SigningKeyCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return keys_.size();
}

}  // namespace kindred
