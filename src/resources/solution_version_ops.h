// Solution version operations: CreateSolutionVersion, DescribeSolutionVersion,
// ListSolutionVersions, StopSolutionVersionCreation and GetSolutionMetrics.
//
// Creating a version queues its training (training_job.h); at most one version of a solution
// trains at a time. trainingMode FULL trains on all current data; UPDATE needs an earlier ACTIVE
// version of the solution and, for the recipes kindred implements, also retrains on the current
// data. A version can be stopped while CREATE PENDING (-> CREATE STOPPED) or CREATE IN_PROGRESS
// (-> CREATE STOPPING -> CREATE STOPPED). GetSolutionMetrics answers the offline metrics measured
// during training, for ACTIVE versions.
//
// Thread-safety: handlers may run concurrently.
#pragma once

#include "resources/operation_table.h"
#include "resources/resource_context.h"

namespace kindred {

void RegisterSolutionVersionOps(ResourceContext& ctx, OperationTable& table);

}  // namespace kindred
