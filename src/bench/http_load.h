// RunHttpLoad: a closed-loop load generator over HTTP keep-alive, as wrk is: `concurrency`
// clients (threads, each with its own KeepAliveClient connection) send requests back to back —
// the next as soon as the previous answer arrived — for a warm-up, then for the measured time.
//
// Each client replays `requests` (wire form, http_client.h) in turn, starting at its own offset
// so that clients do not send the same request at the same moment. The requests that finish
// within the measured time count, as wrk counts them: their latencies (write to full response),
// and their number per second of measured time. A response other than 200 counts as an error
// (and its latency is kept); a transport error counts as one and the client reconnects. No
// request is sent after the measured time; those still in flight then are waited for and not
// counted.
//
//   const LoadOptions options{.concurrency = 8};
//   Result<LoadResult> r = RunHttpLoad(server.port(), wire_requests, options);
//   nlohmann::json record = LoadRecord(options, *r);  // p50_ms, requests_per_second, ...
//
// kIoError when a client cannot connect at all. Clients and server share the machine's cores.
//
// Thread-safety: call from one thread; it starts and joins the client threads itself.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace kindred {

struct LoadOptions {
  int concurrency = 1;
  double warmup_seconds = 0.5;
  double seconds = 5;
};

struct LoadResult {
  std::vector<double> latencies_ms;  // of the counted requests, in no particular order
  int64_t requests = 0;              // counted requests, errors included
  int64_t errors = 0;
  double seconds = 0;  // the measured time
  double requests_per_second = 0;
};

Result<LoadResult> RunHttpLoad(uint16_t port, const std::vector<std::string>& requests,
                               const LoadOptions& options);

// The fields a benchmark record takes from `result`: concurrency, the latency summary
// (latency_stats.h), requests_per_second, errors and seconds.
nlohmann::json LoadRecord(const LoadOptions& options, const LoadResult& result);

}  // namespace kindred
