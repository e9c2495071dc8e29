#include "bench/latency_stats.h"

#include <gtest/gtest.h>

namespace kindred {
namespace {

TEST(LatencyStatsTest, QuantilesAreMeasuredSamplesByRank) {
  std::vector<double> ms;
  for (int i = 200; i >= 0; --i) ms.push_back(i * 0.5);  // 0, 0.5, ..., 100 in reverse
  const nlohmann::json s = SummarizeLatencies(ms);
  EXPECT_EQ(s["samples"], 201);
  EXPECT_DOUBLE_EQ(s["p50_ms"].get<double>(), 50);
  EXPECT_DOUBLE_EQ(s["p90_ms"].get<double>(), 90);
  EXPECT_DOUBLE_EQ(s["p99_ms"].get<double>(), 99);
  EXPECT_DOUBLE_EQ(s["max_ms"].get<double>(), 100);
  EXPECT_DOUBLE_EQ(s["mean_ms"].get<double>(), 50);
  ASSERT_EQ(s["quantiles_ms"].size(), 101u);
  EXPECT_DOUBLE_EQ(s["quantiles_ms"][0].get<double>(), 0);
  EXPECT_DOUBLE_EQ(s["quantiles_ms"][37].get<double>(), 37);
}

TEST(LatencyStatsTest, FewSamplesRoundToTheNearestRank) {
  const nlohmann::json s = SummarizeLatencies({3, 1, 2});
  EXPECT_DOUBLE_EQ(s["p50_ms"].get<double>(), 2);
  EXPECT_DOUBLE_EQ(s["p99_ms"].get<double>(), 3);
  EXPECT_DOUBLE_EQ(s["quantiles_ms"][24].get<double>(), 1);  // rank 0.48 -> 0
  EXPECT_DOUBLE_EQ(s["quantiles_ms"][26].get<double>(), 2);  // rank 0.52 -> 1
  const nlohmann::json none = SummarizeLatencies({});
  EXPECT_EQ(none["samples"], 0);
  EXPECT_EQ(none["p99_ms"], 0.0);
}

TEST(LatencyStatsTest, CheckMeasuredWantsSamplesNoErrorsAndPositiveRates) {
  nlohmann::json r = SummarizeLatencies({1, 2});
  r["errors"] = 0;
  r["requests_per_second"] = 10.0;
  r["events_per_second"] = 100.0;
  EXPECT_TRUE(CheckMeasured(r).ok());
  r["errors"] = 1;
  EXPECT_EQ(CheckMeasured(r).code(), StatusCode::kInternal);
  r["errors"] = 0;
  r["events_per_second"] = 0.0;
  EXPECT_NE(CheckMeasured(r).message().find("events_per_second"), std::string::npos);
  EXPECT_FALSE(CheckMeasured(SummarizeLatencies({})).ok());
}

}  // namespace
}  // namespace kindred
