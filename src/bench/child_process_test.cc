#include "bench/child_process.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "bench/process_memory.h"

namespace kindred {
namespace {

TEST(ChildProcessTest, ReturnsTheChildsResult) {
  Result<ChildOutcome> out = RunInChild([]() -> Result<nlohmann::json> {
    return nlohmann::json{{"answer", 42}, {"pid_differs", true}};
  });
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->result["answer"], 42);
  EXPECT_GT(out->peak_resident_bytes, 0);
}

TEST(ChildProcessTest, MemoryTouchedInTheChildCountsInItsPeakButNotInTheParent) {
  constexpr size_t kBytes = 96 << 20;
  const int64_t parent_before = ReadProcessMemory().peak_resident_bytes;
  Result<ChildOutcome> out = RunInChild([]() -> Result<nlohmann::json> {
    std::vector<char> block(kBytes);
    std::memset(block.data(), 1, block.size());
    return nlohmann::json{{"sum", static_cast<int>(block[kBytes / 2])}};
  });
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_GE(out->peak_resident_bytes, static_cast<int64_t>(kBytes));
  EXPECT_LT(ReadProcessMemory().peak_resident_bytes,
            parent_before + static_cast<int64_t>(kBytes / 2));
}

TEST(ChildProcessTest, AnErrorComesBackWithItsCode) {
  Result<ChildOutcome> out =
      RunInChild([]() -> Result<nlohmann::json> { return Status::NotFound("no such dataset"); });
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(out.status().message(), "no such dataset");
}

TEST(ChildProcessTest, ACrashIsReportedWithItsSignal) {
  Result<ChildOutcome> out = RunInChild([]() -> Result<nlohmann::json> { std::abort(); });
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInternal);
  EXPECT_NE(out.status().message().find("signal 6"), std::string::npos) << out.status().message();
}

}  // namespace
}  // namespace kindred
