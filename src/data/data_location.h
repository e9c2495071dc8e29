// Data locations: turns a dataSource.dataLocation (s3://... or file://...) into the local files
// that a dataset import job reads.
//
// kindred has no S3 client. It reads s3://bucket/key from a local directory, the "object root",
// where <root>/<bucket>/<key> stands for the object. A location ending in '/' names a folder:
// every *.csv file directly inside it is read (not sub-folders, as Personalize's import jobs do),
// in byte-wise sorted order. Keys are literal: '%2F' stays '%2F'. Locations that would leave the
// root ('..' segments, symlinks pointing outside) are refused. docs/data-locations.md has more.
//
//   DataLocationOptions options{.s3_root = "/var/lib/kindred/s3"};
//   Result<std::vector<std::string>> files = ResolveDataLocation("s3://b/in/", options);
//
// Thread-safety: stateless; safe to call from any thread (the result reflects the file system at
// the time of the call).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace kindred {

struct DataLocationOptions {
  std::string s3_root;  // local directory standing in for S3; <s3_root>/<bucket>/<key>
};

// Resolves `location` to the absolute paths of the files to read, sorted. Errors name the
// location and the local path: kInvalidInput for a malformed or unsupported location (http(s),
// empty bucket, relative file:// path, escaping the object root); kIoError when the file or
// folder is missing or unreadable, or a folder holds no CSV files.
[[nodiscard]] Result<std::vector<std::string>> ResolveDataLocation(
    std::string_view location, const DataLocationOptions& options);

}  // namespace kindred
