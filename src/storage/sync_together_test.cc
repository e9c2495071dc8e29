#include "storage/sync_together.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/fiber_batch.h"

namespace kindred {
namespace {

// Counts its writes and syncs, and fails the syncs on demand; keeps nothing.
class CountingStore : public KvStore {
 public:
  Result<std::optional<std::string>> Get(std::string_view) override {
    return std::optional<std::string>();
  }
  Status Write(const WriteBatch& batch, bool durable) override {
    writes += static_cast<int>(batch.ops().size());
    return durable ? Sync() : Status::Ok();
  }
  Status Scan(std::string_view, const Visitor&, std::string_view) override { return Status::Ok(); }
  Status Sync() override {
    ++syncs;
    return fail ? Status::IoError("disk full") : Status::Ok();
  }

  int writes = 0;
  int syncs = 0;
  bool fail = false;
};

TEST(SyncTogetherTest, OutsideABatchItSyncsAtOnce) {
  CountingStore store;
  EXPECT_TRUE(SyncTogether(store).ok());
  EXPECT_EQ(store.syncs, 1);
}

TEST(SyncTogetherTest, TheTasksOfABatchShareOneSyncAndItsResult) {
  for (bool fail : {false, true}) {
    CountingStore store;
    store.fail = fail;
    std::vector<Status> results(5, Status::Internal("not run"));
    FiberBatch batch;
    for (int i = 0; i < 5; ++i) {
      batch.Add([&, i] {
        WriteBatch b;
        b.Put("k" + std::to_string(i), "v");
        ASSERT_TRUE(store.Write(b, /*durable=*/false).ok());
        EXPECT_EQ(store.syncs, 0);  // no sync before every task has written
        results[i] = SyncTogether(store);
      });
    }
    batch.Run();
    EXPECT_EQ(store.writes, 5);
    EXPECT_EQ(store.syncs, 1);
    for (const Status& s : results) {
      EXPECT_EQ(s.ok(), !fail) << s.message();
      if (fail) EXPECT_EQ(s.code(), StatusCode::kIoError);
    }
  }
}

}  // namespace
}  // namespace kindred
