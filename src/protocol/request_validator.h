// ValidateInput: checks a request body against its operation's input shape, using only the
// constraints the service model declares (required, length, value range, pattern, enum, JSON
// types), and words failures the way AWS's Coral validators do:
//
//   1 validation error detected: Value 'my name' at 'name' failed to satisfy constraint:
//   Member must satisfy regular expression pattern: ^[a-zA-Z0-9][a-zA-Z0-9\-_]*
//
// Paths name nested members with dots (`dataSource.dataLocation`) and list elements by 1-based
// index (`tags.1.member.tagKey`). Constraints on scalar list elements and on map keys/values are
// reported once per container ("Member must satisfy constraint: [...]", "Map keys must satisfy
// constraint: [...]"). Members the model does not know are ignored; JSON null counts as absent.
// Values of sensitive shapes are not echoed. String lengths count Unicode code points.
//
// Thread-safety: a pure function of its arguments; call it from any thread.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "protocol/service_model.h"

namespace kindred {

struct ValidationFailure {
  enum Kind {
    kSerialization,  // a value's JSON type cannot be the member's type; message names the member
    kValidation,     // one or more constraints are violated; message lists them
  };
  Kind kind;
  std::string message;
};

// At most this many violations are spelled out in one message; the count covers all of them.
inline constexpr int kMaxReportedViolations = 10;

// nullopt when `input` satisfies the input shape of `op` (an operation of `model`).
std::optional<ValidationFailure> ValidateInput(const ServiceModel& model,
                                               const ServiceModel::Operation& op,
                                               const nlohmann::json& input);

}  // namespace kindred
