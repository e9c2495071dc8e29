// BenchPart: one selectable part of `kindred bench` (quality, import, memory, …), its options,
// and the registry of parts.
//
// A part measures, adds one record per measurement to its ResultLog, and checks that its own
// numbers are sane (metrics within [0, 1], throughputs above 0): insane numbers, or a
// measurement that fails, make Run return an error. A missing public dataset is not an error:
// the part skips it with a note. Parts run every measurement in a child process
// (child_process.h), so the driver stays single-threaded and each peak memory is its own.
//
// Adding a part: a class implementing BenchPart in its own <name>_part.{h,cc}, and one line in
// AllBenchParts() (bench_part.cc).
//
// Thread-safety: parts are stateless singletons; Run is called from the driver's one thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bench/result_log.h"
#include "common/status.h"

namespace kindred {

struct BenchOptions {
  bool quick = false;                       // generated data only, small sizes, one repetition
  std::string data_dir = "../shared/data";  // the public datasets (its README.md lists them)
  std::string out_dir = "bench-results";    // <part>.jsonl and run.json go here
  std::string scratch_dir;                  // generated files; set by the driver, removed after
  int quality_repetitions = 0;              // 0: 1
  int import_repetitions = 0;               // 0: 3, quick 1
  int64_t synthetic_events = 0;             // the import and memory parts' file; 0: 10M, quick 200k
  uint64_t seed = 1;                        // of the generated data
  std::vector<std::string> datasets;        // only these datasets (empty: all)
  std::vector<std::string> recipes;         // quality: only these recipes (empty: all)
};

// `options` with every 0 above replaced by its default for the mode (quick or full).
BenchOptions WithModeDefaults(BenchOptions options);

// True when `dataset` is selected by options.datasets.
bool DatasetSelected(const BenchOptions& options, std::string_view dataset);

class BenchPart {
 public:
  virtual ~BenchPart() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view summary() const = 0;
  // `options` has its mode defaults applied.
  virtual Status Run(const BenchOptions& options, ResultLog& log) const = 0;
};

// Every part, in the order `kindred bench` runs them.
const std::vector<const BenchPart*>& AllBenchParts();
const BenchPart* FindBenchPart(std::string_view name);

}  // namespace kindred
