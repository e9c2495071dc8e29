#include "serving/recent_recommendations.h"

#include <gtest/gtest.h>

namespace kindred {
namespace {

TEST(RecentRecommendationsTest, RemembersTheNewestResponsesOnly) {
  RecentRecommendations recent(2);
  recent.Remember("RID-1", {"a", "b"});
  recent.Remember("RID-2", {"c"});
  EXPECT_EQ(recent.Find("RID-1"), (std::vector<std::string>{"a", "b"}));
  recent.Remember("RID-3", {"d"});
  EXPECT_EQ(recent.Find("RID-1"), std::nullopt);
  EXPECT_EQ(recent.Find("RID-2"), (std::vector<std::string>{"c"}));
  EXPECT_EQ(recent.Find("RID-3"), (std::vector<std::string>{"d"}));
  EXPECT_EQ(recent.Find("unknown"), std::nullopt);
}

}  // namespace
}  // namespace kindred
