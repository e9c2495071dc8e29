"""`kindred train`: trains a recipe on a file, writes the model and prints its metrics."""

import os
import random
import shutil
import tempfile
import unittest

from harness import ServerTestCase, interactions_csv, run_metrics_command


def train(*args):
    return run_metrics_command("train", *args)


class CliTrainTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Games format (`user item` lines in time order): chains p -> p + 1000 -> p + 2000 ->
        # p + 3000. Odd users watch a whole chain (evaluated leave-one-out on p + 3000); even
        # users watch two neighbours of one, which is where the later steps are learnt.
        cls.tmp = tempfile.mkdtemp(prefix="kindred-train-")
        cls.games = os.path.join(cls.tmp, "games.txt")
        rng = random.Random(11)
        with open(cls.games, "w") as f:
            for user in range(1, 801):
                pilot = rng.randint(1, 30)
                steps = range(4) if user % 2 else [rng.randint(0, 2) + k for k in range(2)]
                for step in steps:
                    f.write(f"{user} {pilot + 1000 * step}\n")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_writes_a_model_that_loads_and_prints_next_item_metrics(self):
        model = os.path.join(self.tmp, "model.bin")
        r, m = train("--input", self.games, "--format", "games",
                     "--recipe", "aws-user-personalization", "--param", "epochs=10",
                     "--output", model)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn(f"model written to {model}", r.stdout)
        self.assertIn("loads back", r.stdout)
        self.assertTrue(os.path.getsize(model) > 0)
        with open(model, "rb") as f:
            self.assertEqual(f.read(4), b"KSEQ")
        # The progress bar, drawn on stderr for the training and for the evaluation's.
        self.assertIn("100%", r.stderr)
        self.assertIn("training on every event", r.stderr)
        self.assertEqual(m["users evaluated"], 400)
        # p + 3000 always follows p + 2000: the model finds it among 120 items.
        self.assertGreater(m["HR@10 (full ranking)"], 0.8, r.stdout)
        self.assertGreaterEqual(m["HR@10 (100 sampled negatives)"], m["HR@10 (full ranking)"])

    def test_personalize_protocol_without_output(self):
        r, m = train("--input", self.games, "--format", "games",
                     "--recipe", "aws-popularity-count", "--protocol", "personalize")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("model written", r.stdout)
        for key in ("coverage", "mean_reciprocal_rank_at_25", "precision_at_25",
                    "normalized_discounted_cumulative_gain_at_10"):
            self.assertIn(key, m, r.stdout)

    def test_errors_name_the_bad_flag_or_file(self):
        cases = [
            (["--recipe", "no-such-recipe"], ["--recipe", "no-such-recipe"]),
            (["--recipe", "aws-user-personalization", "--param", "bptt=999"], ["--param", "bptt"]),
            (["--recipe", "aws-user-personalization", "--param", "bptt"], ["--param", "bptt"]),
            (["--output", os.path.join(self.tmp, "no-dir", "model.bin")],
             ["--output", "no-dir"]),
        ]
        for extra, words in cases:
            r, _ = train("--input", self.games, "--format", "games", *extra)
            self.assertNotEqual(r.returncode, 0, extra)
            for word in words:
                self.assertIn(word, r.stderr, extra)
        missing = os.path.join(self.tmp, "missing.txt")
        r, _ = train("--input", missing, "--format", "games")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("--input", r.stderr)
        self.assertIn("missing.txt", r.stderr)
        r, _ = train("--input", self.games, "--format", "parquet")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("--format", r.stderr)
        with open(os.path.join(self.tmp, "bad.csv"), "w") as f:
            f.write("USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,yesterday\n")
        r, _ = train("--input", os.path.join(self.tmp, "bad.csv"), "--format", "personalize-csv")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("line 2", r.stderr)


class CliTrainDatasetGroupTest(ServerTestCase):
    def test_trains_on_a_stopped_servers_dataset_group(self):
        group, interactions = self.new_dataset()
        rows = [(f"u{u}", f"i{(u + k) % 30}", 1_600_000_000 + 10 * u + k, "click", "")
                for u in range(40) for k in range(5)]
        self.run_import(interactions, self.put_s3("cli-train.csv", interactions_csv(rows)))
        # The store belongs to one process at a time.
        r, _ = train("--data-dir", self.server.data_dir, "--dataset-group", group,
                     "--recipe", "aws-popularity-count")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("stop it first", r.stderr)
        self.assertEqual(self.server.terminate(), 0)

        r, m = train("--data-dir", self.server.data_dir, "--dataset-group", group,
                     "--recipe", "aws-popularity-count")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn(f"{group}: 40 users, 30 items, 200 events", r.stdout)
        self.assertEqual(m["users evaluated"], 40)

        r, _ = train("--data-dir", self.server.data_dir, "--dataset-group", group + "-gone")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("--dataset-group", r.stderr)
        r, _ = train("--input", "x.txt", "--dataset-group", group)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("--dataset-group", r.stderr)
        self.server.start()


if __name__ == "__main__":
    unittest.main()
