"""CreateDataset / DescribeDataset / ListDatasets / DeleteDataset."""

from harness import (ARN_PREFIX, ITEMS_SCHEMA, ServerTestCase, uniq, wait_for_status,
                     wait_until_gone)


class DatasetTest(ServerTestCase):
    def test_create_describe(self):
        group_name = uniq("shop")
        group = self.create_group(name=group_name)
        schema = self.create_schema()
        name = uniq("clicks")
        arn = self.pz.create_dataset(name=name, schemaArn=schema, datasetGroupArn=group,
                                     datasetType="Interactions")["datasetArn"]
        self.assertEqual(arn, f"{ARN_PREFIX}dataset/{group_name}/INTERACTIONS")
        ds = wait_for_status(lambda: self.pz.describe_dataset(datasetArn=arn)["dataset"],
                             "ACTIVE")
        self.assertEqual(ds["name"], name)
        self.assertEqual(ds["datasetArn"], arn)
        self.assertEqual(ds["datasetGroupArn"], group)
        self.assertEqual(ds["schemaArn"], schema)
        self.assertEqual(ds["datasetType"].upper(), "INTERACTIONS")
        self.assertIn("creationDateTime", ds)
        self.assertEqual(self.row_count(arn), 0)

    def test_all_three_types_in_one_group(self):
        group_name = uniq("three")
        group = self.create_group(name=group_name)
        for t in ("Interactions", "Items", "Users"):
            arn = self.create_dataset(group, t)
            self.assertEqual(arn, f"{ARN_PREFIX}dataset/{group_name}/{t.upper()}")
        listed = self.pz.list_datasets(datasetGroupArn=group)["datasets"]
        self.assertEqual(sorted(d["datasetType"].upper() for d in listed),
                         ["INTERACTIONS", "ITEMS", "USERS"])
        self.assertTrue(all(d["datasetArn"].startswith(f"{ARN_PREFIX}dataset/{group_name}/")
                            for d in listed))

    def test_second_dataset_of_same_type(self):
        group, _ = self.new_dataset("Items")
        self.assertApiError("ResourceAlreadyExistsException", self.pz.create_dataset,
                            name=uniq("again"), schemaArn=self.create_schema(ITEMS_SCHEMA),
                            datasetGroupArn=group, datasetType="Items")

    def test_unknown_references(self):
        group = self.create_group()
        self.assertApiError("ResourceNotFoundException", self.pz.create_dataset,
                            name=uniq("ds"), schemaArn=f"{ARN_PREFIX}schema/{uniq('none')}",
                            datasetGroupArn=group, datasetType="Interactions")
        self.assertApiError("ResourceNotFoundException", self.pz.create_dataset,
                            name=uniq("ds"), schemaArn=self.create_schema(),
                            datasetGroupArn=f"{ARN_PREFIX}dataset-group/{uniq('none')}",
                            datasetType="Interactions")
        ghost = f"{ARN_PREFIX}dataset/{uniq('none')}/INTERACTIONS"
        self.assertApiError("ResourceNotFoundException", self.pz.describe_dataset,
                            datasetArn=ghost)
        self.assertApiError("ResourceNotFoundException", self.pz.delete_dataset,
                            datasetArn=ghost)

    def test_unknown_dataset_type(self):
        self.assertApiError("InvalidInputException", self.pz.create_dataset, name=uniq("ds"),
                            schemaArn=self.create_schema(), datasetGroupArn=self.create_group(),
                            datasetType="Ratings", contains="datasetType")

    def test_bad_name(self):
        self.assertApiError("InvalidInputException", self.pz.create_dataset, name="bad name",
                            schemaArn=self.create_schema(), datasetGroupArn=self.create_group(),
                            datasetType="Interactions", contains="name")

    def test_list_filters_by_group_and_paginates(self):
        group = self.create_group()
        mine = {self.create_dataset(group, t) for t in ("Interactions", "Items", "Users")}
        self.create_dataset(self.create_group(), "Interactions")  # another group's
        seen, token = [], None
        while True:
            kwargs = {"datasetGroupArn": group, "maxResults": 2}
            if token:
                kwargs["nextToken"] = token
            page = self.pz.list_datasets(**kwargs)
            self.assertLessEqual(len(page["datasets"]), 2)
            seen += [d["datasetArn"] for d in page["datasets"]]
            token = page.get("nextToken")
            if not token:
                break
        self.assertEqual(sorted(seen), sorted(mine))
        self.assertApiError("InvalidNextTokenException", self.pz.list_datasets,
                            datasetGroupArn=group, nextToken="bogus")

    def test_delete_dataset_then_group(self):
        group, dataset = self.new_dataset()
        self.assertApiError("ResourceInUseException", self.pz.delete_dataset_group,
                            datasetGroupArn=group)
        self.pz.delete_dataset(datasetArn=dataset)
        seen = wait_until_gone(lambda: self.pz.describe_dataset(datasetArn=dataset)["dataset"])
        self.assertTrue(all(s == "DELETE PENDING" for s in seen), seen)
        self.assertEqual(self.pz.list_datasets(datasetGroupArn=group)["datasets"], [])
        self.pz.delete_dataset_group(datasetGroupArn=group)
        wait_until_gone(
            lambda: self.pz.describe_dataset_group(datasetGroupArn=group)["datasetGroup"])

    def test_type_is_free_again_after_delete(self):
        group, dataset = self.new_dataset("Users")
        self.pz.delete_dataset(datasetArn=dataset)
        wait_until_gone(lambda: self.pz.describe_dataset(datasetArn=dataset)["dataset"])
        self.assertEqual(self.create_dataset(group, "Users"), dataset)


class DatasetInYoungGroupTest(ServerTestCase):
    # Each status transition waits 400 ms, as Personalize's provisioning takes time, so a group
    # is reliably still being created right after CreateDatasetGroup returns.
    server_args = ("--lifecycle-delay-ms", "400")

    def test_group_not_active_yet(self):
        schema = self.create_schema()
        group = self.create_group(wait=False)
        self.assertEqual(
            self.pz.describe_dataset_group(datasetGroupArn=group)["datasetGroup"]["status"],
            "CREATE PENDING")
        call = {"name": uniq("ds"), "schemaArn": schema, "datasetGroupArn": group,
                "datasetType": "Interactions"}
        self.assertApiError("ResourceInUseException", self.pz.create_dataset,
                            contains=("CREATE PENDING",), **call)
        seen = wait_for_status(
            lambda: self.pz.describe_dataset_group(datasetGroupArn=group)["datasetGroup"],
            "ACTIVE", interval=0.02)
        self.assertEqual(seen["_seen"], ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"])
        arn = self.pz.create_dataset(**call)["datasetArn"]
        self.assertEqual(self.pz.describe_dataset(datasetArn=arn)["dataset"]["status"],
                         "CREATE PENDING")
