"""`kindred import`: the command-line import prints the same report as the API and honours --strict."""

import json
import os
import subprocess
import shutil
import tempfile
import unittest

from harness import FIXTURES, ITEMS_SCHEMA, ServerTestCase, interactions_csv, good_interactions
from harness import kindred_bin

WORKSHOP_CSV = os.path.join(FIXTURES, "personalize-poc", "item-meta.csv")


def run_import(*args):
    return subprocess.run([kindred_bin(), "import", *args], capture_output=True, text=True,
                          timeout=120)


class CliCheckModeTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="kindred-cli-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.schema = os.path.join(self.tmp, "items.json")
        with open(self.schema, "w") as f:
            json.dump(ITEMS_SCHEMA, f)

    def test_workshop_file_checks_with_thirteen_problems(self):
        r = run_import(WORKSHOP_CSV, "--schema", self.schema, "--dataset-type", "Items")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn(": ACTIVE", r.stdout)
        self.assertIn("Rows read: 9742, imported: 9742, skipped: 0, values stored as null: 13",
                      r.stdout)
        self.assertIn("row 9520, column YEAR", r.stdout)
        self.assertEqual(r.stdout.count("column YEAR"), 13, r.stdout)

    def test_strict_fails_on_the_first_row_level_problem(self):
        r = run_import(WORKSHOP_CSV, "--schema", self.schema, "--dataset-type", "Items",
                       "--strict")
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn(": CREATE FAILED", r.stdout)
        self.assertIn("row 6061", r.stdout)

    def test_usage_errors_are_reported(self):
        r = run_import(WORKSHOP_CSV)
        self.assertEqual(r.returncode, 1)
        self.assertIn("--schema", r.stderr)
        r = run_import(os.path.join(self.tmp, "missing.csv"), "--schema", self.schema,
                       "--dataset-type", "Items")
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("missing.csv", r.stdout)


class CliLoadModeTest(ServerTestCase):
    def test_loads_into_a_stopped_servers_dataset(self):
        _, dataset = self.new_dataset()
        csv = os.path.join(self.server.tmp, "events.csv")
        with open(csv, "w") as f:
            f.write(interactions_csv(good_interactions(30)))
        # The store belongs to one process at a time.
        r = run_import(csv, "--data-dir", self.server.data_dir, "--dataset-arn", dataset)
        self.assertEqual(r.returncode, 1)
        self.assertIn("stop it first", r.stderr)
        self.assertEqual(self.server.terminate(), 0)
        r = run_import(csv, "--data-dir", self.server.data_dir, "--dataset-arn", dataset,
                       "--job-name", "from-cli")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("Rows read: 30, imported: 30", r.stdout)
        self.server.start()
        self.pz = self.server.client()
        self.assertEqual(self.row_count(dataset), 30)
        jobs = self.pz.list_dataset_import_jobs(datasetArn=dataset)["datasetImportJobs"]
        self.assertEqual([j["jobName"] for j in jobs], ["from-cli"])
