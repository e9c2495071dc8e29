// Filter operations: CreateFilter, DescribeFilter, ListFilters, DeleteFilter, and the lookup the
// runtime uses to apply a filter to a recommendation request.
//
// A filter belongs to an ACTIVE dataset group and holds a filter expression (serving/filter.h),
// parsed at creation: a syntax error or a violated limit is InvalidInputException naming the
// position, and fields of the group's existing Items and Users datasets are checked against their
// schemas. Names are unique per account and region (the ARN is filter/<name>). At most
// kMaxFiltersPerDatasetGroup filters per group, using at most kMaxFilterFieldsPerDatasetGroup
// distinct dataset fields between them (LimitExceededException). Status: CREATE PENDING ->
// CREATE IN_PROGRESS -> ACTIVE; deletion: DELETE PENDING -> gone. A filter is a child of its
// dataset group, so it blocks DeleteDatasetGroup and goes with DeleteResourceTree.
//
// Thread-safety: handlers and FindActiveFilter may run concurrently.
#pragma once

#include <cstddef>
#include <string>

#include "resources/operation_table.h"
#include "resources/resource_context.h"

namespace kindred {

// Personalize's quotas (docs/filters.md).
inline constexpr size_t kMaxFiltersPerDatasetGroup = 10;
inline constexpr size_t kMaxFilterFieldsPerDatasetGroup = 20;

struct FilterRecord {
  std::string dataset_group_arn;
  std::string expression;
};

// The ACTIVE filter `arn`; kNotFound when it does not exist or is not ACTIVE.
Result<FilterRecord> FindActiveFilter(ResourceContext& ctx, const std::string& arn);

void RegisterFilterOps(ResourceContext& ctx, OperationTable& table);

}  // namespace kindred
