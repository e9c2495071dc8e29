#include "bench/process_memory.h"

#include <malloc.h>

#include <fstream>
#include <sstream>
#include <string>

namespace kindred {

ProcessMemory ReadProcessMemory() {
  ProcessMemory m;
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    std::istringstream fields(line);
    std::string name;
    int64_t kib = 0;
    if (!(fields >> name >> kib)) continue;
    if (name == "VmRSS:") m.resident_bytes = kib * 1024;
    if (name == "VmHWM:") m.peak_resident_bytes = kib * 1024;
  }
  return m;
}

void ReleaseFreeMemory() { ::malloc_trim(0); }

}  // namespace kindred
