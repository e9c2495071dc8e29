#include "serving/shared_passes.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace kindred {
namespace {

struct Job {
  int id = 0;
  int passes = 0;  // how many passes ran it
};

TEST(SharedPassesTest, ALoneCallerRunsItsOwnPass) {
  SharedPasses<Job, 4> passes(2);
  Job job{7};
  int calls = 0;
  passes.Run(&job, [&](std::span<Job* const> batch) {
    ++calls;
    ASSERT_EQ(batch.size(), 1u);
    EXPECT_EQ(batch[0], &job);
    ++batch[0]->passes;
  });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(job.passes, 1);
}

// Many threads at once: every job runs in exactly one pass, no pass holds more than max_batch
// jobs, no more than max_passes passes run at a time, and (passes being slow) some are shared.
TEST(SharedPassesTest, ConcurrentCallersShareBoundedPasses) {
  constexpr int kThreads = 16, kJobsPerThread = 50, kMaxPasses = 2, kMaxBatch = 4;
  SharedPasses<Job, kMaxBatch> passes(kMaxPasses);
  std::atomic<int> running{0}, most_running{0}, largest_batch{0}, shared{0};
  auto pass = [&](std::span<Job* const> batch) {
    const int now = ++running;
    int seen = most_running.load();
    while (now > seen && !most_running.compare_exchange_weak(seen, now)) {
    }
    int largest = largest_batch.load();
    const int size = static_cast<int>(batch.size());
    while (size > largest && !largest_batch.compare_exchange_weak(largest, size)) {
    }
    if (size > 1) ++shared;
    for (Job* job : batch) ++job->passes;  // each job belongs to one pass: no race
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    --running;
  };
  std::vector<std::vector<Job>> jobs(kThreads, std::vector<Job>(kJobsPerThread));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (Job& job : jobs[t]) {
        passes.Run(&job, pass);
        EXPECT_EQ(job.passes, 1);  // done when Run returns
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const auto& list : jobs) {
    for (const Job& job : list) EXPECT_EQ(job.passes, 1);
  }
  EXPECT_LE(most_running.load(), kMaxPasses);
  EXPECT_LE(largest_batch.load(), kMaxBatch);
  EXPECT_GT(shared.load(), 0);
}

// In a FiberBatch the callers' jobs wait until no task can go on, then run kMaxBatch per pass on
// the batch's thread, each exactly once.
TEST(SharedPassesTest, TasksOfAFiberBatchFillPassesOnTheirThread) {
  SharedPasses<Job, 4> passes(1);
  std::vector<Job> jobs(10);
  std::vector<size_t> pass_sizes;
  int started = 0;
  const std::thread::id here = std::this_thread::get_id();
  FiberBatch batch;
  for (Job& job : jobs) {
    batch.Add([&] {
      ++started;
      passes.Run(&job, [&](std::span<Job* const> in_pass) {
        EXPECT_EQ(std::this_thread::get_id(), here);
        EXPECT_EQ(started, 10);  // every task reached its scan first
        pass_sizes.push_back(in_pass.size());
        for (Job* j : in_pass) ++j->passes;
      });
      EXPECT_EQ(job.passes, 1);  // served by the time Run returns
    });
  }
  batch.Run();
  EXPECT_EQ(pass_sizes, (std::vector<size_t>{4, 4, 2}));
  for (const Job& job : jobs) EXPECT_EQ(job.passes, 1);
}

}  // namespace
}  // namespace kindred
