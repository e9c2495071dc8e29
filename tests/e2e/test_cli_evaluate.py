"""`kindred evaluate`: trains a recipe on a file and prints next-item / Personalize metrics."""

import os
import random
import shutil
import tempfile
import unittest

from harness import run_metrics_command


def evaluate(*args):
    return run_metrics_command("evaluate", *args)


class CliEvaluateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Planted structure, in the Games format (`user item` lines in time order): every user
        # watches a random "pilot" item p and then its sequel p + 1000. Item 1 is watched by
        # many users first, so it is the most popular item but never the right next item. Users
        # with two events only ever train; the other half are evaluated leave-one-out.
        cls.tmp = tempfile.mkdtemp(prefix="kindred-eval-")
        cls.games = os.path.join(cls.tmp, "games.txt")
        rng = random.Random(7)
        with open(cls.games, "w") as f:
            for user in range(1, 601):
                pilot = rng.randint(2, 40)
                if user % 2 == 0:
                    f.write(f"{user} 1\n")
                f.write(f"{user} {pilot}\n{user} {pilot + 1000}\n")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_sims_finds_the_planted_sequel_and_popularity_does_not(self):
        r, sims = evaluate("--input", self.games, "--format", "games", "--recipe", "aws-sims",
                           "--param", "min_cointeraction_count=1",
                           "--param", "max_item_interaction_count_percentile=1")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("100%", r.stderr, "the progress bar of the training")
        r, pop = evaluate("--input", self.games, "--format", "games",
                          "--recipe", "aws-popularity-count")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        # Leave-one-out needs 3 events: only the 300 users who also watched item 1 count.
        self.assertEqual(sims["users evaluated"], 300)
        # The sequel of each pilot is its only co-occurring item: SIMS ranks it first.
        self.assertGreater(sims["HR@10 (full ranking)"], 0.95, sims)
        self.assertLess(pop["HR@10 (full ranking)"], 0.5, pop)
        for m in (sims, pop):
            for key in ("NDCG@10 (full ranking)", "HR@10 (100 sampled negatives)"):
                self.assertGreaterEqual(m[key], 0.0)
                self.assertLessEqual(m[key], 1.0)

    def test_personalize_protocol_prints_the_eight_keys(self):
        r, m = evaluate("--input", self.games, "--format", "games", "--recipe", "aws-sims",
                        "--protocol", "personalize")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        for key in ("coverage", "mean_reciprocal_rank_at_25",
                    "normalized_discounted_cumulative_gain_at_5",
                    "normalized_discounted_cumulative_gain_at_10",
                    "normalized_discounted_cumulative_gain_at_25",
                    "precision_at_5", "precision_at_10", "precision_at_25"):
            self.assertIn(key, m, r.stdout)

    def test_bad_arguments_are_reported(self):
        r, _ = evaluate("--input", self.games, "--format", "games", "--recipe", "no-such-recipe")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("no-such-recipe", r.stdout + r.stderr)
        r, _ = evaluate("--input", self.games, "--format", "games", "--recipe", "aws-sims",
                        "--param", "min_cointeraction_count=99")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("min_cointeraction_count", r.stdout + r.stderr)
        r, _ = evaluate("--input", os.path.join(self.tmp, "missing.txt"), "--format", "games")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("missing.txt", r.stdout + r.stderr)
