#include <gtest/gtest.h>

#include <cstdint>
#include <regex>
#include <set>

#include "common/cache_aligned.h"
#include "common/clock.h"
#include "common/random.h"
#include "common/status.h"

namespace kindred {
namespace {

TEST(StatusTest, ResultCarriesValueOrStatus) {
  Result<int> good = 7;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);
  EXPECT_TRUE(good.status().ok());

  Result<int> bad = Status::NotFound("schema x");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(bad.status().message(), "schema x");
}

Status FailsThenNever(bool fail) {
  KINDRED_RETURN_IF_ERROR(fail ? Status::InUse("busy") : Status::Ok());
  return Status::Internal("reached the end");
}

TEST(StatusTest, ReturnIfErrorStopsEarly) {
  EXPECT_EQ(FailsThenNever(true).code(), StatusCode::kInUse);
  EXPECT_EQ(FailsThenNever(false).code(), StatusCode::kInternal);
}

TEST(RandomTest, UuidsAreV4AndDistinct) {
  const std::regex v4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string u = NewUuid();
    EXPECT_TRUE(std::regex_match(u, v4)) << u;
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(RandomTest, RandomStringUsesOnlyTheAlphabet) {
  std::string s = RandomString(200, "AB");
  EXPECT_EQ(s.size(), 200u);
  EXPECT_EQ(s.find_first_not_of("AB"), std::string::npos);
  EXPECT_NE(s.find('A'), std::string::npos);
  EXPECT_NE(s.find('B'), std::string::npos);
}

// Every block starts on a cache line, whatever the element type and size, also after growth.
TEST(CacheAlignedTest, BlocksStartOnCacheLines) {
  for (size_t n : {size_t{1}, size_t{15}, size_t{16}, size_t{17}, size_t{1000}, size_t{1} << 20}) {
    CacheAlignedVector<int8_t> bytes(n, 1);
    CacheAlignedVector<float> floats(n, 1.0f);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(bytes.data()) % kCacheLine, 0u) << n;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(floats.data()) % kCacheLine, 0u) << n;
    floats.push_back(2.0f);  // reallocates: the copy is aligned too
    EXPECT_EQ(reinterpret_cast<uintptr_t>(floats.data()) % kCacheLine, 0u) << n;
    EXPECT_EQ(floats.back(), 2.0f);
  }
}

TEST(ClockTest, FakeClockAdvances) {
  FakeClock c(1000);
  EXPECT_EQ(c.NowMillis(), 1000);
  c.Advance(500);
  EXPECT_DOUBLE_EQ(c.NowSeconds(), 1.5);
  EXPECT_GT(SystemClock::Get().NowMillis(), 1700000000000);
}

}  // namespace
}  // namespace kindred
