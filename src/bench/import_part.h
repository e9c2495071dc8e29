// ImportPart ("import"): how fast CSV files are imported — parsed, checked against the dataset's
// schema and written through the real importer (data/csv_importer.h) into a fresh RocksDB
// store, durably committed — in rows per second.
//
// Files: personalize-poc's interactions.csv and item-meta.csv (skipped when missing; the AWS
// workshop's schemas) and the synthetic interactions.csv (BenchOptions::synthetic_events rows,
// 10M by default) and items.csv of bench_datasets.h. Each file is measured
// import_repetitions times, each time in a child process with an empty store in the scratch
// folder (removed afterwards); the file is in the page cache (it was just read or written). The
// child also times the CSV reader alone over the file (data/csv_reader.h), to show what parsing
// costs of the whole. One record per file and repetition:
//
//   {"part": "import", "dataset": "synthetic", "file": "interactions.csv",
//    "dataset_type": "Interactions", "repetition": 0, "rows": .., "file_bytes": ..,
//    "parse_seconds": .., "parse_rows_per_second": .., "import_seconds": ..,
//    "rows_per_second": .., "rows_imported": .., "rows_skipped": .., "values_nulled": ..,
//    "peak_rss_bytes": ..}
//
// Sane: every row read was imported (none skipped) and both rates are above 0.
//
// Thread-safety: as BenchPart.
#pragma once

#include "bench/bench_part.h"

namespace kindred {

class ImportPart : public BenchPart {
 public:
  std::string_view name() const override { return "import"; }
  std::string_view summary() const override {
    return "CSV import into RocksDB through the real importer, rows/s";
  }
  Status Run(const BenchOptions& options, ResultLog& log) const override;
};

}  // namespace kindred
