#include "bench/latency_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace kindred {

nlohmann::json SummarizeLatencies(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  const auto quantile = [&ms](double q) {
    if (ms.empty()) return 0.0;
    return ms[static_cast<size_t>(std::lround(q * static_cast<double>(ms.size() - 1)))];
  };
  nlohmann::json quantiles = nlohmann::json::array();
  for (int p = 0; p <= 100; ++p) quantiles.push_back(quantile(p / 100.0));
  const double sum = std::accumulate(ms.begin(), ms.end(), 0.0);
  return {{"samples", ms.size()},
          {"p50_ms", quantile(0.50)},
          {"p90_ms", quantile(0.90)},
          {"p99_ms", quantile(0.99)},
          {"mean_ms", ms.empty() ? 0.0 : sum / static_cast<double>(ms.size())},
          {"max_ms", ms.empty() ? 0.0 : ms.back()},
          {"quantiles_ms", std::move(quantiles)}};
}

Status CheckMeasured(const nlohmann::json& record) {
  if (record.value("samples", int64_t{0}) <= 0) return Status::Internal("no samples");
  if (record.value("errors", int64_t{0}) != 0) {
    return Status::Internal(record["errors"].dump() + " requests failed");
  }
  for (const auto& [key, value] : record.items()) {
    if (key.ends_with("_per_second") && !(value.get<double>() > 0)) {
      return Status::Internal(key + " = " + value.dump() + " is not above 0");
    }
  }
  return Status::Ok();
}

}  // namespace kindred
