#include "data/data_location.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace kindred {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kS3Scheme = "s3://";
constexpr std::string_view kFileScheme = "file://";

// A location resolved to a local path, before the file system is consulted.
struct LocalTarget {
  fs::path path;
  fs::path confine_to;  // non-empty for s3://: the object root the path must stay inside
  bool is_folder = false;
};

std::string Describe(std::string_view location, const fs::path& local) {
  return "Data location " + std::string(location) + " (local path " + local.string() + ")";
}

bool EndsWithCsv(const std::string& name) {
  constexpr std::string_view kSuffix = ".csv";
  if (name.size() < kSuffix.size()) return false;
  return std::equal(
      kSuffix.begin(), kSuffix.end(), name.end() - kSuffix.size(),
      [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
}

// True when `path` is `root` or lies under it; both must be canonical.
bool IsWithin(const fs::path& path, const fs::path& root) {
  return std::mismatch(root.begin(), root.end(), path.begin(), path.end()).first == root.end();
}

Result<LocalTarget> ResolveS3(std::string_view location, const DataLocationOptions& options) {
  std::string_view rest = location.substr(kS3Scheme.size());  // bucket[/key]
  std::string_view bucket = rest.substr(0, rest.find('/'));
  if (bucket.empty()) {
    return Status::InvalidInput("Data location " + std::string(location) +
                                " has an empty bucket name (expected s3://bucket/key)");
  }
  if (options.s3_root.empty()) {
    return Status::InvalidInput("Data location " + std::string(location) +
                                " cannot be read: no local S3 object root is configured");
  }
  LocalTarget target;
  target.confine_to = fs::path(options.s3_root);
  target.path = target.confine_to;
  // Bucket and key are literal; only segments the file system would interpret are refused.
  size_t start = 0;
  while (start <= rest.size()) {
    size_t slash = std::min(rest.find('/', start), rest.size());
    std::string_view segment = rest.substr(start, slash - start);
    if (segment == "." || segment == "..") {
      return Status::InvalidInput(Describe(location, target.confine_to / std::string(rest)) +
                                  " contains a '" + std::string(segment) +
                                  "' segment, which could leave the object root; refused");
    }
    if (!segment.empty()) target.path /= std::string(segment);
    start = slash + 1;
  }
  target.is_folder = rest.size() == bucket.size() || rest.back() == '/';
  return target;
}

Result<LocalTarget> ResolveFile(std::string_view location) {
  std::string_view path = location.substr(kFileScheme.size());
  if (path.empty() || path.front() != '/') {
    return Status::InvalidInput("Data location " + std::string(location) +
                                " must name an absolute path (file:///absolute/path)");
  }
  LocalTarget target;
  target.path = fs::path(std::string(path)).lexically_normal();
  target.is_folder = path.back() == '/';
  return target;
}

Result<LocalTarget> ParseLocation(std::string_view location, const DataLocationOptions& options) {
  if (location.find('\0') != std::string_view::npos) {
    return Status::InvalidInput("Data location contains a NUL character");
  }
  if (location.starts_with(kS3Scheme)) return ResolveS3(location, options);
  if (location.starts_with(kFileScheme)) return ResolveFile(location);
  return Status::InvalidInput(
      "Data location " + std::string(location) + " is not supported: kindred reads s3:// " +
      "locations from its local object root (" + options.s3_root + ") and file:// paths; " +
      "http(s) and other schemes are not available");
}

// Refuses `path` when it (after following symlinks) is outside `target.confine_to`.
Status CheckConfined(std::string_view location, const LocalTarget& target, const fs::path& path) {
  if (target.confine_to.empty()) return Status::Ok();
  std::error_code ec;
  fs::path root = fs::canonical(target.confine_to, ec);
  if (ec) {
    return Status::IoError(Describe(location, path) + " cannot be read: object root " +
                           target.confine_to.string() + ": " + ec.message());
  }
  fs::path real = fs::canonical(path, ec);
  if (ec) return Status::IoError(Describe(location, path) + " cannot be read: " + ec.message());
  if (!IsWithin(real, root)) {
    return Status::InvalidInput(Describe(location, path) + " resolves to " + real.string() +
                                ", outside the object root " + root.string() + "; refused");
  }
  return Status::Ok();
}

Status CheckReadableFile(std::string_view location, const LocalTarget& target,
                         const fs::path& path) {
  KINDRED_RETURN_IF_ERROR(CheckConfined(location, target, path));
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(Describe(location, path) + " is not readable");
  return Status::Ok();
}

Result<std::vector<std::string>> ListCsvFiles(std::string_view location,
                                              const LocalTarget& target) {
  std::error_code ec;
  std::vector<std::string> files;
  fs::directory_iterator it(target.path, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    if (!EndsWithCsv(it->path().filename().string())) continue;
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) continue;  // folders, dangling links: not objects
    KINDRED_RETURN_IF_ERROR(CheckReadableFile(location, target, it->path()));
    files.push_back(it->path().string());
  }
  if (ec) {
    return Status::IoError(Describe(location, target.path) + " cannot be listed: " + ec.message());
  }
  if (files.empty()) {
    return Status::IoError(Describe(location, target.path) + " is a folder with no .csv files");
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

Result<std::vector<std::string>> ResolveDataLocation(std::string_view location,
                                                     const DataLocationOptions& options) {
  Result<LocalTarget> parsed = ParseLocation(location, options);
  if (!parsed.ok()) return parsed.status();
  const LocalTarget& target = *parsed;

  std::error_code ec;
  fs::file_status status = fs::status(target.path, ec);
  if (!fs::exists(status)) {
    return Status::IoError(Describe(location, target.path) + " does not exist");
  }
  KINDRED_RETURN_IF_ERROR(CheckConfined(location, target, target.path));
  if (target.is_folder) {
    if (!fs::is_directory(status)) {
      return Status::IoError(Describe(location, target.path) +
                             " ends with '/' but is not a folder");
    }
    return ListCsvFiles(location, target);
  }
  if (fs::is_directory(status)) {
    return Status::IoError(Describe(location, target.path) +
                           " is a folder; end the location with '/' to read its .csv files");
  }
  if (!fs::is_regular_file(status)) {
    return Status::IoError(Describe(location, target.path) + " is not a regular file");
  }
  KINDRED_RETURN_IF_ERROR(CheckReadableFile(location, target, target.path));
  return std::vector<std::string>{target.path.string()};
}

}  // namespace kindred
