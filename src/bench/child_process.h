// RunInChild: runs one benchmark measurement in a forked child process, so that its peak memory
// is its own (not the driver's, nor an earlier measurement's) and whatever it leaves behind —
// heap, RocksDB threads, caches — dies with it.
//
// The child runs `work` and sends its JSON result back through a pipe; the parent waits for it
// and adds what the kernel measured: the child's peak resident memory (ru_maxrss, which includes
// the few MB of the driver's pages the child starts with) and CPU times.
//
//   Result<ChildOutcome> out = RunInChild([&]() -> Result<nlohmann::json> {
//     return nlohmann::json{{"rows", Import()}};
//   });
//
// Must be called from a single-threaded process (the benchmark driver never starts threads
// itself; every threaded component runs inside children), as fork() copies only the calling
// thread. `work`'s error Status comes back with its code and message; a child that crashes or
// exits without a result is kInternal naming its exit status or signal.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>

#include "common/status.h"

namespace kindred {

struct ChildOutcome {
  nlohmann::json result;
  int64_t peak_resident_bytes = 0;  // the child's ru_maxrss
  double user_seconds = 0, system_seconds = 0;
};

Result<ChildOutcome> RunInChild(const std::function<Result<nlohmann::json>()>& work);

}  // namespace kindred
