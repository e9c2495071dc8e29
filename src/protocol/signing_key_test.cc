#include "protocol/signing_key.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace kindred {
namespace {

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += {kDigits[b >> 4], kDigits[b & 0xf]};
  }
  return out;
}
std::string Hex(const SigningKey& key) { return Hex(AsView(key)); }

// The derivation example of the AWS documentation ("Examples of how to derive a signing key for
// Signature Version 4").
TEST(SigningKeyTest, DerivationMatchesThePublishedExample) {
  EXPECT_EQ(Hex(DeriveSigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215",
                                 "us-east-1", "iam")),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

// RFC 4231 test cases 2 (a short key) and 6 (a key longer than the block, hashed first).
TEST(SigningKeyTest, HmacMatchesRfc4231) {
  EXPECT_EQ(Hex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(Hex(HmacSha256(std::string(131, '\xaa'),
                           "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(Hex(Sha256({"a", "bc"})),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SigningKeyCacheTest, GivesTheDerivedKeyForEveryScope) {
  SigningKeyCache cache;
  for (int round = 0; round < 2; ++round) {  // the second round is answered from the cache
    EXPECT_EQ(cache.Get("secret-a", "20261206", "us-east-1", "personalize"),
              DeriveSigningKey("secret-a", "20261206", "us-east-1", "personalize"));
    EXPECT_EQ(cache.Get("secret-a", "20261207", "us-east-1", "personalize"),
              DeriveSigningKey("secret-a", "20261207", "us-east-1", "personalize"));
    EXPECT_EQ(cache.Get("secret-b", "20261206", "us-east-1", "personalize"),
              DeriveSigningKey("secret-b", "20261206", "us-east-1", "personalize"));
    EXPECT_EQ(cache.Get("secret-a", "20261206", "eu-west-1", "personalize"),
              DeriveSigningKey("secret-a", "20261206", "eu-west-1", "personalize"));
  }
  EXPECT_EQ(cache.size(), 4u);
  EXPECT_NE(cache.Get("secret-a", "20261206", "us-east-1", "personalize"),
            cache.Get("secret-a", "20261207", "us-east-1", "personalize"));
  EXPECT_NE(cache.Get("secret-a", "20261206", "us-east-1", "personalize"),
            cache.Get("secret-b", "20261206", "us-east-1", "personalize"));
}

// Scopes whose parts concatenate to the same text are still different scopes.
TEST(SigningKeyCacheTest, KeepsScopesWithTheSameConcatenationApart) {
  SigningKeyCache cache;
  const SigningKey a = cache.Get("ab", "c", "us-east-1", "personalize");
  const SigningKey b = cache.Get("a", "bc", "us-east-1", "personalize");
  EXPECT_EQ(a, DeriveSigningKey("ab", "c", "us-east-1", "personalize"));
  EXPECT_EQ(b, DeriveSigningKey("a", "bc", "us-east-1", "personalize"));
  EXPECT_NE(a, b);
}

TEST(SigningKeyCacheTest, StaysWithinItsCapacity) {
  SigningKeyCache cache(/*capacity=*/3);
  for (int day = 10; day < 30; ++day) {
    const std::string date = "202612" + std::to_string(day);
    EXPECT_EQ(cache.Get("s", date, "us-east-1", "personalize"),
              DeriveSigningKey("s", date, "us-east-1", "personalize"));
    EXPECT_LE(cache.size(), 3u);
  }
}

TEST(SigningKeyCacheTest, ConcurrentCallersGetTheSameKeys) {
  SigningKeyCache cache(/*capacity=*/4);
  const SigningKey want_a = DeriveSigningKey("s", "20261206", "us-east-1", "personalize");
  const SigningKey want_b = DeriveSigningKey("s", "20261207", "us-east-1", "personalize");
  std::vector<std::thread> threads;
  std::vector<int> wrong(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        const bool a = (i + t) % 2 == 0;
        const SigningKey got = cache.Get("s", a ? "20261206" : "20261207", "us-east-1",
                                         i % 7 == 0 ? "other" + std::to_string(i) : "personalize");
        if (i % 7 != 0 && got != (a ? want_a : want_b)) ++wrong[t];
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(wrong[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace kindred
