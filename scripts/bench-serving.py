#!/usr/bin/python3
"""Helper of scripts/bench-serving.sh: sets up a campaign on a running kindred server, writes
wrk scripts that replay pre-signed requests, and measures the event-to-effect delay.

  setup   generate a catalogue (items, users, interactions) into the server's S3 root, import
          it, train aws-user-personalization and aws-popularity-count and deploy a campaign of
          each, create an event tracker and a filter; writes the ARNs to STATE (JSON). Skipped
          when STATE exists.
  wrk     write a wrk Lua script replaying N GetRecommendations or PutEvents requests signed
          now (a SigV4 signature stays valid for 15 minutes). PutEvents requests carry 10 events
          and no eventId, so a replayed request is stored again rather than de-duplicated.
  delay   time PutEvents -> the next GetRecommendations on one keep-alive connection, checking
          that the second already reflects the first (a filter excludes purchased items).
  table   print the wrk results collected by bench-serving.sh (JSON lines) as a Markdown table
          of medians over the repeated runs.

Needs Debian's boto3/botocore (/usr/bin/python3).
"""
import argparse
import csv
import http.client
import json
import os
import random
import statistics
import sys
import time

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

REGION = "us-east-1"
NAME = "bench-serving"
GENRES = [f"g{i}" for i in range(20)]
SCHEMAS = {
    "Interactions": {"type": "record", "name": "Interactions",
                     "namespace": "com.amazonaws.personalize.schema", "version": "1.0",
                     "fields": [{"name": "USER_ID", "type": "string"},
                                {"name": "ITEM_ID", "type": "string"},
                                {"name": "TIMESTAMP", "type": "long"},
                                {"name": "EVENT_TYPE", "type": "string"}]},
    "Items": {"type": "record", "name": "Items",
              "namespace": "com.amazonaws.personalize.schema", "version": "1.0",
              "fields": [{"name": "ITEM_ID", "type": "string"},
                         {"name": "GENRE", "type": "string", "categorical": True},
                         {"name": "CREATION_TIMESTAMP", "type": "long"}]},
}
# Purchased items are not recommended again: what the delay measurement checks.
FILTER = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")'


class Api:
    def __init__(self, endpoint, key, secret):
        self.endpoint, self.key, self.secret = endpoint, key, secret
        self.host = endpoint.split("://", 1)[1].rstrip("/")
        self.pz = boto3.session.Session().client(
            "personalize", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=key,
            aws_secret_access_key=secret, config=Config(retries={"max_attempts": 2}))

    def signed(self, path, body):
        """(headers, body bytes) of a runtime/events POST signed now, as boto3 would sign it."""
        data = json.dumps(body, separators=(",", ":")).encode()
        req = AWSRequest(method="POST", url=self.endpoint + path, data=data,
                         headers={"Content-Type": "application/json"})
        SigV4Auth(Credentials(self.key, self.secret), "personalize", REGION).add_auth(req)
        out = dict(req.headers.items())
        out["Host"] = self.host
        return out, data

    def wait(self, describe, key, timeout=1800):
        deadline = time.monotonic() + timeout
        while True:
            status = describe()[key]["status"]
            if status == "ACTIVE":
                return
            if "FAILED" in status or time.monotonic() > deadline:
                sys.exit(f"{key} ended {status}: {describe()[key].get('failureReason', '')}")
            time.sleep(0.5)


