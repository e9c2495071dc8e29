#include "bench/machine_info.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace kindred {
namespace {

// The value after "key" and the separator `sep` on the first line of `path` that starts with
// `key`, trimmed of spaces and quotes; "unknown" when there is none.
std::string FirstValue(const std::string& path, const std::string& key, char sep) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with(key)) continue;
    const size_t at = line.find(sep);
    if (at == std::string::npos) continue;
    std::string value = line.substr(at + 1);
    const size_t first = value.find_first_not_of(" \t\"");
    const size_t last = value.find_last_not_of(" \t\"");
    if (first != std::string::npos) return value.substr(first, last - first + 1);
  }
  return "unknown";
}

std::string Compiler() {
#if defined(__clang__)
  return "Clang " __clang_version__;
#elif defined(__GNUC__)
  return "GCC " __VERSION__;
#else
  return "unknown";
#endif
}

}  // namespace

nlohmann::json DescribeMachine() {
  int64_t memory = 0;
  std::istringstream(FirstValue("/proc/meminfo", "MemTotal", ':')) >> memory;
  struct utsname uts {};
  const bool named = ::uname(&uts) == 0;
  return {{"cpu_model", FirstValue("/proc/cpuinfo", "model name", ':')},
          {"cores", static_cast<int64_t>(::sysconf(_SC_NPROCESSORS_ONLN))},
          {"memory_bytes", memory * 1024},
          {"os", FirstValue("/etc/os-release", "PRETTY_NAME", '=')},
          {"kernel", named ? std::string(uts.release) : "unknown"},
          {"architecture", named ? std::string(uts.machine) : "unknown"},
          {"compiler", Compiler()}};
}

double LoadAverage() {
  std::ifstream in("/proc/loadavg");
  double load = -1;
  return in >> load ? load : -1;
}

}  // namespace kindred
