// SharedPasses: concurrent callers that each need one pass over the same data (a scan of a
// catalogue for their own query) get one pass for several of them.
//
//   SharedPasses<Job> passes(/*max_passes=*/2, /*max_batch=*/4);
//   passes.Run(&my_job, [&](std::span<Job* const> batch) { ScanFor(batch); });  // blocks
//
// A caller that finds fewer than `max_passes` passes under way runs one at once, for its own job
// and up to max_batch - 1 jobs that are waiting (the oldest first); otherwise it waits. When a
// pass ends, the jobs it ran are released, and the oldest waiting job's caller, if any, is woken
// to run the next pass. So a lone caller never waits, at most `max_passes` threads run passes,
// each waiting caller is woken exactly once, and under load each pass serves several jobs: when
// a pass costs mostly the reading of the data, that is the gain.
//
// Thread-safety: Run may be called from any number of threads at once; `pass` runs on the
// calling thread or on another caller's, never on two threads for the same job.
#pragma once

#include <algorithm>
#include <deque>
#include <mutex>
#include <semaphore>
#include <span>
#include <vector>

namespace kindred {

template <typename Job>
class SharedPasses {
 public:
  SharedPasses(int max_passes, int max_batch)
      : max_passes_(std::max(1, max_passes)), max_batch_(std::max(1, max_batch)) {}

  // Returns once `pass` has run with a batch holding `job` (on this thread or another).
  template <typename Pass>
  void Run(Job* job, const Pass& pass) {
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
    std::vector<Waiter*> batch = {&me};
    while (static_cast<int>(batch.size()) < max_batch_ && !waiting_.empty()) {
      batch.push_back(waiting_.front());
      waiting_.pop_front();
    }
    lock.unlock();
    std::vector<Job*> jobs;
    for (Waiter* w : batch) jobs.push_back(w->job);
    pass(std::span<Job* const>(jobs));
    lock.lock();
    for (size_t i = 1; i < batch.size(); ++i) {
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
  const int max_batch_;
  std::mutex mu_;
  int running_ = 0;  // passes under way, or handed over and about to start
  std::deque<Waiter*> waiting_;
};

}  // namespace kindred
