// RunBench: the driver behind `kindred bench`. Runs the selected parts (bench_part.h) one after
// another in registry order, each writing <out>/<part>.jsonl, and keeps <out>/run.json up to
// date: the machine (machine_info.h) and, per part, the command that reproduces it alone, when
// it started, how long it took, the load average before and after, its status and its notes.
// Entries of parts not run this time are kept, so parts may be run one by one into the same folder.
// Generated files go to <out>/scratch, removed at the end.
//
// Every part runs even when an earlier one failed; the result is an error naming the failed
// parts. The driver itself never starts a thread (parts measure in child processes).
//
//   Status s = RunBench(options, {"quality", "import"});
//
// Thread-safety: call from the process's only thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bench/bench_part.h"
#include "common/status.h"

namespace kindred {

// `parts` are names from AllBenchParts() (empty: all); kInvalidInput names an unknown one.
Status RunBench(const BenchOptions& options, const std::vector<std::string>& parts);

// "kindred bench --part <part> ..." with the options that differ from their defaults.
std::string PartCommand(const BenchOptions& options, std::string_view part);

}  // namespace kindred
