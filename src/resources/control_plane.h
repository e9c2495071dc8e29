// ControlPlane: the Personalize resources of one kindred server, on one KvStore, and the
// operations of all three APIs (control plane, runtime, events) over them.
//
// Owns the resource registry, the dataset store and the background runners, recovers
// half-finished work at Start(), and exposes every implemented operation as an OperationTable
// for the protocol layer to serve.
//
//   ControlPlane cp(store, SystemClock::Get(), options);
//   KINDRED_RETURN_IF_ERROR(cp.Start());
//   for (auto& [name, handler] : cp.operations()) dispatcher.Register(name, handler);
//   ...
//   cp.Shutdown();  // stops background jobs; an import or training still running is marked
//                   // interrupted
//
// Thread-safety: Start and Shutdown from one thread; operations() handlers from any thread
// between them.
#pragma once

#include <memory>
#include <string>

#include "recipes/training_data.h"
#include "resources/campaign_deployments.h"
#include "resources/operation_table.h"
#include "resources/resource_context.h"
#include "serving/group_states.h"
#include "serving/recent_recommendations.h"

namespace kindred {

class ControlPlane {
 public:
  ControlPlane(KvStore& store, const Clock& clock, ControlPlaneOptions options);
  ~ControlPlane();

  Status Start();
  void Shutdown();

  const OperationTable& operations() const { return operations_; }

  // Waits until no background job is queued or running (tests).
  void WaitIdle();

  // What a solution version of dataset group `group_arn` trains on (no eventType filter):
  // `kindred train` and `kindred evaluate` on a stopped server's data. kNotFound for an unknown
  // group, kInvalidInput for one without an ACTIVE Interactions dataset. Between Start and
  // Shutdown.
  Result<TrainingData> TrainingDataOf(const std::string& group_arn);

 private:
  KvStore& store_;
  ResourceRegistry registry_;
  DatasetStore datasets_;
  JobRunner lifecycle_;
  JobRunner imports_;
  JobRunner training_;
  CancelFlags training_cancels_;
  std::unique_ptr<ResourceContext> ctx_;
  std::unique_ptr<GroupStates> group_states_;
  std::unique_ptr<CampaignDeployments> deployments_;
  RecentRecommendations recent_recommendations_;
  OperationTable operations_;
};

}  // namespace kindred
