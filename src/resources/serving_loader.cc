#include "resources/serving_loader.h"

#include "resources/group_datasets.h"

namespace kindred {

std::vector<std::string> ImpressionItems(std::string_view value) {
  std::vector<std::string> out;
  for (std::string_view item : SplitCategorical(value)) out.emplace_back(item);
  return out;
}

Result<std::unique_ptr<GroupState>> LoadGroupState(ResourceContext& ctx,
                                                   const std::string& group_arn,
                                                   std::unordered_set<uint64_t>* seen) {
  Result<GroupDatasets> datasets = ActiveDatasetsOf(ctx, group_arn);
  if (!datasets.ok()) return datasets.status();
  auto schema_of = [](const std::optional<GroupDataset>& d) {
    return d ? std::optional<DatasetSchema>(d->schema) : std::nullopt;
  };
  auto state = std::make_unique<GroupState>(schema_of(datasets->items), schema_of(datasets->users));
  auto note = [&](uint64_t seq) {
    if (seq != 0) seen->insert(seq);
  };
  if (const auto& d = datasets->items) {
    Status failed = Status::Ok();
    KINDRED_RETURN_IF_ERROR(
        ctx.datasets.ForEachRowWithSeq(d->arn, d->schema, d->type, [&](const Row& row, uint64_t s) {
          note(s);
          failed = state->PutItem(row).status();
          return failed.ok();
        }));
    KINDRED_RETURN_IF_ERROR(failed);
  }
  if (const auto& d = datasets->users) {
    Status failed = Status::Ok();
    KINDRED_RETURN_IF_ERROR(
        ctx.datasets.ForEachRowWithSeq(d->arn, d->schema, d->type, [&](const Row& row, uint64_t s) {
          note(s);
          failed = state->PutUser(row).status();
          return failed.ok();
        }));
    KINDRED_RETURN_IF_ERROR(failed);
  }
  if (const auto& d = datasets->interactions) {
    const int user = d->schema.FieldIndex("USER_ID"), item = d->schema.FieldIndex("ITEM_ID"),
              ts = d->schema.FieldIndex("TIMESTAMP"), type = d->schema.FieldIndex("EVENT_TYPE"),
              impression = d->schema.FieldIndex("IMPRESSION");
    KINDRED_RETURN_IF_ERROR(
        ctx.datasets.ForEachRowWithSeq(d->arn, d->schema, d->type, [&](const Row& row, uint64_t s) {
          note(s);
          std::optional<std::string_view> u = StringValue(row, user), i = StringValue(row, item);
          std::optional<double> t = NumberValue(row, ts);
          if (u && i && t) {
            state->AddEvent({.user = *u,
                             .item = *i,
                             .event_type = StringValue(row, type).value_or(""),
                             .timestamp = static_cast<int64_t>(*t)});
          }
          if (std::optional<std::string_view> shown = StringValue(row, impression)) {
            state->AddImpressions(ImpressionItems(*shown));
          }
          return true;
        }));
  }
  return state;
}

}  // namespace kindred
