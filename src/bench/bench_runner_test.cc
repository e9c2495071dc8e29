#include "bench/bench_runner.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace kindred {
namespace {

class BenchRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kindred-bench-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    options_.out_dir = dir_.string();
    options_.data_dir = (dir_ / "no-such-data").string();
    options_.synthetic_events = 3000;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::vector<nlohmann::json> Records(const std::string& part) {
    std::vector<nlohmann::json> records;
    std::ifstream in(dir_ / (part + ".jsonl"));
    std::string line;
    while (std::getline(in, line)) records.push_back(nlohmann::json::parse(line));
    return records;
  }
  nlohmann::json Run() {
    std::ifstream in(dir_ / "run.json");
    return nlohmann::json::parse(in);
  }

  std::filesystem::path dir_;
  BenchOptions options_;
};

TEST_F(BenchRunnerTest, QuickModeShrinksOnlyWhatWasNotGiven) {
  BenchOptions o;
  o.quick = true;
  o.quality_repetitions = 4;
  const BenchOptions quick = WithModeDefaults(o);
  EXPECT_EQ(quick.synthetic_events, 200'000);
  EXPECT_EQ(quick.import_repetitions, 1);
  EXPECT_EQ(quick.quality_repetitions, 4);
  const BenchOptions full = WithModeDefaults(BenchOptions{});
  EXPECT_EQ(full.synthetic_events, 10'000'000);
  EXPECT_EQ(full.import_repetitions, 3);
}

TEST_F(BenchRunnerTest, PartCommandRepeatsTheOptionsGiven) {
  options_.seed = 7;
  options_.recipes = {"aws-sims", "aws-popularity-count"};
  EXPECT_EQ(PartCommand(options_, "memory"),
            "kindred bench --part memory --data " + options_.data_dir + " --out " +
                options_.out_dir +
                " --synthetic-events 3000 --seed 7 --recipe aws-sims,aws-popularity-count");
}

TEST_F(BenchRunnerTest, UnknownPartIsRefused) {
  Status s = RunBench(options_, {"memory", "latency"});
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "run.json"));
}

TEST_F(BenchRunnerTest, ImportAndMemoryPartsMeasureTheSyntheticFileAndSkipMissingData) {
  options_.import_repetitions = 2;
  ASSERT_TRUE(RunBench(options_, {"memory", "import"}).ok());

  // personalize-poc is missing: skipped with a note; the synthetic files are imported twice.
  const std::vector<nlohmann::json> imports = Records("import");
  ASSERT_EQ(imports.size(), 4u);
  for (const nlohmann::json& r : imports) {
    EXPECT_EQ(r["part"], "import");
    EXPECT_EQ(r["dataset"], "synthetic");
    EXPECT_EQ(r["rows_imported"], r["rows"]);
    EXPECT_GT(r["rows_per_second"].get<double>(), 0);
  }
  EXPECT_EQ(imports[0]["file"], "interactions.csv");
  EXPECT_EQ(imports[0]["rows"], 3000);
  EXPECT_EQ(imports[2]["file"], "items.csv");

  const std::vector<nlohmann::json> memory = Records("memory");
  ASSERT_EQ(memory.size(), 3u);
  EXPECT_EQ(memory[0]["component"], "rocksdb-store");
  EXPECT_EQ(memory[1]["component"], "training-data");
  EXPECT_EQ(memory[2]["component"], "serving-state");
  for (const nlohmann::json& r : memory) {
    EXPECT_EQ(r["interactions"], 3000);
    EXPECT_GT(r["resident_bytes_per_interaction"].get<double>(), 0);
  }

  const nlohmann::json run = Run();
  EXPECT_EQ(run["machine"]["cores"].get<int>() > 0, true);
  const nlohmann::json& import = run["parts"]["import"];
  EXPECT_EQ(import["status"], "ok");
  EXPECT_EQ(import["records"], 4);
  ASSERT_EQ(import["notes"].size(), 2u);
  EXPECT_NE(import["notes"][0].get<std::string>().find("personalize-poc interactions.csv skipped"),
            std::string::npos);
  EXPECT_EQ(run["parts"]["memory"]["status"], "ok");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "scratch"));

  // Running one part again replaces its records and keeps the other part's entry.
  options_.import_repetitions = 1;
  ASSERT_TRUE(RunBench(options_, {"import"}).ok());
  EXPECT_EQ(Records("import").size(), 2u);
  EXPECT_EQ(Records("memory").size(), 3u);
  EXPECT_EQ(Run()["parts"]["memory"]["status"], "ok");
  EXPECT_EQ(Run()["parts"]["import"]["records"], 2);
}

}  // namespace
}  // namespace kindred
