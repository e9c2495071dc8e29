// Resident memory of the calling process, as Linux reports it in /proc/self/status: VmRSS (now)
// and VmHWM (the peak since the process started). Benchmarks run each measurement in a child
// process (child_process.h), so a child's peak is the peak of that one measurement.
//
//   ReleaseFreeMemory();
//   int64_t before = ReadProcessMemory().resident_bytes;
//
// Thread-safety: the functions may be called from any thread.
#pragma once

#include <cstdint>

namespace kindred {

struct ProcessMemory {
  int64_t resident_bytes = 0;       // VmRSS; 0 when unknown
  int64_t peak_resident_bytes = 0;  // VmHWM; 0 when unknown
};

ProcessMemory ReadProcessMemory();

// Hands freed heap memory back to the operating system (malloc_trim), so that resident memory
// counts what is live rather than what the allocator keeps for later.
void ReleaseFreeMemory();

}  // namespace kindred
