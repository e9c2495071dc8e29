#include "resources/import_job_ops.h"

#include <spdlog/spdlog.h>

#include "data/csv_importer.h"
#include "resources/dataset_ops.h"
#include "resources/lifecycle.h"
#include "resources/pagination.h"
#include "resources/request_fields.h"
#include "resources/tag_ops.h"
#include "serving/group_states.h"

namespace kindred {
namespace {

void FailJob(ResourceContext& ctx, const std::string& arn, const std::string& reason,
             const ImportReport* report) {
  Status s = ctx.registry.Update(arn, [&](Resource& job) {
    SetStatus(job, status::kCreateFailed, ctx.clock);
    job.body["failureReason"] = reason;
    if (report) job.body["importReport"] = ImportReportToJson(*report);
    return Status::Ok();
  });
  if (!s.ok()) spdlog::error("recording failure of import {}: {}", arn, s.message());
}

void RunImport(ResourceContext& ctx, const std::string& arn) {
  Status started = ctx.registry.Update(arn, [&](Resource& job) {
    if (StatusOf(job) != status::kCreatePending) return Status::InUse("not pending");
    SetStatus(job, status::kCreateInProgress, ctx.clock);
    return Status::Ok();
  });
  if (!started.ok()) return;
  Result<Resource> job = ctx.registry.Get(arn);
  if (!job.ok()) return;
  std::string dataset_arn = job->body.value("datasetArn", "");
  Result<Resource> dataset = ctx.registry.GetOfType(dataset_arn, resource_type::kDataset);
  if (!dataset.ok()) return FailJob(ctx, arn, dataset.status().message(), nullptr);
  Result<DatasetLayout> layout = LayoutOfDataset(ctx, *dataset);
  if (!layout.ok()) return FailJob(ctx, arn, layout.status().message(), nullptr);
  std::string location = job->body["dataSource"].value("dataLocation", "");
  Result<std::vector<std::string>> files =
      ResolveDataLocation(location, ctx.options.data_location);
  if (!files.ok()) return FailJob(ctx, arn, files.status().message(), nullptr);

  ImportOptions options;
  options.mode = job->body.value("importMode", "FULL") == "INCREMENTAL" ? ImportMode::kIncremental
                                                                        : ImportMode::kFull;
  options.max_invalid_fraction = ctx.options.import_max_invalid_fraction;
  options.strict = ctx.options.import_strict;
  // The job turns ACTIVE in the same atomic write that makes the new data live.
  options.commit = [&](WriteBatch& data_batch, const ImportReport& report) {
    return ctx.registry.Update(
        arn,
        [&](Resource& r) {
          SetStatus(r, status::kActive, ctx.clock);
          r.body["importReport"] = ImportReportToJson(report);
          return Status::Ok();
        },
        [&](WriteBatch& record_batch) {
          record_batch.Append(data_batch);
          return ctx.store.Write(record_batch, /*durable=*/true);
        });
  };
  ImportOutcome outcome = ImportCsvFiles(*files, layout->schema, layout->type, ctx.datasets,
                                         dataset_arn, options, ctx.imports.stop_flag());
  if (outcome.status.ok()) {
    ctx.group_states->Invalidate(dataset->parent_arn);  // serving reloads the new data
    return;
  }
  if (ctx.imports.StopRequested()) {
    return FailJob(ctx, arn,
                   "The import was interrupted because the server stopped while it ran; the "
                   "dataset keeps the data it had before this job. Create a new import job to "
                   "retry.",
                   &outcome.report);
  }
  FailJob(ctx, arn, outcome.status.message(), &outcome.report);
}

Result<nlohmann::json> Create(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> name = RequiredString(in, "jobName");
  if (!name.ok()) return name.status();
  Result<std::string> dataset_arn = RequiredString(in, "datasetArn");
  if (!dataset_arn.ok()) return dataset_arn.status();
  auto source = in.find("dataSource");
  if (source == in.end() || !source->is_object() || !source->contains("dataLocation") ||
      !(*source)["dataLocation"].is_string()) {
    return Status::InvalidInput("dataSource.dataLocation is required");
  }
  std::string mode = StringOr(in, "importMode", "FULL");
  if (mode != "FULL" && mode != "INCREMENTAL") {
    return Status::InvalidInput("importMode must be FULL or INCREMENTAL, got " + mode);
  }
  Result<nlohmann::json> tags = TagsOfNewResource(in);
  if (!tags.ok()) return tags.status();

  std::lock_guard lock(ctx.structure_mu);
  Result<Resource> dataset = ctx.registry.GetOfType(*dataset_arn, resource_type::kDataset);
  if (!dataset.ok()) return dataset.status();
  KINDRED_RETURN_IF_ERROR(RequireActive(*dataset, "Dataset"));
  if (HasImportInFlight(ctx, *dataset_arn)) {
    return Status::InUse("Dataset " + *dataset_arn +
                         " already has an import job in progress; wait for it to finish");
  }
  Resource r;
  r.type = resource_type::kDatasetImportJob;
  r.parent_arn = *dataset_arn;
  r.arn = ctx.arns.Make(r.type, *name);
  r.tags = std::move(tags).value();
  double now = ctx.clock.NowSeconds();
  r.body = {{"jobName", *name},
            {"datasetImportJobArn", r.arn},
            {"datasetArn", *dataset_arn},
            {"dataSource", {{"dataLocation", (*source)["dataLocation"]}}},
            {"status", status::kCreatePending},
            {"creationDateTime", now},
            {"lastUpdatedDateTime", now},
            {"importMode", mode}};
  if (auto role = OptionalString(in, "roleArn")) r.body["roleArn"] = *role;
  if (auto it = in.find("publishAttributionMetricsToS3"); it != in.end() && it->is_boolean()) {
    r.body["publishAttributionMetricsToS3"] = *it;
  }
  std::string arn = r.arn;
  Status s = ctx.registry.Create(std::move(r));
  if (s.code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("A dataset import job named " + *name + " already exists (" +
                                 arn + ")");
  }
  KINDRED_RETURN_IF_ERROR(s);
  ScheduleImport(ctx, arn);
  return nlohmann::json{{"datasetImportJobArn", arn}};
}

Result<nlohmann::json> Describe(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> arn = RequiredString(in, "datasetImportJobArn");
  if (!arn.ok()) return arn.status();
  Result<Resource> r = ctx.registry.GetOfType(*arn, resource_type::kDatasetImportJob);
  if (!r.ok()) return r.status();
  return nlohmann::json{{"datasetImportJob", r->body}};
}

Result<nlohmann::json> List(ResourceContext& ctx, const nlohmann::json& in) {
  Result<PageRequest> page = ReadPageRequest(in, "ListDatasetImportJobs");
  if (!page.ok()) return page.status();
  std::optional<std::string> dataset = OptionalString(in, "datasetArn");
  return MakePage(
      ctx.registry.List(resource_type::kDatasetImportJob, dataset, page->after_seq), *page,
      "ListDatasetImportJobs", "datasetImportJobs", [](const Resource& r) {
        return Pick(r.body, {"datasetImportJobArn", "jobName", "status", "creationDateTime",
                             "lastUpdatedDateTime", "failureReason", "importMode"});
      });
}

}  // namespace

void ScheduleImport(ResourceContext& ctx, const std::string& job_arn) {
  ctx.imports.Submit([&ctx, job_arn] { RunImport(ctx, job_arn); }, ctx.options.lifecycle_delay);
}

void RegisterImportJobOps(ResourceContext& ctx, OperationTable& table) {
  table["CreateDatasetImportJob"] = [&ctx](const nlohmann::json& in) { return Create(ctx, in); };
  table["DescribeDatasetImportJob"] = [&ctx](const nlohmann::json& in) {
    return Describe(ctx, in);
  };
  table["ListDatasetImportJobs"] = [&ctx](const nlohmann::json& in) { return List(ctx, in); };
}

}  // namespace kindred