def generate(s3_dir, items, users, events, seed):
    """items.csv and interactions.csv: popularity falls off as 1/rank, 2% of items are new."""
    rnd = random.Random(seed)
    now = int(time.time())
    os.makedirs(s3_dir, exist_ok=True)
    with open(os.path.join(s3_dir, "items.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["ITEM_ID", "GENRE", "CREATION_TIMESTAMP"])
        for i in range(items):
            genres = "|".join(sorted({rnd.choice(GENRES) for _ in range(rnd.randint(1, 2))}))
            age = rnd.randint(0, 20) if i % 50 == 0 else rnd.randint(60, 720)
            w.writerow([f"i{i}", genres, now - age * 86400])
    weights = [1.0 / (r + 1) for r in range(items)]
    chosen = rnd.choices(range(items), weights=weights, k=events)
    start = now - 60 * 86400
    rows = sorted((start + rnd.randint(0, 59 * 86400), f"u{rnd.randrange(users)}", f"i{j}")
                  for j in chosen)
    with open(os.path.join(s3_dir, "interactions.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"])
        for t, u, i in rows:
            w.writerow([u, i, t, "click"])


def deploy(api, group, recipe, hyperparameters):
    """A campaign of a new solution version of `recipe`; its ARN."""
    pz = api.pz
    name = f"{NAME}-{recipe}"
    config = {"algorithmHyperParameters": hyperparameters} if hyperparameters else {}
    solution = pz.create_solution(name=name, datasetGroupArn=group,
                                  recipeArn=f"arn:aws:personalize:::recipe/{recipe}",
                                  solutionConfig=config)["solutionArn"]
    api.wait(lambda: pz.describe_solution(solutionArn=solution), "solution")
    version = pz.create_solution_version(solutionArn=solution)["solutionVersionArn"]
    api.wait(lambda: pz.describe_solution_version(solutionVersionArn=version), "solutionVersion")
    campaign = pz.create_campaign(name=name, solutionVersionArn=version)["campaignArn"]
    api.wait(lambda: pz.describe_campaign(campaignArn=campaign), "campaign")
    return campaign


def setup(api, args):
    if os.path.exists(args.state):
        print(f"setup: {args.state} exists, reusing its campaign")
        return
    bucket = os.path.join(args.s3_root, NAME)
    generate(bucket, args.items, args.users, args.events, args.seed)
    pz = api.pz
    group = pz.create_dataset_group(name=NAME)["datasetGroupArn"]
    api.wait(lambda: pz.describe_dataset_group(datasetGroupArn=group), "datasetGroup")
    for dtype, schema in SCHEMAS.items():
        schema_arn = pz.create_schema(name=f"{NAME}-{dtype.lower()}",
                                      schema=json.dumps(schema))["schemaArn"]
        ds = pz.create_dataset(name=f"{NAME}-{dtype.lower()}", schemaArn=schema_arn,
                               datasetGroupArn=group, datasetType=dtype)["datasetArn"]
        api.wait(lambda: pz.describe_dataset(datasetArn=ds), "dataset")
        job = pz.create_dataset_import_job(
            jobName=f"{NAME}-{dtype.lower()}", datasetArn=ds,
            dataSource={"dataLocation": f"s3://{NAME}/{dtype.lower()}.csv"},
            roleArn="arn:aws:iam::123456789012:role/Bench")["datasetImportJobArn"]
        api.wait(lambda: pz.describe_dataset_import_job(datasetImportJobArn=job),
                 "datasetImportJob")
    started = time.monotonic()
    campaign = deploy(api, group, "aws-user-personalization",
                      {"hidden_dimension": "64", "epochs": str(args.epochs)})
    trained = time.monotonic() - started
    # The same request path with a model that costs almost nothing: the server's own ceiling.
    popularity = deploy(api, group, "aws-popularity-count", {})
    tracker = pz.create_event_tracker(name=NAME, datasetGroupArn=group)
    api.wait(lambda: pz.describe_event_tracker(eventTrackerArn=tracker["eventTrackerArn"]),
             "eventTracker")
    filter_arn = pz.create_filter(name=NAME, datasetGroupArn=group,
                                  filterExpression=FILTER)["filterArn"]
    api.wait(lambda: pz.describe_filter(filterArn=filter_arn), "filter")
    state = {"group": group, "campaign": campaign, "popularity_campaign": popularity,
             "trackingId": tracker["trackingId"],
             "filter": filter_arn, "items": args.items, "users": args.users,
             "events": args.events, "training_seconds": round(trained, 1)}
    with open(args.state, "w") as f:
        json.dump(state, f, indent=1)
    print(f"setup: campaign {campaign} (trained in {trained:.0f} s)")


def lua_string(b):
    return "'" + "".join(f"\\{c}" if chr(c) in "'\\" else chr(c) if 32 <= c < 127
                         else f"\\{c:03d}" for c in b) + "'"


def write_wrk(api, args):
    with open(args.state) as f:
        state = json.load(f)
    rnd = random.Random(args.seed)
    lines = ["-- generated by scripts/bench-serving.py; signatures expire 15 minutes after",
             "local raw = {"]
    for n in range(args.count):
        user = f"u{rnd.randrange(state['users'])}"
        if args.kind in ("recommendations", "popularity"):
            path = "/recommendations"
            campaign = state["popularity_campaign" if args.kind == "popularity" else "campaign"]
            body = {"campaignArn": campaign, "userId": user, "numResults": 25}
        else:
            path = "/events"
            now = time.time()
            body = {"trackingId": state["trackingId"], "userId": user, "sessionId": f"s-{user}",
                    "eventList": [{"eventType": "click",
                                   "itemId": f"i{rnd.randrange(state['items'])}",
                                   "sentAt": now} for _ in range(10)]}
        headers, data = api.signed(path, body)
        fields = ", ".join(f"[{lua_string(k.encode())}] = {lua_string(v.encode())}"
                           for k, v in headers.items())
        lines.append(f"  {{{lua_string(path.encode())}, {{{fields}}}, {lua_string(data)}}},")
    lines.append("}")
    lines.append("""local requests = {}
local next_one = 0
init = function(args)
  for i, r in ipairs(raw) do requests[i] = wrk.format("POST", r[1], r[2], r[3]) end
  next_one = math.random(#requests)
end
request = function()
  next_one = next_one % #requests + 1
  return requests[next_one]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "errors": %d, "non2xx": %d, ' ..
    '"p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f}\\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout,
    e.status, latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3))
end
""")
    with open(args.out, "w") as f:
        f.write("\n".join(lines))


def delay(api, args):
    """PutEvents (a purchase of the user's first recommended item) then GetRecommendations with
    the filter excluding purchases: the second must already leave the item out."""
    with open(args.state) as f:
        state = json.load(f)
    host, port = api.host.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=600)  # the first loads the state

    def call(path, body):
        headers, data = api.signed(path, body)
        started = time.perf_counter()
        conn.request("POST", path, body=data, headers=headers)
        resp = conn.getresponse()
        payload = resp.read()
        if resp.status != 200:
            sys.exit(f"{path} failed ({resp.status}): {payload[:300]!r}")
        return json.loads(payload), time.perf_counter() - started

    rnd = random.Random(args.seed)
    put_ms, effect_ms, seen = [], [], 0
    for n in range(args.samples):
        user = f"delay-u{rnd.randrange(10**9)}"  # a fresh user: nothing purchased yet
        ask = {"campaignArn": state["campaign"], "userId": user, "numResults": 25,
               "filterArn": state["filter"]}
        before, _ = call("/recommendations", ask)
        item = before["itemList"][0]["itemId"]
        _, put = call("/events", {"trackingId": state["trackingId"], "userId": user,
                                  "sessionId": f"s-{user}",
                                  "eventList": [{"eventType": "purchase", "itemId": item,
                                                 "sentAt": time.time()}]})
        after, get = call("/recommendations", ask)
        if all(i["itemId"] != item for i in after["itemList"]):
            seen += 1
        put_ms.append(put * 1e3)
        effect_ms.append(get * 1e3)

    def p(values, q):
        return sorted(values)[min(len(values) - 1, int(q * len(values)))]

    print("RESULT " + json.dumps({
        "samples": args.samples, "reflected_by_next_request": seen,
        "put_p50_ms": round(statistics.median(put_ms), 3), "put_p99_ms": round(p(put_ms, 0.99), 3),
        "effect_p50_ms": round(statistics.median(effect_ms), 3),
        "effect_p99_ms": round(p(effect_ms, 0.99), 3)}))


def table(api, args):
    runs = {}
    with open(args.results) as f:
        for line in f:
            r = json.loads(line)
            runs.setdefault((r["kind"], r["threads"], r["connections"]), []).append(r)
    print("| requests | server threads | connections | requests/s (median, min-max) | "
          "events/s | p50 ms | p90 ms | p99 ms | server CPU us/request | errors |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (kind, threads, connections), rs in sorted(runs.items()):
        rate = [r["requests"] / r["seconds"] for r in rs]
        med = statistics.median
        events = f"{med(rate) * 10:,.0f}" if kind == "events" else ""
        cpu = [r["server_cpu_s"] * 1e6 / r["requests"] for r in rs
               if "server_cpu_s" in r and r["requests"]]
        cpu_text = f"{med(cpu):.0f}" if cpu else ""
        print(f"| {kind} | {threads} | {connections} | {med(rate):,.0f} ({min(rate):,.0f}-"
              f"{max(rate):,.0f}) | {events} | {med(r['p50_ms'] for r in rs):.2f} | "
              f"{med(r['p90_ms'] for r in rs):.2f} | {med(r['p99_ms'] for r in rs):.2f} | "
              f"{cpu_text} | {sum(r['errors'] + r['non2xx'] for r in rs)} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("command", choices=["setup", "wrk", "delay", "table"])
    ap.add_argument("--endpoint", default="http://127.0.0.1:8080")
    ap.add_argument("--key", default="")
    ap.add_argument("--secret", default="")
    ap.add_argument("--state", help="JSON file with the ARNs (written by setup)")
    ap.add_argument("--s3-root", help="setup: the server's --s3-root")
    ap.add_argument("--items", type=int, default=25000)
    ap.add_argument("--users", type=int, default=5000)
    ap.add_argument("--events", type=int, default=250000)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kind", choices=["recommendations", "popularity", "events"],
                    help="wrk: what to replay (popularity: GetRecommendations of the "
                         "aws-popularity-count campaign)")
    ap.add_argument("--count", type=int, default=500, help="wrk: distinct requests")
    ap.add_argument("--out", help="wrk: the Lua file")
    ap.add_argument("--samples", type=int, default=200, help="delay: measurements")
    ap.add_argument("--results", help="table: the JSON lines of the wrk runs")
    args = ap.parse_args()
    api = Api(args.endpoint, args.key, args.secret)
    {"setup": setup, "wrk": write_wrk, "delay": delay, "table": table}[args.command](api, args)


if __name__ == "__main__":
    main()
