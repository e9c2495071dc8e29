#include "resources/resource_tree_ops.h"

#include "resources/dataset_ops.h"
#include "resources/lifecycle.h"
#include "resources/request_fields.h"
#include "resources/training_job.h"

namespace kindred {
namespace {

// Appends `r`'s descendants and then `r` itself (post-order: children first).
void CollectPostOrder(ResourceContext& ctx, const Resource& r, std::vector<Resource>* out) {
  for (const Resource& child : ctx.registry.Children(r.arn)) CollectPostOrder(ctx, child, out);
  out->push_back(r);
}

Status CheckDeletable(ResourceContext& ctx, const std::vector<Resource>& tree) {
  for (const Resource& r : tree) {
    if (r.type == resource_type::kDatasetImportJob) {
      std::string s = StatusOf(r);
      if (s == status::kCreatePending || s == status::kCreateInProgress) {
        return Status::InUse("Import job " + r.arn + " is still running (" + s +
                             "); wait for it to finish, then delete the tree");
      }
    }
    if (r.type == resource_type::kSolutionVersion && IsTraining(StatusOf(r))) {
      return Status::InUse("Solution version " + r.arn + " is still training (" + StatusOf(r) +
                           "); wait for it to finish or stop it with "
                           "StopSolutionVersionCreation, then delete the tree");
    }
    if (r.type == resource_type::kSchema) {
      for (const Resource& d : ctx.registry.List(resource_type::kDataset)) {
        if (d.body.value("schemaArn", "") == r.arn) {
          return Status::InUse("Schema " + r.arn + " is used by dataset " + d.arn);
        }
      }
    }
  }
  return Status::Ok();
}

Result<nlohmann::json> DeleteTree(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> arn = RequiredString(in, "resourceArn");
  if (!arn.ok()) return arn.status();
  bool dry_run = BoolOr(in, "dryRun", false);
  std::lock_guard lock(ctx.structure_mu);
  Result<Resource> root = ctx.registry.Get(*arn);
  if (!root.ok()) return root.status();
  std::vector<Resource> tree;
  CollectPostOrder(ctx, *root, &tree);
  KINDRED_RETURN_IF_ERROR(CheckDeletable(ctx, tree));
  nlohmann::json arns = nlohmann::json::array();
  for (const Resource& r : tree) {
    if (!dry_run) KINDRED_RETURN_IF_ERROR(DeleteNow(ctx, r));
    arns.push_back(r.arn);
  }
  return nlohmann::json{{"deletedArns", std::move(arns)}};
}

}  // namespace

void RegisterResourceTreeOps(ResourceContext& ctx, OperationTable& table) {
  table["DeleteResourceTree"] = [&ctx](const nlohmann::json& in) { return DeleteTree(ctx, in); };
}

}  // namespace kindred
