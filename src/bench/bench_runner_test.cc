#include "bench/bench_runner.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <tuple>

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
  EXPECT_EQ(run["parts"]["memory"]["machine"], run["machine"]);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "scratch"));

  // Running one part again replaces its records and keeps the other part's entry.
  options_.import_repetitions = 1;
  ASSERT_TRUE(RunBench(options_, {"import"}).ok());
  EXPECT_EQ(Records("import").size(), 2u);
  EXPECT_EQ(Records("memory").size(), 3u);
  EXPECT_EQ(Run()["parts"]["memory"]["status"], "ok");
  EXPECT_EQ(Run()["parts"]["import"]["records"], 2);
}

// Quantiles ascend from the smallest sample to the largest, and the named percentiles are
// among them.
void ExpectDistribution(const nlohmann::json& r, const std::string& prefix = "") {
  const nlohmann::json& q = r[prefix + "quantiles_ms"];
  ASSERT_EQ(q.size(), 101u);
  for (size_t i = 1; i < q.size(); ++i) EXPECT_LE(q[i - 1].get<double>(), q[i].get<double>());
  EXPECT_GT(q[0].get<double>(), 0);
  EXPECT_EQ(r[prefix + "p50_ms"], q[50]);
  EXPECT_EQ(r[prefix + "p90_ms"], q[90]);
  EXPECT_EQ(r[prefix + "p99_ms"], q[99]);
  EXPECT_EQ(r[prefix + "max_ms"], q[100]);
  EXPECT_LE(r[prefix + "mean_ms"].get<double>(), q[100].get<double>());
  EXPECT_GE(r[prefix + "mean_ms"].get<double>(), q[0].get<double>());
}

TEST_F(BenchRunnerTest, ServingAndEventsPartsMeasureAQuickCampaign) {
  options_.quick = true;
  ASSERT_TRUE(RunBench(options_, {"serving", "events"}).ok());

  // One 2k-item catalogue: latency in process and over HTTP, then throughput at 1 and 4 clients.
  const std::vector<nlohmann::json> serving = Records("serving");
  ASSERT_EQ(serving.size(), 4u);
  const std::vector<std::tuple<std::string, std::string, int>> cases = {
      {"latency", "in-process", 1},
      {"latency", "http", 1},
      {"throughput", "http", 1},
      {"throughput", "http", 4}};
  for (size_t i = 0; i < cases.size(); ++i) {
    const nlohmann::json& r = serving[i];
    SCOPED_TRACE(r.dump());
    EXPECT_EQ(r["part"], "serving");
    EXPECT_EQ(r["measurement"], std::get<0>(cases[i]));
    EXPECT_EQ(r["mode"], std::get<1>(cases[i]));
    EXPECT_EQ(r["concurrency"], std::get<2>(cases[i]));
    EXPECT_EQ(r["dataset"], "synthetic-2k");
    EXPECT_EQ(r["items"], 2000);
    EXPECT_EQ(r["errors"], 0);
    EXPECT_GE(r["samples"].get<int64_t>(), r["measurement"] == "latency" ? 200 : 1);
    EXPECT_GT(r["requests_per_second"].get<double>(), 0);
    EXPECT_GT(r["training_seconds"].get<double>(), 0);
    EXPECT_GT(r["setup_seconds"].get<double>(), r["training_seconds"].get<double>());
    ExpectDistribution(r);
  }

  // Every purchase is left out by the very next GetRecommendations; then durable PutEvents.
  const std::vector<nlohmann::json> events = Records("events");
  ASSERT_EQ(events.size(), 3u);
  const nlohmann::json& delay = events[0];
  EXPECT_EQ(delay["measurement"], "event-to-effect");
  EXPECT_EQ(delay["samples"], 30);
  EXPECT_EQ(delay["reflected"], 30);
  ExpectDistribution(delay, "put_");
  ExpectDistribution(delay, "effect_");
  ExpectDistribution(delay, "delay_");
  // Each sample's delay is its PutEvents plus its next GetRecommendations.
  EXPECT_GE(delay["delay_p50_ms"].get<double>(), delay["put_p50_ms"].get<double>());
  EXPECT_GE(delay["delay_p50_ms"].get<double>(), delay["effect_p50_ms"].get<double>());
  for (size_t i = 1; i < events.size(); ++i) {
    const nlohmann::json& r = events[i];
    SCOPED_TRACE(r.dump());
    EXPECT_EQ(r["measurement"], "put-events");
    EXPECT_EQ(r["mode"], "http");
    EXPECT_EQ(r["concurrency"], i == 1 ? 1 : 4);
    EXPECT_EQ(r["errors"], 0);
    EXPECT_GT(r["samples"].get<int64_t>(), 0);
    EXPECT_DOUBLE_EQ(r["events_per_second"].get<double>(),
                     10 * r["requests_per_second"].get<double>());
    ExpectDistribution(r);
  }

  const nlohmann::json run = Run();
  EXPECT_EQ(run["parts"]["serving"]["status"], "ok");
  EXPECT_EQ(run["parts"]["events"]["records"], 3);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "scratch"));
}

TEST_F(BenchRunnerTest, ServingCataloguesAreSelectedAsDatasets) {
  options_.quick = true;
  options_.datasets = {"synthetic-10k"};  // a full-mode catalogue: nothing to measure quickly
  ASSERT_TRUE(RunBench(options_, {"serving", "events"}).ok());
  EXPECT_TRUE(Records("serving").empty());
  EXPECT_TRUE(Records("events").empty());
  EXPECT_EQ(Run()["parts"]["serving"]["notes"].size(), 1u);
  EXPECT_EQ(Run()["parts"]["events"]["notes"].size(), 1u);
}

}  // namespace
}  // namespace kindred
