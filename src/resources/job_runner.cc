#include "resources/job_runner.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace kindred {

JobRunner::JobRunner(std::string name, size_t workers) : name_(std::move(name)) {
  if (workers == 0) workers = 1;
  for (size_t i = 0; i < workers; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

JobRunner::~JobRunner() { Shutdown(); }

bool JobRunner::Submit(std::function<void()> job, std::chrono::milliseconds delay) {
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return false;
    queue_.emplace(Clock::now() + delay, std::move(job));
  }
  cv_.notify_all();  // a sooner job may have to wake a worker waiting for a later one
  return true;
}

void JobRunner::Drain() {
  std::unique_lock lock(mu_);
  idle_cv_.wait(lock, [&] { return queue_.empty() && running_ == 0; });
}

void JobRunner::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return;
    shut_down_ = true;
    stop_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  for (auto& t : workers_) {
    if (t.joinable()) t.join();
  }
}

void JobRunner::WorkerLoop() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mu_);
      for (;;) {
        if (shut_down_) return;  // Shutdown() cleared the queue
        if (queue_.empty()) {
          cv_.wait(lock);
        } else if (Clock::time_point next = queue_.begin()->first; next > Clock::now()) {
          // A copy: the queue's node may be erased (Shutdown) while this thread waits.
          cv_.wait_until(lock, next);
        } else {
          break;
        }
      }
      job = std::move(queue_.begin()->second);
      queue_.erase(queue_.begin());
      ++running_;
    }
    try {
      job();
    } catch (const std::exception& e) {
      spdlog::error("{} job failed with an exception: {}", name_, e.what());
    } catch (...) {
      spdlog::error("{} job failed with an unknown exception", name_);
    }
    {
      std::lock_guard lock(mu_);
      --running_;
    }
    idle_cv_.notify_all();
  }
}

}  // namespace kindred
