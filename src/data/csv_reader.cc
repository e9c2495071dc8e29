#include "data/csv_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

namespace kindred {
namespace {

constexpr std::array<bool, 256> MakeDelimiterTable() {
  std::array<bool, 256> t{};
  t[static_cast<unsigned char>(',')] = true;
  t[static_cast<unsigned char>('\n')] = true;
  t[static_cast<unsigned char>('\r')] = true;
  return t;
}
constexpr std::array<bool, 256> kDelimiter = MakeDelimiterTable();

bool IsDelimiter(char c) { return kDelimiter[static_cast<unsigned char>(c)]; }

Status RowError(int64_t row, std::string_view what) {
  return Status::InvalidInput("row " + std::to_string(row) + ": " + std::string(what));
}

}  // namespace

Result<MappedFile> MappedFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError("cannot open " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return Status::IoError("cannot read " + path + ": " + std::strerror(err));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::IoError("cannot read " + path + ": not a regular file");
  }
  size_t size = static_cast<size_t>(st.st_size);
  void* addr = nullptr;
  if (size > 0) {
    addr = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (addr == MAP_FAILED) {
      int err = errno;
      ::close(fd);
      return Status::IoError("cannot map " + path + ": " + std::strerror(err));
    }
    ::madvise(addr, size, MADV_SEQUENTIAL);
  }
  ::close(fd);
  return MappedFile(addr, size);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : addr_(std::exchange(other.addr_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    if (addr_ != nullptr) ::munmap(addr_, size_);
    addr_ = std::exchange(other.addr_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

MappedFile::~MappedFile() {
  if (addr_ != nullptr) ::munmap(addr_, size_);
}

CsvReader::CsvReader(std::string_view data) : data_(data) {
  if (data_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
}

Result<bool> CsvReader::Next(CsvRecord* record) {
  const char* d = data_.data();
  const size_t n = data_.size();
  if (pos_ >= n) return false;
  record->fields.clear();
  record->malformed = false;
  record->number = ++records_;
  scratch_.clear();
  scratch_fields_.clear();
  scratch_starts_.clear();
  const size_t record_start = pos_;
  size_t p = pos_;
  for (;;) {  // one field per iteration
    if (p < n && d[p] == '"') {
      ++p;
      size_t chunk = p;      // start of text not yet copied to scratch_
      bool escaped = false;  // the field contains "" and lives in scratch_
      size_t scratch_start = 0;
      for (;;) {
        const void* q = std::memchr(d + p, '"', n - p);
        if (q == nullptr) return RowError(record->number, "unterminated quoted field");
        size_t quote = static_cast<size_t>(static_cast<const char*>(q) - d);
        if (quote + 1 < n && d[quote + 1] == '"') {
          if (!escaped) {
            escaped = true;
            scratch_start = scratch_.size();
          }
          scratch_.append(d + chunk, quote + 1 - chunk);  // keeps one of the two quotes
          p = chunk = quote + 2;
          continue;
        }
        if (escaped) {
          scratch_.append(d + chunk, quote - chunk);
          scratch_fields_.push_back(record->fields.size());
          scratch_starts_.push_back(scratch_start);
          record->fields.emplace_back();  // filled in below, once scratch_ stops growing
        } else {
          record->fields.emplace_back(d + chunk, quote - chunk);
        }
        p = quote + 1;
        break;
      }
      if (p < n && !IsDelimiter(d[p])) {
        record->malformed = true;
        while (p < n && !IsDelimiter(d[p])) ++p;
      }
    } else {
      size_t start = p;
      while (p < n && !IsDelimiter(d[p])) ++p;
      record->fields.emplace_back(d + start, p - start);
    }
    if (p >= n) break;
    char c = d[p++];
    if (c == ',') continue;
    if (c == '\r' && p < n && d[p] == '\n') ++p;
    break;
  }
  pos_ = p;
  for (size_t i = 0; i < scratch_fields_.size(); ++i) {
    size_t start = scratch_starts_[i];
    size_t end = i + 1 < scratch_fields_.size() ? scratch_starts_[i + 1] : scratch_.size();
    record->fields[scratch_fields_[i]] = std::string_view(scratch_).substr(start, end - start);
  }
  if (FindInvalidUtf8(data_.substr(record_start, p - record_start)) != std::string_view::npos) {
    return RowError(record->number, "the file is not valid UTF-8");
  }
  return true;
}

size_t FindInvalidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // ASCII fast path, eight bytes at a time.
    while (i + 8 <= n) {
      uint64_t chunk;
      std::memcpy(&chunk, s + i, 8);
      if (chunk & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n || s[i + 1] < lo || s[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

size_t CountCodePoints(std::string_view text) {
  size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

}  // namespace kindred
