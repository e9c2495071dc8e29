// TrainingData: what every recipe trains on — interactions with dense user and item indices,
// ordered by user and time, plus item metadata as categorical tokens.
//
// Built once per training run with TrainingDataBuilder from any source (a dataset group's
// datasets, a benchmark file); recipes never see external ids or storage.
//
//   TrainingDataBuilder b;
//   b.AddInteraction("u1", "i9", 1700000000, "click", 1.0f);
//   b.AddItemFeature("i9", "GENRE", "Comedy");
//   TrainingData data = std::move(b).Finish();
//   for (int32_t u = 0; u < data.num_users(); ++u) for (const Interaction& x : data.History(u)) ...
//
// Thread-safety: a finished TrainingData is immutable and may be read from any thread; a
// builder belongs to one thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kindred {

struct Interaction {
  int32_t user = 0;
  int32_t item = 0;
  int64_t timestamp = 0;    // seconds since the epoch
  int32_t event_type = -1;  // index into TrainingData::event_types, -1 when none
  float event_value = 0.0f;
};

// A dense index for each distinct string, in first-seen order.
class IdIndex {
 public:
  int32_t Intern(std::string_view id);
  // The index of `id`, or -1.
  int32_t Find(std::string_view id) const;
  const std::string& Name(int32_t index) const { return names_[index]; }
  int32_t size() const { return static_cast<int32_t>(names_.size()); }
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, int32_t> index_;
};

struct TrainingData {
  IdIndex users;
  IdIndex items;  // every item seen in interactions or item metadata
  IdIndex event_types;
  IdIndex features;  // categorical tokens "FIELD=value", e.g. "GENRE=Comedy"

  // Sorted by (user, timestamp), ties kept in input order.
  std::vector<Interaction> interactions;
  // Interactions of user u are interactions[user_offsets[u] .. user_offsets[u + 1]).
  std::vector<size_t> user_offsets;
  // Feature tokens of each item (indices into `features`); empty for items without metadata.
  std::vector<std::vector<int32_t>> item_features;
  // CREATION_TIMESTAMP of each item, -1 when unknown.
  std::vector<int64_t> item_creation;

  int32_t num_users() const { return users.size(); }
  int32_t num_items() const { return items.size(); }
  std::span<const Interaction> History(int32_t user) const {
    return {interactions.data() + user_offsets[user], interactions.data() + user_offsets[user + 1]};
  }
};

// The categorical token of an item metadata value: "<field>=<value>", e.g. "GENRE=Comedy".
std::string FeatureToken(std::string_view field, std::string_view value);

class TrainingDataBuilder {
 public:
  void AddInteraction(std::string_view user, std::string_view item, int64_t timestamp,
                      std::string_view event_type = {}, float event_value = 0.0f);
  // Adds the token "<field>=<value>" to the item's features (the item is added if new).
  void AddItemFeature(std::string_view item, std::string_view field, std::string_view value);
  void SetItemCreation(std::string_view item, int64_t timestamp);

  // Sorts the interactions and builds the per-user offsets.
  TrainingData Finish() &&;

 private:
  int32_t Item(std::string_view item);

  TrainingData data_;
};

}  // namespace kindred
