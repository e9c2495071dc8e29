#include "storage/sync_together.h"

#include <span>

#include "common/fiber_batch.h"

namespace kindred {

Status SyncTogether(KvStore& store) {
  FiberBatch* batch = FiberBatch::Current();
  if (batch == nullptr) return store.Sync();
  Status result = Status::Internal("the shared sync did not run");
  batch->Gather(&store, &result, [&store](std::span<void* const> results) {
    const Status synced = store.Sync();
    for (void* r : results) *static_cast<Status*>(r) = synced;
  });
  return result;
}

}  // namespace kindred
