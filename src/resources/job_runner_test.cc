#include "resources/job_runner.h"

#include <gtest/gtest.h>

#include <mutex>
#include <vector>

namespace kindred {
namespace {

using namespace std::chrono_literals;

TEST(JobRunnerTest, RunsJobsInStartTimeOrder) {
  JobRunner runner("test", 1);
  std::mutex mu;
  std::vector<int> order;
  auto record = [&](int i) {
    return [&, i] {
      std::lock_guard lock(mu);
      order.push_back(i);
    };
  };
  runner.Submit(record(3), 150ms);
  runner.Submit(record(1));
  runner.Submit(record(2), 50ms);
  runner.Submit(record(4), 150ms);  // same start as 3: submission order
  runner.Drain();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 4}));
}

TEST(JobRunnerTest, DelayedJobWaitsWithoutBlockingOthers) {
  JobRunner runner("test", 1);
  std::atomic<bool> quick_ran{false};
  auto start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::duration slow_started{};
  runner.Submit([&] { slow_started = std::chrono::steady_clock::now() - start; }, 200ms);
  runner.Submit([&] { quick_ran = true; });
  runner.Drain();
  EXPECT_TRUE(quick_ran);
  EXPECT_GE(slow_started, 200ms);
}

TEST(JobRunnerTest, ShutdownDropsQueuedJobsAndRefusesNewOnes) {
  std::atomic<int> ran{0};
  {
    JobRunner runner("test", 1);
    runner.Submit([&] { ++ran; }, 10s);
    runner.Shutdown();
    EXPECT_TRUE(runner.StopRequested());
    EXPECT_FALSE(runner.Submit([&] { ++ran; }));
  }
  EXPECT_EQ(ran.load(), 0);
}

TEST(JobRunnerTest, AJobThatThrowsDoesNotStopTheRunner) {
  JobRunner runner("test", 1);
  std::atomic<bool> after{false};
  runner.Submit([] { throw std::runtime_error("boom"); });
  runner.Submit([&] { after = true; });
  runner.Drain();
  EXPECT_TRUE(after);
}

}  // namespace
}  // namespace kindred
