#include "bench/synthetic_generator.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bench/synthetic_dataset.h"

namespace kindred {
namespace {

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kindred-gen-XXXXXX").string();
    EXPECT_NE(::mkdtemp(tmpl.data()), nullptr);
    path_ = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string Sub(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

std::vector<SyntheticEvent> Events(const GeneratorOptions& options, SyntheticWorld* world) {
  std::vector<SyntheticEvent> events;
  Simulate(options, world, [&](const SyntheticEvent& e) { events.push_back(e); });
  return events;
}

TEST(SyntheticGeneratorTest, SameSeedWritesTheSameFilesAndAnotherSeedDoesNot) {
  TempDir dir;
  const GeneratorOptions options = SyntheticOptions(300, 200, 5000, 11);
  ASSERT_TRUE(WriteSyntheticCsv(options, dir.Sub("a")).ok());
  ASSERT_TRUE(WriteSyntheticCsv(options, dir.Sub("b")).ok());
  ASSERT_TRUE(WriteSyntheticCsv(SyntheticOptions(300, 200, 5000, 12), dir.Sub("c")).ok());
  for (const char* file : {"interactions.csv", "items.csv"}) {
    const std::string a = ReadAll(dir.Sub("a") + "/" + file);
    EXPECT_FALSE(a.empty());
    EXPECT_EQ(a, ReadAll(dir.Sub("b") + "/" + file)) << file;
    EXPECT_NE(a, ReadAll(dir.Sub("c") + "/" + file)) << file;
  }
  const std::string interactions = ReadAll(dir.Sub("a") + "/interactions.csv");
  EXPECT_TRUE(interactions.starts_with("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n"));
  EXPECT_EQ(std::count(interactions.begin(), interactions.end(), '\n'), 5000 + 1);
  const std::string items = ReadAll(dir.Sub("a") + "/items.csv");
  EXPECT_TRUE(items.starts_with("ITEM_ID,GENRE,CREATION_TIMESTAMP\n"));
  EXPECT_EQ(std::count(items.begin(), items.end(), '\n'), 200 + 1);
}

TEST(SyntheticGeneratorTest, MoreEventsDoNotChangeTheWorld) {
  const GeneratorOptions small = SyntheticOptions(300, 200, 1000, 3);
  GeneratorOptions large = small;
  large.events = 50000;
  const SyntheticWorld a = BuildWorld(small), b = BuildWorld(large);
  for (int32_t i = 0; i < a.catalogue.size(); ++i) {
    ASSERT_EQ(a.catalogue.Creation(i), b.catalogue.Creation(i));
    ASSERT_EQ(a.catalogue.Genre(i), b.catalogue.Genre(i));
    ASSERT_EQ(a.catalogue.ItemVector(i)[0], b.catalogue.ItemVector(i)[0]);
  }
  for (int32_t u = 0; u < a.users.size(); ++u) {
    ASSERT_EQ(a.users.Interest(u)[0], b.users.Interest(u)[0]);
  }
}

TEST(SyntheticGeneratorTest, PopularityIsHeavyTailed) {
  const GeneratorOptions options = SyntheticOptions(2000, 2000, 50000, 5);
  SyntheticWorld world = BuildWorld(options);
  std::vector<int64_t> counts(world.catalogue.size(), 0);
  for (const SyntheticEvent& e : Events(options, &world)) ++counts[e.item];
  std::sort(counts.rbegin(), counts.rend());
  int64_t top = 0;
  for (size_t i = 0; i < counts.size() / 100; ++i) top += counts[i];
  // The top 1% of the items get a large share of the events (evenly spread they would get 1%),
  // while many items get hardly any.
  EXPECT_GT(static_cast<double>(top) / options.events, 0.15);
  EXPECT_LE(counts[counts.size() / 2], options.events / world.catalogue.size());
}

TEST(SyntheticGeneratorTest, ItemsArriveOverTimeAndAreChosenOnlyOnceTheyExist) {
  const GeneratorOptions options = SyntheticOptions(1000, 1000, 30000, 9);
  SyntheticWorld world = BuildWorld(options);
  const Catalogue& c = world.catalogue;
  const int64_t start = options.catalogue.start, end = start + options.catalogue.horizon;
  const int32_t initial = c.AvailableAt(start);
  EXPECT_NEAR(initial, 500, 1);  // initial_share 0.5
  EXPECT_EQ(c.AvailableAt(end), c.size());
  for (int32_t i = 1; i < c.size(); ++i) ASSERT_LE(c.Creation(i - 1), c.Creation(i));

  std::vector<bool> chosen(c.size(), false);
  int64_t previous = start;
  for (const SyntheticEvent& e : Events(options, &world)) {
    ASSERT_GE(e.timestamp, previous);
    ASSERT_LT(e.timestamp, end);
    ASSERT_LE(c.Creation(e.item), e.timestamp) << "item " << e.item << " chosen before it exists";
    previous = e.timestamp;
    chosen[e.item] = true;
  }
  // Items created during the run are found: most of them get events.
  const int64_t late_chosen = std::count(chosen.begin() + initial, chosen.end(), true);
  EXPECT_GT(late_chosen, (c.size() - initial) / 2);
}

TEST(SyntheticGeneratorTest, ChosenItemsMatchTheUsersInterests) {
  const GeneratorOptions options = SyntheticOptions(500, 1000, 20000, 13);
  SyntheticWorld world = BuildWorld(options);
  const UserPopulation initial = world.users;
  const MultinomialLogitChoice choice(options.choice);
  double chosen = 0, random = 0;
  int64_t n = 0;
  RandomStream rng(1, 99);
  for (const SyntheticEvent& e : Events(options, &world)) {
    std::span<const float> interest = initial.Interest(e.user);
    chosen += choice.Utility(interest, world.catalogue.ItemVector(e.item));
    random += choice.Utility(
        interest,
        world.catalogue.ItemVector(static_cast<int32_t>(rng.Below(world.catalogue.size()))));
    ++n;
  }
  // Utility is affinity_weight (6) * cosine: chosen items are far closer to the interests the
  // users started with than random items are.
  EXPECT_GT(chosen / n, random / n + 1.5) << "chosen " << chosen / n << " random " << random / n;
}

TEST(SyntheticGeneratorTest, TrainingDataHoldsEveryEventAndItemWithItsGenre) {
  const GeneratorOptions options = SyntheticOptions(200, 300, 4000, 2);
  const TrainingData data = SyntheticTrainingData(options);
  EXPECT_EQ(data.interactions.size(), 4000u);
  EXPECT_EQ(data.num_items(), 300);
  EXPECT_LE(data.num_users(), 200);
  for (int32_t i = 0; i < data.num_items(); ++i) {
    ASSERT_EQ(data.item_features[i].size(), 1u);
    EXPECT_TRUE(data.features.Name(data.item_features[i][0]).starts_with("GENRE="));
    EXPECT_GT(data.item_creation[i], 0);
  }
  EXPECT_GE(data.event_types.Find("click"), 0);
  EXPECT_GE(data.event_types.Find("watch"), 0);
}

}  // namespace
}  // namespace kindred
