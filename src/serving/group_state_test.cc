#include "serving/group_state.h"

#include <gtest/gtest.h>

#include "serving/genre_items_schema.h"

namespace kindred {
namespace {

std::vector<std::string> Items(const GroupState& s, std::string_view user) {
  std::vector<std::string> out;
  for (const ServingEvent& e : s.Events(user)) out.push_back(s.items().Id(e.item));
  return out;
}

TEST(GroupStateTest, EventsAreKeptPerUserInTimeOrder) {
  GroupState s(std::nullopt, std::nullopt);
  s.AddEvent({.user = "u", .item = "a", .event_type = "click", .timestamp = 10});
  s.AddEvent({.user = "u", .item = "c", .event_type = "watch", .timestamp = 30});
  s.AddEvent({.user = "u", .item = "b", .event_type = "click", .timestamp = 20});  // late arrival
  s.AddEvent({.user = "v", .item = "a", .event_type = "click", .timestamp = 5});
  EXPECT_EQ(Items(s, "u"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(Items(s, "v"), (std::vector<std::string>{"a"}));
  EXPECT_TRUE(s.Events("nobody").empty());
  EXPECT_EQ(s.EventTypeName(s.Events("u")[2].event_type), "watch");
  EXPECT_EQ(s.items().size(), 3);
}

TEST(GroupStateTest, OnlyTheNewestEventsAreKept) {
  GroupState s(std::nullopt, std::nullopt);
  const int n = static_cast<int>(GroupState::kMaxEventsPerUser) + 5;
  for (int i = 0; i < n; ++i) {
    s.AddEvent({.user = "u", .item = std::to_string(i), .event_type = "click", .timestamp = i});
  }
  ASSERT_EQ(s.Events("u").size(), GroupState::kMaxEventsPerUser);
  EXPECT_EQ(s.Events("u").front().timestamp, 5);
  EXPECT_EQ(s.Events("u").back().timestamp, n - 1);
}

TEST(GroupStateTest, AnEventWithSessionAndUserLinksTheSession) {
  GroupState s(std::nullopt, std::nullopt);
  s.AddEvent({.user = "sess", .item = "a", .event_type = "click", .timestamp = 1});  // anonymous
  s.AddEvent({.user = "u", .item = "x", .event_type = "click", .timestamp = 0});
  s.AddEvent({.user = "u", .session = "sess", .item = "b", .event_type = "click", .timestamp = 2});
  s.AddEvent({.user = "sess", .item = "c", .event_type = "click", .timestamp = 3});  // after login
  EXPECT_EQ(Items(s, "u"), (std::vector<std::string>{"x", "a", "b", "c"}));
  EXPECT_EQ(Items(s, "sess"), Items(s, "u"));
}

TEST(GroupStateTest, ImpressionsAndItemChangesAreCounted) {
  GroupState s(std::nullopt, std::nullopt);
  const uint64_t v0 = s.items_version();
  s.AddImpressions(std::vector<std::string>{"a", "b", "a"});
  EXPECT_GT(s.items_version(), v0);
  EXPECT_EQ(s.Impressions(s.items().Find("a")), 2u);
  EXPECT_EQ(s.Impressions(s.items().Find("b")), 1u);
  EXPECT_EQ(s.Impressions(12345), 0u);
  const uint64_t v1 = s.items_version();
  s.AddEvent({.user = "u", .item = "a", .event_type = "click", .timestamp = 1});
  EXPECT_EQ(s.items_version(), v1);  // no new item
  GroupState other(std::nullopt, std::nullopt);
  EXPECT_NE(other.id(), s.id());
}

TEST(GroupStateTest, ItemChangesAreLoggedUntilTheLogOutgrowsTheCatalogue) {
  GroupState s(std::nullopt, std::nullopt);
  s.AddImpressions(std::vector<std::string>{"a", "b", "a"});
  s.AddEvent({.user = "u", .item = "c", .event_type = "click", .timestamp = 1});
  ASSERT_EQ(s.items_version(), 3u);
  const std::optional<std::span<const int32_t>> all = s.ItemChangesSince(0);
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(std::vector<int32_t>(all->begin(), all->end()),
            (std::vector<int32_t>{s.items().Find("a"), s.items().Find("b"), s.items().Find("c")}));
  EXPECT_EQ(s.ItemChangesSince(2)->size(), 1u);
  EXPECT_TRUE(s.ItemChangesSince(3)->empty());
  EXPECT_FALSE(s.ItemChangesSince(4).has_value());  // a version not reached yet
}

TEST(GroupStateTest, TheItemChangeLogKeepsTheLatestChanges) {
  GroupState s(GenreItemsSchema(), std::nullopt);
  // Ten items put a thousand times each: far more changes than items, so the oldest go.
  for (int round = 0; round < 1000; ++round) {
    for (int k = 0; k < 10; ++k) {
      ASSERT_TRUE(s.PutItem(Row{{"i" + std::to_string(k), std::string("g"), int64_t{round}}}).ok());
    }
  }
  ASSERT_EQ(s.items_version(), 10000u);
  EXPECT_FALSE(s.ItemChangesSince(0).has_value());
  const uint64_t now = s.items_version();
  ASSERT_TRUE(s.ItemChangesSince(now - 1024).has_value());  // at least 1024 are kept
  EXPECT_EQ(s.ItemChangesSince(now - 1024)->size(), 1024u);
  EXPECT_EQ(s.ItemChangesSince(now - 1)->front(), s.items().Find("i9"));
}

}  // namespace
}  // namespace kindred
