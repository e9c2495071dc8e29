#include "common/fiber_batch.h"

#include <boost/context/fiber.hpp>
#include <boost/context/preallocated.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>
#include <stdexcept>
#include <utility>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

namespace kindred {
namespace {

namespace bctx = boost::context;

thread_local FiberBatch* t_current = nullptr;

// Stacks of finished tasks, kept for the thread's next tasks: mapping a stack and its guard page
// costs system calls and page faults that a request should not pay.
class StackPool {
 public:
  static constexpr size_t kMaxKept = 256;
  ~StackPool() {
    for (bctx::stack_context& s : kept_) Allocator().deallocate(s);
  }
  bctx::stack_context Take() {
    if (kept_.empty()) return Allocator().allocate();
    bctx::stack_context s = kept_.back();
    kept_.pop_back();
    return s;
  }
  void Give(bctx::stack_context& s) noexcept {
    if (kept_.size() < kMaxKept) {
      kept_.push_back(s);  // capacity reserved, so this does not allocate
    } else {
      Allocator().deallocate(s);
    }
  }
  StackPool() { kept_.reserve(kMaxKept); }

 private:
  static bctx::protected_fixedsize_stack Allocator() {
    return bctx::protected_fixedsize_stack(FiberBatch::kStackBytes);
  }
  std::vector<bctx::stack_context> kept_;
};

thread_local StackPool t_stacks;

// Boost.Context's StackAllocator over this thread's pool.
struct PooledStack {
  bctx::stack_context allocate() { return t_stacks.Take(); }
  void deallocate(bctx::stack_context& s) noexcept { t_stacks.Give(s); }
};

// AddressSanitizer must be told about every switch between stacks (a no-op otherwise): before
// it, the stack switched to (and where to keep the current one's fake stack, null when the
// current task has ended); after it, on the new stack.
void StartSwitch(void** fake_stack, const void* bottom, size_t size) {
#if defined(__SANITIZE_ADDRESS__)
  __sanitizer_start_switch_fiber(fake_stack, bottom, size);
#endif
}
void FinishSwitch(void* fake_stack, const void** from_bottom, size_t* from_size) {
#if defined(__SANITIZE_ADDRESS__)
  __sanitizer_finish_switch_fiber(fake_stack, from_bottom, from_size);
#endif
}

}  // namespace

struct FiberBatch::Task {
  std::function<void()> fn;
  bctx::fiber self;       // the task while it is suspended; empty once it has finished
  bctx::fiber scheduler;  // Run's context, while the task runs
  const void* stack_bottom = nullptr;  // the task's stack, for AddressSanitizer
  size_t stack_size = 0;
  void* fake_stack = nullptr;       // AddressSanitizer's, while the task is suspended
  const void* run_bottom = nullptr;  // Run's stack, learnt when switching in
  size_t run_size = 0;
};

FiberBatch::FiberBatch() = default;
FiberBatch::~FiberBatch() = default;

FiberBatch* FiberBatch::Current() { return t_current; }

void FiberBatch::Add(std::function<void()> fn) {
  auto task = std::make_unique<Task>();
  Task* t = task.get();
  t->fn = std::move(fn);
  bctx::stack_context stack = t_stacks.Take();
  t->stack_bottom = static_cast<char*>(stack.sp) - stack.size;
  t->stack_size = stack.size;
  const bctx::preallocated where(stack.sp, stack.size, stack);
  auto entry = [this, t](bctx::fiber&& scheduler) {
    FinishSwitch(nullptr, &t->run_bottom, &t->run_size);
    t->scheduler = std::move(scheduler);
    try {
      t->fn();
    } catch (const bctx::detail::forced_unwind&) {
      throw;  // the task is being destroyed while parked: Boost.Context unwinds its stack
    } catch (...) {
      if (!error_) error_ = std::current_exception();
    }
    StartSwitch(nullptr, t->run_bottom, t->run_size);  // the task's stack is done with
    return std::move(t->scheduler);
  };
  t->self = bctx::fiber(std::allocator_arg, where, PooledStack(), std::move(entry));
  tasks_.push_back(std::move(task));
}

void FiberBatch::Resume(Task& task) {
  running_ = &task;
  t_current = this;
  void* fake_stack = nullptr;
  StartSwitch(&fake_stack, task.stack_bottom, task.stack_size);
  task.self = std::move(task.self).resume();  // returns when the task parks or ends
  FinishSwitch(fake_stack, nullptr, nullptr);
  t_current = nullptr;
  running_ = nullptr;
}

void FiberBatch::Run() {
  if (t_current != nullptr) throw std::logic_error("FiberBatch::Run called inside a task");
  std::vector<Task*> ready;
  ready.reserve(tasks_.size());
  for (const std::unique_ptr<Task>& t : tasks_) ready.push_back(t.get());
  while (!ready.empty()) {
    for (Task* t : ready) Resume(*t);
    ready.clear();
    std::vector<Gathering> gathered;
    gathered.swap(gatherings_);
    for (Gathering& g : gathered) {
      g.thunk(g.flush, g.items);
      ready.insert(ready.end(), g.tasks.begin(), g.tasks.end());
    }
  }
  tasks_.clear();
  if (std::exception_ptr e = std::exchange(error_, nullptr)) std::rethrow_exception(e);
}

void FiberBatch::Park(const void* key, void* item, const void* flush, FlushThunk thunk) {
  Task* t = running_;
  if (t == nullptr || t_current != this) {
    throw std::logic_error("FiberBatch::Gather called outside a task of its batch");
  }
  Gathering* g = nullptr;
  for (Gathering& x : gatherings_) {
    if (x.key == key) g = &x;
  }
  if (g == nullptr) g = &gatherings_.emplace_back(Gathering{key, flush, thunk, {}, {}});
  g->items.push_back(item);
  g->tasks.push_back(t);
  StartSwitch(&t->fake_stack, t->run_bottom, t->run_size);
  t->scheduler = std::move(t->scheduler).resume();  // back to Run until the flush has run
  FinishSwitch(t->fake_stack, &t->run_bottom, &t->run_size);
}

}  // namespace kindred
