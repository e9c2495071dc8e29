// DescribeMachine: what a benchmark report says about the machine its numbers come from — CPU
// model, cores, memory, operating system, kernel and the compiler kindred was built with.
//
//   {"cpu_model": "AMD EPYC", "cores": 2, "memory_bytes": 25000000000,
//    "os": "Debian GNU/Linux 12 (bookworm)", "kernel": "6.1.0-18-amd64", "compiler": "GCC 12.2.0"}
//
// Values that cannot be read are "unknown" (or 0). Linux only: /proc/cpuinfo, /proc/meminfo,
// /etc/os-release and uname(). LoadAverage tells how busy the machine is (other work sharing it
// slows the measurements down): the 1-minute load average of /proc/loadavg, -1 when unknown.
//
// Thread-safety: may be called from any thread.
#pragma once

#include <nlohmann/json.hpp>

namespace kindred {

nlohmann::json DescribeMachine();
double LoadAverage();

}  // namespace kindred
