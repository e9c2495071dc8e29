// The events API (personalize-events): PutEvents, PutItems, PutUsers.
//
// PutEvents names an event tracker by trackingId and records 1-10 events of one user (userId) or
// anonymous session (sessionId; an event with both links the session to the user) as rows of
// the tracker's dataset group's Interactions dataset: USER_ID (userId, else sessionId), ITEM_ID,
// TIMESTAMP (sentAt, seconds), EVENT_TYPE, and when the schema has them EVENT_VALUE, IMPRESSION
// ('|'-joined), RECOMMENDATION_ID, plus the fields `properties` names. An event without an
// impression list that cites a recommendationId of a recent response records that response's
// items as its impression. An eventId already recorded for the tracker is accepted and ignored.
// PutItems / PutUsers upsert up to 10 records into an Items / Users dataset by id, their
// `properties` checked against its schema.
//
// Every accepted record is durable before the 200 response (one atomic durable write per
// request: DatasetStore::AppendLive) and is in the group's serving state (GroupStates) before
// the response too, so the next GetRecommendations sees it. A request with any bad record is
// refused whole, naming the record and field, and writes nothing. The groups' datasets and
// parsed schemas are kept between requests (GroupDatasetCache, checked against the registry on
// every request), so a deleted or recreated dataset is seen at once.
//
// Thread-safety: handlers may run concurrently.
#pragma once

#include "resources/operation_table.h"
#include "resources/resource_context.h"

namespace kindred {

void RegisterEventOps(ResourceContext& ctx, OperationTable& table);

}  // namespace kindred
