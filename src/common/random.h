// Random identifiers: UUIDs (tracking ids, recommendation ids) and secret strings (access keys).
//
// Thread-safety: every function may be called from any thread; each uses the OS entropy source
// (NewUuid through a small per-thread pool of its bytes).
#pragma once

#include <string>

namespace kindred {

// A random version-4 UUID in its canonical 8-4-4-4-12 lower-case hex form.
std::string NewUuid();

// `length` characters drawn uniformly from `alphabet` using cryptographic randomness.
std::string RandomString(size_t length, const std::string& alphabet);

}  // namespace kindred
