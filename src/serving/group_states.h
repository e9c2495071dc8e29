// GroupStates: the GroupState of every dataset group that serving has touched, loaded lazily
// from the stored datasets and kept current by the changes the events API applies.
//
// Exactly-once: a put first writes its rows durably as live rows (DatasetStore::AppendLive),
// then calls Apply with their live sequence numbers. A load scans the datasets and reports the
// live sequence numbers it saw; changes applied while it ran are replayed on the new state
// unless the scan already saw them. So every accepted change is in the state once, whatever
// the interleaving, and a reload (after an import: Invalidate) loses nothing.
//
//   GroupStates states([&](const std::string& group, std::unordered_set<uint64_t>* seen) {
//     return BuildFromDatasets(group, seen);
//   });
//   states.Read(group, [&](const GroupState& s) { ...; return Status::Ok(); });
//   states.Apply(group, first_seq, rows, [&](GroupState& s) { s.AddEvent(...); });
//
// Thread-safety: every method may be called from any thread. Read callbacks of one group run
// concurrently with each other (shared lock) and never with Apply's changes (exclusive lock).
// The loader runs on the thread of the Read that needs it, without any lock held.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/status.h"
#include "serving/group_state.h"

namespace kindred {

class GroupStates {
 public:
  // Builds a group's state from storage, adding to `seen` the live sequence number of every
  // live row it read.
  using Loader = std::function<Result<std::unique_ptr<GroupState>>(
      const std::string& group, std::unordered_set<uint64_t>* seen)>;

  explicit GroupStates(Loader loader);

  // Runs `read` with shared access to the group's current state, loading it first when there
  // is none or it was invalidated (a Read during a reload uses the previous state).
  Status Read(const std::string& group, const std::function<Status(const GroupState&)>& read);

  // Applies `change` for rows stored with live sequence numbers [first_seq, first_seq + count)
  // (count 0: a change with no stored rows, e.g. impressions of a schema without an IMPRESSION
  // field, which a reload does not bring back). Does nothing for a group never loaded: its
  // first load reads the rows from storage.
  void Apply(const std::string& group, uint64_t first_seq, uint64_t count,
             const std::function<void(GroupState&)>& change);

  // The next Read reloads the group (an import changed its datasets).
  void Invalidate(const std::string& group);
  // Forgets the group (it was deleted).
  void Drop(const std::string& group);

 private:
  struct Locked {
    explicit Locked(std::unique_ptr<GroupState> s) : state(std::move(s)) {}
    std::unique_ptr<GroupState> state;
    std::shared_mutex mu;
  };
  struct Pending {
    uint64_t first_seq;
    uint64_t count;
    std::function<void(GroupState&)> change;
  };
  struct Slot {
    std::shared_ptr<Locked> current;
    bool stale = false;
    bool loading = false;
    std::vector<Pending> pending;  // changes applied while loading
  };

  // The group's current state, loading it when needed; nullptr with an error from the loader.
  Result<std::shared_ptr<Locked>> Current(const std::string& group);

  Loader loader_;
  std::mutex mu_;
  std::condition_variable loaded_;
  std::map<std::string, Slot> slots_;  // GUARDED_BY(mu_)
};

}  // namespace kindred
