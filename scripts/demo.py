#!/usr/bin/python3
"""kindred demo: generates a small seeded movie dataset and loads it through the Personalize API.

Run by scripts/demo.sh once the server is up; it can also be run by hand against a running server:

  /usr/bin/python3 scripts/demo.py --endpoint http://127.0.0.1:8080 --data-dir .kindred-demo

It writes users.csv, items.csv and interactions.csv under the server's s3 root
(<data-dir>/s3/kindred-demo/), then with boto3 creates three schemas, the dataset group
`kindred-demo`, its Interactions/Items/Users datasets and one import job each, waits for them to be
ACTIVE and prints a summary. Re-running replaces the previous demo: the old `kindred-demo` dataset
group and everything in it are removed first with kindred's DeleteResourceTree, and the demo
schemas are deleted and created again. Only the standard library and Debian's boto3 are used.
"""

import argparse
import http.client
import json
import os
import random
import sys
import time
import urllib.parse

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

REGION = "us-east-1"
GROUP = "kindred-demo"
BUCKET = "kindred-demo"
ROLE_ARN = "arn:aws:iam::123456789012:role/KindredDemo"
GENRES = ["Action", "Adventure", "Animation", "Comedy", "Documentary", "Drama", "Horror",
          "Romance", "Sci-Fi", "Thriller"]

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
                         {"name": "YEAR", "type": ["null", "int"]}]},
    "Users": {"type": "record", "name": "Users",
              "namespace": "com.amazonaws.personalize.schema", "version": "1.0",
              "fields": [{"name": "USER_ID", "type": "string"},
                         {"name": "AGE", "type": ["null", "int"]},
                         {"name": "FAVORITE_GENRES", "type": "string", "categorical": True}]},
}
FILES = {"Interactions": "interactions.csv", "Items": "items.csv", "Users": "users.csv"}


# -- data ---------------------------------------------------------------------------------------
def generate(seed, n_users, n_items, out_dir):
    """Writes the three CSVs; returns their row counts. Same seed, same files."""
    rng = random.Random(seed)
    items = []
    for n in range(1, n_items + 1):
        genres = rng.sample(GENRES, rng.choice([1, 1, 2, 2, 3]))
        year = "" if n % 97 == 0 else str(rng.randint(1970, 2023))  # a few unknown years
        items.append((f"m{n}", genres, year))
    by_genre = {g: [i for i in items if g in i[1]] for g in GENRES}

    users = []
    for n in range(1, n_users + 1):
        tastes = rng.sample(GENRES, rng.choice([1, 2, 3]))
        users.append((f"u{n}", rng.randint(16, 75), tastes))

    start = 1_700_000_000
    events = []
    for user_id, _, tastes in users:
        t = start + rng.randint(0, 30 * 86400)
        for _ in range(rng.randint(8, 40)):
            pool = by_genre[rng.choice(tastes)] if rng.random() < 0.8 else items
            item = rng.choice(pool)[0]
            t += rng.randint(60, 3 * 86400)
            events.append((user_id, item, t, "click"))
            if rng.random() < 0.35:  # some clicks turn into a watch a few minutes later
                events.append((user_id, item, t + rng.randint(30, 900), "watch"))
    events.sort(key=lambda e: e[2])

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, FILES["Items"]), "w") as f:
        f.write("ITEM_ID,GENRE,YEAR\n")
        f.writelines(f"{i},{'|'.join(g)},{y}\n" for i, g, y in items)
    with open(os.path.join(out_dir, FILES["Users"]), "w") as f:
        f.write("USER_ID,AGE,FAVORITE_GENRES\n")
        f.writelines(f"{u},{a},{'|'.join(t)}\n" for u, a, t in users)
    with open(os.path.join(out_dir, FILES["Interactions"]), "w") as f:
        f.write("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n")
        f.writelines(f"{u},{i},{t},{e}\n" for u, i, t, e in events)
    return {"Interactions": len(events), "Items": len(items), "Users": len(users)}


