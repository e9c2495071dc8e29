#include "recipes/model_codec.h"

#include <gtest/gtest.h>

namespace kindred {
namespace {

TEST(ModelCodecTest, RoundTripsEveryPrimitive) {
  ByteWriter w;
  w.Raw("MAGC");
  w.U32(0xdeadbeef);
  w.U64(0x0123456789abcdefull);
  w.F32(-1.25f);
  w.Strings({"a", "", "ccc"});
  const std::string bytes = std::move(w).Take();
  EXPECT_EQ(bytes.size(), 4u + 4 + 8 + 4 + 4 + (4 + 1) + 4 + (4 + 3));

  ByteReader r(bytes);
  uint32_t u = 0;
  uint64_t big = 0;
  float f = 0;
  std::vector<std::string> strings;
  ASSERT_TRUE(r.Expect("MAGC"));
  ASSERT_TRUE(r.U32(&u));
  ASSERT_TRUE(r.U64(&big));
  ASSERT_TRUE(r.F32(&f));
  ASSERT_TRUE(r.Strings(&strings));
  EXPECT_EQ(u, 0xdeadbeefu);
  EXPECT_EQ(big, 0x0123456789abcdefull);
  EXPECT_EQ(f, -1.25f);
  EXPECT_EQ(strings, (std::vector<std::string>{"a", "", "ccc"}));
  EXPECT_TRUE(r.done());
}

TEST(ModelCodecTest, IsLittleEndian) {
  ByteWriter w;
  w.U32(0x01020304);
  w.U64(0x0102030405060708ull);
  EXPECT_EQ(std::move(w).Take(),
            std::string("\x04\x03\x02\x01\x08\x07\x06\x05\x04\x03\x02\x01", 12));
}

TEST(ModelCodecTest, RejectsWrongMagicAndTruncatedInput) {
  EXPECT_FALSE(ByteReader("KPOP").Expect("KSIM"));
  uint32_t u = 0;
  EXPECT_FALSE(ByteReader(std::string("\x01\x02\x03", 3)).U32(&u));
  std::string s;
  ByteWriter w;
  w.String("hello");
  std::string bytes = std::move(w).Take();
  bytes.pop_back();
  EXPECT_FALSE(ByteReader(bytes).String(&s));
}

TEST(ModelCodecTest, CountMustFitInTheRemainingBytes) {
  ByteWriter w;
  w.U32(1000000);  // claims a million 4-byte elements
  w.U32(7);
  const std::string too_many = std::move(w).Take();
  ByteReader r(too_many);
  uint32_t n = 0;
  EXPECT_FALSE(r.Count(&n, 4));

  ByteWriter ok;
  ok.U32(1);
  ok.U32(7);
  const std::string one = std::move(ok).Take();
  ByteReader r2(one);
  EXPECT_TRUE(r2.Count(&n, 4));
  EXPECT_EQ(n, 1u);
}

}  // namespace
}  // namespace kindred
