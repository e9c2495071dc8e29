// GroupState: what serving knows about one dataset group right now — item and user metadata,
// the recent events of every user and anonymous session, and how often each item was shown —
// built from the stored datasets and kept current by the events API (PutEvents, PutItems,
// PutUsers), so the next recommendation reflects an event the moment it is accepted.
//
// Events are kept per user (or per session id for anonymous events), oldest first, at most
// kMaxEventsPerUser of the newest. An event carrying both a session id and a user id links the
// session to the user: the session's earlier events move to the user, and later events of the
// session count for the user too.
//
//   GroupState state(items_schema, users_schema);
//   state.AddEvent({.user = "u1", .item = "i9", .event_type = "click", .timestamp = 1700000000});
//   for (const ServingEvent& e : state.Events("u1")) ...
//
// Thread-safety: not synchronised. Const methods may run concurrently with each other; every
// other method needs exclusive access (the owner, GroupStateHolder, holds a lock).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "data/dataset_schema.h"
#include "data/row_codec.h"
#include "serving/metadata_table.h"

namespace kindred {

struct ServingEvent {
  int32_t item = 0;        // index in GroupState::items()
  int32_t event_type = 0;  // index into GroupState::EventTypeName
  int64_t timestamp = 0;   // seconds
};

// One event as the events API or a dataset row gives it.
struct EventRecord {
  std::string_view user;     // user id, or the session id of an anonymous event
  std::string_view session;  // set with `user` when the event links a session to a user
  std::string_view item;
  std::string_view event_type;
  int64_t timestamp = 0;
};

class GroupState {
 public:
  static constexpr size_t kMaxEventsPerUser = 1000;

  GroupState(std::optional<DatasetSchema> items_schema, std::optional<DatasetSchema> users_schema);

  // Records one event (see the class comment for sessions). The item is added to items() when
  // new, without metadata.
  void AddEvent(const EventRecord& event);
  // Inserts or replaces an item's / user's metadata (a row of the Items / Users schema).
  Result<int32_t> PutItem(const Row& row);
  Result<int32_t> PutUser(const Row& row);
  // Counts one impression for each item id (unknown ids are added to items()).
  void AddImpressions(std::span<const std::string> items);

  const MetadataTable& items() const { return items_; }
  const MetadataTable& users() const { return users_; }
  // The events of a user or session id (following a link from the session to its user), oldest
  // first; empty when unknown.
  std::span<const ServingEvent> Events(std::string_view user) const;
  const std::string& EventTypeName(int32_t index) const { return event_types_[index]; }
  // Impressions recorded for an item index (0 when none).
  uint32_t Impressions(int32_t item) const;
  // Grows by one with every change to items(): lets callers cache what they derive from it.
  uint64_t items_version() const { return items_version_; }
  // The index of the item each change after `version` was to (in order, an item as often as it
  // changed), so that a cache can follow the changes instead of starting again; nullopt when
  // `version` is older than the changes kept (at least the latest max(1024, items().size())).
  std::optional<std::span<const int32_t>> ItemChangesSince(uint64_t version) const;
  // Unique among the GroupStates of this process (caches key on it rather than the address).
  uint64_t id() const { return id_; }

 private:
  int32_t EventType(std::string_view name);
  void ItemChanged(int32_t index);
  std::vector<ServingEvent>& HistoryOf(std::string_view user_or_session);

  MetadataTable items_;
  MetadataTable users_;
  std::vector<std::string> event_types_;
  std::unordered_map<std::string, int32_t> event_type_index_;
  std::unordered_map<std::string, std::vector<ServingEvent>> histories_;
  std::unordered_map<std::string, std::string> session_user_;  // linked anonymous sessions
  std::vector<uint32_t> impressions_;                          // by item index
  uint64_t items_version_ = 0;
  std::vector<int32_t> item_changes_;  // the item of each change after changes_from_
  uint64_t changes_from_ = 0;
  uint64_t id_;
};

}  // namespace kindred
