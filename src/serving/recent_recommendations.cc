#include "serving/recent_recommendations.h"

namespace kindred {

void RecentRecommendations::Remember(const std::string& recommendation_id,
                                     std::vector<std::string> items) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!items_.emplace(recommendation_id, std::move(items)).second) return;
  order_.push_back(recommendation_id);
  while (order_.size() > capacity_) {
    items_.erase(order_.front());
    order_.pop_front();
  }
}

std::optional<std::vector<std::string>> RecentRecommendations::Find(
    const std::string& recommendation_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = items_.find(recommendation_id);
  if (it == items_.end()) return std::nullopt;
  return it->second;
}

}  // namespace kindred