# -- API helpers --------------------------------------------------------------------------------
class Demo:
    def __init__(self, endpoint, key, secret):
        self.endpoint, self.key, self.secret = endpoint, key, secret
        self.pz = boto3.session.Session().client(
            "personalize", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=key,
            aws_secret_access_key=secret, config=Config(retries={"max_attempts": 2}))
        self.runtime = boto3.session.Session().client(
            "personalize-runtime", endpoint_url=endpoint, region_name=REGION,
            aws_access_key_id=key, aws_secret_access_key=secret)

    def raw(self, operation, body):
        """A SigV4-signed call for operations boto3 does not know, or fields it drops."""
        data = json.dumps(body).encode()
        req = AWSRequest(method="POST", url=self.endpoint + "/", data=data, headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": f"AmazonPersonalize.{operation}"})
        SigV4Auth(Credentials(self.key, self.secret), "personalize", REGION).add_auth(req)
        url = urllib.parse.urlsplit(self.endpoint)
        conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
        try:
            conn.request("POST", "/", body=data, headers=dict(req.headers.items()))
            resp = conn.getresponse()
            payload = json.loads(resp.read() or b"{}")
        finally:
            conn.close()
        if resp.status != 200:
            raise RuntimeError(f"{operation} failed ({resp.status}): {payload}")
        return payload

    def wait(self, what, describe, key, want="ACTIVE", timeout=300):
        deadline = time.monotonic() + timeout
        while True:
            res = describe()[key]
            if res["status"] == want:
                return res
            if res["status"] == "CREATE FAILED":
                sys.exit(f"demo: {what} failed: {res.get('failureReason')}")
            if time.monotonic() > deadline:
                sys.exit(f"demo: {what} still {res['status']} after {timeout}s")
            time.sleep(0.2)

    def wait_gone(self, describe, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                describe()
            except ClientError as e:
                if e.response["Error"]["Code"] == "ResourceNotFoundException":
                    return
                raise
            time.sleep(0.2)
        sys.exit("demo: the previous demo did not go away")

    def remove_previous(self):
        groups = [g for page in self.pz.get_paginator("list_dataset_groups").paginate()
                  for g in page["datasetGroups"] if g["name"] == GROUP]
        for g in groups:
            arn = g["datasetGroupArn"]
            deleted = self.raw("DeleteResourceTree", {"resourceArn": arn, "dryRun": False})
            print(f"  removed the previous demo: {len(deleted['deletedArns'])} resources")
            self.wait_gone(lambda: self.pz.describe_dataset_group(datasetGroupArn=arn))
        names = {f"{GROUP}-{t.lower()}" for t in SCHEMAS}
        for page in self.pz.get_paginator("list_schemas").paginate():
            for s in page["schemas"]:
                if s["name"] in names:
                    self.pz.delete_schema(schemaArn=s["schemaArn"])
                    self.wait_gone(lambda: self.pz.describe_schema(schemaArn=s["schemaArn"]))

    def run(self):
        print("Creating schemas, dataset group, datasets and import jobs ...")
        self.remove_previous()
        group = self.pz.create_dataset_group(
            name=GROUP, tags=[{"tagKey": "project", "tagValue": "kindred-demo"}]
        )["datasetGroupArn"]
        self.wait("dataset group", lambda: self.pz.describe_dataset_group(datasetGroupArn=group),
                  "datasetGroup")
        out = {"group": group, "datasets": {}}
        stamp = time.strftime("%Y%m%d-%H%M%S")
        jobs = {}
        for dtype, schema in SCHEMAS.items():
            schema_arn = self.pz.create_schema(name=f"{GROUP}-{dtype.lower()}",
                                               schema=json.dumps(schema))["schemaArn"]
            ds = self.pz.create_dataset(name=f"{GROUP}-{dtype.lower()}", schemaArn=schema_arn,
                                        datasetGroupArn=group, datasetType=dtype)["datasetArn"]
            self.wait(f"{dtype} dataset", lambda: self.pz.describe_dataset(datasetArn=ds),
                      "dataset")
            jobs[dtype] = self.pz.create_dataset_import_job(
                jobName=f"{GROUP}-{dtype.lower()}-{stamp}", datasetArn=ds,
                dataSource={"dataLocation": f"s3://{BUCKET}/{FILES[dtype]}"},
                roleArn=ROLE_ARN, importMode="FULL")["datasetImportJobArn"]
            out["datasets"][dtype] = {"schema": schema_arn, "dataset": ds, "job": jobs[dtype]}
        for dtype, job in jobs.items():
            self.wait(f"{dtype} import", lambda: self.pz.describe_dataset_import_job(
                datasetImportJobArn=job), "datasetImportJob")
            full = self.raw("DescribeDatasetImportJob", {"datasetImportJobArn": job})
            out["datasets"][dtype]["report"] = full["datasetImportJob"].get("importReport", {})
            ds = self.raw("DescribeDataset", {"datasetArn": out["datasets"][dtype]["dataset"]})
            out["datasets"][dtype]["rowCount"] = ds["dataset"].get("rowCount")
        out.update(self.serve(group))
        return out

    def serve(self, group):
        """Trains aws-user-personalization, deploys it and asks for one user's recommendations."""
        print("Training aws-user-personalization and deploying a campaign ...")
        solution = self.pz.create_solution(
            name=f"{GROUP}-up", datasetGroupArn=group,
            recipeArn="arn:aws:personalize:::recipe/aws-user-personalization")["solutionArn"]
        self.wait("solution", lambda: self.pz.describe_solution(solutionArn=solution), "solution")
        version = self.pz.create_solution_version(solutionArn=solution)["solutionVersionArn"]
        self.wait("solution version", lambda: self.pz.describe_solution_version(
            solutionVersionArn=version), "solutionVersion")
        campaign = self.pz.create_campaign(name=f"{GROUP}-campaign", solutionVersionArn=version,
                                           minProvisionedTPS=1)["campaignArn"]
        self.wait("campaign", lambda: self.pz.describe_campaign(campaignArn=campaign), "campaign")
        user = "u1"
        started = time.perf_counter()
        recs = self.runtime.get_recommendations(campaignArn=campaign, userId=user, numResults=5)
        elapsed_ms = (time.perf_counter() - started) * 1000
        return {"solution": solution, "version": version, "campaign": campaign, "user": user,
                "recommendations": recs["itemList"], "elapsed_ms": elapsed_ms}


def print_summary(out, generated, endpoint, key, secret, data_dir, s3_dir, pid):
    print()
    print("kindred demo is ready")
    print("=====================")
    print(f"endpoint        {endpoint}")
    print(f"data dir        {data_dir}   (CSVs in {s3_dir})")
    print(f"dataset group   {out['group']}")
    for dtype, d in out["datasets"].items():
        r = d["report"]
        print(f"\n{dtype}")
        print(f"  schema        {d['schema']}")
        print(f"  dataset       {d['dataset']}")
        print(f"  import job    {d['job']}")
        print(f"  rows          {generated[dtype]} generated, {r.get('rowsRead', '?')} read, "
              f"{r.get('rowsImported', '?')} imported, {r.get('rowsSkipped', '?')} skipped, "
              f"{r.get('valuesNulled', '?')} values nulled; rowCount {d['rowCount']}")
    print(f"\nsolution        {out['solution']}")
    print(f"version         {out['version']}")
    print(f"campaign        {out['campaign']}")
    print(f"\nRecommendations for {out['user']} "
          f"(GetRecommendations, {out['elapsed_ms']:.1f} ms round trip through boto3):")
    for rank, rec in enumerate(out["recommendations"], 1):
        print(f"  {rank}. {rec['itemId']:<12} score {rec.get('score', 0):.4f}")
    print(f"""
Ask again from the command line:

    build/kindred recommend --endpoint {endpoint} --data-dir {data_dir} \\
        --campaign {out['campaign']} --user {out['user']}

Use it from Python (Debian's boto3: /usr/bin/python3):

    import boto3
    pz = boto3.client("personalize", endpoint_url="{endpoint}", region_name="{REGION}",
                      aws_access_key_id="{key}",
                      aws_secret_access_key="{secret}")
    print(pz.list_datasets(datasetGroupArn="{out['group']}")["datasets"])
    rt = boto3.client("personalize-runtime", endpoint_url="{endpoint}", region_name="{REGION}",
                      aws_access_key_id="{key}",
                      aws_secret_access_key="{secret}")
    print(rt.get_recommendations(campaignArn="{out['campaign']}", userId="{out['user']}"))
""")
    if pid:
        print(f"The server keeps running in the background (PID {pid}, log {data_dir}/server.log).")
        print(f"Stop it with:   kill {pid}      (or: kill $(cat {data_dir}/kindred.pid))")
    print("Run the demo again with: bash scripts/demo.sh (it replaces the kindred-demo group)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--endpoint", default="http://127.0.0.1:8080")
    ap.add_argument("--data-dir", default=".kindred-demo")
    ap.add_argument("--s3-root", help="the server's --s3-root (default <data-dir>/s3)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--users", type=int, default=200)
    ap.add_argument("--items", type=int, default=300)
    ap.add_argument("--pid", help="the server's PID, for the summary")
    args = ap.parse_args()

    data_dir = os.path.abspath(args.data_dir)
    key = os.environ.get("KINDRED_ACCESS_KEY_ID")
    secret = os.environ.get("KINDRED_SECRET_ACCESS_KEY")
    if not (key and secret):  # the server generated a pair on its first start
        with open(os.path.join(data_dir, "credentials.json")) as f:
            first = json.load(f)["keys"][0]
        key, secret = first["accessKeyId"], first["secretAccessKey"]

    s3_dir = os.path.join(os.path.abspath(args.s3_root or os.path.join(data_dir, "s3")), BUCKET)
    generated = generate(args.seed, args.users, args.items, s3_dir)
    print(f"Generated {generated['Users']} users, {generated['Items']} items and "
          f"{generated['Interactions']} interactions (seed {args.seed}) in {s3_dir}")

    demo = Demo(args.endpoint, key, secret)
    out = demo.run()
    print_summary(out, generated, args.endpoint, key, secret, data_dir, s3_dir, args.pid)


if __name__ == "__main__":
    main()
