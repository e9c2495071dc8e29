// EventsPart ("events"): how fast kindred records events, and how soon they count. On an
// aws-user-personalization campaign (as the serving part's, bench_campaign.h) over the
// synthetic-10k catalogue (quick: synthetic-2k), in one child process with a server of 32 HTTP
// threads (as `kindred serve`) on a loopback port:
//
//  - put-events: PutEvents throughput over HTTP keep-alive (http_load.h) at concurrency 1, 4,
//    16 and 64 (quick: 1 and 4); each request carries 10 click events of one user, no eventId
//    (a replayed request is stored again), and is answered 200 only once durable (the WAL
//    fsync, resources/event_ops.h). 1 s of warm-up then 8 s per point (quick 0.2 s and 1 s).
//  - event-to-effect: on one keep-alive connection, for a user who has no events yet:
//    GetRecommendations with a filter excluding purchased items, a PutEvents purchase of its
//    first item, and GetRecommendations again, which must already leave the item out. 500
//    samples (quick 30); the latencies of the PutEvents, of the next GetRecommendations, and
//    of both together: the delay from sending the event to holding a recommendation that
//    reflects it.
//
// Setup is not timed (every request kind is answered once before measuring). Records:
//
//   {"part": "events", "measurement": "put-events", "mode": "http", "dataset": .., "items": ..,
//    "concurrency": .., "events_per_request": 10, "samples": .., "errors": .., "p50_ms": ..,
//    "p90_ms": .., "p99_ms": .., "mean_ms": .., "max_ms": .., "quantiles_ms": [..],
//    "requests_per_second": .., "events_per_second": .., "seconds": ..}
//   {"part": "events", "measurement": "event-to-effect", "mode": "http", "dataset": ..,
//    "items": .., "concurrency": 1, "samples": .., "reflected": .., "errors": ..,
//    "put_p50_ms": .., "put_p90_ms": .., "put_p99_ms": .., "put_mean_ms": .., "put_max_ms": ..,
//    "put_quantiles_ms": [..], the same for "effect_" (the next GetRecommendations) and
//    "delay_" (both)}
//
// Sane: throughputs above 0, no errors, and every purchase reflected by the very next request
// (reflected == samples).
//
// Thread-safety: as BenchPart.
#pragma once

#include "bench/bench_part.h"

namespace kindred {

class EventsPart : public BenchPart {
 public:
  std::string_view name() const override { return "events"; }
  std::string_view summary() const override {
    return "durable PutEvents throughput against concurrency, and the delay from an event to "
           "its effect on the next recommendation";
  }
  Status Run(const BenchOptions& options, ResultLog& log) const override;
};

}  // namespace kindred
