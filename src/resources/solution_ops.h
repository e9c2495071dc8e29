// Solution operations: CreateSolution, DescribeSolution, ListSolutions, DeleteSolution.
//
// A solution names a recipe (recipe_ops.h), a dataset group and the training configuration:
// `eventType` and `solutionConfig.eventValueThreshold` restrict the interactions trained on,
// `solutionConfig.algorithmHyperParameters` are checked against the recipe's ranges. Training
// happens per solution version (solution_version_ops.h). performAutoML is not supported.
// Deleting a solution deletes its versions and their models, and is refused while one trains.
//
// Thread-safety: handlers may run concurrently.
#pragma once

#include "resources/operation_table.h"
#include "resources/resource_context.h"

namespace kindred {

void RegisterSolutionOps(ResourceContext& ctx, OperationTable& table);

}  // namespace kindred
