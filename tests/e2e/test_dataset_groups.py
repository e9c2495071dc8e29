"""CreateDatasetGroup / DescribeDatasetGroup / ListDatasetGroups / DeleteDatasetGroup."""

from harness import ARN_PREFIX, ServerTestCase, uniq, wait_until_gone


class DatasetGroupTest(ServerTestCase):
    def test_create_goes_active(self):
        name = uniq("shop")
        arn = self.pz.create_dataset_group(name=name)["datasetGroupArn"]
        self.assertEqual(arn, f"{ARN_PREFIX}dataset-group/{name}")
        first = self.pz.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]
        self.assertIn(first["status"], ("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"))
        group = self.wait_group(arn)
        order = ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"]
        seen = [first["status"]] + group["_seen"]
        self.assertEqual(seen, sorted(seen, key=order.index), f"statuses out of order: {seen}")
        self.assertEqual(group["name"], name)
        self.assertEqual(group["datasetGroupArn"], arn)
        self.assertNotIn("failureReason", group)
        self.assertLessEqual(group["creationDateTime"], group["lastUpdatedDateTime"])

    def test_duplicate_name(self):
        name = uniq("dup")
        self.create_group(name=name, wait=False)
        self.assertApiError("ResourceAlreadyExistsException", self.pz.create_dataset_group,
                            name=name)

    def test_bad_names(self):
        self.assertApiError("InvalidInputException", self.pz.create_dataset_group,
                            name="bad name", contains="name")
        self.assertApiError("InvalidInputException", self.pz.create_dataset_group,
                            name="-starts-with-dash", contains="name")
        self.assertApiError("InvalidInputException", self.pz.create_dataset_group,
                            name="x" * 64, contains="name")
        ok = uniq("y").replace("-", "") + "z" * 52
        self.assertEqual(len(ok), 63)
        self.create_group(name=ok, wait=False)  # 63 characters is the limit, still fine

    def test_unknown_group(self):
        arn = f"{ARN_PREFIX}dataset-group/{uniq('ghost')}"
        self.assertApiError("ResourceNotFoundException", self.pz.describe_dataset_group,
                            datasetGroupArn=arn)
        self.assertApiError("ResourceNotFoundException", self.pz.delete_dataset_group,
                            datasetGroupArn=arn)

    def test_pagination_over_seven_groups(self):
        prefix = uniq("pg")
        want = {f"{prefix}-{i}" for i in range(7)}
        for name in sorted(want):
            self.create_group(name=name, wait=False)
        seen, token, pages = [], None, []
        while True:
            kwargs = {"maxResults": 3}
            if token:
                kwargs["nextToken"] = token
            page = self.pz.list_dataset_groups(**kwargs)
            pages.append(len(page["datasetGroups"]))
            self.assertLessEqual(len(page["datasetGroups"]), 3)
            for g in page["datasetGroups"]:
                self.assertEqual(set(g) >= {"name", "datasetGroupArn", "status"}, True, g)
                seen.append(g["name"])
            token = page.get("nextToken")
            if not token:
                break
            self.assertLess(len(pages), 200, "pagination does not end")
        mine = [n for n in seen if n.startswith(prefix)]
        self.assertEqual(sorted(mine), sorted(want), f"pages {pages}")
        self.assertEqual(len(seen), len(set(seen)), "a group appeared on two pages")
        self.assertGreaterEqual(len(pages), 3)

        # boto3's paginator walks the same pages.
        names = [g["name"]
                 for page in self.pz.get_paginator("list_dataset_groups").paginate(
                     PaginationConfig={"PageSize": 3})
                 for g in page["datasetGroups"]]
        self.assertTrue(want <= set(names))

    def test_bogus_next_token(self):
        self.assertApiError("InvalidNextTokenException", self.pz.list_dataset_groups,
                            nextToken="garbage-token")

    def test_max_results_out_of_range(self):
        unchecked = self.server.client(parameter_validation=False)
        self.assertApiError("InvalidInputException", unchecked.list_dataset_groups,
                            maxResults=101, contains="maxResults")
        self.assertApiError("InvalidInputException", unchecked.list_dataset_groups,
                            maxResults=0, contains="maxResults")

    def test_delete_empty_group(self):
        arn = self.create_group()
        self.pz.delete_dataset_group(datasetGroupArn=arn)
        seen = wait_until_gone(
            lambda: self.pz.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"])
        self.assertTrue(all(s == "DELETE PENDING" for s in seen), seen)
        arns = [g["datasetGroupArn"]
                for page in self.pz.get_paginator("list_dataset_groups").paginate()
                for g in page["datasetGroups"]]
        self.assertNotIn(arn, arns)
        # The name is free again.
        name = arn.rsplit("/", 1)[1]
        self.create_group(name=name)

    def test_delete_group_with_dataset(self):
        group, dataset = self.new_dataset()
        self.assertApiError("ResourceInUseException", self.pz.delete_dataset_group,
                            datasetGroupArn=group)
        self.assertEqual(self.wait_group(group)["status"], "ACTIVE")

    def test_missing_required_name(self):
        unchecked = self.server.client(parameter_validation=False)
        self.assertApiError("InvalidInputException", unchecked.create_dataset_group,
                            contains="name")
