// Dataset operations: CreateDataset, DescribeDataset, ListDatasets, DeleteDataset.
//
// One dataset per type per group; the schema must suit the type. DescribeDataset adds kindred's
// `rowCount` (live rows) beside Personalize's members. Deleting a dataset drops its data and its
// import-job history, and is refused while an import into it is running.
//
// Thread-safety: handlers may run concurrently.
#pragma once

#include "data/dataset_schema.h"
#include "resources/operation_table.h"
#include "resources/resource_context.h"

namespace kindred {

struct DatasetLayout {
  DatasetSchema schema;
  DatasetType type;
};

// The schema and type a dataset record was created with.
Result<DatasetLayout> LayoutOfDataset(ResourceContext& ctx, const Resource& dataset);

// True when an import job into `dataset_arn` is pending or running.
bool HasImportInFlight(ResourceContext& ctx, const std::string& dataset_arn);

void RegisterDatasetOps(ResourceContext& ctx, OperationTable& table);

}  // namespace kindred
