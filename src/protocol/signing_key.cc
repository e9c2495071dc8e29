#include "protocol/signing_key.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>

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

// SHA-256 through a digest fetched once and a context kept per thread: OpenSSL 3's one-shot
// SHA256() and HMAC() look the algorithm up again on every call, which cost more than hashing a
// request.
Sha256Digest Sha256(std::initializer_list<std::string_view> parts) {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  struct Context {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Context() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Context context;
  Sha256Digest out{};
  if (md == nullptr || context.ctx == nullptr ||
      EVP_DigestInit_ex2(context.ctx, md, nullptr) != 1) {
    throw std::runtime_error("OpenSSL has no SHA-256");
  }
  for (std::string_view p : parts) EVP_DigestUpdate(context.ctx, p.data(), p.size());
  EVP_DigestFinal_ex(context.ctx, out.data(), nullptr);
  return out;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  // RFC 2104: H((K ^ opad) || H((K ^ ipad) || data)), K padded to SHA-256's 64-byte block (a
  // longer key hashed first).
  constexpr size_t kBlock = 64;
  std::array<char, kBlock> inner{}, outer{};
  Sha256Digest hashed_key;
  if (key.size() > kBlock) {
    hashed_key = Sha256({key});
    key = AsView(hashed_key);
  }
  for (size_t i = 0; i < kBlock; ++i) {
    const char k = i < key.size() ? key[i] : 0;
    inner[i] = static_cast<char>(k ^ 0x36);
    outer[i] = static_cast<char>(k ^ 0x5c);
  }
  const Sha256Digest in = Sha256({{inner.data(), kBlock}, data});
  const Sha256Digest mac = Sha256({{outer.data(), kBlock}, AsView(in)});
  return std::string(AsView(mac));
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
