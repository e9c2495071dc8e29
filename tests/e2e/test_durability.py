"""Crash safety: kill -9 loses nothing that was acknowledged; an interrupted import fails cleanly."""

import os
import time

from harness import (ITEMS_SCHEMA, ServerTestCase, good_interactions, interactions_csv, uniq,
                     wait_until_gone)

BIG_ROWS = 3_000_000


class KillNineTest(ServerTestCase):
    def snapshot(self, arns):
        d = self.describe_raw
        snap = {
            "schema": d("DescribeSchema", schemaArn=arns["schema"]),
            "group": d("DescribeDatasetGroup", datasetGroupArn=arns["group"]),
            "interactions": d("DescribeDataset", datasetArn=arns["interactions"]),
            "items": d("DescribeDataset", datasetArn=arns["items"]),
            "good_job": d("DescribeDatasetImportJob", datasetImportJobArn=arns["good_job"]),
            "failed_job": d("DescribeDatasetImportJob", datasetImportJobArn=arns["failed_job"]),
            "items_job": d("DescribeDatasetImportJob", datasetImportJobArn=arns["items_job"]),
            "groups": d("ListDatasetGroups", maxResults=100),
            "datasets": d("ListDatasets", datasetGroupArn=arns["group"]),
            "jobs": d("ListDatasetImportJobs", datasetArn=arns["interactions"]),
            "schemas": d("ListSchemas", maxResults=100),
        }
        for key in ("group", "interactions", "good_job"):
            snap[f"tags:{key}"] = d("ListTagsForResource", resourceArn=arns[key])
        return snap

    def test_everything_survives_kill_9(self):
        arns = {}
        arns["schema"] = self.create_schema()
        arns["group"] = self.create_group(tags=[{"tagKey": "team", "tagValue": "recs"}])
        arns["interactions"] = self.create_dataset(arns["group"], "Interactions",
                                                   arns["schema"])
        arns["items"] = self.create_dataset(arns["group"], "Items",
                                            self.create_schema(ITEMS_SCHEMA))
        rows = [",".join(map(str, r)) for r in good_interactions(40)]
        rows[7] = ",i1,1600000007,click,"
        rows[8] = "u8,i1,1600000008,click,much"
        loc = self.put_s3(f"{uniq('durable')}.csv", interactions_csv(rows))
        arns["good_job"] = self.start_import(arns["interactions"], loc,
                                             tags=[{"tagKey": "run", "tagValue": "a"}])
        job = self.wait_import(arns["good_job"])
        self.assertEqual(len(job["importReport"]["problems"]), 2)
        arns["failed_job"] = self.start_import(arns["interactions"], "s3://e2e/absent.csv",
                                               mode="INCREMENTAL")
        self.wait_import(arns["failed_job"], "CREATE FAILED")
        items = "ITEM_ID,GENRE,YEAR\ni1,Drama,1999\ni2,Comedy,\ni3,Horror,x\n"
        arns["items_job"] = self.start_import(arns["items"],
                                              self.put_s3(f"{uniq('items')}.csv", items))
        self.wait_import(arns["items_job"])
        # A deleted resource stays deleted.
        doomed = self.create_group()
        self.pz.delete_dataset_group(datasetGroupArn=doomed)
        wait_until_gone(lambda: self.pz.describe_dataset_group(
            datasetGroupArn=doomed)["datasetGroup"])

        before = self.snapshot(arns)
        self.assertEqual(before["interactions"]["dataset"]["rowCount"], 39)
        self.assertEqual(before["items"]["dataset"]["rowCount"], 3)

        self.restart(hard=True)
        after = self.snapshot(arns)
        self.assertEqual(after, before)
        self.assertApiError("ResourceNotFoundException", self.pz.describe_dataset_group,
                            datasetGroupArn=doomed)

        # ... and the restarted server keeps working on the same data.
        more = self.put_s3(f"{uniq('more')}.csv", interactions_csv(good_interactions(5, 900)))
        self.run_import(arns["interactions"], more, mode="INCREMENTAL")
        self.assertEqual(self.row_count(arns["interactions"]), 44)


class InterruptedImportTest(ServerTestCase):
    def write_big_csv(self, key):
        path = os.path.join(self.server.s3_root, "e2e", key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n")
            step = 100_000
            for start in range(0, BIG_ROWS, step):
                f.write("".join(f"u{i % 60000},i{i % 9000},{1500000000 + i},click,\n"
                                for i in range(start, start + step)))
        return f"s3://e2e/{key}"

    def test_kill_during_import(self):
        group, dataset = self.new_dataset()
        self.run_import(dataset, self.put_s3(f"{uniq('first')}.csv",
                                             interactions_csv(good_interactions(100))))
        self.assertEqual(self.row_count(dataset), 100)

        big = self.write_big_csv(f"{uniq('big')}/interactions.csv")
        job = self.start_import(dataset, big)
        deadline = time.monotonic() + 30
        while True:
            status = self.pz.describe_dataset_import_job(
                datasetImportJobArn=job)["datasetImportJob"]["status"]
            if status == "CREATE IN_PROGRESS":
                break
            self.assertIn(status, ("CREATE PENDING",),
                          f"the {BIG_ROWS}-row import was not caught in progress")
            self.assertLess(time.monotonic(), deadline, "import never started")
            time.sleep(0.005)

        # While it runs, its dataset cannot be deleted.
        self.assertApiError("ResourceInUseException", self.pz.delete_dataset, datasetArn=dataset)

        self.restart(hard=True)
        described = self.describe_raw("DescribeDatasetImportJob",
                                      datasetImportJobArn=job)["datasetImportJob"]
        self.assertEqual(described["status"], "CREATE FAILED", described)
        self.assertIn("interrupted", described.get("failureReason", ""))
        self.assertEqual(self.row_count(dataset), 100, "the interrupted import changed the data")
        self.assertEqual(self.pz.describe_dataset(datasetArn=dataset)["dataset"]["status"],
                         "ACTIVE")

        # The dataset is usable again: it can be deleted now.
        self.pz.delete_dataset(datasetArn=dataset)
        wait_until_gone(lambda: self.pz.describe_dataset(datasetArn=dataset)["dataset"])
