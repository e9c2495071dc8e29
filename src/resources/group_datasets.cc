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
    GroupDataset d{c.arn, std::move(layout->schema), layout->type, c.seq};
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

Result<std::shared_ptr<const GroupDataset>> GroupDatasetCache::Get(ResourceContext& ctx,
                                                                   const std::string& group_arn,
                                                                   DatasetType type) {
  const Key key(group_arn, type);
  std::shared_ptr<const GroupDataset> remembered;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = datasets_.find(key); it != datasets_.end()) remembered = it->second;
  }
  if (remembered) {
    Result<Resource> record = ctx.registry.Get(remembered->arn);
    if (record.ok() && record->seq == remembered->seq && record->parent_arn == group_arn &&
        StatusOf(*record) == status::kActive) {
      return remembered;
    }
  }
  Result<GroupDatasets> all = ActiveDatasetsOf(ctx, group_arn);
  if (!all.ok()) return all.status();
  std::optional<GroupDataset>& found = type == DatasetType::kInteractions ? all->interactions
                                       : type == DatasetType::kItems      ? all->items
                                                                          : all->users;
  std::shared_ptr<const GroupDataset> fresh;
  if (found) fresh = std::make_shared<const GroupDataset>(std::move(*found));
  std::lock_guard<std::mutex> lock(mu_);
  if (fresh) {
    datasets_.insert_or_assign(key, fresh);
  } else {
    datasets_.erase(key);
  }
  return fresh;
}

}  // namespace kindred
