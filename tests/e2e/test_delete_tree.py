"""kindred's DeleteResourceTree extension: {"resourceArn", "dryRun"} -> {"deletedArns"}."""

from harness import (ARN_PREFIX, ServerTestCase, good_interactions, interactions_csv, uniq,
                     wait_until_gone)


class DeleteResourceTreeTest(ServerTestCase):
    def build_tree(self):
        group = self.create_group()
        interactions = self.create_dataset(group, "Interactions")
        items = self.create_dataset(group, "Items")
        loc = self.put_s3(f"{uniq('tree')}.csv", interactions_csv(good_interactions(5)))
        job = self.start_import(interactions, loc)
        self.wait_import(job)
        return group, interactions, items, job

    def delete_tree(self, arn, dry_run):
        return self.server.raw("DeleteResourceTree", {"resourceArn": arn, "dryRun": dry_run})

    def assertChildrenFirst(self, arns, group, interactions, items, job):
        self.assertEqual(sorted(arns), sorted([group, interactions, items, job]), arns)
        self.assertEqual(arns[-1], group, "the dataset group must come last")
        self.assertLess(arns.index(job), arns.index(interactions),
                        "an import job must come before its dataset")

    def test_dry_run_deletes_nothing(self):
        group, interactions, items, job = self.build_tree()
        resp = self.delete_tree(group, True)
        self.assertEqual(resp.status, 200, resp)
        self.assertChildrenFirst(resp.json()["deletedArns"], group, interactions, items, job)
        self.assertEqual(self.pz.describe_dataset_group(
            datasetGroupArn=group)["datasetGroup"]["status"], "ACTIVE")
        for ds in (interactions, items):
            self.assertEqual(self.pz.describe_dataset(datasetArn=ds)["dataset"]["status"],
                             "ACTIVE")
        self.assertEqual(self.pz.describe_dataset_import_job(
            datasetImportJobArn=job)["datasetImportJob"]["status"], "ACTIVE")
        self.assertEqual(self.row_count(interactions), 5)

    def test_real_run_removes_everything(self):
        group, interactions, items, job = self.build_tree()
        schema = self.pz.describe_dataset(datasetArn=items)["dataset"]["schemaArn"]
        resp = self.delete_tree(group, False)
        self.assertEqual(resp.status, 200, resp)
        self.assertChildrenFirst(resp.json()["deletedArns"], group, interactions, items, job)
        wait_until_gone(lambda: self.pz.describe_dataset_group(
            datasetGroupArn=group)["datasetGroup"])
        for ds in (interactions, items):
            self.assertApiError("ResourceNotFoundException", self.pz.describe_dataset,
                                datasetArn=ds)
        self.assertApiError("ResourceNotFoundException", self.pz.describe_dataset_import_job,
                            datasetImportJobArn=job)
        self.pz.describe_schema(schemaArn=schema)  # schemas are not part of the tree
        self.pz.delete_schema(schemaArn=schema)     # ... and are no longer in use

    def test_tree_of_a_dataset(self):
        group, interactions, items, job = self.build_tree()
        resp = self.delete_tree(interactions, False)
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.json()["deletedArns"], [job, interactions])
        wait_until_gone(lambda: self.pz.describe_dataset(datasetArn=interactions)["dataset"])
        self.assertEqual(self.pz.describe_dataset(datasetArn=items)["dataset"]["status"],
                         "ACTIVE")

    def test_unknown_arn(self):
        resp = self.delete_tree(f"{ARN_PREFIX}dataset-group/{uniq('ghost')}", True)
        self.assertRawError(resp, "ResourceNotFoundException")

    def test_missing_arn(self):
        resp = self.server.raw("DeleteResourceTree", {"dryRun": True})
        self.assertRawError(resp, "InvalidInputException")

    def test_needs_a_signature(self):
        resp = self.server.raw("DeleteResourceTree", {"resourceArn": f"{ARN_PREFIX}x", "dryRun": True},
                               sign=False)
        self.assertRawError(resp, "MissingAuthenticationTokenException", 403)
