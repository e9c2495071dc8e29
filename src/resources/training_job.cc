#include "resources/training_job.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "recipes/offline_metrics.h"
#include "recipes/recipe.h"
#include "resources/dataset_ops.h"
#include "resources/hpo.h"
#include "resources/lifecycle.h"
#include "resources/model_store.h"

namespace kindred {
namespace {

constexpr int64_t kMinInteractions = 1000;
constexpr int64_t kMinUsers = 25;
constexpr uint64_t kMetricsSeed = 42;
constexpr uint64_t kHpoSeed = 42;

const char* kInterrupted =
    "The training was interrupted because the server stopped while it ran. Create a new "
    "solution version to retry.";

std::optional<std::string> StringField(const Row& row, int index) {
  if (index < 0) return std::nullopt;
  const FieldValue& v = row.values[index];
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return std::nullopt;
}

std::optional<double> NumberField(const Row& row, int index) {
  if (index < 0) return std::nullopt;
  const FieldValue& v = row.values[index];
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  return std::nullopt;
}

Status AddInteractions(ResourceContext& ctx, const Resource& dataset,
                       const InteractionFilter& filter, TrainingDataBuilder* builder) {
  Result<DatasetLayout> layout = LayoutOfDataset(ctx, dataset);
  if (!layout.ok()) return layout.status();
  const DatasetSchema& schema = layout->schema;
  int user = schema.FieldIndex("USER_ID"), item = schema.FieldIndex("ITEM_ID"),
      ts = schema.FieldIndex("TIMESTAMP"), type = schema.FieldIndex("EVENT_TYPE"),
      value = schema.FieldIndex("EVENT_VALUE");
  return ctx.datasets.ForEachRow(dataset.arn, schema, layout->type, [&](const Row& row) {
    std::optional<std::string> event_type = StringField(row, type);
    std::optional<double> event_value = NumberField(row, value);
    if (filter.event_type && event_type != filter.event_type) return true;
    if (filter.event_value_threshold &&
        !(event_value && *event_value >= *filter.event_value_threshold)) {
      return true;
    }
    std::optional<std::string> u = StringField(row, user), i = StringField(row, item);
    std::optional<double> t = NumberField(row, ts);
    if (!u || !i || !t) return true;  // required fields are never null in stored rows
    builder->AddInteraction(*u, *i, static_cast<int64_t>(*t), event_type.value_or(""),
                            static_cast<float>(event_value.value_or(0.0)));
    return !ctx.training.StopRequested();
  });
}

Status AddItems(ResourceContext& ctx, const Resource& dataset, TrainingDataBuilder* builder) {
  Result<DatasetLayout> layout = LayoutOfDataset(ctx, dataset);
  if (!layout.ok()) return layout.status();
  const DatasetSchema& schema = layout->schema;
  int item = schema.FieldIndex("ITEM_ID"), created = schema.FieldIndex("CREATION_TIMESTAMP");
  std::vector<int> categorical;
  for (size_t f = 0; f < schema.fields.size(); ++f) {
    if (schema.fields[f].categorical) categorical.push_back(static_cast<int>(f));
  }
  return ctx.datasets.ForEachRow(dataset.arn, schema, layout->type, [&](const Row& row) {
    std::optional<std::string> id = StringField(row, item);
    if (!id) return true;
    for (int f : categorical) {
      if (std::optional<std::string> v = StringField(row, f)) {
        for (std::string_view token : SplitCategorical(*v)) {
          builder->AddItemFeature(*id, schema.fields[f].name, token);
        }
      }
    }
    if (std::optional<double> t = NumberField(row, created)) {
      builder->SetItemCreation(*id, static_cast<int64_t>(*t));
    }
    return true;
  });
}

// Sets the version's final status after the training did not commit: CREATE STOPPED when it
// was being stopped, else CREATE FAILED with `reason`.
void Finish(ResourceContext& ctx, const std::string& arn, const std::string& reason) {
  Status s = ctx.registry.Update(arn, [&](Resource& v) {
    std::string current = StatusOf(v);
    if (current == status::kCreateStopping) {
      SetStatus(v, status::kCreateStopped, ctx.clock);
    } else if (current == status::kCreateInProgress) {
      SetStatus(v, status::kCreateFailed, ctx.clock);
      v.body["failureReason"] = reason;
    } else {
      return Status::InUse("no longer training");
    }
    return Status::Ok();
  });
  if (!s.ok() && s.code() != StatusCode::kInUse && s.code() != StatusCode::kNotFound) {
    spdlog::error("recording the end of training {}: {}", arn, s.message());
  }
}

// Waits up to the lifecycle delay (provisioning time), returning early when cancelled.
void Provision(ResourceContext& ctx, const std::atomic<bool>& cancel) {
  auto until = std::chrono::steady_clock::now() + ctx.options.lifecycle_delay;
  while (!cancel && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// The solution's algorithmHyperParameters, as given.
HyperParameters GivenParams(const nlohmann::json& solution) {
  HyperParameters params;
  auto config = solution.find("solutionConfig");
  if (config != solution.end() && config->contains("algorithmHyperParameters")) {
    for (const auto& [k, v] : (*config)["algorithmHyperParameters"].items()) {
      if (v.is_string()) params[k] = v.get<std::string>();
    }
  }
  return params;
}

// The hyperparameters to train with and their offline metrics: the solution's own, or with
// performHPO the best that the search (hpo.h) finds.
Result<HpoOutcome> ChooseParams(const nlohmann::json& solution, const Recipe& recipe,
                                const TrainingData& data, const TrainingControl& control) {
  const HyperParameters given = GivenParams(solution);
  if (solution.value("performHPO", false)) {
    const nlohmann::json config = solution.value("solutionConfig", nlohmann::json::object());
    Result<HpoPlan> plan =
        ParseHpoPlan(config.value("hpoConfig", nlohmann::json()), recipe.info(), given);
    if (!plan.ok()) return plan.status();
    return RunHpo(data, recipe, *plan, given, control, kHpoSeed);
  }
  Result<HyperParameters> params = ResolveHyperParameters(recipe.info(), given);
  if (!params.ok()) return params.status();
  auto metrics = PersonalizeOfflineMetrics(data, recipe, *params, control, kMetricsSeed);
  if (!metrics.ok()) return metrics.status();
  return HpoOutcome{std::move(params).value(), std::move(metrics).value()};
}

// The newest ACTIVE version of `solution_arn`: the one trainingMode UPDATE starts from.
Result<Resource> LatestActiveVersion(ResourceContext& ctx, const std::string& solution_arn) {
  const Resource* latest = nullptr;
  std::vector<Resource> versions = ctx.registry.Children(solution_arn);
  for (const Resource& v : versions) {
    if (v.type != resource_type::kSolutionVersion || StatusOf(v) != status::kActive) continue;
    if (latest == nullptr ||
        v.body.value("creationDateTime", 0.0) > latest->body.value("creationDateTime", 0.0)) {
      latest = &v;
    }
  }
  if (latest == nullptr) {
    return Status::InvalidInput("trainingMode UPDATE needs an ACTIVE solution version of " +
                                solution_arn + " to update, and it has none left");
  }
  return *latest;
}

// The stored model of `version`, loaded by `recipe`.
Result<std::unique_ptr<Model>> LoadVersionModel(ResourceContext& ctx, const Resource& version,
                                                const Recipe& recipe) {
  Result<std::optional<StoredModel>> stored = ReadModel(ctx.store, version.arn);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    return Status::InvalidInput("Solution version " + version.arn + " has no stored model");
  }
  return recipe.Load((*stored)->bytes);
}

// A model and the hyperparameters it was trained with, with their offline metrics.
struct TrainedModel {
  HpoOutcome chosen;
  std::unique_ptr<Model> model;
};

// trainingMode FULL: the solution's hyperparameters (or the best of the search), trained from
// scratch.
Result<TrainedModel> TrainFull(const nlohmann::json& solution, const Recipe& recipe,
                               const TrainingData& data, const TrainingControl& control) {
  Result<HpoOutcome> chosen = ChooseParams(solution, recipe, data, control);
  if (!chosen.ok()) return chosen.status();
  Result<std::unique_ptr<Model>> model = recipe.Train(data, chosen->params, control);
  if (!model.ok()) return model.status();
  return TrainedModel{std::move(chosen).value(), std::move(model).value()};
}

// trainingMode UPDATE: the model of the solution's newest ACTIVE version, updated with what was
// added since (Recipe::Update) with the hyperparameters that version was trained with (its
// tunedHPOParams, or the solution's own). Measuring metrics would mean training on a holdout
// split from scratch, which UPDATE exists to avoid: the version reports the metrics of the
// version it updated (which carry back to the last FULL training).
Result<TrainedModel> TrainUpdate(ResourceContext& ctx, const std::string& arn,
                                 const Resource& solution, const Recipe& recipe,
                                 const TrainingData& data, const TrainingControl& control) {
  Result<Resource> previous = LatestActiveVersion(ctx, solution.arn);
  if (!previous.ok()) return previous.status();
  Result<std::unique_ptr<Model>> old = LoadVersionModel(ctx, *previous, recipe);
  if (!old.ok()) return old.status();
  spdlog::info("solution version {} updates the model of {}", arn, previous->arn);
  HyperParameters given = GivenParams(solution.body);
  if (auto tuned = previous->body.find("tunedHPOParams"); tuned != previous->body.end()) {
    given.clear();
    const nlohmann::json tuned_params =
        tuned->value("algorithmHyperParameters", nlohmann::json::object());
    for (const auto& [k, v] : tuned_params.items()) {
      if (v.is_string()) given[k] = v.get<std::string>();
    }
  }
  Result<HyperParameters> params = ResolveHyperParameters(recipe.info(), given);
  if (!params.ok()) return params.status();
  HpoOutcome chosen{std::move(params).value(), {}};
  const nlohmann::json metrics = previous->body.value("metrics", nlohmann::json::object());
  for (const auto& [name, value] : metrics.items()) {
    if (value.is_number()) chosen.metrics[name] = value.get<double>();
  }
  Result<std::unique_ptr<Model>> model = recipe.Update(**old, data, chosen.params, control);
  if (!model.ok()) return model.status();
  return TrainedModel{std::move(chosen), std::move(model).value()};
}

// Everything between CREATE IN_PROGRESS and the commit; an error is the failure reason.
Status Train(ResourceContext& ctx, const std::string& arn, const std::atomic<bool>& cancel,
             std::chrono::steady_clock::time_point started) {
  Result<Resource> version = ctx.registry.Get(arn);
  if (!version.ok()) return version.status();
  Result<Resource> solution = ctx.registry.GetOfType(version->parent_arn, resource_type::kSolution);
  if (!solution.ok()) return solution.status();
  const nlohmann::json& body = solution->body;
  const Recipe* recipe = FindRecipe(body.value("recipeArn", ""));
  if (!recipe) return Status::InvalidInput("Recipe " + body.value("recipeArn", "") + " is unknown");

  InteractionFilter filter;
  if (body.contains("eventType")) filter.event_type = body["eventType"].get<std::string>();
  if (auto it = body.find("solutionConfig");
      it != body.end() && it->contains("eventValueThreshold")) {
    filter.event_value_threshold =
        std::strtod((*it)["eventValueThreshold"].get<std::string>().c_str(), nullptr);
  }
  Result<TrainingData> data = BuildTrainingData(ctx, body.value("datasetGroupArn", ""), filter);
  if (!data.ok()) return data.status();
  KINDRED_RETURN_IF_ERROR(CheckMinimumData(*data));

  TrainingControl control;
  control.cancel = &cancel;
  Result<TrainedModel> trained = version->body.value("trainingMode", "FULL") == "UPDATE"
                                     ? TrainUpdate(ctx, arn, *solution, *recipe, *data, control)
                                     : TrainFull(body, *recipe, *data, control);
  if (!trained.ok()) return trained.status();
  const HpoOutcome& chosen = trained->chosen;
  if (cancel) return Status::InUse("cancelled");
  std::string bytes = trained->model->Serialize();

  nlohmann::json metric_json = nlohmann::json::object();
  for (const auto& [name, value] : chosen.metrics) metric_json[name] = value;
  double hours =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() / 3600.0;
  // The version turns ACTIVE in the same atomic write that stores its model.
  return ctx.registry.Update(
      arn,
      [&](Resource& v) {
        if (StatusOf(v) != status::kCreateInProgress) return Status::InUse("stopped");
        SetStatus(v, status::kActive, ctx.clock);
        v.body["trainingHours"] = hours;
        v.body["metrics"] = metric_json;
        if (body.value("performHPO", false)) {
          v.body["tunedHPOParams"] = {{"algorithmHyperParameters", chosen.params}};
        }
        return Status::Ok();
      },
      [&](WriteBatch& record_batch) {
        AddModelWrites(arn, recipe->info().name, bytes, &record_batch);
        return ctx.store.Write(record_batch, /*durable=*/true);
      });
}

void RunTraining(ResourceContext& ctx, const std::string& arn) {
  std::shared_ptr<std::atomic<bool>> cancel = ctx.training_cancels.Register(arn);
  struct Unregister {
    ResourceContext& ctx;
    const std::string& arn;
    ~Unregister() { ctx.training_cancels.Unregister(arn); }
  } unregister{ctx, arn};
  Status started = ctx.registry.Update(arn, [&](Resource& v) {
    if (StatusOf(v) != status::kCreatePending) return Status::InUse("not pending");
    SetStatus(v, status::kCreateInProgress, ctx.clock);
    return Status::Ok();
  });
  if (!started.ok()) return;
  auto start = std::chrono::steady_clock::now();
  Provision(ctx, *cancel);
  Status s = Train(ctx, arn, *cancel, start);
  if (s.ok()) return;
  Finish(ctx, arn, ctx.training.StopRequested() ? std::string(kInterrupted) : s.message());
}

}  // namespace

bool IsTraining(const std::string& s) {
  return s == status::kCreatePending || s == status::kCreateInProgress ||
         s == status::kCreateStopping;
}

Result<TrainingData> BuildTrainingData(ResourceContext& ctx, const std::string& group_arn,
                                       const InteractionFilter& filter) {
  const Resource* interactions = nullptr;
  const Resource* items = nullptr;
  std::vector<Resource> children = ctx.registry.Children(group_arn);
  for (const Resource& c : children) {
    if (c.type != resource_type::kDataset || StatusOf(c) != status::kActive) continue;
    std::string type = c.body.value("datasetType", "");
    if (type == "Interactions") interactions = &c;
    if (type == "Items") items = &c;
  }
  if (!interactions) {
    return Status::InvalidInput("Dataset group " + group_arn +
                                " has no ACTIVE Interactions dataset to train on");
  }
  TrainingDataBuilder builder;
  KINDRED_RETURN_IF_ERROR(AddInteractions(ctx, *interactions, filter, &builder));
  if (items) KINDRED_RETURN_IF_ERROR(AddItems(ctx, *items, &builder));
  return std::move(builder).Finish();
}

Status CheckMinimumData(const TrainingData& data) {
  int64_t n = static_cast<int64_t>(data.interactions.size());
  if (n < kMinInteractions) {
    return Status::InvalidInput(
        "Insufficient training data: there should be at least 1000 interactions (after "
        "filtering by eventType and eventValueThreshold, if provided); found " +
        std::to_string(n) + ".");
  }
  int64_t users = 0;
  for (int32_t u = 0; u < data.num_users(); ++u) {
    if (data.History(u).size() >= 2) ++users;
  }
  if (users < kMinUsers) {
    return Status::InvalidInput(
        "Insufficient training data: there should be at least 25 unique users with at least 2 "
        "interactions each; found " +
        std::to_string(users) + ".");
  }
  return Status::Ok();
}

void ScheduleTraining(ResourceContext& ctx, const std::string& version_arn) {
  ctx.training.Submit([&ctx, version_arn] { RunTraining(ctx, version_arn); },
                      ctx.options.lifecycle_delay);
}

}  // namespace kindred
