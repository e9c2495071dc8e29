// SharedPasses: concurrent callers that each need one pass over the same data (a scan of a
// catalogue for their own query) get one pass for several of them.
//
//   SharedPasses<Job, /*kMaxBatch=*/4> passes(/*max_passes=*/2);
//   passes.Run(&my_job, [&](std::span<Job* const> batch) { ScanFor(batch); });  // blocks
//
// A caller that finds fewer than `max_passes` passes under way runs one at once, for its own job
// and up to kMaxBatch - 1 jobs that are waiting (the oldest first); otherwise it waits. When a
// pass ends, the jobs it ran are released, and the oldest waiting job's caller, if any, is woken
// to run the next pass. So a lone caller never waits, at most `max_passes` threads run passes,
// each waiting caller is woken exactly once, and under load each pass serves several jobs: when
// a pass costs mostly the reading of the data, that is the gain.
//
// Inside a FiberBatch task (common/fiber_batch.h) Run instead gathers: the jobs of the batch's
// tasks are run together, kMaxBatch per pass, once none of its tasks can go on, on the batch's
// own thread and without the other threads' passes. So with batches, one thread alone fills its
// passes, and nothing waits or wakes.
//
// Thread-safety: Run may be called from any number of threads at once; `pass` runs on the
// calling thread or on another caller's, never on two threads for the same job.
#pragma once

#include <algorithm>
#include <array>
#include <deque>
#include <mutex>
#include <semaphore>
#include <span>

#include "common/fiber_batch.h"

namespace kindred {

template <typename Job, size_t kMaxBatch>
class SharedPasses {
  static_assert(kMaxBatch >= 1);

 public:
  explicit SharedPasses(int max_passes) : max_passes_(std::max(1, max_passes)) {}

  // Returns once `pass` has run with a batch holding `job` (on this thread or another). `pass`
  // must not throw: the callers waiting on its batch would never be released.
  template <typename Pass>
  void Run(Job* job, const Pass& pass) {
    if (FiberBatch* fibers = FiberBatch::Current()) {
      fibers->Gather(this, job, [&pass](std::span<void* const> items) {
        std::array<Job*, kMaxBatch> jobs;
        for (size_t first = 0; first < items.size(); first += kMaxBatch) {
          const size_t size = std::min(kMaxBatch, items.size() - first);
          for (size_t i = 0; i < size; ++i) jobs[i] = static_cast<Job*>(items[first + i]);
          pass(std::span<Job* const>(jobs.data(), size));
        }
      });
      return;
    }
    Waiter me{job};
    std::unique_lock<std::mutex> lock(mu_);
    if (running_ < max_passes_) {
      ++running_;
    } else {
      waiting_.push_back(&me);
      lock.unlock();
      me.woken.acquire();
      if (me.done) return;
      lock.lock();  // chosen to run the next pass; running_ already counts it
    }
    std::array<Waiter*, kMaxBatch> batch{&me};
    std::array<Job*, kMaxBatch> jobs{job};
    size_t size = 1;
    while (size < kMaxBatch && !waiting_.empty()) {
      batch[size] = waiting_.front();
      jobs[size++] = waiting_.front()->job;
      waiting_.pop_front();
    }
    lock.unlock();
    pass(std::span<Job* const>(jobs.data(), size));
    lock.lock();
    for (size_t i = 1; i < size; ++i) {
      batch[i]->done = true;
      batch[i]->woken.release();
    }
    if (waiting_.empty()) {
      --running_;
      return;
    }
    // Hands the pass over to the oldest waiting caller (running_ stays: the pass is now its).
    Waiter* next = waiting_.front();
    waiting_.pop_front();
    next->woken.release();
  }

 private:
  struct Waiter {
    Job* job;
    bool done = false;  // written before `woken` is released
    std::binary_semaphore woken{0};
  };

  const int max_passes_;
  std::mutex mu_;
  int running_ = 0;  // passes under way, or handed over and about to start
  std::deque<Waiter*> waiting_;
};

}  // namespace kindred
