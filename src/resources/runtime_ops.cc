#include "resources/runtime_ops.h"

#include <map>
#include <memory>
#include <mutex>

#include "common/random.h"
#include "resources/campaign_deployments.h"
#include "resources/filter_ops.h"
#include "resources/request_fields.h"
#include "serving/filter.h"
#include "serving/group_states.h"
#include "serving/recent_recommendations.h"

namespace kindred {
namespace {

constexpr int kDefaultResults = 25;
constexpr int kMaxResults = 500;

// Parsed filters by expression, so a request does not parse its filter again.
class FilterCache {
 public:
  Result<std::shared_ptr<const Filter>> Get(const std::string& expression) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = parsed_.find(expression);
    if (it != parsed_.end()) return it->second;
    Result<Filter> f = Filter::Parse(expression);
    if (!f.ok()) return f.status();
    auto shared = std::make_shared<const Filter>(std::move(f).value());
    parsed_.emplace(expression, shared);
    return shared;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const Filter>> parsed_;  // GUARDED_BY(mu_)
};

// What both operations read from the request.
struct Request {
  std::shared_ptr<const Deployment> campaign;
  std::shared_ptr<const Filter> filter;
  std::map<std::string, std::string> filter_values;
  std::string user, item;
  int num_results = kDefaultResults;
};

Result<Request> ReadRequest(ResourceContext& ctx, FilterCache& filters, const nlohmann::json& in) {
  if (in.contains("recommenderArn")) {
    return Status::InvalidInput(
        "recommenderArn: recommenders (domain dataset groups) are not "
        "supported by kindred; create a campaign and pass campaignArn");
  }
  if (in.contains("promotions")) {
    return Status::InvalidInput("promotions are not supported by kindred yet");
  }
  if (in.contains("metadataColumns")) {
    return Status::InvalidInput("metadataColumns are not supported by kindred yet");
  }
  Result<std::string> arn = RequiredString(in, "campaignArn");
  if (!arn.ok()) return arn.status();
  Request r;
  Result<std::shared_ptr<const Deployment>> campaign = ctx.deployments->Get(*arn);
  if (!campaign.ok()) return campaign.status();
  r.campaign = *campaign;
  r.user = StringOr(in, "userId", "");
  r.item = StringOr(in, "itemId", "");
  if (auto n = in.find("numResults"); n != in.end() && n->is_number_integer()) {
    const int64_t v = n->get<int64_t>();
    if (v > kMaxResults) {
      return Status::InvalidInput("numResults must be at most 500, got " + std::to_string(v));
    }
    if (v > 0) r.num_results = static_cast<int>(v);
  }
  if (std::optional<std::string> filter_arn = OptionalString(in, "filterArn")) {
    Result<FilterRecord> record = FindActiveFilter(ctx, *filter_arn);
    if (!record.ok()) return record.status();
    if (record->dataset_group_arn != r.campaign->dataset_group_arn) {
      return Status::InvalidInput("filterArn " + *filter_arn +
                                  " belongs to another dataset group than the campaign's");
    }
    Result<std::shared_ptr<const Filter>> f = filters.Get(record->expression);
    if (!f.ok()) return f.status();
    r.filter = *f;
    const nlohmann::json values = in.value("filterValues", nlohmann::json::object());
    for (const auto& [k, v] : values.items()) {
      if (v.is_string()) r.filter_values[k] = v.get<std::string>();
    }
  } else if (in.contains("filterValues")) {
    return Status::InvalidInput("filterValues were given without a filterArn");
  }
  return r;
}

// The filter's allowed-items mask for the request, or nullopt without a filter.
Result<std::optional<std::vector<bool>>> Allowed(const Request& r, const GroupState& s) {
  if (!r.filter) return std::optional<std::vector<bool>>();
  std::vector<FilterEvent> events;
  if (!r.user.empty()) {
    for (const ServingEvent& e : s.Events(r.user)) {
      events.push_back({e.item, s.EventTypeName(e.event_type), e.timestamp});
    }
  }
  FilterContext fc{.items = s.items(),
                   .users = &s.users(),
                   .user = r.user.empty() ? -1 : s.users().Find(r.user),
                   .events = events,
                   .current_item = r.item.empty() ? -1 : s.items().Find(r.item),
                   .values = &r.filter_values};
  Result<std::vector<bool>> mask = r.filter->Evaluate(fc);
  if (!mask.ok()) return mask.status();
  return std::optional<std::vector<bool>>(std::move(mask).value());
}

// The response body; `items` are moved into it. Each entry is built as an object directly
// (no initializer lists, which copy their values), as this runs on every request.
nlohmann::json Respond(ResourceContext& ctx, std::vector<RankedItem> items,
                       const char* list_name) {
  std::vector<std::string> ids;
  ids.reserve(items.size());
  for (const RankedItem& i : items) ids.push_back(i.item_id);
  nlohmann::json list(nlohmann::json::value_t::array);
  auto& entries = list.get_ref<nlohmann::json::array_t&>();
  entries.reserve(items.size());
  for (RankedItem& i : items) {
    nlohmann::json entry(nlohmann::json::value_t::object);
    auto& members = entry.get_ref<nlohmann::json::object_t&>();
    members.emplace("itemId", std::move(i.item_id));
    if (i.score) members.emplace("score", *i.score);
    entries.push_back(std::move(entry));
  }
  std::string rid = "RID-" + NewUuid();
  ctx.recent_recommendations->Remember(rid, std::move(ids));
  nlohmann::json out(nlohmann::json::value_t::object);
  auto& members = out.get_ref<nlohmann::json::object_t&>();
  members.emplace(list_name, std::move(list));
  members.emplace("recommendationId", std::move(rid));
  return out;
}

Result<nlohmann::json> GetRecommendations(ResourceContext& ctx, FilterCache& filters,
                                          const nlohmann::json& in) {
  Result<Request> r = ReadRequest(ctx, filters, in);
  if (!r.ok()) return r.status();
  const Recommender& recommender = *r->campaign->recommender;
  if (recommender.recipe().recipe_type == "PERSONALIZED_RANKING") {
    return Status::InvalidInput("Campaign " + r->campaign->campaign_arn + " uses recipe " +
                                recommender.recipe().name +
                                ", which ranks lists: call GetPersonalizedRanking");
  }
  std::vector<RankedItem> items;
  KINDRED_RETURN_IF_ERROR(
      ctx.group_states->Read(r->campaign->dataset_group_arn, [&](const GroupState& s) {
        Result<std::optional<std::vector<bool>>> allowed = Allowed(*r, s);
        if (!allowed.ok()) return allowed.status();
        Result<std::vector<RankedItem>> got =
            recommender.Recommend(s, {.user = r->user,
                                      .item = r->item,
                                      .num_results = r->num_results,
                                      .allowed = *allowed ? &**allowed : nullptr,
                                      .now = static_cast<int64_t>(ctx.clock.NowSeconds())});
        if (!got.ok()) return got.status();
        items = std::move(got).value();
        return Status::Ok();
      }));
  return Respond(ctx, std::move(items), "itemList");
}

Result<nlohmann::json> GetPersonalizedRanking(ResourceContext& ctx, FilterCache& filters,
                                              const nlohmann::json& in) {
  Result<Request> r = ReadRequest(ctx, filters, in);
  if (!r.ok()) return r.status();
  const Recommender& recommender = *r->campaign->recommender;
  if (recommender.recipe().recipe_type != "PERSONALIZED_RANKING") {
    return Status::InvalidInput("Campaign " + r->campaign->campaign_arn + " uses recipe " +
                                recommender.recipe().name +
                                ", which does not rank lists: call GetRecommendations");
  }
  std::vector<std::string> list;
  for (const nlohmann::json& v : in.value("inputList", nlohmann::json::array())) {
    if (v.is_string()) list.push_back(v.get<std::string>());
  }
  if (list.empty()) return Status::InvalidInput("inputList must name at least one item");
  if (list.size() > kMaxResults) {
    return Status::InvalidInput("inputList may name at most 500 items, got " +
                                std::to_string(list.size()));
  }
  std::vector<RankedItem> items;
  KINDRED_RETURN_IF_ERROR(
      ctx.group_states->Read(r->campaign->dataset_group_arn, [&](const GroupState& s) {
        Result<std::optional<std::vector<bool>>> allowed = Allowed(*r, s);
        if (!allowed.ok()) return allowed.status();
        Result<std::vector<RankedItem>> got = recommender.Rank(
            s, {.user = r->user, .allowed = *allowed ? &**allowed : nullptr}, list);
        if (!got.ok()) return got.status();
        items = std::move(got).value();
        return Status::Ok();
      }));
  return Respond(ctx, std::move(items), "personalizedRanking");
}

}  // namespace

void RegisterRuntimeOps(ResourceContext& ctx, OperationTable& table) {
  auto filters = std::make_shared<FilterCache>();
  table["GetRecommendations"] = [&ctx, filters](const nlohmann::json& in) {
    return GetRecommendations(ctx, *filters, in);
  };
  table["GetPersonalizedRanking"] = [&ctx, filters](const nlohmann::json& in) {
    return GetPersonalizedRanking(ctx, *filters, in);
  };
}

}  // namespace kindred
