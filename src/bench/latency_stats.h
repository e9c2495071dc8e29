// LatencyStats: the summary of a set of request latencies that the serving and events parts
// record — median, 90th and 99th percentile, mean and maximum in milliseconds — and the whole
// distribution as 101 quantiles (0th to 100th percentile), from which a report draws a CDF.
//
//   std::vector<double> ms = ...;  // one entry per request
//   nlohmann::json fields = SummarizeLatencies(ms);
//   // {"samples": .., "p50_ms": .., "p90_ms": .., "p99_ms": .., "mean_ms": .., "max_ms": ..,
//   //  "quantiles_ms": [.. 101 values ..]}
//
// A quantile q is the sample at rank round(q * (n - 1)) of the sorted samples (no
// interpolation), so every figure is a latency that was measured. No samples: every figure 0.
//
// CheckMeasured is the sanity check of a record holding such a summary: at least one sample,
// "errors" 0, and every "*_per_second" field above 0; kInternal naming the first that is not.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "common/status.h"

namespace kindred {

nlohmann::json SummarizeLatencies(std::vector<double> milliseconds);

Status CheckMeasured(const nlohmann::json& record);

}  // namespace kindred
