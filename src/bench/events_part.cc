#include "bench/events_part.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "bench/bench_campaign.h"
#include "bench/child_process.h"
#include "bench/http_client.h"
#include "bench/http_load.h"
#include "bench/latency_stats.h"
#include "bench/random_stream.h"
#include "bench/synthetic_dataset.h"

namespace kindred {
namespace {

constexpr int kEventsPerRequest = 10;
constexpr int kRequestPool = 500;

struct EventsPlan {
  std::string dataset;
  CampaignSpec campaign;
  std::vector<int> concurrency;
  LoadOptions load;
  int delay_samples;
};

EventsPlan Plan(const BenchOptions& options) {
  EventsPlan plan;
  plan.dataset = options.quick ? "synthetic-2k" : "synthetic-10k";
  plan.campaign = {.items = options.quick ? 2'000 : 10'000,
                   .users = options.quick ? 500 : 2'000,
                   .events = options.quick ? 10'000 : 50'000,
                   .seed = options.seed};
  plan.concurrency = options.quick ? std::vector<int>{1, 4} : std::vector<int>{1, 4, 16, 64};
  plan.load = {.warmup_seconds = options.quick ? 0.2 : 1.0, .seconds = options.quick ? 1.0 : 8.0};
  plan.delay_samples = options.quick ? 30 : 500;
  return plan;
}

double SecondsNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// PutEvents of kEventsPerRequest clicks of one catalogue user each, signed now.
std::vector<std::string> PutEventsRequests(const BenchServer& server, const BenchCampaign& campaign,
                                           const CampaignSpec& spec) {
  RandomStream rng(spec.seed, /*stream=*/102);
  std::vector<std::string> wire;
  for (int n = 0; n < kRequestPool; ++n) {
    const std::string user = SyntheticUserId(static_cast<int32_t>(rng.Below(spec.users)));
    nlohmann::json events = nlohmann::json::array();
    for (int e = 0; e < kEventsPerRequest; ++e) {
      events.push_back({{"eventType", "click"},
                        {"itemId", SyntheticItemId(static_cast<int32_t>(rng.Below(spec.items)))},
                        {"sentAt", SecondsNow()}});
    }
    wire.push_back(WireRequest(server.RestRequest("/events", {{"trackingId", campaign.tracking_id},
                                                              {"userId", user},
                                                              {"sessionId", "s-" + user},
                                                              {"eventList", events}})));
  }
  return wire;
}

// One exchange that must be answered 200: the body, parsed.
Result<nlohmann::json> Exchange200(KeepAliveClient& client, const std::string& wire) {
  Result<ClientResponse> response = client.Exchange(wire);
  if (!response.ok()) return response.status();
  if (response->status != 200) {
    return Status::Internal("answered " + std::to_string(response->status) + ": " + response->body);
  }
  return nlohmann::json::parse(response->body.empty() ? "{}" : response->body);
}

// The event-to-effect measurement (see events_part.h).
Result<nlohmann::json> MeasureDelay(const BenchServer& server, const BenchCampaign& campaign,
                                    int samples) {
  Result<std::unique_ptr<KeepAliveClient>> client = KeepAliveClient::Connect(server.port());
  if (!client.ok()) return client.status();
  std::vector<double> put_ms, effect_ms, delay_ms;
  int64_t reflected = 0;
  for (int n = 0; n < samples; ++n) {
    const std::string user = "delay-u" + std::to_string(n);  // no events yet
    const nlohmann::json ask = {{"campaignArn", campaign.campaign_arn},
                                {"userId", user},
                                {"numResults", 25},
                                {"filterArn", campaign.filter_arn}};
    Result<nlohmann::json> before =
        Exchange200(**client, WireRequest(server.RestRequest("/recommendations", ask)));
    if (!before.ok()) return before.status();
    if ((*before)["itemList"].empty()) return Status::Internal("no recommendations for " + user);
    const std::string item = (*before)["itemList"][0]["itemId"];
    const nlohmann::json purchase = {
        {"eventType", "purchase"}, {"itemId", item}, {"sentAt", SecondsNow()}};
    const std::string put = WireRequest(
        server.RestRequest("/events", {{"trackingId", campaign.tracking_id},
                                       {"userId", user},
                                       {"sessionId", "s-" + user},
                                       {"eventList", nlohmann::json::array({purchase})}}));
    const std::string again = WireRequest(server.RestRequest("/recommendations", ask));

    const auto start = std::chrono::steady_clock::now();
    Result<nlohmann::json> stored = Exchange200(**client, put);
    const auto put_done = std::chrono::steady_clock::now();
    Result<nlohmann::json> after = Exchange200(**client, again);
    const auto after_done = std::chrono::steady_clock::now();
    if (!stored.ok()) return stored.status();
    if (!after.ok()) return after.status();
    put_ms.push_back(std::chrono::duration<double, std::milli>(put_done - start).count());
    effect_ms.push_back(std::chrono::duration<double, std::milli>(after_done - put_done).count());
    delay_ms.push_back(std::chrono::duration<double, std::milli>(after_done - start).count());
    bool excluded = true;
    for (const nlohmann::json& i : (*after)["itemList"]) excluded = excluded && i["itemId"] != item;
    if (excluded) ++reflected;
  }
  nlohmann::json record = {
      {"concurrency", 1}, {"samples", samples}, {"reflected", reflected}, {"errors", 0}};
  for (auto& [prefix, ms] : {std::pair{"put_", &put_ms}, std::pair{"effect_", &effect_ms},
                             std::pair{"delay_", &delay_ms}}) {
    const nlohmann::json summary = SummarizeLatencies(std::move(*ms));
    for (const char* key : {"p50_ms", "p90_ms", "p99_ms", "mean_ms", "max_ms", "quantiles_ms"}) {
      record[prefix + std::string(key)] = summary[key];
    }
  }
  return record;
}

// In a child: sets up the campaign and takes every measurement.
Result<nlohmann::json> Measure(const BenchOptions& options, const EventsPlan& plan) {
  Result<std::unique_ptr<BenchServer>> started = BenchServer::Start(
      (std::filesystem::path(options.scratch_dir) / "events").string(), /*http_threads=*/0);
  if (!started.ok()) return started.status();
  const BenchServer& server = **started;
  Result<BenchCampaign> campaign = SetUpCampaign(server, plan.campaign);
  if (!campaign.ok()) return campaign.status();
  std::fprintf(stderr, "kindred bench: events: %s set up in %.1f s\n", plan.dataset.c_str(),
               campaign->setup_seconds);
  // Warm-up: the group's state loads on the first request (the campaign's model on the first
  // GetRecommendations, which MeasureDelay does not time).
  Result<std::unique_ptr<KeepAliveClient>> client = KeepAliveClient::Connect(server.port());
  if (!client.ok()) return client.status();
  Result<nlohmann::json> warm =
      Exchange200(**client, PutEventsRequests(server, *campaign, plan.campaign).front());
  if (!warm.ok()) return Status(warm.status().code(), "PutEvents " + warm.status().message());
  (*client).reset();
  server.WaitUntilQuiet();

  nlohmann::json records = nlohmann::json::array();
  const auto add = [&](nlohmann::json record, const char* measurement) {
    record["measurement"] = measurement;
    record["mode"] = "http";
    record["dataset"] = plan.dataset;
    record["items"] = plan.campaign.items;
    record["setup_seconds"] = campaign->setup_seconds;
    records.push_back(std::move(record));
  };
  Result<nlohmann::json> delay = MeasureDelay(server, *campaign, plan.delay_samples);
  if (!delay.ok()) return delay.status();
  add(std::move(delay).value(), "event-to-effect");

  for (int concurrency : plan.concurrency) {
    LoadOptions load = plan.load;
    load.concurrency = concurrency;
    Result<LoadResult> result =
        RunHttpLoad(server.port(), PutEventsRequests(server, *campaign, plan.campaign), load);
    if (!result.ok()) return result.status();
    nlohmann::json record = LoadRecord(load, *result);
    record["events_per_request"] = kEventsPerRequest;
    record["events_per_second"] = result->requests_per_second * kEventsPerRequest;
    add(std::move(record), "put-events");
  }
  return records;
}

Status CheckSane(const nlohmann::json& record) {
  KINDRED_RETURN_IF_ERROR(CheckMeasured(record));
  if (record.contains("reflected") && record["reflected"] != record["samples"]) {
    return Status::Internal("only " + record["reflected"].dump() + " of " +
                            record["samples"].dump() +
                            " purchases were reflected by the next GetRecommendations");
  }
  return Status::Ok();
}

}  // namespace

Status EventsPart::Run(const BenchOptions& options, ResultLog& log) const {
  const EventsPlan plan = Plan(options);
  if (!DatasetSelected(options, plan.dataset)) {
    log.Note(plan.dataset + " not selected: nothing measured");
    return Status::Ok();
  }
  Result<ChildOutcome> out = RunInChild([&] { return Measure(options, plan); });
  std::filesystem::remove_all(std::filesystem::path(options.scratch_dir) / "events");
  if (!out.ok()) return out.status();
  for (nlohmann::json& record : out->result) {
    record["peak_rss_bytes"] = out->peak_resident_bytes;
    const std::string what = record["measurement"].get<std::string>() + " at concurrency " +
                             record["concurrency"].dump();
    Status sane = CheckSane(record);
    if (!sane.ok()) return Status(sane.code(), what + ": " + sane.message());
    if (record.contains("reflected")) {
      std::fprintf(stderr,
                   "kindred bench: events: %s: %lld of %lld reflected; PutEvents p50 %.3f ms, "
                   "next GetRecommendations p50 %.3f ms, p99 %.3f ms\n",
                   what.c_str(), static_cast<long long>(record["reflected"].get<int64_t>()),
                   static_cast<long long>(record["samples"].get<int64_t>()),
                   record["put_p50_ms"].get<double>(), record["effect_p50_ms"].get<double>(),
                   record["effect_p99_ms"].get<double>());
    } else {
      std::fprintf(stderr, "kindred bench: events: %s: %.0f events/s, p50 %.3f ms, p99 %.3f ms\n",
                   what.c_str(), record["events_per_second"].get<double>(),
                   record["p50_ms"].get<double>(), record["p99_ms"].get<double>());
    }
    KINDRED_RETURN_IF_ERROR(log.Add(std::move(record)));
  }
  return Status::Ok();
}

}  // namespace kindred
