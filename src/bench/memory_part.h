// MemoryPart ("memory"): what it costs to hold interactions, per interaction, at
// BenchOptions::synthetic_events interactions (10M by default) of the synthetic file of
// bench_datasets.h.
//
//  - rocksdb-store: the Interactions dataset imported into a RocksDB store (data/dataset_store.h),
//    then, in a fresh child process, the store opened and every row read once (as training
//    does): resident memory that adds over the process's baseline, and the bytes on disk.
//  - training-data: in a fresh child process, the file read into the in-memory TrainingData
//    every recipe trains on: resident memory added once it is built, and the peak while
//    building it.
//  - serving-state: in a fresh child process, every interaction added as an event to the
//    serving engine's real-time state (serving/group_state.h), which keeps each user's newest
//    1000 events: resident memory it holds.
//
// Resident figures are measured after handing freed heap back to the OS (process_memory.h).
// Records:
//
//   {"part": "memory", "component": "rocksdb-store" | "training-data" | "serving-state",
//    "interactions": ..,
//    "resident_bytes": .., "resident_bytes_per_interaction": ..,
//    "disk_bytes": .., "disk_bytes_per_interaction": .. (rocksdb-store),
//    "peak_bytes": .., "peak_bytes_per_interaction": .. (training-data),
//    "users": .., "items": .. (training-data), "seconds": ..}
//
// Sane: every count and size above 0.
//
// Thread-safety: as BenchPart.
#pragma once

#include "bench/bench_part.h"

namespace kindred {

class MemoryPart : public BenchPart {
 public:
  std::string_view name() const override { return "memory"; }
  std::string_view summary() const override {
    return "resident bytes per stored interaction: RocksDB store, TrainingData, serving state";
  }
  Status Run(const BenchOptions& options, ResultLog& log) const override;
};

}  // namespace kindred
