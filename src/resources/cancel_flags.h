// CancelFlags: one cancellation flag per running long job (a training), by resource ARN, so a
// request handler can ask a job on a worker thread to stop (StopSolutionVersionCreation).
//
//   auto flag = flags.Register(arn);   // the job, before it starts working
//   ... Train(data, params, {.cancel = flag.get()}) ...
//   flags.Unregister(arn);             // the job, when done
//   flags.Cancel(arn);                 // a handler, from any thread
//
// After CancelAll() (server shutdown) every registered and every later-registered flag is set.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace kindred {

class CancelFlags {
 public:
  std::shared_ptr<std::atomic<bool>> Register(const std::string& arn) {
    std::lock_guard lock(mu_);
    auto flag = std::make_shared<std::atomic<bool>>(all_cancelled_);
    flags_[arn] = flag;
    return flag;
  }
  void Unregister(const std::string& arn) {
    std::lock_guard lock(mu_);
    flags_.erase(arn);
  }
  // Sets the flag of `arn`; false when no job with that ARN is registered.
  bool Cancel(const std::string& arn) {
    std::lock_guard lock(mu_);
    auto it = flags_.find(arn);
    if (it == flags_.end()) return false;
    *it->second = true;
    return true;
  }
  void CancelAll() {
    std::lock_guard lock(mu_);
    all_cancelled_ = true;
    for (auto& [arn, flag] : flags_) *flag = true;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<std::atomic<bool>>> flags_;  // GUARDED_BY(mu_)
  bool all_cancelled_ = false;                                       // GUARDED_BY(mu_)
};

}  // namespace kindred
