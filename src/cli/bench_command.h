// `kindred bench`: the benchmark suite (src/bench), and `kindred bench generate`, the synthetic
// data generator.
//
//   kindred bench [--part quality,import,memory,serving,events] [--quick] [--data ../shared/data]
//                 [--out bench-results] [--quality-repetitions N] [--import-repetitions N]
//                 [--synthetic-events N] [--seed S] [--dataset NAME,...] [--recipe NAME,...]
//   kindred bench generate --users N --items M --events E [--seed S] --out DIR
//
// The first runs the selected parts (all by default) into --out: <part>.jsonl records and
// run.json; exit code 0 when every part ran and produced sane numbers, 1 otherwise (CLI11's
// own non-zero codes on usage errors). `scripts/bench-report` turns the folder into
// docs/benchmarks/README.md. The second writes DIR/interactions.csv and DIR/items.csv
// (docs/benchmarks/generator.md).
//
// AddBenchCommand registers both with callbacks that run them during parsing and end the
// process with their exit code (as a CLI::RuntimeError) when it is not 0.
//
// Thread-safety: called once, from main().
#pragma once

#include <CLI/CLI.hpp>

namespace kindred {

CLI::App* AddBenchCommand(CLI::App& app);

}  // namespace kindred
