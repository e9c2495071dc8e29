// QualityPart ("quality"): how good each recipe's recommendations are, and what its training
// costs.
//
// Every recipe of AllRecipes(), with its default hyperparameters, on every dataset — the public
// ones of bench_datasets.h (skipped when missing) and a synthetic one — by both protocols of
// recipes/offline_metrics.h: next-item leave-one-out (HR@10 and NDCG@10, full ranking and
// against 100 sampled negatives, plus the training time) and Personalize's offline metrics
// (what GetSolutionMetrics returns). Each (dataset, recipe, protocol, repetition) runs in its
// own child process, which loads the data itself, so the record's memory figures belong to that
// run alone:
//
//   {"part": "quality", "dataset": "amazon-games", "recipe": "aws-sims",
//    "protocol": "next-item" | "personalize", "repetition": 0,
//    "data": {"users": .., "items": .., "events": ..}, "evaluated_users": ..  (next-item),
//    "metrics": {"hit_rate_at_10": .., "ndcg_at_10": .., "sampled_hit_rate_at_10": ..,
//                "sampled_ndcg_at_10": ..}  or the 8 GetSolutionMetrics keys,
//    "train_seconds": .. (next-item), "seconds": .. (training + evaluation), "load_seconds": ..,
//    "baseline_rss_bytes": .., "data_rss_bytes": .. (after loading), "peak_rss_bytes": ..,
//    "cpu_seconds": ..}
//
// Sane: every metric within [0, 1], at least one evaluated user, a peak above the data's
// resident size. Quick mode: only a small synthetic dataset.
//
// Thread-safety: as BenchPart.
#pragma once

#include "bench/bench_part.h"

namespace kindred {

class QualityPart : public BenchPart {
 public:
  std::string_view name() const override { return "quality"; }
  std::string_view summary() const override {
    return "every recipe on every dataset, next-item and Personalize offline metrics, training "
           "time and peak memory";
  }
  Status Run(const BenchOptions& options, ResultLog& log) const override;
};

}  // namespace kindred
