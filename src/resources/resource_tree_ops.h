// DeleteResourceTree: kindred's extension that deletes a resource and all its descendants in
// one call, children first (dataset group -> datasets -> their import jobs). With dryRun it only
// reports the ARNs it would delete, in the order it would delete them.
//
// It refuses (kInUse, nothing deleted) when an import in the tree is still running, or when the
// resource is a schema that a dataset outside the tree uses.
//
// Thread-safety: holds ctx.structure_mu for the whole check-and-delete.
#pragma once

#include "resources/operation_table.h"
#include "resources/resource_context.h"

namespace kindred {

void RegisterResourceTreeOps(ResourceContext& ctx, OperationTable& table);

}  // namespace kindred
