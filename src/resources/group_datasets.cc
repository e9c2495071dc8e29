#include "resources/group_datasets.h"

#include "resources/dataset_ops.h"
#include "resources/lifecycle.h"

namespace kindred {

Result<GroupDatasets> ActiveDatasetsOf(ResourceContext& ctx, const std::string& group_arn) {
  KINDRED_RETURN_IF_ERROR(ctx.registry.GetOfType(group_arn, resource_type::kDatasetGroup).status());
  GroupDatasets out;
  for (const Resource& c : ctx.registry.Children(group_arn)) {
    if (c.type != resource_type::kDataset || StatusOf(c) != status::kActive) continue;
    Result<DatasetLayout> layout = LayoutOfDataset(ctx, c);
    if (!layout.ok()) return layout.status();
    GroupDataset d{c.arn, std::move(layout->schema), layout->type};
    switch (d.type) {
      case DatasetType::kInteractions:
        out.interactions = std::move(d);
        break;
      case DatasetType::kItems:
        out.items = std::move(d);
        break;
      case DatasetType::kUsers:
        out.users = std::move(d);
        break;
    }
  }
  return out;
}

}  // namespace kindred
