#include "data/dataset_store.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "data/import_test_util.h"

namespace kindred {
namespace {

using testing::InteractionsSchema;
using testing::ItemsSchema;

constexpr char kKey[] = "arn:aws:personalize:us-east-1:000000000000:dataset/g/INTERACTIONS";

Row Interaction(const std::string& user, const std::string& item, int64_t ts) {
  return Row{{user, item, ts, std::string("click"), std::monostate()}};
}

Row Item(const std::string& id, const std::string& genre, int64_t year) {
  return Row{{id, genre, year}};
}

class DatasetStoreTest : public testing::StoreTest {
 protected:
  // Writes `rows` as one segment and commits it with `mode`.
  void Import(const std::string& key, const DatasetSchema& schema, DatasetType type,
              const std::vector<Row>& rows, ImportMode mode) {
    auto writer = store_->BeginSegment(key, schema, type);
    ASSERT_TRUE(writer.ok()) << writer.status().message();
    for (const Row& r : rows) ASSERT_TRUE((*writer)->Append(r).ok());
    Status s = (*writer)->Commit(mode);
    ASSERT_TRUE(s.ok()) << s.message();
  }

  std::vector<Row> Interactions(const std::string& key = kKey) {
    return Rows(key, InteractionsSchema(), DatasetType::kInteractions);
  }

  int64_t Count(const std::string& key, const DatasetSchema& schema, DatasetType type) {
    Result<int64_t> n = store_->CountRows(key, schema, type);
    EXPECT_TRUE(n.ok()) << n.status().message();
    return n.ok() ? *n : -1;
  }

