#include "bench/http_load.h"

#include <chrono>
#include <memory>
#include <thread>

#include "bench/http_client.h"
#include "bench/latency_stats.h"

namespace kindred {
namespace {

using Clock = std::chrono::steady_clock;

struct ClientTally {
  std::vector<double> latencies_ms;
  int64_t requests = 0;
  int64_t errors = 0;
  Status status;  // not ok when the client could not (re)connect
};

// One client's loop: requests back to back from `offset` on, sending none after `end`; counts
// those that finish within [measure_from, end].
void RunClient(uint16_t port, const std::vector<std::string>& requests, size_t offset,
               Clock::time_point measure_from, Clock::time_point end, ClientTally* tally) {
  Result<std::unique_ptr<KeepAliveClient>> client = KeepAliveClient::Connect(port);
  for (size_t i = offset; client.ok(); ++i) {
    const Clock::time_point start = Clock::now();
    if (start >= end) return;
    Result<ClientResponse> response = (*client)->Exchange(requests[i % requests.size()]);
    const Clock::time_point done = Clock::now();
    if (done >= measure_from && done <= end) {
      ++tally->requests;
      if (!response.ok() || response->status != 200) ++tally->errors;
      if (response.ok()) {
        tally->latencies_ms.push_back(
            std::chrono::duration<double, std::milli>(done - start).count());
      }
    }
    if (!response.ok()) client = KeepAliveClient::Connect(port);
  }
  tally->status = client.status();
}

}  // namespace

Result<LoadResult> RunHttpLoad(uint16_t port, const std::vector<std::string>& requests,
                               const LoadOptions& options) {
  if (requests.empty() || options.concurrency < 1) {
    return Status::InvalidInput("a load needs requests and at least one client");
  }
  const auto seconds = [](double s) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  };
  const Clock::time_point measure_from = Clock::now() + seconds(options.warmup_seconds);
  const Clock::time_point end = measure_from + seconds(options.seconds);
  std::vector<ClientTally> tallies(static_cast<size_t>(options.concurrency));
  std::vector<std::thread> threads;
  for (size_t c = 0; c < tallies.size(); ++c) {
    const size_t offset = c * requests.size() / tallies.size();
    threads.emplace_back(RunClient, port, std::cref(requests), offset, measure_from, end,
                         &tallies[c]);
  }
  for (std::thread& t : threads) t.join();

  LoadResult result;
  result.seconds = options.seconds;
  for (ClientTally& tally : tallies) {
    if (!tally.status.ok()) return tally.status;
    result.latencies_ms.insert(result.latencies_ms.end(), tally.latencies_ms.begin(),
                               tally.latencies_ms.end());
    result.requests += tally.requests;
    result.errors += tally.errors;
  }
  result.requests_per_second = static_cast<double>(result.requests) / result.seconds;
  return result;
}

nlohmann::json LoadRecord(const LoadOptions& options, const LoadResult& result) {
  nlohmann::json record = SummarizeLatencies(result.latencies_ms);
  record["concurrency"] = options.concurrency;
  record["requests_per_second"] = result.requests_per_second;
  record["errors"] = result.errors;
  record["seconds"] = result.seconds;
  return record;
}

}  // namespace kindred
