#include "bench/result_log.h"

#include <filesystem>
#include <iostream>

namespace kindred {

ResultLog::ResultLog(const std::string& out_dir, std::string part)
    : part_(std::move(part)),
      path_((std::filesystem::path(out_dir) / (part_ + ".jsonl")).string()),
      out_(path_, std::ios::trunc) {}

Status ResultLog::Add(nlohmann::json record) {
  record["part"] = part_;
  out_ << record.dump() << '\n';
  out_.flush();
  if (!out_) return Status::IoError("cannot write " + path_);
  ++records_;
  return Status::Ok();
}

void ResultLog::Note(const std::string& note) {
  std::cerr << "kindred bench: " << part_ << ": " << note << std::endl;
  notes_.push_back(note);
}

}  // namespace kindred
