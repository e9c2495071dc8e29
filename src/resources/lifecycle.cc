#include "resources/lifecycle.h"

#include <spdlog/spdlog.h>

#include "resources/campaign_deployments.h"
#include "resources/import_job_ops.h"
#include "resources/model_store.h"
#include "resources/training_job.h"
#include "serving/group_states.h"

namespace kindred {

std::string StatusOf(const Resource& r) {
  auto it = r.body.find("status");
  return it != r.body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void SetStatus(Resource& r, std::string_view new_status, const Clock& clock) {
  r.body["status"] = new_status;
  r.body["lastUpdatedDateTime"] = clock.NowSeconds();
  if (new_status != status::kCreateFailed) r.body.erase("failureReason");
}

Status RequireActive(const Resource& r, std::string_view what) {
  std::string s = StatusOf(r);
  if (s == status::kActive) return Status::Ok();
  return Status::InUse(std::string(what) + " " + r.arn + " is not ACTIVE (its status is " + s +
                       "); wait until it is ACTIVE");
}

namespace {

// Moves a resource being created one step on (CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE)
// and queues the next step; stops quietly if the resource left the creation path meanwhile.
void ActivationStep(ResourceContext& ctx, const std::string& arn) {
  bool done = false;
  Status s = ctx.registry.Update(arn, [&](Resource& r) {
    std::string current = StatusOf(r);
    if (current == status::kCreatePending) {
      SetStatus(r, status::kCreateInProgress, ctx.clock);
    } else if (current == status::kCreateInProgress) {
      SetStatus(r, status::kActive, ctx.clock);
      done = true;
    } else {
      return Status::InUse("no longer being created");  // deleted meanwhile: leave it be
    }
    return Status::Ok();
  });
  if (!s.ok()) {
    if (s.code() != StatusCode::kInUse && s.code() != StatusCode::kNotFound) {
      spdlog::error("activating {}: {}", arn, s.message());
    }
    return;
  }
  if (!done) {
    ctx.lifecycle.Submit([&ctx, arn] { ActivationStep(ctx, arn); }, ctx.options.lifecycle_delay);
  }
}

}  // namespace

void ScheduleActivation(ResourceContext& ctx, const std::string& arn) {
  ctx.lifecycle.Submit([&ctx, arn] { ActivationStep(ctx, arn); }, ctx.options.lifecycle_delay);
}

Status DeleteNow(ResourceContext& ctx, const Resource& r) {
  if (r.type == resource_type::kDataset) {
    // Import jobs are the dataset's history; they go with it.
    for (const Resource& job : ctx.registry.Children(r.arn)) {
      KINDRED_RETURN_IF_ERROR(ctx.registry.Erase(job.arn));
    }
    KINDRED_RETURN_IF_ERROR(ctx.datasets.Drop(r.arn));
  }
  if (r.type == resource_type::kSolution) {
    for (const Resource& version : ctx.registry.Children(r.arn)) {
      KINDRED_RETURN_IF_ERROR(DeleteNow(ctx, version));
    }
  }
  if (r.type == resource_type::kCampaign) ctx.deployments->Erase(r.arn);
  if (r.type == resource_type::kDataset) ctx.group_states->Invalidate(r.parent_arn);
  if (r.type == resource_type::kDatasetGroup) ctx.group_states->Drop(r.arn);
  if (r.type == resource_type::kSolutionVersion) {
    WriteBatch batch;
    AddModelDeletion(r.arn, &batch);
    KINDRED_RETURN_IF_ERROR(ctx.store.Write(batch, /*durable=*/true));
  }
  Status s = ctx.registry.Erase(r.arn);
  return s.code() == StatusCode::kNotFound ? Status::Ok() : s;
}

Status ScheduleDeletion(ResourceContext& ctx, const std::string& arn) {
  KINDRED_RETURN_IF_ERROR(ctx.registry.Update(arn, [&](Resource& r) {
    SetStatus(r, status::kDeletePending, ctx.clock);
    return Status::Ok();
  }));
  ctx.lifecycle.Submit(
      [&ctx, arn] {
        Result<Resource> r = ctx.registry.Get(arn);
        if (!r.ok()) return;
        Status s = DeleteNow(ctx, *r);
        if (!s.ok()) spdlog::error("deleting {}: {}", arn, s.message());
      },
      ctx.options.lifecycle_delay);
  return Status::Ok();
}

void RecoverAfterRestart(ResourceContext& ctx) {
  for (const Resource& r : ctx.registry.All()) {
    std::string s = StatusOf(r);
    if (s == status::kDeletePending) {
      Status st = ScheduleDeletion(ctx, r.arn);
      if (!st.ok()) spdlog::error("recovering deletion of {}: {}", r.arn, st.message());
    } else if (r.type == resource_type::kDatasetImportJob) {
      if (s == status::kCreatePending) {
        ScheduleImport(ctx, r.arn);
      } else if (s == status::kCreateInProgress) {
        Status st = ctx.registry.Update(r.arn, [&](Resource& job) {
          SetStatus(job, status::kCreateFailed, ctx.clock);
          job.body["failureReason"] =
              "The import was interrupted because the server stopped while it ran; the "
              "dataset keeps the data it had before this job. Create a new import job to retry.";
          return Status::Ok();
        });
        if (!st.ok()) spdlog::error("recovering import {}: {}", r.arn, st.message());
      }
    } else if (r.type == resource_type::kSolutionVersion) {
      if (s == status::kCreatePending) {
        ScheduleTraining(ctx, r.arn);
      } else if (s == status::kCreateInProgress || s == status::kCreateStopping) {
        Status st = ctx.registry.Update(r.arn, [&](Resource& v) {
          SetStatus(v, status::kCreateFailed, ctx.clock);
          v.body["failureReason"] =
              "The training was interrupted because the server stopped while it ran. Create a "
              "new solution version to retry.";
          return Status::Ok();
        });
        if (!st.ok()) spdlog::error("recovering training {}: {}", r.arn, st.message());
      }
    } else if (r.type == resource_type::kCampaign) {
      // campaign_ops.h RecoverCampaigns deploys them.
    } else if (s == status::kCreatePending || s == status::kCreateInProgress) {
      ScheduleActivation(ctx, r.arn);
    }
  }
}

}  // namespace kindred
