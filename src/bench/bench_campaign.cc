#include "bench/bench_campaign.h"

#include <chrono>
#include <filesystem>
#include <thread>

#include "bench/bench_datasets.h"
#include "bench/synthetic_dataset.h"

namespace kindred {
namespace {

constexpr std::string_view kBucket = "bench";
constexpr int64_t kDay = 86'400;
constexpr std::chrono::minutes kMaxWait{30};

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Polls Describe<resource> until the resource (the response's `key` member) is ACTIVE, for at
// most kMaxWait.
Status WaitActive(const BenchServer& server, const std::string& resource, const std::string& key,
                  const std::string& arn_field, const std::string& arn) {
  const std::string operation = "Describe" + resource;
  const auto deadline = std::chrono::steady_clock::now() + kMaxWait;
  while (std::chrono::steady_clock::now() < deadline) {
    Result<nlohmann::json> described = server.Call(operation, {{arn_field, arn}});
    if (!described.ok()) return described.status();
    const nlohmann::json& r = (*described)[key];
    const std::string status = r.value("status", "");
    if (status == "ACTIVE") return Status::Ok();
    if (status.find("FAILED") != std::string::npos) {
      return Status::Internal(resource + " " + arn + " is " + status + ": " +
                              r.value("failureReason", ""));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Status::Internal(resource + " " + arn + " is not ACTIVE after " +
                          std::to_string(kMaxWait.count()) + " minutes");
}

// Creates the resource by `create` and waits until it is ACTIVE; its ARN, read from the
// response's `arn_field`.
Result<std::string> CreateActive(const BenchServer& server, const std::string& resource,
                                 const std::string& key, const std::string& arn_field,
                                 const nlohmann::json& create) {
  Result<nlohmann::json> created = server.Call("Create" + resource, create);
  if (!created.ok()) return created.status();
  const std::string arn = (*created)[arn_field];
  KINDRED_RETURN_IF_ERROR(WaitActive(server, resource, key, arn_field, arn));
  return arn;
}

// A dataset of `type` in `group`, with its data imported from s3://bench/<file>.
Status CreateDataset(const BenchServer& server, const std::string& group, const std::string& type,
                     std::string_view schema, const std::string& file) {
  Result<nlohmann::json> schema_arn =
      server.Call("CreateSchema", {{"name", "bench-" + type}, {"schema", schema}});
  if (!schema_arn.ok()) return schema_arn.status();
  Result<std::string> dataset = CreateActive(server, "Dataset", "dataset", "datasetArn",
                                             {{"name", "bench-" + type},
                                              {"schemaArn", (*schema_arn)["schemaArn"]},
                                              {"datasetGroupArn", group},
                                              {"datasetType", type}});
  if (!dataset.ok()) return dataset.status();
  return CreateActive(
             server, "DatasetImportJob", "datasetImportJob", "datasetImportJobArn",
             {{"jobName", "bench-" + type},
              {"datasetArn", *dataset},
              {"dataSource", {{"dataLocation", "s3://" + std::string(kBucket) + "/" + file}}},
              {"roleArn", "arn:aws:iam::123456789012:role/KindredBench"}})
      .status();
}

}  // namespace

Result<BenchCampaign> SetUpCampaign(const BenchServer& server, const CampaignSpec& spec) {
  const auto start = std::chrono::steady_clock::now();
  GeneratorOptions generator = SyntheticOptions(spec.users, spec.items, spec.events, spec.seed);
  const int64_t today = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count() /
                        kDay * kDay;
  generator.catalogue.start = today - generator.catalogue.horizon;
  generator.catalogue.initial_share = 0.94;
  const std::string dir = (std::filesystem::path(server.s3_root()) / kBucket).string();
  Result<SimulationStats> generated = WriteSyntheticCsv(generator, dir);
  if (!generated.ok()) return generated.status();

  Result<std::string> group =
      CreateActive(server, "DatasetGroup", "datasetGroup", "datasetGroupArn", {{"name", "bench"}});
  if (!group.ok()) return group.status();
  KINDRED_RETURN_IF_ERROR(
      CreateDataset(server, *group, "Interactions", InteractionsSchemaJson(), "interactions.csv"));
  KINDRED_RETURN_IF_ERROR(
      CreateDataset(server, *group, "Items", SyntheticItemsSchemaJson(), "items.csv"));

  const nlohmann::json hyperparameters = {
      {"hidden_dimension", std::to_string(spec.hidden_dimension)},
      {"epochs", std::to_string(spec.epochs)}};
  Result<std::string> solution =
      CreateActive(server, "Solution", "solution", "solutionArn",
                   {{"name", "bench"},
                    {"datasetGroupArn", *group},
                    {"recipeArn", "arn:aws:personalize:::recipe/aws-user-personalization"},
                    {"solutionConfig", {{"algorithmHyperParameters", hyperparameters}}}});
  if (!solution.ok()) return solution.status();
  const auto training_start = std::chrono::steady_clock::now();
  Result<std::string> version = CreateActive(server, "SolutionVersion", "solutionVersion",
                                             "solutionVersionArn", {{"solutionArn", *solution}});
  if (!version.ok()) return version.status();
  BenchCampaign out;
  out.training_seconds = Since(training_start);
  Result<std::string> campaign =
      CreateActive(server, "Campaign", "campaign", "campaignArn",
                   {{"name", "bench"}, {"solutionVersionArn", *version}});
  if (!campaign.ok()) return campaign.status();
  out.campaign_arn = *campaign;

  Result<nlohmann::json> tracker =
      server.Call("CreateEventTracker", {{"name", "bench"}, {"datasetGroupArn", *group}});
  if (!tracker.ok()) return tracker.status();
  KINDRED_RETURN_IF_ERROR(WaitActive(server, "EventTracker", "eventTracker", "eventTrackerArn",
                                     (*tracker)["eventTrackerArn"]));
  out.tracking_id = (*tracker)["trackingId"];
  Result<std::string> filter = CreateActive(server, "Filter", "filter", "filterArn",
                                            {{"name", "bench-purchased"},
                                             {"datasetGroupArn", *group},
                                             {"filterExpression", kPurchaseFilter}});
  if (!filter.ok()) return filter.status();
  out.filter_arn = *filter;
  out.setup_seconds = Since(start);
  return out;
}

}  // namespace kindred
