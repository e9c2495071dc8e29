// Test helper for recipe tests: TrainingData from literal histories.
//
//   TrainingData d = MakeHistories({{"a", "b"}, {"b", "c"}});  // users "u0", "u1"
//
// Items are indexed in first-seen order; events get increasing timestamps, so each list is its
// user's history, oldest first.
//
// Thread-safety: a pure function.
#pragma once

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

}  // namespace kindred
