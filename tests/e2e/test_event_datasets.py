"""The events API follows its group's datasets as they are deleted and created again.

kindred keeps each group's parsed datasets between PutEvents / PutItems requests; these tests
check that a deleted dataset stops taking records at once and that a dataset created again under
the same ARN (a dataset's ARN is its group's name and its type) with another schema is written
with its new schema, never the remembered one.
"""

import json
import time

from harness import (INTERACTIONS_SCHEMA, ITEMS_SCHEMA, ServerTestCase, uniq, wait_for_status,
                     wait_until_gone)

# The Interactions schema again, with a required DEVICE field.
INTERACTIONS_WITH_DEVICE = dict(INTERACTIONS_SCHEMA, fields=INTERACTIONS_SCHEMA["fields"] + [
    {"name": "DEVICE", "type": "string"}])
# The Items schema with a required SIZE field instead of YEAR.
ITEMS_WITH_SIZE = dict(ITEMS_SCHEMA, fields=[
    {"name": "ITEM_ID", "type": "string"},
    {"name": "GENRE", "type": "string", "categorical": True},
    {"name": "SIZE", "type": "int"}])


class EventDatasetsTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.events = cls.server.client(service="personalize-events")

    def tracker(self, group):
        t = self.pz.create_event_tracker(name=uniq("tracker"), datasetGroupArn=group)
        wait_for_status(lambda: self.pz.describe_event_tracker(
            eventTrackerArn=t["eventTrackerArn"])["eventTracker"], "ACTIVE")
        return t["trackingId"]

    def put(self, tracking_id, **properties):
        event = {"eventType": "click", "itemId": "i1", "sentAt": time.time()}
        if properties:
            event["properties"] = json.dumps(properties)
        return self.events.put_events(trackingId=tracking_id, userId="u1", sessionId="s1",
                                      eventList=[event])

    def wait_gone(self, arn):
        wait_until_gone(lambda: self.pz.describe_dataset(datasetArn=arn)["dataset"])

    def test_put_events_follows_a_deleted_and_recreated_interactions_dataset(self):
        group = self.create_group()
        first = self.create_dataset(group, "Interactions")
        tracking_id = self.tracker(group)
        self.put(tracking_id)
        self.put(tracking_id)  # the remembered dataset serves the second request
        self.assertApiError("InvalidInputException", self.put, tracking_id, device="phone",
                            contains="device is not a field")
        self.assertEqual(self.row_count(first), 2)

        self.pz.delete_dataset(datasetArn=first)
        # Refused at once, while the dataset is still being deleted, and after it is gone.
        self.assertApiError("InvalidInputException", self.put, tracking_id,
                            contains="has no ACTIVE Interactions dataset")
        self.wait_gone(first)
        self.assertApiError("InvalidInputException", self.put, tracking_id,
                            contains="has no ACTIVE Interactions dataset")

        second = self.create_dataset(group, "Interactions",
                                     schema_arn=self.create_schema(INTERACTIONS_WITH_DEVICE))
        self.assertEqual(second, first)  # the same ARN, another dataset
        self.assertApiError("InvalidInputException", self.put, tracking_id,
                            contains="DEVICE is required")
        self.put(tracking_id, device="phone")
        self.assertEqual(self.row_count(second), 1)

    def test_put_items_follows_a_deleted_and_recreated_items_dataset(self):
        group = self.create_group()
        first = self.create_dataset(group, "Items")
        self.events.put_items(datasetArn=first, items=[
            {"itemId": "a", "properties": json.dumps({"genre": "Drama", "year": 1999})}])
        self.events.put_items(datasetArn=first, items=[
            {"itemId": "b", "properties": json.dumps({"genre": "Comedy", "year": 2001})}])
        self.assertEqual(self.row_count(first), 2)

        self.pz.delete_dataset(datasetArn=first)
        self.wait_gone(first)
        self.assertApiError("ResourceNotFoundException", self.events.put_items, datasetArn=first,
                            items=[{"itemId": "c", "properties": json.dumps({"year": 2002})}],
                            status=404)

        second = self.create_dataset(group, "Items",
                                     schema_arn=self.create_schema(ITEMS_WITH_SIZE))
        self.assertEqual(second, first)
        self.assertApiError("InvalidInputException", self.events.put_items, datasetArn=second,
                            items=[{"itemId": "c", "properties": json.dumps(
                                {"genre": "Drama", "year": 2002})}],
                            contains="year is not a field")
        self.events.put_items(datasetArn=second, items=[
            {"itemId": "c", "properties": json.dumps({"genre": "Drama", "size": 3})}])
        self.assertEqual(self.row_count(second), 1)
