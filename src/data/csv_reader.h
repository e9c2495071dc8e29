// Streaming RFC 4180 CSV reading over a file mapped into memory.
//
// MappedFile maps a whole file read-only. CsvReader walks a buffer record by record: comma
// separator; fields optionally enclosed in double quotes, inside which commas, CR/LF and doubled
// quotes ("") are data; records end with LF, CRLF or a lone CR; a final terminator is optional;
// a leading UTF-8 byte order mark is skipped. Every record's bytes are checked to be valid UTF-8
// (no overlong forms, no surrogates, nothing above U+10FFFF).
//
// Deviations from strict RFC 4180, chosen to keep data rather than drop it:
//  - a quote inside an unquoted field is kept as a literal character (5" screen);
//  - text between a closing quote and the next separator marks the record `malformed` (the
//    caller decides what to do) instead of failing the whole file.
//
//   Result<MappedFile> file = MappedFile::Open(path);
//   CsvReader reader(file->data());
//   CsvRecord record;
//   for (;;) {
//     Result<bool> more = reader.Next(&record);
//     if (!more.ok()) return more.status();  // "row 7: unterminated quoted field"
//     if (!*more) break;
//     Use(record.fields);  // views valid until the next Next()
//   }
//
// Thread-safety: a CsvReader is used by one thread at a time; a MappedFile's data may be read
// from any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kindred {

class MappedFile {
 public:
  // Maps `path` read-only. kIoError (naming the path) when it cannot be opened or mapped.
  [[nodiscard]] static Result<MappedFile> Open(const std::string& path);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  // The file's bytes; empty for an empty file. Valid while this object lives.
  std::string_view data() const { return {static_cast<const char*>(addr_), size_}; }

 private:
  MappedFile(void* addr, size_t size) : addr_(addr), size_(size) {}
  void* addr_ = nullptr;
  size_t size_ = 0;
};

struct CsvRecord {
  std::vector<std::string_view> fields;  // unquoted, unescaped values
  int64_t number = 0;                    // 1-based record number in the buffer
  bool malformed = false;                // text followed a closing quote
};

class CsvReader {
 public:
  // `data` must outlive the reader and every record it yields.
  explicit CsvReader(std::string_view data);

  // Reads the next record. true: `*record` holds it (its views stay valid until the next call);
  // false: the input is exhausted. kInvalidInput "row N: ..." for an unterminated quoted field
  // or invalid UTF-8; the reader must not be used after an error.
  [[nodiscard]] Result<bool> Next(CsvRecord* record);

 private:
  std::string_view data_;
  size_t pos_ = 0;
  int64_t records_ = 0;
  std::string scratch_;                 // unescaped text of fields that contained ""
  std::vector<size_t> scratch_fields_;  // which fields of the record live in scratch_
  std::vector<size_t> scratch_starts_;  // their start offsets in scratch_
};

// Offset of the first byte of `text` that is not part of a valid UTF-8 sequence, or npos.
size_t FindInvalidUtf8(std::string_view text);

// Number of Unicode code points in valid UTF-8 `text`.
size_t CountCodePoints(std::string_view text);

}  // namespace kindred
