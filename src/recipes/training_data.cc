#include "recipes/training_data.h"

#include <algorithm>

namespace kindred {

int32_t IdIndex::Intern(std::string_view id) {
  auto it = index_.find(std::string(id));
  if (it != index_.end()) return it->second;
  int32_t next = size();
  names_.emplace_back(id);
  index_.emplace(names_.back(), next);
  return next;
}

int32_t IdIndex::Find(std::string_view id) const {
  auto it = index_.find(std::string(id));
  return it == index_.end() ? -1 : it->second;
}

int32_t TrainingDataBuilder::Item(std::string_view item) {
  int32_t index = data_.items.Intern(item);
  if (static_cast<size_t>(index) >= data_.item_features.size()) {
    data_.item_features.resize(index + 1);
    data_.item_creation.resize(index + 1, -1);
  }
  return index;
}

void TrainingDataBuilder::AddInteraction(std::string_view user, std::string_view item,
                                         int64_t timestamp, std::string_view event_type,
                                         float event_value) {
  Interaction x;
  x.user = data_.users.Intern(user);
  x.item = Item(item);
  x.timestamp = timestamp;
  x.event_type = event_type.empty() ? -1 : data_.event_types.Intern(event_type);
  x.event_value = event_value;
  data_.interactions.push_back(x);
}

std::string FeatureToken(std::string_view field, std::string_view value) {
  std::string token(field);
  token += '=';
  token += value;
  return token;
}

void TrainingDataBuilder::AddItemFeature(std::string_view item, std::string_view field,
                                         std::string_view value) {
  int32_t index = Item(item);
  int32_t feature = data_.features.Intern(FeatureToken(field, value));
  std::vector<int32_t>& tokens = data_.item_features[index];
  if (std::find(tokens.begin(), tokens.end(), feature) == tokens.end()) tokens.push_back(feature);
}

void TrainingDataBuilder::SetItemCreation(std::string_view item, int64_t timestamp) {
  data_.item_creation[Item(item)] = timestamp;
}

TrainingData TrainingDataBuilder::Finish() && {
  std::stable_sort(data_.interactions.begin(), data_.interactions.end(),
                   [](const Interaction& a, const Interaction& b) {
                     return a.user != b.user ? a.user < b.user : a.timestamp < b.timestamp;
                   });
  data_.user_offsets.assign(data_.num_users() + 1, 0);
  for (const Interaction& x : data_.interactions) ++data_.user_offsets[x.user + 1];
  for (int32_t u = 0; u < data_.num_users(); ++u) {
    data_.user_offsets[u + 1] += data_.user_offsets[u];
  }
  return std::move(data_);
}

}  // namespace kindred
