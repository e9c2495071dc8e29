// ResultLog: where a benchmark part puts its measurements — one JSON object per line in
// <out>/<part>.jsonl, each stamped with "part" — and the notes a reader of the report should
// see (a dataset skipped because it is missing). The file is replaced when the part starts, so
// re-running one part replaces only its own results. Every line is flushed as it is added, so a
// run that dies keeps what it measured.
//
//   ResultLog log(out_dir, "import");
//   KINDRED_RETURN_IF_ERROR(log.Add({{"file", "interactions.csv"}, {"rows_per_second", 1e6}}));
//   log.Note("personalize-poc skipped: ../shared/data/personalize-poc not found");
//
// Thread-safety: one thread at a time.
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace kindred {

class ResultLog {
 public:
  ResultLog(const std::string& out_dir, std::string part);

  // Appends `record` with "part" set; kIoError when the file cannot be written.
  Status Add(nlohmann::json record);
  int64_t records() const { return records_; }

  // Prints "kindred bench: <part>: <note>" to stderr and keeps it for run.json.
  void Note(const std::string& note);
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  std::string part_;
  std::string path_;
  std::ofstream out_;
  int64_t records_ = 0;
  std::vector<std::string> notes_;
};

}  // namespace kindred