  // `n` interactions u0/i0/0 ... (enough to fill several blocks when n is large).
  static std::vector<Row> Many(int n, const std::string& prefix = "u") {
    std::vector<Row> rows;
    for (int i = 0; i < n; ++i) {
      rows.push_back(Interaction(prefix + std::to_string(i), "i" + std::to_string(i), i));
    }
    return rows;
  }
};

TEST_F(DatasetStoreTest, EmptyDatasetHasNoRows) {
  EXPECT_TRUE(Interactions().empty());
  EXPECT_EQ(Count(kKey, InteractionsSchema(), DatasetType::kInteractions), 0);
}

TEST_F(DatasetStoreTest, CommittedRowsReadBackInOrderAcrossBlocks) {
  std::vector<Row> rows = Many(10000);  // more than two blocks of 4096 rows
  Import(kKey, InteractionsSchema(), DatasetType::kInteractions, rows, ImportMode::kFull);
  EXPECT_EQ(Interactions(), rows);
  EXPECT_EQ(Count(kKey, InteractionsSchema(), DatasetType::kInteractions), 10000);
}

TEST_F(DatasetStoreTest, VisitorCanStopEarly) {
  Import(kKey, InteractionsSchema(), DatasetType::kInteractions, Many(5000), ImportMode::kFull);
  int seen = 0;
  ASSERT_TRUE(store_
                  ->ForEachRow(kKey, InteractionsSchema(), DatasetType::kInteractions,
                               [&](const Row&) { return ++seen < 3; })
                  .ok());
  EXPECT_EQ(seen, 3);
}

TEST_F(DatasetStoreTest, FullReplacesAndDeletesOldSegments) {
  Import(kKey, InteractionsSchema(), DatasetType::kInteractions, Many(5000, "old"),
         ImportMode::kFull);
  std::vector<Row> fresh = {Interaction("new", "i", 1)};
  Import(kKey, InteractionsSchema(), DatasetType::kInteractions, fresh, ImportMode::kFull);
  EXPECT_EQ(Interactions(), fresh);
  // Manifest plus one block of the new segment are all that remain.
  EXPECT_EQ(DataKeys().size(), 2u);
}

TEST_F(DatasetStoreTest, IncrementalAppendsInteractions) {
  Import(kKey, InteractionsSchema(), DatasetType::kInteractions, {Interaction("a", "1", 1)},
         ImportMode::kFull);
  Import(kKey, InteractionsSchema(), DatasetType::kInteractions,
         {Interaction("a", "1", 1), Interaction("b", "2", 2)}, ImportMode::kIncremental);
  EXPECT_EQ(Interactions(), (std::vector<Row>{Interaction("a", "1", 1), Interaction("a", "1", 1),
                                              Interaction("b", "2", 2)}));
}

TEST_F(DatasetStoreTest, ItemsKeepOnlyTheNewestRowPerId) {
  const std::string key = "items";
  Import(key, ItemsSchema(), DatasetType::kItems,
         {Item("1", "Drama", 1990), Item("2", "Comedy", 1991), Item("1", "Drama|War", 1992)},
         ImportMode::kFull);
  Import(key, ItemsSchema(), DatasetType::kItems, {Item("2", "Horror", 2001), Item("3", "X", 3)},
         ImportMode::kIncremental);
  EXPECT_EQ(Rows(key, ItemsSchema(), DatasetType::kItems),
            (std::vector<Row>{Item("1", "Drama|War", 1992), Item("2", "Horror", 2001),
                              Item("3", "X", 3)}));
  EXPECT_EQ(Count(key, ItemsSchema(), DatasetType::kItems), 3);
}

TEST_F(DatasetStoreTest, AppendChecksShapeTypesAndRequiredFields) {
  auto writer = store_->BeginSegment(kKey, InteractionsSchema(), DatasetType::kInteractions);
  ASSERT_TRUE(writer.ok());
  EXPECT_EQ((*writer)->Append(Row{{std::string("u")}}).code(), StatusCode::kInvalidInput);
  Row wrong_type = Interaction("u", "i", 1);
  wrong_type.values[2] = std::string("1");
  EXPECT_EQ((*writer)->Append(wrong_type).code(), StatusCode::kInvalidInput);
  Row null_id = Interaction("u", "i", 1);
  null_id.values[1] = std::monostate();
  EXPECT_EQ((*writer)->Append(null_id).code(), StatusCode::kInvalidInput);
  EXPECT_EQ((*writer)->rows(), 0);
}

TEST_F(DatasetStoreTest, BeginSegmentRejectsSchemaWithoutRequiredFields) {
  auto writer = store_->BeginSegment("k", ItemsSchema(), DatasetType::kUsers);
  ASSERT_FALSE(writer.ok());
  EXPECT_NE(writer.status().message().find("USER_ID"), std::string::npos);
}

TEST_F(DatasetStoreTest, AbandonedWriterLeavesNothing) {
  Import(kKey, InteractionsSchema(), DatasetType::kInteractions, {Interaction("a", "1", 1)},
         ImportMode::kFull);
  std::vector<std::string> before = DataKeys();
  {
    auto writer = store_->BeginSegment(kKey, InteractionsSchema(), DatasetType::kInteractions);
    ASSERT_TRUE(writer.ok());
    for (const Row& r : Many(9000)) ASSERT_TRUE((*writer)->Append(r).ok());
    EXPECT_GT(DataKeys().size(), before.size());  // full blocks were written
  }
  EXPECT_EQ(DataKeys(), before);
  EXPECT_EQ(Interactions(), (std::vector<Row>{Interaction("a", "1", 1)}));
}

TEST_F(DatasetStoreTest, CommittedDataSurvivesReopen) {
  Import(kKey, InteractionsSchema(), DatasetType::kInteractions, Many(5000), ImportMode::kFull);
  Reopen();
  EXPECT_EQ(Interactions(), Many(5000));
}

TEST_F(DatasetStoreTest, CollectGarbageRemovesSegmentsLeftByACrash) {
  Import(kKey, InteractionsSchema(), DatasetType::kInteractions, {Interaction("a", "1", 1)},
         ImportMode::kFull);
  std::vector<std::string> committed = DataKeys();
  // Capture the blocks an unfinished import wrote, as a crash would have left them.
  std::map<std::string, std::string> leftovers;
  {
    auto writer = store_->BeginSegment(kKey, InteractionsSchema(), DatasetType::kInteractions);
    ASSERT_TRUE(writer.ok());
    for (const Row& r : Many(9000)) ASSERT_TRUE((*writer)->Append(r).ok());
    ASSERT_TRUE(kv_->Scan("d/",
                          [&](std::string_view k, std::string_view v) {
                            if (std::find(committed.begin(), committed.end(), k) ==
                                committed.end()) {
                              leftovers.emplace(k, v);
                            }
                            return true;
                          })
                    .ok());
  }
  ASSERT_EQ(leftovers.size(), 2u);
  for (const auto& [k, v] : leftovers) ASSERT_TRUE(kv_->Put(k, v).ok());
  Reopen();
  EXPECT_EQ(DataKeys().size(), committed.size() + 2);
  EXPECT_EQ(Interactions().size(), 1u);  // unreferenced segments are never visible
  ASSERT_TRUE(store_->CollectGarbage().ok());
  EXPECT_EQ(DataKeys(), committed);
  EXPECT_EQ(Interactions(), (std::vector<Row>{Interaction("a", "1", 1)}));
}

TEST_F(DatasetStoreTest, CollectGarbageSparesSegmentsBeingWritten) {
  auto writer = store_->BeginSegment(kKey, InteractionsSchema(), DatasetType::kInteractions);
  ASSERT_TRUE(writer.ok());
  for (const Row& r : Many(9000)) ASSERT_TRUE((*writer)->Append(r).ok());
  ASSERT_TRUE(store_->CollectGarbage().ok());
  ASSERT_TRUE((*writer)->Commit(ImportMode::kFull).ok());
  EXPECT_EQ(Interactions(), Many(9000));
}

TEST_F(DatasetStoreTest, DropRemovesEverythingOfOneDatasetOnly) {
  Import(kKey, InteractionsSchema(), DatasetType::kInteractions, Many(10), ImportMode::kFull);
  Import("other", InteractionsSchema(), DatasetType::kInteractions, Many(3), ImportMode::kFull);
  ASSERT_TRUE(store_->Drop(kKey).ok());
  EXPECT_TRUE(Interactions().empty());
  EXPECT_EQ(Interactions("other").size(), 3u);
  EXPECT_EQ(DataKeys().size(), 2u);
}

TEST_F(DatasetStoreTest, DatasetKeysWithAnyBytesDoNotCollide) {
  const std::vector<std::string> keys = {"a", "a/b", "a%2Fb", std::string("a\0b", 3), "a/", ""};
  for (size_t i = 0; i < keys.size(); ++i) {
    Import(keys[i], InteractionsSchema(), DatasetType::kInteractions, Many(static_cast<int>(i) + 1),
           ImportMode::kFull);
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(Interactions(keys[i]).size(), i + 1) << "key #" << i;
  }
  ASSERT_TRUE(store_->Drop("a").ok());
  EXPECT_EQ(Interactions("a/b").size(), 2u);
  EXPECT_EQ(Interactions("a/").size(), 5u);
}

TEST_F(DatasetStoreTest, ConcurrentIncrementalCommitsKeepBothSegments) {
  constexpr int kThreads = 4;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto writer = store_->BeginSegment(kKey, InteractionsSchema(), DatasetType::kInteractions);
      ASSERT_TRUE(writer.ok());
      for (const Row& r : Many(500, "t" + std::to_string(t))) {
        ASSERT_TRUE((*writer)->Append(r).ok());
      }
      ASSERT_TRUE((*writer)->Commit(ImportMode::kIncremental).ok());
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(Count(kKey, InteractionsSchema(), DatasetType::kInteractions), kThreads * 500);
  EXPECT_EQ(Interactions().size(), static_cast<size_t>(kThreads * 500));
}

TEST_F(DatasetStoreTest, LiveRowsFollowImportedRowsAndSurviveFullImports) {
  Import(kKey, InteractionsSchema(), DatasetType::kInteractions, Many(3), ImportMode::kFull);
  const std::vector<Row> live = {Interaction("x", "9", 100), Interaction("y", "8", 101)};
  Result<uint64_t> first =
      store_->AppendLive(kKey, InteractionsSchema(), DatasetType::kInteractions, live);
  ASSERT_TRUE(first.ok()) << first.status().message();
  std::vector<Row> expected = Many(3);
  expected.insert(expected.end(), live.begin(), live.end());
  EXPECT_EQ(Interactions(), expected);
  EXPECT_EQ(Count(kKey, InteractionsSchema(), DatasetType::kInteractions), 5);

  // A FULL import replaces the imported rows only; the live rows stay, also after a restart.
  Import(kKey, InteractionsSchema(), DatasetType::kInteractions, Many(2, "v"), ImportMode::kFull);
  Reopen();
  ASSERT_TRUE(store_->CollectGarbage().ok());
  expected = Many(2, "v");
  expected.insert(expected.end(), live.begin(), live.end());
  EXPECT_EQ(Interactions(), expected);
}

TEST_F(DatasetStoreTest, LiveSequenceNumbersAreUniqueAcrossRestarts) {
  std::vector<uint64_t> seqs;
  for (int round = 0; round < 3; ++round) {
    Result<uint64_t> first = store_->AppendLive(
        kKey, InteractionsSchema(), DatasetType::kInteractions,
        std::vector<Row>{Interaction("u", "1", round), Interaction("u", "2", round)});
    ASSERT_TRUE(first.ok());
    seqs.push_back(*first);
    Reopen();
  }
  EXPECT_LT(seqs[0], seqs[1]);
  EXPECT_LT(seqs[1], seqs[2]);
  std::vector<uint64_t> visited;
  ASSERT_TRUE(store_
                  ->ForEachRowWithSeq(kKey, InteractionsSchema(), DatasetType::kInteractions,
                                      [&](const Row&, uint64_t seq) {
                                        visited.push_back(seq);
                                        return true;
                                      })
                  .ok());
  EXPECT_EQ(visited, (std::vector<uint64_t>{seqs[0], seqs[0] + 1, seqs[1], seqs[1] + 1, seqs[2],
                                            seqs[2] + 1}));
}

TEST_F(DatasetStoreTest, LiveItemsWinOverImportedOnes) {
  const std::string key = "items";
  Import(key, ItemsSchema(), DatasetType::kItems,
         {Item("a", "Comedy", 1990), Item("b", "Drama", 2000)}, ImportMode::kFull);
  ASSERT_TRUE(
      store_
          ->AppendLive(key, ItemsSchema(), DatasetType::kItems,
                       std::vector<Row>{Item("a", "Horror", 2024), Item("c", "Sci-Fi", 2025)})
          .ok());
  EXPECT_EQ(Rows(key, ItemsSchema(), DatasetType::kItems),
            (std::vector<Row>{Item("b", "Drama", 2000), Item("a", "Horror", 2024),
                              Item("c", "Sci-Fi", 2025)}));
  EXPECT_EQ(Count(key, ItemsSchema(), DatasetType::kItems), 3);
}

TEST_F(DatasetStoreTest, AppendLiveRejectsARowThatDoesNotFitAndWritesNothing) {
  Row bad = Interaction("u", "1", 1);
  bad.values[0] = std::monostate();  // USER_ID is required
  Result<uint64_t> r = store_->AppendLive(kKey, InteractionsSchema(), DatasetType::kInteractions,
                                          std::vector<Row>{Interaction("u", "2", 2), bad});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(Interactions().empty());
}

TEST_F(DatasetStoreTest, DropRemovesLiveRowsAndGarbageCollectionKeepsThem) {
  ASSERT_TRUE(store_
                  ->AppendLive(kKey, InteractionsSchema(), DatasetType::kInteractions,
                               std::vector<Row>{Interaction("u", "1", 1)})
                  .ok());
  ASSERT_TRUE(store_->CollectGarbage().ok());
  EXPECT_EQ(Interactions().size(), 1u);
  ASSERT_TRUE(store_->Drop(kKey).ok());
  EXPECT_TRUE(Interactions().empty());
}

}  // namespace
}  // namespace kindred
