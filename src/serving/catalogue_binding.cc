#include "serving/catalogue_binding.h"

#include <algorithm>
#include <functional>

namespace kindred {
namespace {

constexpr size_t kMaxChanges = 64;  // Follow applies at most this many changes

}  // namespace

void CatalogueBinding::DeriveUnseen(const Model& model, const GroupState& state, size_t u) {
  unseen_tokens[u] = state.items().FeatureTokens(unseen[u]);
  if (const DotProductForm* form = model.dot_product()) {
    const auto d = static_cast<size_t>(form->dimension());
    form->UnseenItemVector(unseen_tokens[u], {unseen_vectors.data() + u * d, d},
                           &unseen_biases[u]);
  }
}

std::shared_ptr<const CatalogueBinding> CatalogueBinding::Build(const Model& model,
                                                                const GroupState& state) {
  auto b = std::make_shared<CatalogueBinding>();
  b->state_id = state.id();
  b->items_version = state.items_version();
  const std::vector<std::string>& ids = model.item_ids();
  const MetadataTable& items = state.items();
  const auto m = static_cast<int32_t>(ids.size());
  b->state_to_candidate.assign(items.size(), -1);
  b->model_to_state.resize(ids.size());
  for (int32_t j = 0; j < m; ++j) {
    const int32_t s = items.Find(ids[j]);
    b->model_to_state[j] = s;
    if (s >= 0) {
      b->state_to_candidate[s] = j;
    } else {
      b->model_only.emplace(ids[j], j);
    }
  }
  for (int32_t s = 0; s < items.size(); ++s) {
    if (b->state_to_candidate[s] >= 0) continue;
    b->state_to_candidate[s] = m + static_cast<int32_t>(b->unseen.size());
    b->unseen.push_back(s);
  }
  const DotProductForm* form = model.dot_product();
  const size_t d = form == nullptr ? 0 : static_cast<size_t>(form->dimension());
  b->unseen_tokens.resize(b->unseen.size());
  b->unseen_vectors.resize(b->unseen.size() * d);
  b->unseen_biases.resize(form == nullptr ? 0 : b->unseen.size());
  for (size_t u = 0; u < b->unseen.size(); ++u) b->DeriveUnseen(model, state, u);
  for (int32_t s = 0; s < items.size(); ++s) {
    const int32_t c = b->state_to_candidate[s];
    if (std::optional<int64_t> created = items.CreationTimestamp(s)) {
      b->dated.emplace_back(*created, c, s);
    } else if (c >= m) {
      b->undated_unseen.push_back(c);
    }
  }
  std::sort(b->dated.begin(), b->dated.end(), std::greater<>());
  return b;
}

void CatalogueBinding::Apply(const Model& model, const GroupState& state, int32_t s) {
  const MetadataTable& items = state.items();
  const auto m = static_cast<int32_t>(model_to_state.size());
  if (static_cast<size_t>(s) >= state_to_candidate.size()) {
    state_to_candidate.resize(items.size(), -1);
  }
  int32_t c = state_to_candidate[s];
  if (c < 0) {  // new to the state
    if (auto known = model_only.find(items.Id(s)); known != model_only.end()) {
      c = known->second;
      model_to_state[c] = s;
      model_only.erase(known);
    } else {  // unseen; state indices only grow, so the order stays increasing
      c = m + static_cast<int32_t>(unseen.size());
      unseen.push_back(s);
      unseen_tokens.emplace_back();
      if (const DotProductForm* form = model.dot_product()) {
        unseen_vectors.resize(unseen_vectors.size() + static_cast<size_t>(form->dimension()));
        unseen_biases.push_back(0);
      }
    }
    state_to_candidate[s] = c;
  }
  if (c >= m) DeriveUnseen(model, state, static_cast<size_t>(c - m));
  // Its place in the creation order, wherever its timestamp (or its lack of one) puts it now.
  std::erase_if(dated, [&](const auto& entry) { return std::get<1>(entry) == c; });
  std::erase(undated_unseen, c);
  if (std::optional<int64_t> created = items.CreationTimestamp(s)) {
    const std::tuple<int64_t, int32_t, int32_t> entry(*created, c, s);
    dated.insert(std::lower_bound(dated.begin(), dated.end(), entry, std::greater<>()), entry);
  } else if (c >= m) {
    undated_unseen.insert(std::lower_bound(undated_unseen.begin(), undated_unseen.end(), c), c);
  }
}

std::optional<std::shared_ptr<const CatalogueBinding>> CatalogueBinding::Follow(
    const Model& model, const GroupState& state) const {
  std::optional<std::span<const int32_t>> changes = state.ItemChangesSince(items_version);
  // Each change costs up to a pass over the creation order: past a few, Build is cheaper.
  if (state.id() != state_id || !changes || changes->size() > kMaxChanges) return std::nullopt;
  auto b = std::make_shared<CatalogueBinding>(*this);
  b->items_version = state.items_version();
  for (int32_t s : *changes) b->Apply(model, state, s);
  return b;
}

}  // namespace kindred
