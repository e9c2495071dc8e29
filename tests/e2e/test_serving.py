"""Campaigns, event trackers, the runtime API and the events API through boto3.

One dataset group with planted structure serves every test: 60 users each walk a chain of items
of one genre in order (i<g>_<k> is followed by i<g>_<k+1>), so a sequence-aware model learns that
the item after the one just seen comes next.
"""

import json
import subprocess
import threading
import time
import uuid

from harness import (ACCESS_KEY, SECRET_KEY, ServerTestCase, interactions_csv, kindred_bin, uniq,
                     wait_for_status)

UP = "arn:aws:personalize:::recipe/aws-user-personalization"
SIMS = "arn:aws:personalize:::recipe/aws-sims"
RANKING = "arn:aws:personalize:::recipe/aws-personalized-ranking"
GENRES = ["Comedy", "Drama", "Horror"]
CHAIN = 30
NOW = int(time.time())

ITEMS_SCHEMA = {
    "type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {"name": "ITEM_ID", "type": "string"},
        {"name": "GENRE", "type": "string", "categorical": True},
        {"name": "CREATION_TIMESTAMP", "type": "long"},
    ],
    "version": "1.0",
}
INTERACTIONS_SCHEMA = {
    "type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
    "fields": [
        {"name": "USER_ID", "type": "string"},
        {"name": "ITEM_ID", "type": "string"},
        {"name": "TIMESTAMP", "type": "long"},
        {"name": "EVENT_TYPE", "type": "string"},
        {"name": "EVENT_VALUE", "type": ["null", "float"]},
        {"name": "DEVICE", "type": ["null", "string"]},
    ],
    "version": "1.0",
}


def item(genre, k):
    return f"i{genre}_{k % CHAIN}"


def rows():
    out = []
    for u in range(60):
        g = u % len(GENRES)
        start = u % CHAIN
        for k in range(24):
            out.append((f"u{u}", item(g, start + k), 1_600_000_000 + u * 100 + k,
                        "watch" if k % 3 == 0 else "click", ""))
    return out


def items_csv():
    lines = ["ITEM_ID,GENRE,CREATION_TIMESTAMP"]
    for g, genre in enumerate(GENRES):
        for k in range(CHAIN):
            lines.append(f"{item(g, k)},{genre},{1_500_000_000}")
    return "\n".join(lines) + "\n"


class ServingTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.runtime = cls.server.client(service="personalize-runtime")
        cls.events = cls.server.client(service="personalize-events")

    def setUp(self):
        if getattr(type(self), "group", None):
            return
        cls = type(self)
        cls.group = self.create_group()
        cls.interactions = self.create_dataset(
            cls.group, schema_arn=self.create_schema(INTERACTIONS_SCHEMA))
        cls.items = self.create_dataset(cls.group, "Items",
                                        schema_arn=self.create_schema(ITEMS_SCHEMA))
        self.run_import(cls.interactions, self.put_s3(f"{uniq('x')}.csv", interactions_csv(
            rows(), header="USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE")))
        self.run_import(cls.items, self.put_s3(f"{uniq('i')}.csv", items_csv()))
        cls.up_solution, cls.up_version = self.train(UP)
        _, cls.sims_version = self.train(SIMS)
        _, cls.ranking_version = self.train(RANKING)
        cls.up_campaign = self.deploy(cls.up_version, explorationWeight="0")
        cls.sims_campaign = self.deploy(cls.sims_version)
        cls.ranking_campaign = self.deploy(cls.ranking_version)
        tracker = self.pz.create_event_tracker(name=uniq("tracker"), datasetGroupArn=cls.group)
        cls.tracker_arn, cls.tracking_id = tracker["eventTrackerArn"], tracker["trackingId"]
        wait_for_status(lambda: self.pz.describe_event_tracker(
            eventTrackerArn=cls.tracker_arn)["eventTracker"], "ACTIVE")

    # -- helpers ------------------------------------------------------------------------------
    def train(self, recipe, **kwargs):
        solution = self.pz.create_solution(name=uniq("sol"), datasetGroupArn=self.group,
                                           recipeArn=recipe)["solutionArn"]
        wait_for_status(lambda: self.pz.describe_solution(solutionArn=solution)["solution"],
                        "ACTIVE")
        version = self.pz.create_solution_version(solutionArn=solution,
                                                  **kwargs)["solutionVersionArn"]
        wait_for_status(lambda: self.pz.describe_solution_version(
            solutionVersionArn=version)["solutionVersion"], "ACTIVE", timeout=240)
        return solution, version

    def deploy(self, version, **exploration):
        config = {"itemExplorationConfig": exploration} if exploration else {}
        arn = self.pz.create_campaign(name=uniq("camp"), solutionVersionArn=version,
                                      minProvisionedTPS=1, campaignConfig=config)["campaignArn"]
        wait_for_status(lambda: self.pz.describe_campaign(campaignArn=arn)["campaign"], "ACTIVE")
        return arn

    def recommend(self, campaign=None, **kwargs):
        return self.runtime.get_recommendations(campaignArn=campaign or self.up_campaign,
                                                **kwargs)

    def ids(self, response):
        return [i["itemId"] for i in response["itemList"]]

    def put_event(self, user, item_id, event_type="click", **kwargs):
        event = {"eventType": event_type, "itemId": item_id, "sentAt": time.time()}
        event.update(kwargs)
        self.events.put_events(trackingId=self.tracking_id, userId=user,
                               sessionId=kwargs.pop("session", f"s-{user}"), eventList=[event])

    # -- campaigns ----------------------------------------------------------------------------
    def test_campaign_description_defaults_and_errors(self):
        c = self.pz.describe_campaign(campaignArn=self.up_campaign)["campaign"]
        self.assertEqual(c["status"], "ACTIVE")
        self.assertEqual(c["solutionVersionArn"], self.up_version)
        self.assertEqual(c["campaignConfig"]["itemExplorationConfig"],
                         {"explorationWeight": "0", "explorationItemAgeCutOff": "30"})
        listed = self.pz.list_campaigns(solutionArn=self.up_solution)["campaigns"]
        self.assertEqual([x["campaignArn"] for x in listed], [self.up_campaign])
        self.assertApiError("InvalidInputException", self.pz.create_campaign, name=uniq("c"),
                            solutionVersionArn=self.up_version,
                            campaignConfig={"itemExplorationConfig": {"explorationWeight": "2"}},
                            contains="explorationWeight")
        self.assertApiError("InvalidInputException", self.pz.create_campaign, name=uniq("c"),
                            solutionVersionArn=self.up_version, campaignConfig={
                                "itemExplorationConfig": {"explorationItemAgeCutOff": "0"}},
                            contains="explorationItemAgeCutOff")
        self.assertApiError("ResourceNotFoundException", self.pz.create_campaign,
                            name=uniq("c"), solutionVersionArn=self.up_version + "x")
        self.assertApiError("ResourceInUseException", self.pz.delete_solution,
                            solutionArn=self.up_solution, contains="campaign")

    def test_update_campaign_switches_without_failed_requests(self):
        solution, first = self.train(UP)
        campaign = self.deploy(first)
        update = self.pz.create_solution_version(solutionArn=solution, trainingMode="UPDATE")
        second = update["solutionVersionArn"]
        wait_for_status(lambda: self.pz.describe_solution_version(
            solutionVersionArn=second)["solutionVersion"], "ACTIVE", timeout=240)
        failures, served = [], [0]
        stop = threading.Event()
        runtime = self.server.client(service="personalize-runtime")

        def hammer():
            while not stop.is_set():
                try:
                    runtime.get_recommendations(campaignArn=campaign, userId="u1")
                    served[0] += 1
                except Exception as e:  # noqa: BLE001 - any failure is what we look for
                    failures.append(repr(e))

        t = threading.Thread(target=hammer)
        t.start()
        try:
            self.pz.update_campaign(campaignArn=campaign, solutionVersionArn=second)
            wait_for_status(lambda: self.pz.describe_campaign(campaignArn=campaign)["campaign"]
                            ["latestCampaignUpdate"], "ACTIVE")
            time.sleep(0.2)
        finally:
            stop.set()
            t.join()
        self.assertEqual(failures, [])
        self.assertGreater(served[0], 0)
        described = self.pz.describe_campaign(campaignArn=campaign)["campaign"]
        self.assertEqual(described["solutionVersionArn"], second)
        self.assertEqual(described["status"], "ACTIVE")
        other = self.train(SIMS)[1]
        self.assertApiError("InvalidInputException", self.pz.update_campaign,
                            campaignArn=campaign, solutionVersionArn=other,
                            contains="another solution")
        self.pz.delete_campaign(campaignArn=campaign)
        self.assertApiError("ResourceNotFoundException", runtime.get_recommendations,
                            campaignArn=campaign, userId="u1", status=404)

    # -- runtime ------------------------------------------------------------------------------
    def test_get_recommendations_shape_and_errors(self):
        r = self.recommend(userId="u0")
        self.assertEqual(len(r["itemList"]), 25)
        self.assertRegex(r["recommendationId"], r"^RID-[0-9a-f-]{36}$")
        scores = [i["score"] for i in r["itemList"]]
        self.assertEqual(scores, sorted(scores, reverse=True))
        self.assertLessEqual(sum(scores), 1.0 + 1e-6)
        self.assertEqual(len(self.recommend(userId="u0", numResults=5)["itemList"]), 5)
        self.assertApiError("InvalidInputException", self.recommend, userId="u0",
                            numResults=501, contains="500")
        self.assertApiError("InvalidInputException", self.recommend, contains="userId")
        self.assertApiError("ResourceNotFoundException", self.runtime.get_recommendations,
                            campaignArn=self.up_campaign + "-nope", userId="u0", status=404)
        sims = self.recommend(self.sims_campaign, itemId=item(0, 3), numResults=3)
        self.assertNotIn(item(0, 3), self.ids(sims))
        self.assertTrue(all("score" not in i for i in sims["itemList"]))
        self.assertApiError("InvalidInputException", self.recommend, self.sims_campaign,
                            userId="u0", contains="itemId")
        self.assertApiError("InvalidInputException", self.recommend, self.ranking_campaign,
                            userId="u0", contains="GetPersonalizedRanking")

    def test_kindred_recommend_prints_a_table(self):
        def run(*args):
            return subprocess.run([kindred_bin(), "recommend", "--endpoint", self.server.url,
                                   "--access-key-id", ACCESS_KEY, "--secret-access-key",
                                   SECRET_KEY, *args], capture_output=True, text=True, timeout=60)
        out = run("--campaign", self.up_campaign, "--user", "u0", "--num-results", "3")
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = out.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["rank", "item", "score"])
        expected = self.ids(self.recommend(userId="u0", numResults=3))
        self.assertEqual([line.split()[1] for line in lines[1:4]], expected)
        self.assertRegex(lines[4], r"^recommendationId RID-")
        bad = run("--campaign", self.up_campaign + "-nope", "--user", "u0")
        self.assertEqual(bad.returncode, 1)
        self.assertIn("ResourceNotFoundException", bad.stderr)
        wrong_key = subprocess.run([kindred_bin(), "recommend", "--endpoint", self.server.url,
                                    "--access-key-id", ACCESS_KEY, "--secret-access-key", "x",
                                    "--campaign", self.up_campaign, "--user", "u0"],
                                   capture_output=True, text=True, timeout=60)
        self.assertEqual(wrong_key.returncode, 1)
        self.assertIn("InvalidSignatureException", wrong_key.stderr)

    def test_personalized_ranking(self):
        wanted = [item(1, 5), item(0, 24), "never-seen", item(2, 9)]
        r = self.runtime.get_personalized_ranking(campaignArn=self.ranking_campaign,
                                                  userId="u0", inputList=wanted)
        ranked = [i["itemId"] for i in r["personalizedRanking"]]
        self.assertEqual(sorted(ranked), sorted(wanted))
        self.assertEqual(ranked[-1], "never-seen")
        self.assertNotIn("score", r["personalizedRanking"][-1])
        self.assertAlmostEqual(sum(i.get("score", 0) for i in r["personalizedRanking"]), 1, 5)
        # u0 walked the Comedy chain (genre 0) up to item 23: item 24 comes next.
        self.assertEqual(ranked[0], item(0, 24))
        self.assertApiError("InvalidInputException", self.runtime.get_personalized_ranking,
                            campaignArn=self.up_campaign, userId="u0", inputList=wanted,
                            contains="GetRecommendations")

    # -- events -------------------------------------------------------------------------------
    def test_put_events_changes_the_very_next_recommendation(self):
        user = uniq("fresh")
        before = self.ids(self.recommend(userId=user, numResults=10))
        self.put_event(user, item(2, 7))
        after = self.ids(self.recommend(userId=user, numResults=10))
        self.assertNotEqual(before, after)
        self.assertIn(item(2, 8), after[:3], after)
        # An anonymous session gets recommendations from its own events ...
        session = f"anon-{uuid.uuid4()}"
        self.events.put_events(trackingId=self.tracking_id, sessionId=session, eventList=[
            {"eventType": "click", "itemId": item(1, 2), "sentAt": time.time()}])
        self.assertIn(item(1, 3), self.ids(self.recommend(userId=session, numResults=3)))
        # ... and an event with both ids links that session to the user who signs in.
        member = uniq("member")
        self.events.put_events(trackingId=self.tracking_id, sessionId=session, userId=member,
                               eventList=[{"eventType": "click", "itemId": item(1, 3),
                                           "sentAt": time.time() + 1}])
        self.assertIn(item(1, 4), self.ids(self.recommend(userId=member, numResults=3)))

    def test_put_events_validation_dedup_and_durability(self):
        self.assertApiError("ResourceNotFoundException", self.events.put_events,
                            trackingId=str(uuid.uuid4()), sessionId="s", status=404,
                            eventList=[{"eventType": "click", "itemId": "x", "sentAt": 1}])
        self.assertApiError("InvalidInputException", self.events.put_events,
                            trackingId=self.tracking_id, sessionId="s",
                            eventList=[{"eventType": "click", "itemId": "x", "sentAt": 1,
                                        "properties": json.dumps({"colour": "red"})}],
                            contains="colour")
        self.assertApiError("InvalidInputException", self.events.put_events,
                            trackingId=self.tracking_id, sessionId="s",
                            eventList=[{"eventType": "click", "sentAt": 1}], contains="itemId")
        before = self.row_count(self.interactions)
        event = {"eventId": str(uuid.uuid4()), "eventType": "click", "itemId": item(0, 1),
                 "sentAt": time.time(), "eventValue": 2.5,
                 "properties": json.dumps({"device": "phone"})}
        user = uniq("durable")
        for _ in range(2):  # a retried event is recorded once
            self.events.put_events(trackingId=self.tracking_id, userId=user, sessionId="s1",
                                   eventList=[event])
        self.assertEqual(self.row_count(self.interactions), before + 1)
        self.restart(hard=True)
        type(self).runtime = self.server.client(service="personalize-runtime")
        type(self).events = self.server.client(service="personalize-events")
        self.assertEqual(self.row_count(self.interactions), before + 1)
        self.assertIn(item(0, 2), self.ids(self.recommend(userId=user, numResults=3)))

    def test_concurrent_requests_get_what_each_gets_alone(self):
        # The server handles the requests each I/O thread reads together as one batch (shared
        # scans for GetRecommendations, one fsync for PutEvents): under concurrency every answer
        # is the one the request gets alone, and every acknowledged event is kept.
        readers = [uniq("reader") for _ in range(6)]
        for k, user in enumerate(readers):
            self.put_event(user, item(k % len(GENRES), k))
        expected = {u: self.recommend(userId=u, numResults=10)["itemList"] for u in readers}
        before = self.row_count(self.interactions)
        failures, put = [], []

        def read(user):
            runtime = self.server.client(service="personalize-runtime")
            for _ in range(15):
                try:
                    got = runtime.get_recommendations(campaignArn=self.up_campaign,
                                                      userId=user, numResults=10)["itemList"]
                    if got != expected[user]:
                        failures.append(f"{user}: {got} != {expected[user]}")
                except Exception as e:  # noqa: BLE001 - any failure is what we look for
                    failures.append(repr(e))

        def write(n):
            events = self.server.client(service="personalize-events")
            for i in range(15):
                try:
                    events.put_events(trackingId=self.tracking_id, userId=f"writer-{n}",
                                      sessionId=f"ws-{n}", eventList=[
                                          {"eventId": f"w{n}-{i}-{j}", "eventType": "click",
                                           "itemId": item(j % len(GENRES), i),
                                           "sentAt": time.time()} for j in range(3)])
                    put.append(3)
                except Exception as e:  # noqa: BLE001
                    failures.append(repr(e))

        threads = [threading.Thread(target=read, args=(u,)) for u in readers]
        threads += [threading.Thread(target=write, args=(uniq("w"),)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(failures, [])
        self.assertEqual(sum(put), 4 * 15 * 3)
        self.assertEqual(self.row_count(self.interactions), before + sum(put))
        self.restart(hard=True)
        type(self).runtime = self.server.client(service="personalize-runtime")
        type(self).events = self.server.client(service="personalize-events")
        self.assertEqual(self.row_count(self.interactions), before + sum(put))

    def test_runtime_and_events_error_paths(self):
        def call(path, body, code="InvalidInputException", status=400, contains=()):
            resp = self.server.raw(None, body, path=path, content_type="application/json")
            self.assertRawError(resp, code, status)
            for needle in ([contains] if isinstance(contains, str) else contains):
                self.assertIn(needle, resp.message, resp)
            return resp

        event = {"eventType": "click", "itemId": item(0, 1), "sentAt": time.time()}
        base = {"trackingId": self.tracking_id, "sessionId": "s"}
        call("/events", {"trackingId": self.tracking_id, "eventList": [event]}, contains="sessionId")
        call("/events", {**base, "eventList": []}, contains="eventList")
        call("/events", {**base, "eventList": [event] * 11}, contains="eventList")
        call("/events", {**base, "eventList": [{**event, "properties": "x" * 1025}]},
             contains="properties")
        call("/events", {**base, "eventList": [{**event, "impression": ["a"] * 26}]},
             contains="impression")
        call("/events", {**base, "eventList": [{**event, "properties": "[1, 2]"}]},
             contains="eventList[0].properties")
        call("/events", {**base, "eventList": [{**event, "eventValue": "high"}]},
             code="SerializationException", contains="eventValue")
        call("/items", {"datasetArn": self.items, "items": [{"itemId": "x"}] * 11},
             contains="items")
        call("/items", {"datasetArn": self.items, "items": [{"itemId": "x"}]},
             contains=["items[0]", "GENRE"])
        call("/users", {"datasetArn": self.items, "users": [{"userId": "x"}]},
             contains="Users")
        call("/items", {"datasetArn": self.items + "-gone", "items": [{"itemId": "x"}]},
             code="ResourceNotFoundException", status=404)
        call("/recommendations", {"campaignArn": self.up_campaign, "userId": "u0",
                                  "numResults": -1}, contains="numResults")
        call("/recommendations", {"campaignArn": self.up_campaign, "userId": "u0",
                                  "promotions": [{"name": "p", "percentPromotedItems": 10,
                                                  "filterArn": self.up_campaign}]},
             contains="promotions")
        call("/recommendations", {"campaignArn": self.up_campaign, "userId": "u0",
                                  "filterValues": {"A": '"x"'}}, contains="filterArn")
        call("/recommendations", {"campaignArn": self.up_campaign, "userId": "u0",
                                  "filterArn": self.up_campaign.replace("campaign", "filter")},
             code="ResourceNotFoundException", status=404)
        call("/personalize-ranking", {"campaignArn": self.ranking_campaign, "userId": "u0",
                                      "inputList": ["x"] * 501}, contains="inputList")
        call("/personalize-ranking", {"campaignArn": self.ranking_campaign, "userId": "u0"},
             contains="inputList")
        call("/recommendations", "{not json", code="SerializationException")
        self.assertServerAlive()

    def test_event_tracker_rules(self):
        t = self.pz.describe_event_tracker(eventTrackerArn=self.tracker_arn)["eventTracker"]
        self.assertRegex(t["trackingId"], r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                          r"[0-9a-f]{12}$")
        self.assertEqual(t["datasetGroupArn"], self.group)
        self.assertApiError("ResourceAlreadyExistsException", self.pz.create_event_tracker,
                            name=uniq("second"), datasetGroupArn=self.group)
        listed = self.pz.list_event_trackers(datasetGroupArn=self.group)["eventTrackers"]
        self.assertEqual([x["eventTrackerArn"] for x in listed], [self.tracker_arn])
        other = self.create_group()
        arn = self.pz.create_event_tracker(name=uniq("t"), datasetGroupArn=other)["eventTrackerArn"]
        wait_for_status(lambda: self.pz.describe_event_tracker(
            eventTrackerArn=arn)["eventTracker"], "ACTIVE")
        self.pz.delete_event_tracker(eventTrackerArn=arn)
        deadline = time.time() + 10
        while time.time() < deadline and self.pz.list_event_trackers(
                datasetGroupArn=other)["eventTrackers"]:
            time.sleep(0.05)
        self.assertEqual(self.pz.list_event_trackers(datasetGroupArn=other)["eventTrackers"], [])

    def test_put_items_appear_at_once_and_exploration_prefers_them(self):
        explorer = self.deploy(self.up_version, explorationWeight="1",
                               explorationItemAgeCutOff="5")
        user = uniq("explorer")
        self.put_event(user, item(0, 10))
        new_ids = [f"new-{uuid.uuid4().hex[:8]}" for _ in range(3)]
        self.events.put_items(datasetArn=self.items, items=[
            {"itemId": i, "properties": json.dumps({"genre": "Comedy", "creationTimestamp": NOW})}
            for i in new_ids])
        relevant = self.ids(self.recommend(self.up_campaign, userId=user, numResults=10))
        exploring = self.ids(self.recommend(explorer, userId=user, numResults=10))
        new_in = lambda ids: len([i for i in ids if i in new_ids])  # noqa: E731
        self.assertEqual(set(exploring[:3]), set(new_ids), exploring)
        self.assertNotIn(relevant[0], new_ids, relevant)
        self.assertGreaterEqual(new_in(exploring), new_in(relevant))
        self.assertApiError("InvalidInputException", self.events.put_items, datasetArn=self.items,
                            items=[{"itemId": "x", "properties": json.dumps({"genre": 5})}],
                            contains="GENRE")
        self.assertApiError("InvalidInputException", self.events.put_items,
                            datasetArn=self.interactions,
                            items=[{"itemId": "x", "properties": "{}"}], contains="Items")

    def test_filters_exclude_watched_and_include_a_genre(self):
        watched = self.pz.create_filter(
            name=uniq("f"), datasetGroupArn=self.group,
            filterExpression='EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("watch")')
        genre = self.pz.create_filter(name=uniq("f"), datasetGroupArn=self.group,
                                      filterExpression="INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)")
        for f in (watched, genre):
            wait_for_status(lambda: self.pz.describe_filter(filterArn=f["filterArn"])["filter"],
                            "ACTIVE")
        user = uniq("filtered")
        for k in range(3):
            self.put_event(user, item(0, k), event_type="watch")
        got = self.ids(self.recommend(userId=user, numResults=60, filterArn=watched["filterArn"]))
        self.assertTrue(got)
        self.assertFalse({item(0, k) for k in range(3)} & set(got), got)
        got = self.ids(self.recommend(userId=user, numResults=60, filterArn=genre["filterArn"],
                                      filterValues={"GENRE": '"Horror"'}))
        self.assertEqual(set(got), {item(2, k) for k in range(CHAIN)} & set(got))
        self.assertGreater(len(got), 5)
        self.assertApiError("InvalidInputException", self.recommend, userId=user,
                            filterArn=genre["filterArn"], contains="GENRE")

    def test_delete_resource_tree_takes_campaigns_trackers_and_filters(self):
        group = self.create_group()
        interactions = self.create_dataset(group, schema_arn=self.create_schema(INTERACTIONS_SCHEMA))
        self.run_import(interactions, self.put_s3(f"{uniq('x')}.csv", interactions_csv(
            rows(), header="USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE")))
        saved = type(self).group
        type(self).group = group
        try:
            _, version = self.train(SIMS)
        finally:
            type(self).group = saved
        campaign = self.deploy(version)
        tracker = self.pz.create_event_tracker(name=uniq("t"), datasetGroupArn=group)
        f = self.pz.create_filter(name=uniq("f"), datasetGroupArn=group,
                                  filterExpression='EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("watch")')
        resp = self.server.raw("DeleteResourceTree", {"resourceArn": group})
        self.assertEqual(resp.status, 200, resp)
        deleted = set(resp.json()["deletedArns"])
        self.assertTrue({campaign, tracker["eventTrackerArn"], f["filterArn"], group} <= deleted,
                        deleted)
        self.assertApiError("ResourceNotFoundException", self.pz.describe_campaign,
                            campaignArn=campaign)
        self.assertApiError("ResourceNotFoundException", self.runtime.get_recommendations,
                            campaignArn=campaign, itemId="x", status=404)


if __name__ == "__main__":
    import unittest
    unittest.main()
