// FiberBatch: runs a batch of tasks on the calling thread, each on a stack of its own, switching
// between them only where a task calls Gather(). Tasks that each reach the same costly step (a
// scan of a catalogue for their own query) have it done once for all of them, with no second
// thread, no lock and no system call.
//
//   FiberBatch batch;
//   for (Request& r : requests) batch.Add([&r] { r.response = Handle(r); });
//   batch.Run();  // returns once every task has finished
//
//   // deep inside a task:
//   if (FiberBatch* b = FiberBatch::Current()) b->Gather(this, &job, flush);  // parks
//   else { void* one[] = {&job}; flush(one); }
//
// Gather(key, item, flush) parks the calling task. When no task of the batch can run (each has
// finished or is parked), Run calls, for every key with parked tasks (in the order the keys were
// first gathered on since the last flushes), the flush passed by the first task parked under it
// with the items of all of them (in the order they parked), then resumes those tasks in that
// order. Flushes run on Run's own stack, one after another.
//
// Rules for tasks: never Gather while holding a lock that another task of the batch may take
// (the thread would wait on itself); a flush must not throw. An exception escaping a task is
// kept, and Run rethrows the first one once every task has finished. Each task runs on a stack of
// kStackBytes with a guard page below it, like a thread's (stacks are reused by later batches of
// the same thread).
//
// Thread-safety: a FiberBatch is built, run and gathered on by one thread; Current() is that of
// the calling thread. Batches do not nest: Run from inside a task throws std::logic_error.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace kindred {

class FiberBatch {
 public:
  static constexpr size_t kStackBytes = 8 << 20;

  FiberBatch();
  ~FiberBatch();
  FiberBatch(const FiberBatch&) = delete;
  FiberBatch& operator=(const FiberBatch&) = delete;

  // The batch whose task is running on this thread, or null outside any task.
  static FiberBatch* Current();

  // Adds a task; it first runs in Run, in the order added. Not from inside a task of this batch.
  void Add(std::function<void()> task);

  // Runs every task to its end (see above). Rethrows the first exception a task let escape.
  void Run();

  // Parks the calling task until a flush for `key` has run with `item` among its items (see
  // above). `flush` is called as flush(std::span<void* const>) and must stay valid until then (a
  // parked task's stack does). std::logic_error outside a task of this batch.
  template <typename Flush>
  void Gather(const void* key, void* item, const Flush& flush) {
    Park(key, item, &flush, [](const void* f, std::span<void* const> items) {
      (*static_cast<const Flush*>(f))(items);
    });
  }

 private:
  struct Task;
  using FlushThunk = void (*)(const void* flush, std::span<void* const> items);
  void Park(const void* key, void* item, const void* flush, FlushThunk thunk);
  void Resume(Task& task);

  struct Gathering {
    const void* key;
    const void* flush;
    FlushThunk thunk;
    std::vector<void*> items;
    std::vector<Task*> tasks;
  };
  std::vector<std::unique_ptr<Task>> tasks_;
  std::vector<Gathering> gatherings_;
  Task* running_ = nullptr;
  std::exception_ptr error_;
};

}  // namespace kindred
