// OperationHandler: the shape of one API operation, shared by what implements operations
// (resources/) and what serves them (protocol/): the request's JSON body in, the response's
// JSON body or an error Status out.
//
// Thread-safety: handlers are called concurrently from request threads and must be thread-safe.
#pragma once

#include <functional>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace kindred {

using OperationHandler = std::function<Result<nlohmann::json>(const nlohmann::json& input)>;

}  // namespace kindred
