// SyncTogether(store): makes every write to `store` so far durable, as store.Sync() does, with
// one Sync shared by the tasks of a FiberBatch (common/fiber_batch.h) that call it together:
// inside a task it gathers, and the batch's flush syncs once for all of them and hands each the
// result. Outside a batch it is store.Sync().
//
//   store.Write(batch, /*durable=*/FiberBatch::Current() == nullptr);  // under the writer's lock
//   ... release the lock (a task must not gather holding one) ...
//   if (FiberBatch::Current()) KINDRED_RETURN_IF_ERROR(SyncTogether(store));
//
// A reader may see such a write before it is synced; one that answers as if the write were
// durable (e.g. a retry found to be a duplicate) must SyncTogether before answering too.
// Thread-safety: as KvStore::Sync.
#pragma once

#include "common/status.h"
#include "storage/kv_store.h"

namespace kindred {

[[nodiscard]] Status SyncTogether(KvStore& store);

}  // namespace kindred
