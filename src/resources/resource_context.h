// ResourceContext: what the operation families share — the registry, the dataset store, the
// background runners (and the cancellation flags of trainings), the clock, ARN construction,
// server options, and the serving side (live group states, campaign deployments).
//
// Thread-safety: the members are themselves thread-safe; the struct is built once at start-up
// and only read afterwards.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "data/data_location.h"
#include "data/dataset_store.h"
#include "resources/arn.h"
#include "resources/cancel_flags.h"
#include "resources/job_runner.h"
#include "resources/resource_registry.h"

namespace kindred {

class CampaignDeployments;
class GroupStates;
class RecentRecommendations;

struct ControlPlaneOptions {
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
  DataLocationOptions data_location;      // where s3:// locations are read from
  double import_max_invalid_fraction = 0.10;
  bool import_strict = false;             // any row-level problem fails an import
  size_t import_workers = 2;              // imports running at the same time
  size_t max_dataset_groups = 500;        // quota: more is refused with LimitExceededException
  // Wait before each asynchronous status transition, as Personalize takes time to provision;
  // 0 makes transitions immediate. Lets clients test their waiting loops.
  std::chrono::milliseconds lifecycle_delay{0};
};

struct ResourceContext {
  KvStore& store;
  ResourceRegistry& registry;
  DatasetStore& datasets;
  JobRunner& lifecycle;  // quick status transitions and deletions
  JobRunner& imports;    // long-running import jobs
  JobRunner& training;   // solution version trainings (one at a time)
  CancelFlags& training_cancels;  // of the trainings queued or running on `training`
  const Clock& clock;
  ArnFactory arns;
  ControlPlaneOptions options;
  // Held by operations that check or change links between resources (create a child, delete a
  // parent), so a check and the change it guards cannot interleave with another's.
  std::mutex structure_mu{};
  // Serving (set by ControlPlane right after construction, never null afterwards): each
  // dataset group's live state, each campaign's deployment, the latest responses.
  GroupStates* group_states = nullptr;
  CampaignDeployments* deployments = nullptr;
  RecentRecommendations* recent_recommendations = nullptr;
};

}  // namespace kindred
