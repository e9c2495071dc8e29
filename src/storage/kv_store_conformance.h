// The KvStore conformance suite: the behaviour every storage backend must show.
//
// A backend's test file instantiates it with a factory that opens a fresh, empty store:
//
//   INSTANTIATE_TEST_SUITE_P(RocksDb, KvStoreConformance,
//                            ::testing::Values(KvStoreFactory{"rocksdb", &OpenFreshRocks}));
//
// The factory's `reopen` flag asks for the same store again (after the previous one was
// destroyed), which is how the suite checks that acknowledged writes persist.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "storage/kv_store.h"

namespace kindred {

struct KvStoreFactory {
  std::string name;
  // Opens a store for the test case `test_id`. reopen=false: fresh and empty;
  // reopen=true: the store last opened for that test_id, with its contents.
  std::function<std::unique_ptr<KvStore>(const std::string& test_id, bool reopen)> open;
};

inline std::ostream& operator<<(std::ostream& os, const KvStoreFactory& f) { return os << f.name; }

class KvStoreConformance : public ::testing::TestWithParam<KvStoreFactory> {
 protected:
  std::unique_ptr<KvStore> Open(bool reopen = false);
};

}  // namespace kindred
