"""Solutions, solution versions (training), recipes and GetSolutionMetrics through boto3."""

from harness import ARN_PREFIX, ServerTestCase, interactions_csv, uniq, wait_for_status

SIMS = "arn:aws:personalize:::recipe/aws-sims"
POPULARITY = "arn:aws:personalize:::recipe/aws-popularity-count"
USER_PERSONALIZATION = "arn:aws:personalize:::recipe/aws-user-personalization"
METRIC_KEYS = {
    "coverage", "mean_reciprocal_rank_at_25", "normalized_discounted_cumulative_gain_at_5",
    "normalized_discounted_cumulative_gain_at_10", "normalized_discounted_cumulative_gain_at_25",
    "precision_at_5", "precision_at_10", "precision_at_25",
}


def training_rows(n=1200, users=40, items=50):
    """`n` interactions of `users` users; even rows are clicks (value 1), odd rows watches (5)."""
    return [(f"u{i % users}", f"i{((i % users) * 7 + i // users) % items}", 1_600_000_000 + i,
             "watch" if i % 2 else "click", 5 if i % 2 else 1) for i in range(n)]


class SolutionTest(ServerTestCase):
    def group_with_data(self, rows):
        group, dataset = self.new_dataset()
        self.run_import(dataset, self.put_s3(f"{uniq('train')}.csv", interactions_csv(rows)))
        return group

    def create_solution(self, group, recipe=SIMS, **kwargs):
        arn = self.pz.create_solution(name=uniq("sol"), datasetGroupArn=group, recipeArn=recipe,
                                      **kwargs)["solutionArn"]
        wait_for_status(lambda: self.pz.describe_solution(solutionArn=arn)["solution"], "ACTIVE")
        return arn

    def train(self, solution, want="ACTIVE", **kwargs):
        arn = self.pz.create_solution_version(solutionArn=solution, **kwargs)["solutionVersionArn"]
        return wait_for_status(lambda: self.pz.describe_solution_version(
            solutionVersionArn=arn)["solutionVersion"], want, timeout=120)

    def test_full_then_update_and_metrics(self):
        group = self.group_with_data(training_rows())
        solution = self.create_solution(group)
        self.assertTrue(solution.startswith(ARN_PREFIX + "solution/"), solution)
        self.assertApiError("InvalidInputException", self.pz.create_solution_version,
                            solutionArn=solution, trainingMode="UPDATE", contains="ACTIVE")
        full = self.train(solution, trainingMode="FULL", name="first")
        self.assertRegex(full["solutionVersionArn"], "^" + solution + "/[0-9a-f]{8}$")
        self.assertEqual(full["trainingMode"], "FULL")
        self.assertGreaterEqual(full["trainingHours"], 0)
        metrics = self.pz.get_solution_metrics(solutionVersionArn=full["solutionVersionArn"])
        self.assertEqual(metrics["solutionVersionArn"], full["solutionVersionArn"])
        self.assertEqual(set(metrics["metrics"]), METRIC_KEYS)
        update = self.train(solution, trainingMode="UPDATE")
        self.assertEqual(update["trainingMode"], "UPDATE")
        versions = self.pz.list_solution_versions(solutionArn=solution)["solutionVersions"]
        self.assertEqual([v["solutionVersionArn"] for v in versions],
                         [full["solutionVersionArn"], update["solutionVersionArn"]])
        described = self.pz.describe_solution(solutionArn=solution)["solution"]
        self.assertEqual(described["latestSolutionVersion"]["solutionVersionArn"],
                         update["solutionVersionArn"])
        names = [s["name"] for s in self.pz.list_solutions(datasetGroupArn=group)["solutions"]]
        self.assertEqual(names, [described["name"]])

    def test_update_starts_from_the_full_model_with_new_events_and_items(self):
        group, interactions = self.new_dataset()
        self.run_import(interactions, self.put_s3(f"{uniq('train')}.csv",
                                                  interactions_csv(training_rows())))
        items = self.create_dataset(group, "Items")
        genres = ["Comedy", "Drama|Comedy", "Horror"]
        self.run_import(items, self.put_s3(f"{uniq('items')}.csv", interactions_csv(
            [(f"i{i}", genres[i % 3], 1990 + i) for i in range(50)], header="ITEM_ID,GENRE,YEAR")))
        solution = self.create_solution(
            group, recipe=USER_PERSONALIZATION,
            solutionConfig={"algorithmHyperParameters": {"epochs": "3"}})
        full = self.train(solution, trainingMode="FULL")
        self.assertEqual(full["status"], "ACTIVE")

        # Newer events, some on items i50..i54 that did not exist, and metadata of i50..i59.
        later = [(f"u{i % 40}", f"i{50 + i % 5 if i % 3 == 0 else i % 50}", 1_700_000_000 + i,
                  "click", 1) for i in range(300)]
        self.run_import(interactions, self.put_s3(f"{uniq('more')}.csv", interactions_csv(later)),
                        mode="INCREMENTAL")
        self.run_import(items, self.put_s3(f"{uniq('new-items')}.csv", interactions_csv(
            [(f"i{i}", genres[i % 3], 2020) for i in range(50, 60)],
            header="ITEM_ID,GENRE,YEAR")), mode="INCREMENTAL")
        update = self.train(solution, trainingMode="UPDATE")
        self.assertEqual(update["status"], "ACTIVE")
        self.assertEqual(update["trainingMode"], "UPDATE")
        self.assertEqual(update["solutionConfig"]["algorithmHyperParameters"], {"epochs": "3"})
        metrics = self.pz.get_solution_metrics(
            solutionVersionArn=update["solutionVersionArn"])["metrics"]
        self.assertEqual(set(metrics), METRIC_KEYS)
        self.assertGreater(metrics["coverage"], 0.0)
        # UPDATE does not retrain on a holdout split: it reports the metrics of the FULL version.
        full_metrics = self.pz.get_solution_metrics(
            solutionVersionArn=full["solutionVersionArn"])["metrics"]
        self.assertEqual(metrics, full_metrics)

    def test_minimum_data_and_event_type_filter(self):
        group = self.group_with_data(training_rows())
        clicks = self.create_solution(group, recipe=POPULARITY, eventType="click")
        failed = self.train(clicks, want="CREATE FAILED")
        self.assertIn("at least 1000 interactions", failed["failureReason"])
        self.assertIn("found 600", failed["failureReason"])
        self.assertApiError("ResourceInUseException", self.pz.get_solution_metrics,
                            solutionVersionArn=failed["solutionVersionArn"])
        few_users = self.group_with_data(training_rows(n=1000, users=24))
        failed = self.train(self.create_solution(few_users), want="CREATE FAILED")
        self.assertIn("at least 25 unique users with at least 2 interactions",
                      failed["failureReason"])

    def test_perform_hpo_reports_tuned_params(self):
        group = self.group_with_data(training_rows())
        ranges = {"integerHyperParameterRanges": [
            {"name": "min_cointeraction_count", "minValue": 1, "maxValue": 3}]}
        self.assertApiError("InvalidInputException", self.pz.create_solution, name=uniq("s"),
                            datasetGroupArn=group, recipeArn=SIMS, performHPO=True,
                            solutionConfig={"hpoConfig": {"algorithmHyperParameterRanges": {
                                "continuousHyperParameterRanges": [{
                                    "name": "popularity_discount_factor", "minValue": 0.5,
                                    "maxValue": 2.0}]}}},
                            contains="popularity_discount_factor")
        solution = self.create_solution(group, performHPO=True, solutionConfig={"hpoConfig": {
            "algorithmHyperParameterRanges": ranges,
            "hpoResourceConfig": {"maxNumberOfTrainingJobs": "3"},
            "hpoObjective": {"type": "Maximize", "metricName": "precision_at_10"}}})
        version = self.train(solution)
        self.assertTrue(version["performHPO"])
        tuned = version["tunedHPOParams"]["algorithmHyperParameters"]
        self.assertIn(int(tuned["min_cointeraction_count"]), (1, 2, 3))
        self.assertLessEqual(0.0, float(tuned["popularity_discount_factor"]))
        self.assertLessEqual(float(tuned["popularity_discount_factor"]), 1.0)

    def test_create_solution_errors(self):
        group = self.create_group()
        self.assertApiError("InvalidInputException", self.pz.create_solution, name=uniq("s"),
                            datasetGroupArn=group, recipeArn=SIMS,
                            solutionConfig={"eventValueThreshold": "1"}, contains="eventType")
        self.assertApiError("InvalidInputException", self.pz.create_solution, name=uniq("s"),
                            datasetGroupArn=group,
                            recipeArn="arn:aws:personalize:::recipe/aws-unknown",
                            contains="aws-unknown")
        self.assertApiError("InvalidInputException", self.pz.create_solution, name=uniq("s"),
                            datasetGroupArn=group, recipeArn=SIMS,
                            solutionConfig={"algorithmHyperParameters": {"nope": "1"}})
        self.assertApiError("ResourceNotFoundException", self.pz.create_solution, name=uniq("s"),
                            datasetGroupArn=group + "-missing", recipeArn=SIMS)
        self.assertApiError("ResourceNotFoundException", self.pz.get_solution_metrics,
                            solutionVersionArn=ARN_PREFIX + "solution/none/00000000")

    def test_recipes_are_described(self):
        recipes = {r["name"]: r for r in self.pz.list_recipes()["recipes"]}
        self.assertIn("aws-sims", recipes)
        recipe = self.pz.describe_recipe(recipeArn=SIMS)["recipe"]
        self.assertEqual(recipe["recipeType"], "RELATED_ITEMS")
        algorithm = self.pz.describe_algorithm(algorithmArn=recipe["algorithmArn"])["algorithm"]
        self.assertIn("min_cointeraction_count", algorithm["defaultHyperParameters"])
        ranges = algorithm["defaultHyperParameterRanges"]["integerHyperParameterRanges"]
        self.assertEqual(ranges[0]["name"], "min_cointeraction_count")
        transformation = self.pz.describe_feature_transformation(
            featureTransformationArn=recipe["featureTransformationArn"])["featureTransformation"]
        self.assertEqual(transformation["status"], "ACTIVE")
        self.assertApiError("ResourceNotFoundException", self.pz.describe_recipe,
                            recipeArn="arn:aws:personalize:::recipe/aws-nope")


