// Schema operations: CreateSchema, DescribeSchema, ListSchemas, DeleteSchema.
//
// A schema is checked as Avro at creation (data/dataset_schema.h); the rules that depend on the
// dataset type are checked when a dataset is created with it. Schemas have no status.
//
// Thread-safety: handlers may run concurrently; the registry serialises updates.
#pragma once

#include "resources/operation_table.h"
#include "resources/resource_context.h"

namespace kindred {

void RegisterSchemaOps(ResourceContext& ctx, OperationTable& table);

}  // namespace kindred
