// Dataset import job operations: CreateDatasetImportJob, DescribeDatasetImportJob,
// ListDatasetImportJobs, and the background job that performs an import.
//
// A job reads its data location (data/data_location.h), imports the CSV files into the
// dataset (data/csv_importer.h) and ends ACTIVE or CREATE FAILED with a failureReason. The
// job's final status and the dataset's new data are committed in one atomic write, so a crash
// can never leave a job that claims success without its data, or data without its job. Beside
// Personalize's members a job carries kindred's `importReport` (rows read, imported, skipped,
// values nulled, first problems).
//
// Thread-safety: handlers may run concurrently; imports run on ctx.imports.
#pragma once

#include <string>

#include "resources/operation_table.h"
#include "resources/resource_context.h"

namespace kindred {

// Queues the import of a CREATE PENDING job.
void ScheduleImport(ResourceContext& ctx, const std::string& job_arn);

void RegisterImportJobOps(ResourceContext& ctx, OperationTable& table);

}  // namespace kindred
