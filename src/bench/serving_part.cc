#include "bench/serving_part.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>

#include "bench/bench_campaign.h"
#include "bench/child_process.h"
#include "bench/http_client.h"
#include "bench/http_load.h"
#include "bench/latency_stats.h"
#include "bench/random_stream.h"
#include "bench/synthetic_dataset.h"

namespace kindred {
namespace {

constexpr int kRequestUsers = 500;
constexpr int kNumResults = 25;
constexpr size_t kMinLatencySamples = 200;
constexpr int kLatencyRounds = 5;

struct ServingCatalogue {
  std::string dataset;
  int32_t items;
};

// What one catalogue's measurements run with (quick or full mode).
struct ServingPlan {
  CampaignSpec campaign;
  double latency_seconds;
  std::vector<int> concurrency;
  LoadOptions load;
};

std::vector<ServingCatalogue> Catalogues(const BenchOptions& options) {
  std::vector<ServingCatalogue> all;
  if (options.quick) {
    all = {{"synthetic-2k", 2'000}};
  } else {
    all = {{"synthetic-10k", 10'000}, {"synthetic-100k", 100'000}, {"synthetic-1m", 1'000'000}};
  }
  std::erase_if(all,
                [&](const ServingCatalogue& c) { return !DatasetSelected(options, c.dataset); });
  return all;
}

ServingPlan Plan(const BenchOptions& options, int32_t items) {
  ServingPlan plan;
  plan.campaign = {.items = items,
                   .users = options.quick ? 500 : 2'000,
                   .events = options.quick ? 10'000 : 50'000,
                   .seed = options.seed};
  plan.latency_seconds = options.quick ? 1 : 10;
  plan.concurrency =
      options.quick ? std::vector<int>{1, 4} : std::vector<int>{1, 2, 4, 8, 16, 32, 64};
  plan.load = {.warmup_seconds = options.quick ? 0.2 : 1.0, .seconds = options.quick ? 1.0 : 8.0};
  return plan;
}

// GetRecommendations of 25 items for kRequestUsers users of the catalogue, signed now.
std::vector<HttpRequest> RecommendationRequests(const BenchServer& server,
                                                const BenchCampaign& campaign, int32_t users,
                                                uint64_t seed) {
  RandomStream rng(seed, /*stream=*/101);
  std::vector<HttpRequest> requests;
  for (int n = 0; n < kRequestUsers; ++n) {
    const int32_t user = static_cast<int32_t>(rng.Below(users));
    requests.push_back(
        server.RestRequest("/recommendations", {{"campaignArn", campaign.campaign_arn},
                                                {"userId", SyntheticUserId(user)},
                                                {"numResults", kNumResults}}));
  }
  return requests;
}

// Answers every request once (loading the campaign's model and the group's state) and checks
// that each gets kNumResults items.
Status WarmUp(const BenchServer& server, const std::vector<HttpRequest>& requests) {
  for (const HttpRequest& request : requests) {
    const HttpResponse response = server.Handle(request);
    if (response.status != 200) {
      return Status::Internal("GetRecommendations answered " + std::to_string(response.status) +
                              ": " + response.body);
    }
    const nlohmann::json body = nlohmann::json::parse(response.body);
    if (body["itemList"].size() != kNumResults) {
      return Status::Internal("GetRecommendations gave " + std::to_string(body["itemList"].size()) +
                              " items, not " + std::to_string(kNumResults));
    }
  }
  return Status::Ok();
}

// Latencies of requests sent one after another, gathered over rounds.
struct SequentialRun {
  std::vector<double> ms;
  int64_t errors = 0;
  double seconds = 0;
  size_t next = 0;  // the request index the next round starts at
};

// One round of `run`: `request(i)` for its next indices, one after another, until `seconds`
// have passed and at least `min_samples` were taken; `request` says whether it succeeded.
void TimeRound(double seconds, size_t min_samples, const std::function<bool(size_t)>& request,
               SequentialRun* run) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  double elapsed = 0;
  for (size_t taken = 0; elapsed < seconds || taken < min_samples; ++taken) {
    const Clock::time_point sent = Clock::now();
    if (!request(run->next++)) ++run->errors;
    const Clock::time_point done = Clock::now();
    run->ms.push_back(std::chrono::duration<double, std::milli>(done - sent).count());
    elapsed = std::chrono::duration<double>(done - start).count();
  }
  run->seconds += elapsed;
}

nlohmann::json SequentialRecord(SequentialRun run) {
  nlohmann::json record = SummarizeLatencies(std::move(run.ms));
  record["concurrency"] = 1;
  record["requests_per_second"] = record["samples"].get<double>() / run.seconds;
  record["errors"] = run.errors;
  record["seconds"] = run.seconds;
  return record;
}

std::vector<std::string> Wire(const std::vector<HttpRequest>& requests) {
  std::vector<std::string> wire;
  for (const HttpRequest& r : requests) wire.push_back(WireRequest(r));
  return wire;
}

// In a child: sets up the catalogue's campaign and takes every measurement of it.
Result<nlohmann::json> MeasureCatalogue(const BenchOptions& options,
                                        const ServingCatalogue& catalogue) {
  const ServingPlan plan = Plan(options, catalogue.items);
  Result<std::unique_ptr<BenchServer>> started = BenchServer::Start(
      (std::filesystem::path(options.scratch_dir) / ("serving-" + catalogue.dataset)).string(),
      /*http_threads=*/0);
  if (!started.ok()) return started.status();
  const BenchServer& server = **started;
  Result<BenchCampaign> campaign = SetUpCampaign(server, plan.campaign);
  if (!campaign.ok()) return campaign.status();
  KINDRED_RETURN_IF_ERROR(
      WarmUp(server, RecommendationRequests(server, *campaign, plan.campaign.users, options.seed)));
  std::fprintf(stderr, "kindred bench: serving: %s set up in %.1f s (training %.1f s)\n",
               catalogue.dataset.c_str(), campaign->setup_seconds, campaign->training_seconds);

  nlohmann::json records = nlohmann::json::array();
  const auto add = [&](nlohmann::json record, const char* measurement, const char* mode) {
    record["measurement"] = measurement;
    record["mode"] = mode;
    record["dataset"] = catalogue.dataset;
    record["items"] = catalogue.items;
    record["setup_seconds"] = campaign->setup_seconds;
    record["training_seconds"] = campaign->training_seconds;
    records.push_back(std::move(record));
  };

  // In-process and HTTP requests alternate round by round, so that whatever else the machine
  // does meanwhile weighs on both alike.
  const std::vector<HttpRequest> requests =
      RecommendationRequests(server, *campaign, plan.campaign.users, options.seed);
  const std::vector<std::string> wire = Wire(requests);
  server.WaitUntilQuiet();
  Result<std::unique_ptr<KeepAliveClient>> client = KeepAliveClient::Connect(server.port());
  if (!client.ok()) return client.status();
  const auto in_process = [&](size_t i) {
    return server.Handle(requests[i % requests.size()]).status == 200;
  };
  const auto http = [&](size_t i) {
    Result<ClientResponse> r = (*client)->Exchange(wire[i % wire.size()]);
    return r.ok() && r->status == 200;
  };
  SequentialRun in_process_run, http_run;
  const double round_seconds = plan.latency_seconds / kLatencyRounds;
  const size_t round_samples = kMinLatencySamples / kLatencyRounds;
  for (int round = 0; round < kLatencyRounds; ++round) {
    TimeRound(round_seconds, round_samples, in_process, &in_process_run);
    TimeRound(round_seconds, round_samples, http, &http_run);
  }
  add(SequentialRecord(std::move(in_process_run)), "latency", "in-process");
  add(SequentialRecord(std::move(http_run)), "latency", "http");

  for (int concurrency : plan.concurrency) {
    LoadOptions load = plan.load;
    load.concurrency = concurrency;
    const std::vector<std::string> signed_now =
        Wire(RecommendationRequests(server, *campaign, plan.campaign.users, options.seed));
    Result<LoadResult> result = RunHttpLoad(server.port(), signed_now, load);
    if (!result.ok()) return result.status();
    add(LoadRecord(load, *result), "throughput", "http");
  }
  return records;
}

}  // namespace

Status ServingPart::Run(const BenchOptions& options, ResultLog& log) const {
  const std::vector<ServingCatalogue> catalogues = Catalogues(options);
  if (catalogues.empty()) log.Note("no catalogue selected: nothing measured");
  for (const ServingCatalogue& catalogue : catalogues) {
    Result<ChildOutcome> out = RunInChild([&] { return MeasureCatalogue(options, catalogue); });
    std::filesystem::remove_all(std::filesystem::path(options.scratch_dir) /
                                ("serving-" + catalogue.dataset));
    if (!out.ok()) {
      return Status(out.status().code(), catalogue.dataset + ": " + out.status().message());
    }
    for (nlohmann::json& record : out->result) {
      record["peak_rss_bytes"] = out->peak_resident_bytes;
      const std::string what = catalogue.dataset + " " + record["measurement"].get<std::string>() +
                               " " + record["mode"].get<std::string>() + " at concurrency " +
                               record["concurrency"].dump();
      Status sane = CheckMeasured(record);
      if (!sane.ok()) return Status(sane.code(), what + ": " + sane.message());
      std::fprintf(stderr,
                   "kindred bench: serving: %s: %.0f requests/s, p50 %.3f ms, p99 %.3f ms\n",
                   what.c_str(), record["requests_per_second"].get<double>(),
                   record["p50_ms"].get<double>(), record["p99_ms"].get<double>());
      KINDRED_RETURN_IF_ERROR(log.Add(std::move(record)));
    }
  }
  return Status::Ok();
}

}  // namespace kindred
