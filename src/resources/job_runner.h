// JobRunner: a fixed pool of worker threads that runs background work (resource lifecycle
// transitions, imports, later training) so that request handlers never block on it.
//
// Jobs run in order of their start time (submission order among equal times), at most
// `workers` at a time; a delayed job waits without holding a worker. Shutdown() stops accepting jobs,
// raises the stop flag that long jobs poll (StopRequested / stop_flag) and joins the workers;
// jobs still queued are dropped, and recovery at the next start deals with their resources.
//
// Thread-safety: Submit, StopRequested and Shutdown may be called from any thread; a job must
// not call Shutdown on its own runner.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kindred {

class JobRunner {
 public:
  JobRunner(std::string name, size_t workers);
  ~JobRunner();  // calls Shutdown()

  // Queues `job` to start once `delay` has passed; returns false (and drops it) after
  // Shutdown() began.
  bool Submit(std::function<void()> job,
              std::chrono::milliseconds delay = std::chrono::milliseconds(0));

  bool StopRequested() const { return stop_.load(); }
  // The flag long-running jobs poll to give up early when the server stops.
  const std::atomic<bool>* stop_flag() const { return &stop_; }

  // Blocks until every queued and running job has finished (tests and orderly shutdown).
  void Drain();
  void Shutdown();

 private:
  void WorkerLoop();

  std::string name_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable idle_cv_;
  using Clock = std::chrono::steady_clock;
  std::multimap<Clock::time_point, std::function<void()>> queue_;  // GUARDED_BY(mu_)
  size_t running_ = 0;                       // GUARDED_BY(mu_)
  bool shut_down_ = false;                   // GUARDED_BY(mu_)
  std::vector<std::thread> workers_;
};

}  // namespace kindred
