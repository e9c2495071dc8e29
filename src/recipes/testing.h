// Test helpers for recipe tests: TrainingData from literal histories, and a model's scores as a
// ranking of item names.
//
//   TrainingData d = MakeHistories({{"a", "b"}, {"b", "c"}});  // users "u0", "u1"
//   EXPECT_EQ(Ranking(d, scores).front(), "c");
//
// Items are indexed in first-seen order; events get increasing timestamps, so each list is its
// user's history, oldest first.
//
// Thread-safety: pure functions.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "recipes/training_data.h"

namespace kindred {

inline TrainingData MakeHistories(const std::vector<std::vector<std::string>>& histories) {
  TrainingDataBuilder builder;
  int64_t timestamp = 0;
  for (size_t u = 0; u < histories.size(); ++u) {
    for (const std::string& item : histories[u]) {
      builder.AddInteraction("u" + std::to_string(u), item, ++timestamp);
    }
  }
  return std::move(builder).Finish();
}

// Item names from best to worst score (ties in index order), -infinity left out.
inline std::vector<std::string> Ranking(const TrainingData& data,
                                        const std::vector<float>& scores) {
  std::vector<int32_t> order;
  for (int32_t i = 0; i < data.num_items(); ++i) {
    if (!std::isinf(scores[i])) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](int32_t a, int32_t b) { return scores[a] > scores[b]; });
  std::vector<std::string> names;
  for (int32_t i : order) names.push_back(data.items.Name(i));
  return names;
}

}  // namespace kindred
