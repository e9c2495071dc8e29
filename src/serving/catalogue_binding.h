// CatalogueBinding: how a trained model's item catalogue maps onto a GroupState's items at one
// items_version, with what serving derives from that per item: the unseen items' metadata
// tokens and (with a DotProductForm) vectors, and the creation order that exploration walks.
//
// Candidates are the model's items 0..M-1, then the state's unseen items (those the model did
// not train on) M..M+U-1 in increasing state index.
//
//   auto b = CatalogueBinding::Build(model, state);            // O(catalogue)
//   ... state.PutItem(row) ...
//   if (auto next = b->Follow(model, state)) b = *next;        // O(changes), but for copying
//
// Follow gives exactly what Build gives for the state as it is now, by applying the item
// changes the state logged since (GroupState::ItemChangesSince): a new item the model knows is
// attached to it, a new unseen one appended, a changed unseen one re-derived, and the creation
// order updated. It copies the binding's arrays (memcpy speed) but derives nothing for the
// unchanged items, where Build looks every model item up by id and derives every unseen item.
//
// Thread-safety: immutable once built; Build and Follow need the state kept from changing
// during the call (a shared lock).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "recipes/model.h"
#include "serving/group_state.h"

namespace kindred {

struct CatalogueBinding {
  static std::shared_ptr<const CatalogueBinding> Build(const Model& model,
                                                       const GroupState& state);
  // The binding for `state` now, from this one (built for the same model); nullopt when it is
  // another state, or it no longer holds the changes since this binding's version, or there are
  // more than 64 of them (then Build).
  std::optional<std::shared_ptr<const CatalogueBinding>> Follow(const Model& model,
                                                                const GroupState& state) const;

  uint64_t state_id = 0;
  uint64_t items_version = 0;
  std::vector<int32_t> model_to_state;      // -1: the state does not know the item
  std::vector<int32_t> state_to_candidate;  // every state item is a model item or unseen
  std::unordered_map<std::string_view, int32_t> model_only;  // model items the state lacks
  std::vector<int32_t> unseen;                               // state indices the model did not
  std::vector<std::vector<std::string>> unseen_tokens;       // train on, and their tokens
  // With a DotProductForm: the unseen items' vectors (U × d) and biases.
  std::vector<float> unseen_vectors;
  std::vector<float> unseen_biases;
  // For exploration: the candidates the state has a CREATION_TIMESTAMP for, newest first, as
  // (timestamp, candidate, state index), and the unseen ones without it (new whatever the time),
  // in increasing candidate order.
  std::vector<std::tuple<int64_t, int32_t, int32_t>> dated;
  std::vector<int32_t> undated_unseen;

 private:
  // Derives the tokens, vector and bias of unseen item u (its state index unseen[u]).
  void DeriveUnseen(const Model& model, const GroupState& state, size_t u);
  // Applies a change to state item s (new, or with new metadata).
  void Apply(const Model& model, const GroupState& state, int32_t s);
};

}  // namespace kindred
