#include "cli/bench_command.h"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_part.h"
#include "bench/bench_runner.h"
#include "bench/synthetic_dataset.h"

namespace kindred {
namespace {

struct GenerateOptions {
  int32_t users = 1000;
  int32_t items = 500;
  int64_t events = 20000;
  uint64_t seed = 1;
  std::string out;
};

struct BenchCommandOptions {
  BenchOptions bench;
  std::vector<std::string> parts;
  GenerateOptions generate;
};

std::vector<std::string> PartNames() {
  std::vector<std::string> names;
  for (const BenchPart* part : AllBenchParts()) names.emplace_back(part->name());
  return names;
}

std::string PartList() {
  std::string out;
  for (const BenchPart* part : AllBenchParts()) {
    out += "\n  " + std::string(part->name()) + ": " + std::string(part->summary());
  }
  return out;
}

void RunBenchCommand(const BenchCommandOptions& o) {
  Status status = RunBench(o.bench, o.parts);
  if (!status.ok()) {
    std::cerr << "kindred bench: " << status.message() << "\n";
    throw CLI::RuntimeError(1);
  }
  std::cerr << "kindred bench: results in " << o.bench.out_dir << "\n";
}

void RunGenerate(const GenerateOptions& g) {
  Result<SimulationStats> stats =
      WriteSyntheticCsv(SyntheticOptions(g.users, g.items, g.events, g.seed), g.out);
  if (!stats.ok()) {
    std::cerr << "kindred bench generate: " << stats.status().message() << "\n";
    throw CLI::RuntimeError(1);
  }
  std::cout << "wrote " << stats->events << " events (" << stats->visits << " visits) of "
            << g.users << " users and " << g.items << " items to " << g.out
            << "/interactions.csv and items.csv\n";
}

}  // namespace

CLI::App* AddBenchCommand(CLI::App& app) {
  auto o = std::make_shared<BenchCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "bench", "Run the benchmark suite and write machine-readable results" + PartList());
  cmd->require_subcommand(0, 1);
  cmd->add_option("--part", o->parts, "Parts to run, comma-separated (default: all)")
      ->delimiter(',')
      ->check(CLI::IsMember(PartNames()));
  cmd->add_flag("--quick", o->bench.quick,
                "Generated data only, small sizes, one repetition (the CI smoke test)");
  cmd->add_option("--data", o->bench.data_dir, "Folder of the public datasets")
      ->capture_default_str();
  cmd->add_option("--out", o->bench.out_dir, "Folder for <part>.jsonl and run.json")
      ->capture_default_str();
  cmd->add_option("--quality-repetitions", o->bench.quality_repetitions,
                  "Runs of each quality measurement (default 1)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--import-repetitions", o->bench.import_repetitions,
                  "Runs of each import measurement (default 3, quick 1)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--synthetic-events", o->bench.synthetic_events,
                  "Rows of the synthetic file of the import and memory parts (default 10M, "
                  "quick 200k)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--seed", o->bench.seed, "Seed of the generated data")->capture_default_str();
  cmd->add_option("--dataset", o->bench.datasets,
                  "Only these datasets, comma-separated (amazon-games, personalize-poc, "
                  "movielens-small, synthetic; the serving and events parts' catalogues "
                  "synthetic-2k (quick), synthetic-10k, synthetic-100k, synthetic-1m)")
      ->delimiter(',');
  cmd->add_option("--recipe", o->bench.recipes, "Quality: only these recipes, comma-separated")
      ->delimiter(',');

  CLI::App* generate = cmd->add_subcommand(
      "generate", "Write a synthetic dataset (interactions.csv, items.csv) as Personalize CSVs");
  generate->add_option("--users", o->generate.users, "Users")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  generate->add_option("--items", o->generate.items, "Items")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  generate->add_option("--events", o->generate.events, "Interactions")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  generate->add_option("--seed", o->generate.seed, "Random seed")->capture_default_str();
  generate->add_option("--out", o->generate.out, "Output folder")->required();
  generate->callback([o] { RunGenerate(o->generate); });

  cmd->callback([o, generate] {
    if (!generate->parsed()) RunBenchCommand(*o);
  });
  return cmd;
}

}  // namespace kindred
