// CSV import: what a dataset import job does with its input files.
//
// ImportCsvFiles() reads local CSV files (csv_reader.h) against a dataset's schema and writes
// the accepted rows as one new segment of the dataset (dataset_store.h), committed only when
// the whole job succeeded. Every decision below is documented in docs/storage-layout.md
// ("Import rules"); in short:
//
// The job fails (non-ok status, message fit for a job's failureReason, nothing committed) on:
//  - a file that cannot be read, is empty, or is not valid UTF-8 ("<file> row N: ...");
//  - an unterminated quoted field ("<file> row N: unterminated quoted field");
//  - a header that lacks a required or non-nullable schema field, exactly:
//      Input CSV is missing the following columns: [USER_ID, TIMESTAMP]
//    (header names match schema field names exactly, case-sensitively; columns the schema does
//    not name are ignored and listed in the report; optional fields absent are null);
//  - no data rows at all, or more skipped rows than max_invalid_fraction of the rows read;
//  - with strict=true, the first row-level problem; or cancellation through `cancel`.
//
// Row-level problems do not fail the job; each is counted and the first 20 are reported:
//  - a row is skipped when its field count differs from the header's, text follows a closing
//    quote, or a required field (dataset_store.h RequiredRowFields) is empty, of the wrong
//    type, or longer than 256 characters;
//  - any other value that is empty in a non-nullable field, of the wrong type, or over its
//    length limit (categorical 1000, textual 20000 characters) is stored as null.
// An empty value in a nullable field is simply null. Blank lines are ignored.
// Rows are numbered per file from 1, the header being row 1, as a spreadsheet shows them.
//
// Thread-safety: ImportCsvFiles may run concurrently for different datasets, or for the same
// one (commits are serialised by the DatasetStore).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "data/dataset_schema.h"
#include "data/dataset_store.h"

namespace kindred {

struct ImportProblem {
  std::string file;
  int64_t row = 0;     // 1-based record number in `file`, the header being row 1
  std::string column;  // empty when the problem concerns the whole row
  std::string reason;
  bool operator==(const ImportProblem&) const = default;
};

inline constexpr size_t kMaxReportedProblems = 20;

struct ImportReport {
  int64_t rows_read = 0;  // data rows (header and blank lines excluded)
  int64_t rows_imported = 0;
  int64_t rows_skipped = 0;
  int64_t values_nulled = 0;                 // values replaced by null in imported rows
  std::vector<std::string> ignored_columns;  // header columns not in the schema
  std::vector<ImportProblem> problems;       // the first kMaxReportedProblems
};

struct ImportOptions {
  ImportMode mode = ImportMode::kFull;
  double max_invalid_fraction = 0.10;  // the job fails when skipped > this * rows read
  bool strict = false;                 // any row-level problem fails the job
  // When set, applies the write that makes the new rows live, given that batch and the finished
  // report; it may add its own ops so that they land in the same atomic write.
  std::function<Status(WriteBatch& batch, const ImportReport& report)> commit;
};

struct ImportOutcome {
  Status status;
  ImportReport report;  // filled as far as the job got, also on failure
};

// Imports `files` in order into the dataset `dataset_key` of `store`. `cancel`, when given, is
// polled; once it reads true the job stops with an error and commits nothing.
ImportOutcome ImportCsvFiles(const std::vector<std::string>& files, const DatasetSchema& schema,
                             DatasetType type, DatasetStore& store, std::string_view dataset_key,
                             const ImportOptions& options,
                             const std::atomic<bool>* cancel = nullptr);

// {"rowsRead":..,"rowsImported":..,"rowsSkipped":..,"valuesNulled":..,"ignoredColumns":[..],
//  "problems":[{"file":..,"row":..,"column":..,"reason":..}]}
nlohmann::json ImportReportToJson(const ImportReport& report);

// A multi-line human summary, for the CLI, of a report in the JSON form above (the form the API
// returns, so the CLI prints exactly what a client of the server sees).
std::string FormatImportReport(const nlohmann::json& report);

}  // namespace kindred
