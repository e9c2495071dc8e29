#include "common/fiber_batch.h"

#include <boost/context/fiber.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>
#include <stdexcept>
#include <utility>

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

}  // namespace

struct FiberBatch::Task {
  std::function<void()> fn;
  bctx::fiber self;       // the task while it is suspended; empty once it has finished
  bctx::fiber scheduler;  // Run's context, while the task runs
};

FiberBatch::FiberBatch() = default;
FiberBatch::~FiberBatch() = default;

FiberBatch* FiberBatch::Current() { return t_current; }

void FiberBatch::Add(std::function<void()> fn) {
  auto task = std::make_unique<Task>();
  Task* t = task.get();
  t->fn = std::move(fn);
  t->self = bctx::fiber(std::allocator_arg, PooledStack(), [this, t](bctx::fiber&& scheduler) {
    t->scheduler = std::move(scheduler);
    try {
      t->fn();
    } catch (const bctx::detail::forced_unwind&) {
      throw;  // the task is being destroyed while parked: Boost.Context unwinds its stack
    } catch (...) {
      if (!error_) error_ = std::current_exception();
    }
    return std::move(t->scheduler);
  });
  tasks_.push_back(std::move(task));
}

void FiberBatch::Resume(Task& task) {
  running_ = &task;
  t_current = this;
  task.self = std::move(task.self).resume();  // returns when the task parks or ends
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
  t->scheduler = std::move(t->scheduler).resume();  // back to Run until the flush has run
}

}  // namespace kindred
