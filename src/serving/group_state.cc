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
  if (items_.size() != before) ItemChanged(event.item);
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
  if (index.ok()) ItemChanged(*index);
  return index;
}

Result<int32_t> GroupState::PutUser(const Row& row) { return users_.Upsert(row); }

void GroupState::AddImpressions(std::span<const std::string> items) {
  for (const std::string& id : items) {
    const int32_t before = items_.size();
    const int32_t index = items_.Intern(id);
    if (items_.size() != before) ItemChanged(index);
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

void GroupState::ItemChanged(int32_t index) {
  ++items_version_;
  item_changes_.push_back(index);
  const size_t keep = std::max<size_t>(1024, static_cast<size_t>(items_.size()));
  if (item_changes_.size() > 2 * keep) {  // drops the older half: amortised O(1) per change
    const size_t drop = item_changes_.size() - keep;
    item_changes_.erase(item_changes_.begin(), item_changes_.begin() + static_cast<ptrdiff_t>(drop));
    changes_from_ += drop;
  }
}

std::optional<std::span<const int32_t>> GroupState::ItemChangesSince(uint64_t version) const {
  if (version < changes_from_ || version > items_version_) return std::nullopt;
  return std::span<const int32_t>(item_changes_).subspan(version - changes_from_);
}

uint32_t GroupState::Impressions(int32_t item) const {
  return static_cast<size_t>(item) < impressions_.size() ? impressions_[item] : 0;
}

}  // namespace kindred
