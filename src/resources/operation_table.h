// OperationTable: the control-plane operations a component implements, by Personalize operation
// name. The protocol layer registers each entry with its dispatcher; nothing here knows HTTP.
//
// Thread-safety: handlers are called concurrently from request threads and must be thread-safe.
#pragma once

#include <map>
#include <string>

#include "common/operation_handler.h"

namespace kindred {

using OperationTable = std::map<std::string, OperationHandler>;

}  // namespace kindred
