#include "serving/group_state.h"

#include <algorithm>
#include <atomic>

namespace kindred {

GroupState::GroupState(std::optional<DatasetSchema> items_schema,
                       std::optional<DatasetSchema> users_schema)
    : items_("ITEM_ID", std::move(items_schema)), users_("USER_ID", std::move(users_schema)) {
  static std::atomic<uint64_t> next_id{1};
  id_ = next_id++;
}

int32_t GroupState::EventType(std::string_view name) {
  auto it = event_type_index_.find(std::string(name));
  if (it != event_type_index_.end()) return it->second;
  const int32_t index = static_cast<int32_t>(event_types_.size());
  event_types_.emplace_back(name);
  event_type_index_.emplace(std::string(name), index);
  return index;
}

std::vector<ServingEvent>& GroupState::HistoryOf(std::string_view user_or_session) {
  std::string key(user_or_session);
  if (auto link = session_user_.find(key); link != session_user_.end()) key = link->second;
  return histories_[key];
}

void GroupState::AddEvent(const EventRecord& e) {
  const int32_t before = items_.size();
  const ServingEvent event{items_.Intern(e.item), EventType(e.event_type), e.timestamp};
  if (items_.size() != before) ++items_version_;
  if (!e.session.empty() && e.session != e.user &&
      !session_user_.contains(std::string(e.session))) {
    // The session's anonymous events become the user's.
    std::vector<ServingEvent>& user = histories_[std::string(e.user)];
    if (auto anonymous = histories_.find(std::string(e.session)); anonymous != histories_.end()) {
      user.insert(user.end(), anonymous->second.begin(), anonymous->second.end());
      histories_.erase(anonymous);
      std::stable_sort(user.begin(), user.end(), [](const ServingEvent& a, const ServingEvent& b) {
        return a.timestamp < b.timestamp;
      });
    }
    session_user_.emplace(std::string(e.session), std::string(e.user));
  }
  std::vector<ServingEvent>& history = HistoryOf(e.user);
  // Events mostly arrive in time order; an older one is inserted where it belongs.
  auto at = std::upper_bound(
      history.begin(), history.end(), event,
      [](const ServingEvent& a, const ServingEvent& b) { return a.timestamp < b.timestamp; });
  history.insert(at, event);
  if (history.size() > kMaxEventsPerUser) {
    history.erase(history.begin(), history.end() - kMaxEventsPerUser);
  }
}

Result<int32_t> GroupState::PutItem(const Row& row) {
  Result<int32_t> index = items_.Upsert(row);
  if (index.ok()) ++items_version_;
  return index;
}

Result<int32_t> GroupState::PutUser(const Row& row) { return users_.Upsert(row); }

void GroupState::AddImpressions(std::span<const std::string> items) {
  for (const std::string& id : items) {
    const int32_t before = items_.size();
    const int32_t index = items_.Intern(id);
    if (items_.size() != before) ++items_version_;
    if (static_cast<size_t>(index) >= impressions_.size()) impressions_.resize(index + 1, 0);
    ++impressions_[index];
  }
}

std::span<const ServingEvent> GroupState::Events(std::string_view user) const {
  std::string key(user);
  if (auto link = session_user_.find(key); link != session_user_.end()) key = link->second;
  auto it = histories_.find(key);
  if (it == histories_.end()) return {};
  return it->second;
}

uint32_t GroupState::Impressions(int32_t item) const {
  return static_cast<size_t>(item) < impressions_.size() ? impressions_[item] : 0;
}

}  // namespace kindred
