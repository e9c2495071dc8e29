// Small readers for operation input JSON. The protocol layer has already validated the input
// against the service model, but operations are also called directly (tests, CLI), so these
// never throw: a missing or mistyped member reads as absent.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace kindred {

inline std::optional<std::string> OptionalString(const nlohmann::json& in, const char* key) {
  auto it = in.find(key);
  if (it == in.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// The member's string value; kInvalidInput naming the member when it is absent or not a string.
inline Result<std::string> RequiredString(const nlohmann::json& in, const char* key) {
  if (auto v = OptionalString(in, key)) return *v;
  return Status::InvalidInput(std::string("Missing required parameter: ") + key);
}

inline std::string StringOr(const nlohmann::json& in, const char* key, std::string fallback) {
  return OptionalString(in, key).value_or(std::move(fallback));
}

inline bool BoolOr(const nlohmann::json& in, const char* key, bool fallback) {
  auto it = in.find(key);
  return it != in.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

}  // namespace kindred
