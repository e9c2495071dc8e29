#include "resources/solution_version_ops.h"

#include <cstdio>
#include <random>

#include "resources/lifecycle.h"
#include "resources/pagination.h"
#include "resources/request_fields.h"
#include "resources/tag_ops.h"
#include "resources/training_job.h"

namespace kindred {
namespace {

std::string RandomHex8() {
  thread_local std::mt19937 rng{std::random_device{}()};
  char buf[9];
  std::snprintf(buf, sizeof(buf), "%08x", static_cast<unsigned>(rng()));
  return buf;
}

Result<nlohmann::json> Create(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> solution_arn = RequiredString(in, "solutionArn");
  if (!solution_arn.ok()) return solution_arn.status();
  std::string mode = StringOr(in, "trainingMode", "FULL");
  if (mode != "FULL" && mode != "UPDATE") {
    return Status::InvalidInput("trainingMode must be FULL or UPDATE, got " + mode);
  }
  Result<nlohmann::json> tags = TagsOfNewResource(in);
  if (!tags.ok()) return tags.status();

  std::lock_guard lock(ctx.structure_mu);
  Result<Resource> solution = ctx.registry.GetOfType(*solution_arn, resource_type::kSolution);
  if (!solution.ok()) return solution.status();
  KINDRED_RETURN_IF_ERROR(RequireActive(*solution, "Solution"));
  bool has_active = false;
  for (const Resource& v : ctx.registry.Children(*solution_arn)) {
    if (IsTraining(StatusOf(v))) {
      return Status::InUse("Solution " + *solution_arn +
                           " already has a solution version in "
                           "training (" +
                           v.arn + ", " + StatusOf(v) +
                           "); wait for it to "
                           "finish or stop it with StopSolutionVersionCreation");
    }
    has_active = has_active || StatusOf(v) == status::kActive;
  }
  if (mode == "UPDATE" && !has_active) {
    return Status::InvalidInput("trainingMode UPDATE needs an ACTIVE solution version of " +
                                *solution_arn + " to update; create one with trainingMode FULL");
  }
  const nlohmann::json& sb = solution->body;
  Resource r;
  r.type = resource_type::kSolutionVersion;
  r.parent_arn = *solution_arn;
  r.tags = std::move(tags).value();
  double now = ctx.clock.NowSeconds();
  r.body = {{"solutionArn", *solution_arn},
            {"performHPO", sb.value("performHPO", false)},
            {"performAutoML", sb.value("performAutoML", false)},
            {"recipeArn", sb.value("recipeArn", "")},
            {"datasetGroupArn", sb.value("datasetGroupArn", "")},
            {"solutionConfig", sb.value("solutionConfig", nlohmann::json::object())},
            {"trainingMode", mode},
            {"status", status::kCreatePending},
            {"creationDateTime", now},
            {"lastUpdatedDateTime", now}};
  if (auto name = OptionalString(in, "name")) r.body["name"] = *name;
  if (sb.contains("eventType")) r.body["eventType"] = sb["eventType"];
  Status s;
  for (int attempt = 0; attempt < 8; ++attempt) {
    r.arn = ctx.arns.Make(resource_type::kSolution, sb.value("name", "") + "/" + RandomHex8());
    r.body["solutionVersionArn"] = r.arn;
    s = ctx.registry.Create(r);
    if (s.code() != StatusCode::kAlreadyExists) break;
  }
  KINDRED_RETURN_IF_ERROR(s);
  ScheduleTraining(ctx, r.arn);
  return nlohmann::json{{"solutionVersionArn", r.arn}};
}

Result<nlohmann::json> Describe(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> arn = RequiredString(in, "solutionVersionArn");
  if (!arn.ok()) return arn.status();
  Result<Resource> r = ctx.registry.GetOfType(*arn, resource_type::kSolutionVersion);
  if (!r.ok()) return r.status();
  nlohmann::json body = r->body;
  body.erase("metrics");  // answered by GetSolutionMetrics
  return nlohmann::json{{"solutionVersion", std::move(body)}};
}

Result<nlohmann::json> List(ResourceContext& ctx, const nlohmann::json& in) {
  Result<PageRequest> page = ReadPageRequest(in, "ListSolutionVersions");
  if (!page.ok()) return page.status();
  std::optional<std::string> solution = OptionalString(in, "solutionArn");
  if (solution) {
    Result<Resource> s = ctx.registry.GetOfType(*solution, resource_type::kSolution);
    if (!s.ok()) return s.status();
  }
  return MakePage(ctx.registry.List(resource_type::kSolutionVersion, solution, page->after_seq),
                  *page, "ListSolutionVersions", "solutionVersions", [](const Resource& r) {
                    return Pick(r.body,
                                {"solutionVersionArn", "status", "trainingMode", "creationDateTime",
                                 "lastUpdatedDateTime", "failureReason"});
                  });
}

Result<nlohmann::json> Stop(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> arn = RequiredString(in, "solutionVersionArn");
  if (!arn.ok()) return arn.status();
  Result<Resource> r = ctx.registry.GetOfType(*arn, resource_type::kSolutionVersion);
  if (!r.ok()) return r.status();
  bool running = false;
  KINDRED_RETURN_IF_ERROR(ctx.registry.Update(*arn, [&](Resource& v) {
    std::string s = StatusOf(v);
    if (s == status::kCreatePending) {
      SetStatus(v, status::kCreateStopped, ctx.clock);
    } else if (s == status::kCreateInProgress) {
      SetStatus(v, status::kCreateStopping, ctx.clock);
      running = true;
    } else {
      return Status::InUse("Solution version " + *arn + " is " + s +
                           "; only a version that is CREATE PENDING or CREATE IN_PROGRESS can "
                           "be stopped");
    }
    return Status::Ok();
  }));
  if (running) ctx.training_cancels.Cancel(*arn);
  return nlohmann::json::object();
}

Result<nlohmann::json> Metrics(ResourceContext& ctx, const nlohmann::json& in) {
  Result<std::string> arn = RequiredString(in, "solutionVersionArn");
  if (!arn.ok()) return arn.status();
  Result<Resource> r = ctx.registry.GetOfType(*arn, resource_type::kSolutionVersion);
  if (!r.ok()) return r.status();
  KINDRED_RETURN_IF_ERROR(RequireActive(*r, "Solution version"));
  return nlohmann::json{{"solutionVersionArn", *arn},
                        {"metrics", r->body.value("metrics", nlohmann::json::object())}};
}

}  // namespace

void RegisterSolutionVersionOps(ResourceContext& ctx, OperationTable& table) {
  table["CreateSolutionVersion"] = [&ctx](const nlohmann::json& in) { return Create(ctx, in); };
  table["DescribeSolutionVersion"] = [&ctx](const nlohmann::json& in) { return Describe(ctx, in); };
  table["ListSolutionVersions"] = [&ctx](const nlohmann::json& in) { return List(ctx, in); };
  table["StopSolutionVersionCreation"] = [&ctx](const nlohmann::json& in) { return Stop(ctx, in); };
  table["GetSolutionMetrics"] = [&ctx](const nlohmann::json& in) { return Metrics(ctx, in); };
}

}  // namespace kindred
