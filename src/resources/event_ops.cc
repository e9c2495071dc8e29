#include "resources/event_ops.h"

#include <cmath>
#include <memory>
#include <set>

#include "common/fiber_batch.h"
#include "resources/event_tracker_ops.h"
#include "resources/group_datasets.h"
#include "resources/lifecycle.h"
#include "resources/record_properties.h"
#include "resources/request_fields.h"
#include "resources/serving_loader.h"
#include "serving/group_states.h"
#include "serving/recent_recommendations.h"
#include "storage/sync_together.h"

namespace kindred {
namespace {

// Key of a recorded eventId (docs/storage-layout.md, "e/").
std::string EventIdKey(const std::string& tracking_id, const std::string& event_id) {
  return "e/" + tracking_id + "/" + event_id;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : "|") + i;
  return out;
}

// One accepted event, with what the serving state needs.
struct Accepted {
  std::string item;
  std::string event_type;
  int64_t timestamp = 0;
  std::vector<std::string> impression;
};

Result<nlohmann::json> PutEvents(ResourceContext& ctx, GroupDatasetCache& datasets,
                                 const nlohmann::json& in) {
  Result<std::string> tracking_id = RequiredString(in, "trackingId");
  if (!tracking_id.ok()) return tracking_id.status();
  Result<std::string> session = RequiredString(in, "sessionId");
  if (!session.ok()) return session.status();
  const std::optional<std::string> user_id = OptionalString(in, "userId");
  const std::string user = user_id.value_or(*session);
  Result<Resource> tracker = FindEventTracker(ctx, *tracking_id);
  if (!tracker.ok()) return tracker.status();
  const std::string group = tracker->parent_arn;
  Result<std::shared_ptr<const GroupDataset>> interactions =
      datasets.Get(ctx, group, DatasetType::kInteractions);
  if (!interactions.ok()) return interactions.status();
  if (!*interactions) {
    return Status::InvalidInput("Dataset group " + group +
                                " has no ACTIVE Interactions dataset to record events in");
  }
  const GroupDataset& d = **interactions;

  std::vector<Row> rows;
  std::vector<Accepted> accepted;
  WriteBatch event_ids;
  std::set<std::string> ids_in_request;
  const nlohmann::json list = in.value("eventList", nlohmann::json::array());
  for (size_t i = 0; i < list.size(); ++i) {
    const nlohmann::json& e = list[i];
    const std::string what = "eventList[" + std::to_string(i) + "]";
    if (std::optional<std::string> id = OptionalString(e, "eventId")) {
      Result<std::optional<std::string>> seen = ctx.store.Get(EventIdKey(*tracking_id, *id));
      if (!seen.ok()) return seen.status();
      if (seen->has_value() || !ids_in_request.insert(*id).second) continue;  // a retry
      event_ids.Put(EventIdKey(*tracking_id, *id), "");
    }
    Result<std::string> type = RequiredString(e, "eventType");
    if (!type.ok()) return Status::InvalidInput(what + ".eventType is required");
    std::optional<std::string> item = OptionalString(e, "itemId");
    if (!item) {
      return Status::InvalidInput(what +
                                  ".itemId is required: the Interactions dataset's ITEM_ID "
                                  "cannot be empty");
    }
    auto sent = e.find("sentAt");
    if (sent == e.end() || !sent->is_number() || !std::isfinite(sent->get<double>())) {
      return Status::InvalidInput(what + ".sentAt must be a timestamp");
    }
    Accepted a{*item, *type, static_cast<int64_t>(std::floor(sent->get<double>())), {}};
    if (auto imp = e.find("impression"); imp != e.end() && imp->is_array()) {
      for (const nlohmann::json& x : *imp) {
        if (x.is_string()) a.impression.push_back(x.get<std::string>());
      }
    }
    const std::optional<std::string> rid = OptionalString(e, "recommendationId");
    if (a.impression.empty() && rid) {
      a.impression = ctx.recent_recommendations->Find(*rid).value_or(std::vector<std::string>());
    }
    std::map<std::string, FieldValue> fixed = {
        {"USER_ID", user}, {"ITEM_ID", *item}, {"TIMESTAMP", a.timestamp}, {"EVENT_TYPE", *type}};
    if (auto value = e.find("eventValue"); value != e.end() && value->is_number()) {
      fixed["EVENT_VALUE"] = value->get<double>();
    }
    if (!a.impression.empty()) fixed["IMPRESSION"] = Join(a.impression);
    if (rid) fixed["RECOMMENDATION_ID"] = *rid;
    Result<Row> row = RowFromRecord(d.schema, fixed, StringOr(e, "properties", ""), what);
    if (!row.ok()) return row.status();
    rows.push_back(std::move(row).value());
    accepted.push_back(std::move(a));
  }
  // In a batch of PutEvents (the HTTP server's), the write is synced after AppendLive's lock is
  // released, with one fsync for the whole batch; either way it is durable before the response.
  // Also a retry whose events were all written already waits for that sync: the request that
  // wrote them may not have synced yet.
  const bool batched = FiberBatch::Current() != nullptr;
  if (rows.empty()) {
    if (batched) KINDRED_RETURN_IF_ERROR(SyncTogether(ctx.store));
    return nlohmann::json::object();
  }
  Result<uint64_t> first =
      ctx.datasets.AppendLive(d.arn, d.schema, d.type, rows, [&](WriteBatch& batch) {
        batch.Append(event_ids);
        return ctx.store.Write(batch, /*durable=*/!batched);
      });
  if (!first.ok()) return first.status();
  if (batched) KINDRED_RETURN_IF_ERROR(SyncTogether(ctx.store));
  const std::string session_id = user_id ? *session : std::string();
  ctx.group_states->Apply(group, *first, rows.size(), [&](GroupState& s) {
    for (const Accepted& a : accepted) {
      s.AddEvent({.user = user,
                  .session = session_id,
                  .item = a.item,
                  .event_type = a.event_type,
                  .timestamp = a.timestamp});
      s.AddImpressions(a.impression);
    }
  });
  return nlohmann::json::object();
}

// PutItems (items = true) or PutUsers.
Result<nlohmann::json> PutRecords(ResourceContext& ctx, GroupDatasetCache& datasets,
                                  const nlohmann::json& in, bool items) {
  const char* list_name = items ? "items" : "users";
  const char* id_member = items ? "itemId" : "userId";
  const DatasetType wanted = items ? DatasetType::kItems : DatasetType::kUsers;
  Result<std::string> arn = RequiredString(in, "datasetArn");
  if (!arn.ok()) return arn.status();
  Result<Resource> dataset = ctx.registry.GetOfType(*arn, resource_type::kDataset);
  if (!dataset.ok()) return dataset.status();
  KINDRED_RETURN_IF_ERROR(RequireActive(*dataset, "Dataset"));
  Result<std::shared_ptr<const GroupDataset>> found =
      datasets.Get(ctx, dataset->parent_arn, wanted);
  if (!found.ok()) return found.status();
  const std::shared_ptr<const GroupDataset>& d = *found;
  if (!d || d->arn != *arn) {
    return Status::InvalidInput("datasetArn " + *arn + " is not an " +
                                std::string(DatasetTypeName(wanted)) + " dataset");
  }
  std::vector<Row> rows;
  const nlohmann::json list = in.value(list_name, nlohmann::json::array());
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string what = std::string(list_name) + "[" + std::to_string(i) + "]";
    Result<std::string> id = RequiredString(list[i], id_member);
    if (!id.ok()) return Status::InvalidInput(what + "." + id_member + " is required");
    Result<Row> row = RowFromRecord(d->schema, {{items ? "ITEM_ID" : "USER_ID", *id}},
                                    StringOr(list[i], "properties", ""), what);
    if (!row.ok()) return row.status();
    rows.push_back(std::move(row).value());
  }
  if (rows.empty()) return nlohmann::json::object();
  Result<uint64_t> first = ctx.datasets.AppendLive(d->arn, d->schema, d->type, rows);
  if (!first.ok()) return first.status();
  ctx.group_states->Apply(dataset->parent_arn, *first, rows.size(), [&](GroupState& s) {
    for (const Row& row : rows) (void)(items ? s.PutItem(row) : s.PutUser(row));
  });
  return nlohmann::json::object();
}

}  // namespace

void RegisterEventOps(ResourceContext& ctx, OperationTable& table) {
  auto datasets = std::make_shared<GroupDatasetCache>();
  table["PutEvents"] = [&ctx, datasets](const nlohmann::json& in) {
    return PutEvents(ctx, *datasets, in);
  };
  table["PutItems"] = [&ctx, datasets](const nlohmann::json& in) {
    return PutRecords(ctx, *datasets, in, true);
  };
  table["PutUsers"] = [&ctx, datasets](const nlohmann::json& in) {
    return PutRecords(ctx, *datasets, in, false);
  };
}

}  // namespace kindred
