#include "resources/control_plane.h"

#include "resources/campaign_ops.h"
#include "resources/dataset_group_ops.h"
#include "resources/dataset_ops.h"
#include "resources/import_job_ops.h"
#include "resources/lifecycle.h"
#include "resources/event_ops.h"
#include "resources/event_tracker_ops.h"
#include "resources/filter_ops.h"
#include "resources/recipe_ops.h"
#include "resources/resource_tree_ops.h"
#include "resources/runtime_ops.h"
#include "resources/schema_ops.h"
#include "resources/serving_loader.h"
#include "resources/solution_ops.h"
#include "resources/solution_version_ops.h"
#include "resources/tag_ops.h"
#include "resources/training_job.h"

namespace kindred {

ControlPlane::ControlPlane(KvStore& store, const Clock& clock, ControlPlaneOptions options)
    : store_(store),
      registry_(store),
      datasets_(store),
      lifecycle_("lifecycle", 1),
      imports_("import", options.import_workers),
      training_("training", 1) {
  ctx_.reset(new ResourceContext{store_, registry_, datasets_, lifecycle_, imports_, training_,
                                 training_cancels_, clock,
                                 ArnFactory(options.region, options.account_id), options});
  group_states_ = std::make_unique<GroupStates>(
      [this](const std::string& group, std::unordered_set<uint64_t>* seen) {
        return LoadGroupState(*ctx_, group, seen);
      });
  deployments_ = std::make_unique<CampaignDeployments>(*ctx_);
  ctx_->group_states = group_states_.get();
  ctx_->deployments = deployments_.get();
  ctx_->recent_recommendations = &recent_recommendations_;
  RegisterSchemaOps(*ctx_, operations_);
  RegisterDatasetGroupOps(*ctx_, operations_);
  RegisterDatasetOps(*ctx_, operations_);
  RegisterImportJobOps(*ctx_, operations_);
  RegisterTagOps(*ctx_, operations_);
  RegisterResourceTreeOps(*ctx_, operations_);
  RegisterRecipeOps(*ctx_, operations_);
  RegisterSolutionOps(*ctx_, operations_);
  RegisterSolutionVersionOps(*ctx_, operations_);
  RegisterFilterOps(*ctx_, operations_);
  RegisterCampaignOps(*ctx_, operations_);
  RegisterEventTrackerOps(*ctx_, operations_);
  RegisterEventOps(*ctx_, operations_);
  RegisterRuntimeOps(*ctx_, operations_);
}

ControlPlane::~ControlPlane() { Shutdown(); }

Status ControlPlane::Start() {
  KINDRED_RETURN_IF_ERROR(registry_.Load());
  KINDRED_RETURN_IF_ERROR(datasets_.CollectGarbage());
  RecoverAfterRestart(*ctx_);
  RecoverCampaigns(*ctx_);
  return Status::Ok();
}

void ControlPlane::Shutdown() {
  training_cancels_.CancelAll();
  training_.Shutdown();
  imports_.Shutdown();
  lifecycle_.Shutdown();
}

Result<TrainingData> ControlPlane::TrainingDataOf(const std::string& group_arn) {
  Result<Resource> group = registry_.GetOfType(group_arn, resource_type::kDatasetGroup);
  if (!group.ok()) return group.status();
  return BuildTrainingData(*ctx_, group_arn, InteractionFilter{});
}

void ControlPlane::WaitIdle() {
  // An import may queue lifecycle work and vice versa; drain until all stay idle.
  for (int i = 0; i < 3; ++i) {
    training_.Drain();
    imports_.Drain();
    lifecycle_.Drain();
  }
}

}  // namespace kindred
