#include "serving/group_states.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

namespace kindred {
namespace {

EventRecord Click(std::string_view item, int64_t ts) {
  return {.user = "u", .item = item, .event_type = "click", .timestamp = ts};
}

std::vector<std::string> History(GroupStates& states) {
  std::vector<std::string> out;
  EXPECT_TRUE(states
                  .Read("g",
                        [&](const GroupState& s) {
                          for (const ServingEvent& e : s.Events("u"))
                            out.push_back(s.items().Id(e.item));
                          return Status::Ok();
                        })
                  .ok());
  return out;
}

TEST(GroupStatesTest, LoadsLazilyOnceAndAppliesLaterChanges) {
  std::atomic<int> loads{0};
  GroupStates states([&](const std::string& group, std::unordered_set<uint64_t>*) {
    ++loads;
    auto s = std::make_unique<GroupState>(std::nullopt, std::nullopt);
    s->AddEvent(Click("stored", 1));
    return Result<std::unique_ptr<GroupState>>(std::move(s));
  });
  // Before the first load there is nothing to apply to: the load reads storage instead.
  states.Apply("g", 1, 1, [](GroupState& s) { s.AddEvent(Click("ignored", 0)); });
  EXPECT_EQ(loads, 0);
  EXPECT_EQ(History(states), (std::vector<std::string>{"stored"}));
  states.Apply("g", 2, 1, [](GroupState& s) { s.AddEvent(Click("live", 2)); });
  EXPECT_EQ(History(states), (std::vector<std::string>{"stored", "live"}));
  EXPECT_EQ(loads, 1);
  states.Invalidate("g");
  EXPECT_EQ(History(states), (std::vector<std::string>{"stored"}));  // reloaded from "storage"
  EXPECT_EQ(loads, 2);
}

TEST(GroupStatesTest, ChangesDuringALoadAreAppliedExactlyOnce) {
  std::promise<void> started, release;
  std::shared_future<void> go = release.get_future().share();
  GroupStates states([&](const std::string&, std::unordered_set<uint64_t>* seen) {
    auto s = std::make_unique<GroupState>(std::nullopt, std::nullopt);
    s->AddEvent(Click("stored", 1));
    started.set_value();
    go.wait();
    // The scan saw live row 10 (written before the scan) but not 11.
    s->AddEvent(Click("seen-by-scan", 10));
    seen->insert(10);
    return Result<std::unique_ptr<GroupState>>(std::move(s));
  });
  std::thread reader([&] { History(states); });
  started.get_future().wait();
  states.Apply("g", 10, 1, [](GroupState& s) { s.AddEvent(Click("seen-by-scan", 10)); });
  states.Apply("g", 11, 1, [](GroupState& s) { s.AddEvent(Click("after-scan", 11)); });
  release.set_value();
  reader.join();
  EXPECT_EQ(History(states), (std::vector<std::string>{"stored", "seen-by-scan", "after-scan"}));
}

TEST(GroupStatesTest, ALoaderErrorIsReturnedAndRetried) {
  int calls = 0;
  GroupStates states([&](const std::string&, std::unordered_set<uint64_t>*) {
    if (++calls == 1) return Result<std::unique_ptr<GroupState>>(Status::IoError("disk"));
    return Result<std::unique_ptr<GroupState>>(
        std::make_unique<GroupState>(std::nullopt, std::nullopt));
  });
  Status first = states.Read("g", [](const GroupState&) { return Status::Ok(); });
  EXPECT_EQ(first.code(), StatusCode::kIoError);
  EXPECT_TRUE(states.Read("g", [](const GroupState&) { return Status::Ok(); }).ok());
  EXPECT_EQ(calls, 2);
  states.Drop("g");
  EXPECT_TRUE(states.Read("g", [](const GroupState&) { return Status::Ok(); }).ok());
  EXPECT_EQ(calls, 3);
}

}  // namespace
}  // namespace kindred
