// RecentRecommendations: the items of the latest responses by recommendationId, so an event
// that cites a recommendationId without an impression list records those items as shown (an
// implicit impression, as Personalize does).
//
// Bounded: keeps the newest `capacity` responses; older ids are forgotten (their events then
// count no implicit impression). Not persisted: a restart forgets them too.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace kindred {

class RecentRecommendations {
 public:
  explicit RecentRecommendations(size_t capacity = 100000) : capacity_(capacity) {}

  void Remember(const std::string& recommendation_id, std::vector<std::string> items);
  // The items of a remembered response, or nullopt.
  std::optional<std::vector<std::string>> Find(const std::string& recommendation_id) const;

 private:
  size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::vector<std::string>> items_;  // GUARDED_BY(mu_)
  std::deque<std::string> order_;                                    // GUARDED_BY(mu_)
};

}  // namespace kindred
