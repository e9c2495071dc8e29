// Reused<T>: a T lent from the calling thread's own stock for the Reused's lifetime, then kept
// for the thread's next borrower, so that buffers grown to one request's needs serve the next
// request without being allocated again. Unlike a single thread_local T, every borrower holds a
// T of its own, also when one thread interleaves several requests (FiberBatch's tasks).
//
//   Reused<Buffers> b;  // a default-constructed Buffers the first time, a used one later
//   b->scores.resize(n);
//
// The stock keeps every T ever lent on the thread: as many as it had borrowers at once, at most.
// Thread-safety: a Reused must be destroyed on the thread that created it.
#pragma once

#include <memory>
#include <utility>
#include <vector>

namespace kindred {

template <typename T>
class Reused {
 public:
  Reused() {
    std::vector<std::unique_ptr<T>>& stock = Stock();
    if (stock.empty()) {
      t_ = std::make_unique<T>();
    } else {
      t_ = std::move(stock.back());
      stock.pop_back();
    }
  }
  ~Reused() { Stock().push_back(std::move(t_)); }
  Reused(const Reused&) = delete;
  Reused& operator=(const Reused&) = delete;

  T& operator*() const { return *t_; }
  T* operator->() const { return t_.get(); }

 private:
  static std::vector<std::unique_ptr<T>>& Stock() {
    thread_local std::vector<std::unique_ptr<T>> stock;
    return stock;
  }
  std::unique_ptr<T> t_;
};

}  // namespace kindred
