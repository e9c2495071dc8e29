#include "common/fiber_batch.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace kindred {
namespace {

TEST(FiberBatchTest, RunsEveryTaskInTheOrderAdded) {
  std::vector<int> order;
  FiberBatch batch;
  for (int i = 0; i < 5; ++i) batch.Add([&order, i] { order.push_back(i); });
  batch.Run();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(FiberBatchTest, OneFlushServesEveryTaskGatheredUnderAKey) {
  std::vector<std::string> log;
  std::vector<int> results(4, -1);
  int flushes = 0;
  FiberBatch batch;
  for (int i = 0; i < 4; ++i) {
    batch.Add([&, i] {
      log.push_back("start " + std::to_string(i));
      int job = i;
      // The flush doubles each job and writes it where its task reads it after resuming.
      auto flush = [&](std::span<void* const> items) {
        ++flushes;
        log.push_back("flush of " + std::to_string(items.size()));
        for (void* item : items) *static_cast<int*>(item) *= 2;
      };
      FiberBatch::Current()->Gather(&results, &job, flush);
      results[i] = job;
      log.push_back("end " + std::to_string(i));
    });
  }
  batch.Run();
  EXPECT_EQ(flushes, 1);
  EXPECT_EQ(results, (std::vector<int>{0, 2, 4, 6}));
  EXPECT_EQ(log, (std::vector<std::string>{"start 0", "start 1", "start 2", "start 3",
                                           "flush of 4", "end 0", "end 1", "end 2", "end 3"}));
}

TEST(FiberBatchTest, EachKeyGetsItsOwnFlushInTheOrderKeysWereFirstUsed) {
  int key_a = 0;
  int key_b = 0;
  std::vector<std::string> flushed;
  auto flush_of = [&flushed](std::string name) {
    return [&flushed, name](std::span<void* const> items) {
      std::string s = name + ":";
      for (void* item : items) s += " " + std::to_string(*static_cast<int*>(item));
      flushed.push_back(s);
    };
  };
  FiberBatch batch;
  for (int i = 0; i < 5; ++i) {
    batch.Add([&, i] {
      int item = i;
      if (i % 2 == 1) {
        FiberBatch::Current()->Gather(&key_b, &item, flush_of("b"));
      } else {
        FiberBatch::Current()->Gather(&key_a, &item, flush_of("a"));
      }
    });
  }
  batch.Run();
  EXPECT_EQ(flushed, (std::vector<std::string>{"a: 0 2 4", "b: 1 3"}));
}

TEST(FiberBatchTest, TasksThatGatherAgainGetFurtherRoundsAndOthersFinishMeanwhile) {
  std::vector<size_t> flush_sizes;
  auto flush = [&](std::span<void* const> items) { flush_sizes.push_back(items.size()); };
  int key = 0;
  int finished = 0;
  FiberBatch batch;
  for (int rounds : {0, 1, 3, 2}) {
    batch.Add([&, rounds] {
      for (int r = 0; r < rounds; ++r) FiberBatch::Current()->Gather(&key, &key, flush);
      ++finished;
    });
  }
  batch.Run();
  EXPECT_EQ(finished, 4);
  EXPECT_EQ(flush_sizes, (std::vector<size_t>{3, 2, 1}));
}

TEST(FiberBatchTest, CurrentIsTheBatchOnlyInsideItsTasks) {
  FiberBatch batch;
  EXPECT_EQ(FiberBatch::Current(), nullptr);
  FiberBatch* inside = nullptr;
  FiberBatch* in_flush = &batch;
  int key = 0;
  batch.Add([&] {
    inside = FiberBatch::Current();
    auto flush = [&](std::span<void* const>) { in_flush = FiberBatch::Current(); };
    FiberBatch::Current()->Gather(&key, &key, flush);
  });
  batch.Run();
  EXPECT_EQ(inside, &batch);
  EXPECT_EQ(in_flush, nullptr);
  EXPECT_EQ(FiberBatch::Current(), nullptr);
}

TEST(FiberBatchTest, AThrowingTaskLetsTheOthersFinishAndRunRethrows) {
  int finished = 0;
  int key = 0;
  auto flush = [](std::span<void* const>) {};
  FiberBatch batch;
  batch.Add([&] {
    FiberBatch::Current()->Gather(&key, &key, flush);
    ++finished;
  });
  batch.Add([] { throw std::runtime_error("task failed"); });
  batch.Add([&] { ++finished; });
  try {
    batch.Run();
    FAIL() << "Run did not rethrow";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "task failed");
  }
  EXPECT_EQ(finished, 2);
  // The batch is empty again and can be reused.
  batch.Add([&] { ++finished; });
  batch.Run();
  EXPECT_EQ(finished, 3);
}

TEST(FiberBatchTest, GatherOutsideATaskAndNestedRunsAreRefused) {
  FiberBatch batch;
  int key = 0;
  auto flush = [](std::span<void* const>) {};
  EXPECT_THROW(batch.Gather(&key, &key, flush), std::logic_error);
  bool refused = false;
  batch.Add([&] {
    FiberBatch inner;
    try {
      inner.Run();
    } catch (const std::logic_error&) {
      refused = true;
    }
  });
  batch.Run();
  EXPECT_TRUE(refused);
}

// A task's stack holds as much as a thread's usually does: 4 MiB of frames here.
int Deep(int depth) {
  volatile char frame[4096];
  frame[0] = static_cast<char>(depth);
  if (depth == 0) return frame[0];
  return Deep(depth - 1) + frame[0] - frame[0] + 1;
}

TEST(FiberBatchTest, TasksHaveRoomForDeepCalls) {
  int result = -1;
  FiberBatch batch;
  batch.Add([&] { result = Deep(1024); });
  batch.Run();
  EXPECT_EQ(result, 1024);
}

}  // namespace
}  // namespace kindred
