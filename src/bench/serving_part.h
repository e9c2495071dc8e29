// ServingPart ("serving"): how fast kindred answers GetRecommendations, for an
// aws-user-personalization campaign (`hidden_dimension` 64, one epoch) on synthetic catalogues
// of 10k, 100k and 1M items (datasets synthetic-10k, synthetic-100k, synthetic-1m; quick mode:
// synthetic-2k only), 2,000 users and 50,000 interactions (quick: 500 and 10,000), set up
// through the public API of a server in the measuring process (bench_campaign.h,
// bench_server.h). Per catalogue, in one child process:
//
//  - latency, in-process: requests one after another through the server's API handler
//    (SigV4, routing, JSON parsing and validation, Recommend, the JSON response) on the calling
//    thread, without HTTP;
//  - latency, http: the same requests one after another over one keep-alive connection to the
//    server's HttpServer (32 threads, as `kindred serve`) on a loopback port;
//  - throughput, http: a closed-loop load (http_load.h) at concurrency 1, 2, 4, 8, 16, 32, 64
//    (quick: 1 and 4), each client a keep-alive connection of its own.
//
// Each request asks 25 items for one of 500 users drawn from the catalogue's users, signed
// before the measurement. Setup (generation, import, training, loading the campaign) is not
// timed: every request is answered once, and its 25 items checked, and the server's background
// work (flushes, compactions) left to finish before measuring. A latency measurement runs 10 s
// (quick 1 s) and at least 200 requests, in 5 rounds alternating with the other mode's; a
// throughput point 1 s of warm-up then 8 s (quick 0.2 s and 1 s). Records:
//
//   {"part": "serving", "measurement": "latency" | "throughput",
//    "mode": "in-process" | "http", "dataset": "synthetic-10k", "items": 10000,
//    "concurrency": .., "samples": .., "errors": .., "p50_ms": .., "p90_ms": .., "p99_ms": ..,
//    "mean_ms": .., "max_ms": .., "quantiles_ms": [101 values], "requests_per_second": ..,
//    "seconds": .., "setup_seconds": .., "training_seconds": ..}
//
// Sane: samples and requests_per_second above 0, no errors. Clients and server share the
// machine's cores.
//
// Thread-safety: as BenchPart.
#pragma once

#include "bench/bench_part.h"

namespace kindred {

class ServingPart : public BenchPart {
 public:
  std::string_view name() const override { return "serving"; }
  std::string_view summary() const override {
    return "GetRecommendations latency in process and over HTTP at 10k-1M items, throughput "
           "against concurrency over HTTP keep-alive";
  }
  Status Run(const BenchOptions& options, ResultLog& log) const override;
};

}  // namespace kindred
