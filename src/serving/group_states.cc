#include "serving/group_states.h"

namespace kindred {

GroupStates::GroupStates(Loader loader) : loader_(std::move(loader)) {}

Result<std::shared_ptr<GroupStates::Locked>> GroupStates::Current(const std::string& group) {
  std::unique_lock<std::mutex> lock(mu_);
  Slot& slot = slots_[group];
  for (;;) {
    if (slot.current && (!slot.stale || slot.loading)) return slot.current;
    if (!slot.loading) break;
    loaded_.wait(lock);  // the first load of the group runs on another thread
  }
  slot.loading = true;
  slot.stale = false;
  slot.pending.clear();
  lock.unlock();

  std::unordered_set<uint64_t> seen;
  Result<std::unique_ptr<GroupState>> built = loader_(group, &seen);

  lock.lock();
  Slot& after = slots_[group];  // Drop never erases a slot that is loading
  after.loading = false;
  loaded_.notify_all();
  if (!built.ok()) {
    after.stale = true;
    return built.status();
  }
  for (const Pending& p : after.pending) {
    if (p.count == 0 || !seen.contains(p.first_seq)) p.change(**built);
  }
  after.pending.clear();
  after.current = std::make_shared<Locked>(std::move(built).value());
  return after.current;
}

Status GroupStates::Read(const std::string& group,
                         const std::function<Status(const GroupState&)>& read) {
  Result<std::shared_ptr<Locked>> current = Current(group);
  if (!current.ok()) return current.status();
  std::shared_lock<std::shared_mutex> lock((*current)->mu);
  return read(*(*current)->state);
}

void GroupStates::Apply(const std::string& group, uint64_t first_seq, uint64_t count,
                        const std::function<void(GroupState&)>& change) {
  std::shared_ptr<Locked> current;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = slots_.find(group);
    if (it == slots_.end()) return;
    if (it->second.loading) it->second.pending.push_back({first_seq, count, change});
    current = it->second.current;
  }
  if (!current) return;
  std::unique_lock<std::shared_mutex> lock(current->mu);
  change(*current->state);
}

void GroupStates::Invalidate(const std::string& group) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = slots_.find(group);
  if (it != slots_.end()) it->second.stale = true;
}

void GroupStates::Drop(const std::string& group) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = slots_.find(group);
  if (it == slots_.end()) return;
  if (it->second.loading) {  // the running load keeps its slot; the next Read loads again
    it->second.current.reset();
    it->second.stale = true;
    return;
  }
  slots_.erase(it);
}

}  // namespace kindred
