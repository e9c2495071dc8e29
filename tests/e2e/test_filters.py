"""Filters through boto3: CreateFilter, DescribeFilter, ListFilters, DeleteFilter, their errors,
and filters as children of their dataset group (DeleteDatasetGroup, DeleteResourceTree)."""

from harness import (ARN_PREFIX, ServerTestCase, uniq, wait_for_status, wait_until_gone)

CLICKED = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")'


class FilterTest(ServerTestCase):
    def create_filter(self, group, expression=CLICKED, name=None, wait=True, **kwargs):
        arn = self.pz.create_filter(name=name or uniq("filter"), datasetGroupArn=group,
                                    filterExpression=expression, **kwargs)["filterArn"]
        if wait:
            wait_for_status(lambda: self.describe(arn), "ACTIVE")
        return arn

    def describe(self, arn):
        return self.pz.describe_filter(filterArn=arn)["filter"]

    def list_all(self, group, page_size):
        names, token, pages = [], None, 0
        while True:
            kwargs = {"datasetGroupArn": group, "maxResults": page_size}
            if token:
                kwargs["nextToken"] = token
            page = self.pz.list_filters(**kwargs)
            pages += 1
            self.assertLessEqual(len(page["Filters"]), page_size)
            names += [f["name"] for f in page["Filters"]]
            token = page.get("nextToken")
            if not token:
                return names, pages
            self.assertLess(pages, 50, "pagination does not end")

    def test_create_describe_list_delete(self):
        group = self.create_group()
        name = uniq("recent")
        expression = ('INCLUDE ItemID WHERE Items.GENRE IN ($GENRE) | EXCLUDE ItemID WHERE '
                      'Interactions.EVENT_TYPE IN ("click", "buy")')
        arn = self.pz.create_filter(name=name, datasetGroupArn=group, filterExpression=expression,
                                    tags=[{"tagKey": "team", "tagValue": "recs"}])["filterArn"]
        self.assertEqual(arn, f"{ARN_PREFIX}filter/{name}")
        described = wait_for_status(lambda: self.describe(arn), "ACTIVE")
        self.assertEqual(described["_seen"][-1], "ACTIVE")
        self.assertEqual(described["name"], name)
        self.assertEqual(described["filterArn"], arn)
        self.assertEqual(described["datasetGroupArn"], group)
        self.assertEqual(described["filterExpression"], expression)
        self.assertLessEqual(described["creationDateTime"], described["lastUpdatedDateTime"])
        self.assertEqual(self.pz.list_tags_for_resource(resourceArn=arn)["tags"],
                         [{"tagKey": "team", "tagValue": "recs"}])
        summaries = self.pz.list_filters(datasetGroupArn=group)["Filters"]
        self.assertEqual([s["filterArn"] for s in summaries], [arn])
        self.assertEqual(summaries[0]["status"], "ACTIVE")
        self.assertNotIn("filterExpression", summaries[0])
        self.assertIn(arn, [f["filterArn"] for f in self.pz.list_filters()["Filters"]])

        self.pz.delete_filter(filterArn=arn)
        seen = wait_until_gone(lambda: self.describe(arn))
        self.assertTrue(all(s == "DELETE PENDING" for s in seen), seen)
        self.assertEqual(self.pz.list_filters(datasetGroupArn=group)["Filters"], [])
        self.assertApiError("ResourceNotFoundException", self.pz.delete_filter, filterArn=arn)
        # The name is free again.
        self.assertEqual(self.create_filter(group, name=name), arn)

    def test_bad_expressions_name_the_position(self):
        group = self.create_group()
        self.assertApiError("InvalidInputException", self.create_filter, group,
                            expression='EXCLUDE ItemID WHERE Items.GENRE LIKE ("x")',
                            contains=["character 34", "'LIKE'", "expected IN, NOT IN"])
        self.assertApiError("InvalidInputException", self.create_filter, group,
                            expression='INCLUDE ItemID WHERE Items.GENRE NOT IN ($G)',
                            contains=["character 42", "NOT IN"])
        self.assertApiError("InvalidInputException", self.create_filter, group,
                            expression='EXCLUDE ItemID WHERE Items.A IN ("x") AND '
                                       'Interactions.EVENT_TYPE IN ("click")',
                            contains="dataset of the first condition")
        too_long = 'EXCLUDE ItemID WHERE Items.A IN ("' + "x" * 2500 + '")'
        unchecked = self.server.client(parameter_validation=False)
        self.assertApiError("InvalidInputException", unchecked.create_filter, name=uniq("long"),
                            datasetGroupArn=group, filterExpression=too_long,
                            contains="filterExpression")
        self.assertEqual(self.pz.list_filters(datasetGroupArn=group)["Filters"], [])

    def test_fields_are_checked_against_the_groups_schemas(self):
        group = self.create_group()
        self.create_dataset(group, "Items")  # ITEM_ID, GENRE (categorical), YEAR (int)
        self.create_dataset(group, "Users")  # USER_ID, AGE (int, nullable), GENDER
        self.assertApiError("InvalidInputException", self.create_filter, group,
                            expression='INCLUDE ItemID WHERE Items.NOPE IN ("x")',
                            contains="has no field NOPE")
        self.assertApiError("InvalidInputException", self.create_filter, group,
                            expression='INCLUDE ItemID WHERE Items.GENRE > 3',
                            contains="Items.GENRE is a string field")
        self.assertApiError("InvalidInputException", self.create_filter, group,
                            expression='INCLUDE ItemID WHERE Items.YEAR IN ("old")',
                            contains='"old" is not a number')
        self.assertApiError("InvalidInputException", self.create_filter, group,
                            expression='INCLUDE ItemID WHERE Items.YEAR > 2000 IF '
                                       'CurrentUser.gender IN ("f")',
                            contains="case-sensitive: GENDER")
        self.create_filter(group, expression='INCLUDE ItemID WHERE Items.YEAR > 2000 AND '
                                             'Items.GENRE IN ($G) IF CurrentUser.AGE >= 18')

    def test_unknown_group_or_filter(self):
        ghost = f"{ARN_PREFIX}dataset-group/{uniq('ghost')}"
        self.assertApiError("ResourceNotFoundException", self.create_filter, ghost,
                            contains=ghost)
        self.assertApiError("ResourceNotFoundException", self.pz.describe_filter,
                            filterArn=f"{ARN_PREFIX}filter/{uniq('ghost')}")

    def test_names_are_unique_across_groups(self):
        name = uniq("dup")
        first = self.create_filter(self.create_group(), name=name)
        for group in (self.create_group(), self.pz.describe_filter(
                filterArn=first)["filter"]["datasetGroupArn"]):
            self.assertApiError("ResourceAlreadyExistsException", self.create_filter, group,
                                name=name, contains=name)

    def test_ten_filters_per_group_paginated(self):
        group, other = self.create_group(), self.create_group()
        self.create_filter(other)
        names = [f"{uniq('f')}-{i}" for i in range(10)]
        for name in names:
            self.create_filter(group, name=name, wait=False)
        listed, pages = self.list_all(group, 3)
        self.assertEqual(listed, names)
        self.assertEqual(pages, 4)
        paginated = [f["name"] for page in self.pz.get_paginator("list_filters").paginate(
            datasetGroupArn=group, PaginationConfig={"PageSize": 4}) for f in page["Filters"]]
        self.assertEqual(paginated, names)
        self.assertApiError("InvalidNextTokenException", self.pz.list_filters,
                            datasetGroupArn=group, nextToken="bogus")
        self.assertApiError("LimitExceededException", self.create_filter, group,
                            contains="10 filters")
        self.create_filter(other)  # the limit is per group

    def test_filters_are_children_of_their_group(self):
        group = self.create_group()
        filters = [self.create_filter(group) for _ in range(2)]
        self.assertApiError("ResourceInUseException", self.pz.delete_dataset_group,
                            datasetGroupArn=group, contains=filters[0])
        dry = self.server.raw("DeleteResourceTree", {"resourceArn": group, "dryRun": True})
        self.assertEqual(dry.status, 200, dry)
        self.assertEqual(sorted(dry.json()["deletedArns"]), sorted(filters + [group]))
        self.assertEqual(dry.json()["deletedArns"][-1], group)
        self.assertEqual(self.describe(filters[0])["status"], "ACTIVE")
        resp = self.server.raw("DeleteResourceTree", {"resourceArn": group, "dryRun": False})
        self.assertEqual(resp.status, 200, resp)
        for arn in filters:
            self.assertApiError("ResourceNotFoundException", self.pz.describe_filter,
                                filterArn=arn)
        self.assertApiError("ResourceNotFoundException", self.pz.describe_dataset_group,
                            datasetGroupArn=group)

    def test_filters_survive_a_restart(self):
        group = self.create_group()
        arn = self.create_filter(group)
        self.restart()
        self.assertEqual(self.describe(arn)["filterExpression"], CLICKED)
        self.assertEqual(self.describe(arn)["status"], "ACTIVE")


class SlowFilterLifecycleTest(ServerTestCase):
    server_args = ("--lifecycle-delay-ms", "300")

    def test_statuses_and_inactive_group(self):
        group = self.pz.create_dataset_group(name=uniq("slow"))["datasetGroupArn"]
        self.assertApiError("ResourceInUseException", self.pz.create_filter, name=uniq("early"),
                            datasetGroupArn=group, filterExpression=CLICKED,
                            contains="not ACTIVE")
        self.wait_group(group)
        arn = self.pz.create_filter(name=uniq("slow"), datasetGroupArn=group,
                                    filterExpression=CLICKED)["filterArn"]
        seen = wait_for_status(lambda: self.pz.describe_filter(filterArn=arn)["filter"],
                               "ACTIVE")["_seen"]
        self.assertEqual(seen, ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"])
        self.pz.delete_filter(filterArn=arn)
        self.assertApiError("ResourceInUseException", self.pz.delete_filter, filterArn=arn,
                            contains="already being deleted")
        wait_until_gone(lambda: self.pz.describe_filter(filterArn=arn)["filter"])
