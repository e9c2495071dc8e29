// SetUpCampaign: what the serving and events parts measure against — an aws-user-personalization
// campaign on a synthetic catalogue, set up through the public API of a BenchServer the way a
// client would: the synthetic generator's files (synthetic_dataset.h: items.csv with GENRE and
// CREATION_TIMESTAMP, interactions.csv) written to the server's S3 folder, a dataset group with
// Interactions and Items datasets, two import jobs, a solution (`hidden_dimension` and `epochs`
// set), its version trained, a campaign with the default exploration, an event tracker, and a
// filter excluding the items a user purchased (kPurchaseFilter).
//
// The catalogue's clock is shifted so that the generated history ends at the start of the
// current UTC day, and 6% of the items arrive during it: the 2% created in its last 30 days are
// new to the campaign's exploration, as in a live catalogue.
//
//   Result<BenchCampaign> c = SetUpCampaign(server, {.items = 10'000, .users = 2'000,
//                                                    .events = 50'000});
//   // c->campaign_arn, c->filter_arn, c->tracking_id; users are SyntheticUserId(0..users-1)
//
// Everything waits until ACTIVE; an operation that fails, or a resource that ends CREATE
// FAILED or is not ACTIVE after 30 minutes, is an error naming it.
//
// Thread-safety: call from one thread (the server's own threads do the work).
#pragma once

#include <cstdint>
#include <string>

#include "bench/bench_server.h"
#include "common/status.h"

namespace kindred {

inline constexpr std::string_view kPurchaseFilter =
    R"(EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase"))";

struct CampaignSpec {
  int32_t items = 10'000;
  int32_t users = 2'000;
  int64_t events = 50'000;
  uint64_t seed = 1;
  int hidden_dimension = 64;
  int epochs = 1;
};

struct BenchCampaign {
  std::string campaign_arn;
  std::string filter_arn;
  std::string tracking_id;
  double setup_seconds = 0;     // everything above, training included
  double training_seconds = 0;  // CreateSolutionVersion to ACTIVE
};

Result<BenchCampaign> SetUpCampaign(const BenchServer& server, const CampaignSpec& spec);

}  // namespace kindred
