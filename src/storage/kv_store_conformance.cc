#include "storage/kv_store_conformance.h"

#include <map>
#include <thread>

namespace kindred {

std::unique_ptr<KvStore> KvStoreConformance::Open(bool reopen) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string id = std::string(info->test_suite_name()) + "." + info->name();
  for (char& c : id) {
    if (c == '/') c = '_';
  }
  return GetParam().open(id, reopen);
}

namespace {

std::map<std::string, std::string> ScanAll(KvStore& s, std::string_view prefix,
                                           std::string_view start = {}) {
  std::map<std::string, std::string> out;
  EXPECT_TRUE(s.Scan(prefix, [&](std::string_view k, std::string_view v) {
                 out.emplace(k, v);
                 return true;
               }, start).ok());
  return out;
}

}  // namespace

TEST_P(KvStoreConformance, GetOfMissingKeyIsEmpty) {
  auto s = Open();
  auto r = s->Get("nope");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST_P(KvStoreConformance, PutGetOverwriteDelete) {
  auto s = Open();
  ASSERT_TRUE(s->Put("k", "v1").ok());
  EXPECT_EQ(s->Get("k")->value(), "v1");
  ASSERT_TRUE(s->Put("k", "v2").ok());
  EXPECT_EQ(s->Get("k")->value(), "v2");
  ASSERT_TRUE(s->Delete("k").ok());
  EXPECT_FALSE(s->Get("k")->has_value());
}

TEST_P(KvStoreConformance, BinaryKeysAndValuesRoundTrip) {
  auto s = Open();
  std::string key("a\0b\xff", 4);
  std::string value("\0\x01\x02\xfe", 4);
  ASSERT_TRUE(s->Put(key, value).ok());
  EXPECT_EQ(s->Get(key)->value(), value);
}

TEST_P(KvStoreConformance, BatchIsAppliedInOrder) {
  auto s = Open();
  WriteBatch b;
  b.Put("a", "1");
  b.Put("b", "2");
  b.Delete("a");
  b.Put("c", "3");
  b.Put("c", "4");
  ASSERT_TRUE(s->Write(b).ok());
  EXPECT_FALSE(s->Get("a")->has_value());
  EXPECT_EQ(s->Get("b")->value(), "2");
  EXPECT_EQ(s->Get("c")->value(), "4");
}

TEST_P(KvStoreConformance, ScanSeesOnlyThePrefixInOrder) {
  auto s = Open();
  WriteBatch b;
  for (std::string k : {"p/3", "p/1", "p/2", "q/1", "p", "o/9"}) b.Put(k, "v" + k);
  ASSERT_TRUE(s->Write(b).ok());
  auto got = ScanAll(*s, "p/");
  ASSERT_EQ(got.size(), 3u);
  std::vector<std::string> keys;
  ASSERT_TRUE(s->Scan("p/", [&](std::string_view k, std::string_view) {
                 keys.emplace_back(k);
                 return true;
               }).ok());
  EXPECT_EQ(keys, (std::vector<std::string>{"p/1", "p/2", "p/3"}));
  EXPECT_EQ(got["p/2"], "vp/2");
}

TEST_P(KvStoreConformance, ScanStartsAtAndStopsEarly) {
  auto s = Open();
  WriteBatch b;
  for (int i = 0; i < 10; ++i) b.Put("k/" + std::to_string(i), "x");
  ASSERT_TRUE(s->Write(b).ok());
  auto from5 = ScanAll(*s, "k/", "k/5");
  EXPECT_EQ(from5.size(), 5u);
  EXPECT_EQ(from5.begin()->first, "k/5");
  int visited = 0;
  ASSERT_TRUE(s->Scan("k/", [&](std::string_view, std::string_view) { return ++visited < 3; }).ok());
  EXPECT_EQ(visited, 3);
}

TEST_P(KvStoreConformance, ScanWithHighBytePrefix) {
  auto s = Open();
  std::string p("\xff\xff", 2);
  ASSERT_TRUE(s->Put(p + "a", "1").ok());
  ASSERT_TRUE(s->Put(std::string("\xfe", 1), "2").ok());
  auto got = ScanAll(*s, p);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got.begin()->second, "1");
}

TEST_P(KvStoreConformance, DeletePrefixRemovesOnlyThatPrefix) {
  auto s = Open();
  WriteBatch b;
  b.Put("d/1", "a");
  b.Put("d/2", "b");
  b.Put("d0", "keep");
  b.Put("e/1", "keep");
  ASSERT_TRUE(s->Write(b).ok());
  WriteBatch del;
  del.DeletePrefix("d/");
  del.Put("d/3", "after");  // later ops in the batch still apply
  ASSERT_TRUE(s->Write(del).ok());
  auto d = ScanAll(*s, "d");
  EXPECT_EQ(d.size(), 2u);
  EXPECT_EQ(d["d0"], "keep");
  EXPECT_EQ(d["d/3"], "after");
  EXPECT_EQ(s->Get("e/1")->value(), "keep");
}

TEST_P(KvStoreConformance, AcknowledgedWritesSurviveReopen) {
  {
    auto s = Open();
    ASSERT_TRUE(s->Put("durable", "yes").ok());
    WriteBatch b;
    b.Put("x/1", "1");
    b.Put("x/2", "2");
    ASSERT_TRUE(s->Write(b, /*durable=*/false).ok());
    ASSERT_TRUE(s->Sync().ok());
  }
  auto s = Open(/*reopen=*/true);
  EXPECT_EQ(s->Get("durable")->value(), "yes");
  EXPECT_EQ(ScanAll(*s, "x/").size(), 2u);
}

TEST_P(KvStoreConformance, ConcurrentWritersDoNotLoseUpdates) {
  auto s = Open();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        EXPECT_TRUE(s->Put("t" + std::to_string(t) + "/" + std::to_string(i), "v", false).ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(ScanAll(*s, "t" + std::to_string(t) + "/").size(), 200u);
}

}  // namespace kindred