class SolutionStopTest(ServerTestCase):
    server_args = ("--lifecycle-delay-ms", "300")

    def test_stop_pending_version_and_delete_solution(self):
        group, dataset = self.new_dataset()
        self.run_import(dataset, self.put_s3(f"{uniq('t')}.csv",
                                             interactions_csv(training_rows())))
        solution = self.pz.create_solution(name=uniq("sol"), datasetGroupArn=group,
                                           recipeArn=SIMS)["solutionArn"]
        wait_for_status(lambda: self.pz.describe_solution(solutionArn=solution)["solution"],
                        "ACTIVE")
        version = self.pz.create_solution_version(solutionArn=solution)["solutionVersionArn"]
        self.assertApiError("ResourceInUseException", self.pz.create_solution_version,
                            solutionArn=solution)
        self.assertApiError("ResourceInUseException", self.pz.delete_solution,
                            solutionArn=solution)
        self.pz.stop_solution_version_creation(solutionVersionArn=version)
        status = self.pz.describe_solution_version(
            solutionVersionArn=version)["solutionVersion"]["status"]
        self.assertEqual(status, "CREATE STOPPED")
        self.assertApiError("ResourceInUseException", self.pz.stop_solution_version_creation,
                            solutionVersionArn=version)
        self.pz.delete_solution(solutionArn=solution)
