// Dataset group operations: CreateDatasetGroup, DescribeDatasetGroup, ListDatasetGroups,
// DeleteDatasetGroup. A group becomes ACTIVE asynchronously after creation; deleting one that
// still holds datasets is refused (DeleteResourceTree deletes the whole tree instead).
//
// Thread-safety: handlers may run concurrently.
#pragma once

#include "resources/operation_table.h"
#include "resources/resource_context.h"

namespace kindred {

void RegisterDatasetGroupOps(ResourceContext& ctx, OperationTable& table);

}  // namespace kindred
