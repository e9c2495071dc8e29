"""CreateSchema / DescribeSchema / ListSchemas / DeleteSchema, and schema errors found at CreateDataset."""

import copy
import json

from botocore.exceptions import ClientError

from harness import (ARN_PREFIX, INTERACTIONS_SCHEMA, ITEMS_SCHEMA, USERS_SCHEMA, ServerTestCase,
                     uniq, wait_until_gone)


def with_fields(schema, fields):
    s = copy.deepcopy(schema)
    s["fields"] = fields
    return s


class SchemaTest(ServerTestCase):
    def test_create_describe_round_trip(self):
        name = uniq("interactions")
        arn = self.create_schema(INTERACTIONS_SCHEMA, name=name)
        self.assertEqual(arn, f"{ARN_PREFIX}schema/{name}")
        schema = self.pz.describe_schema(schemaArn=arn)["schema"]
        self.assertEqual(schema["name"], name)
        self.assertEqual(schema["schemaArn"], arn)
        self.assertEqual(json.loads(schema["schema"]), INTERACTIONS_SCHEMA)
        self.assertIn("creationDateTime", schema)
        self.assertIn("lastUpdatedDateTime", schema)

    def test_duplicate_name(self):
        name = uniq("dup")
        self.create_schema(name=name)
        self.assertApiError("ResourceAlreadyExistsException", self.pz.create_schema,
                            name=name, schema=json.dumps(ITEMS_SCHEMA))

    def test_bad_name(self):
        self.assertApiError("InvalidInputException", self.pz.create_schema, name="bad name",
                            schema=json.dumps(ITEMS_SCHEMA), contains="name")

    def test_schema_not_json(self):
        self.assertApiError("InvalidInputException", self.pz.create_schema, name=uniq("s"),
                            schema='{"type": "record", "fields": [')

    def test_schema_not_a_record(self):
        self.assertApiError("InvalidInputException", self.pz.create_schema, name=uniq("s"),
                            schema=json.dumps({"type": "string"}))

    def test_unknown_field_type_names_field(self):
        bad = with_fields(ITEMS_SCHEMA, [{"name": "ITEM_ID", "type": "string"},
                                         {"name": "PRICE", "type": "strng"}])
        self.assertApiError("InvalidInputException", self.pz.create_schema, name=uniq("s"),
                            schema=json.dumps(bad), contains="PRICE")

    def test_unknown_schema(self):
        self.assertApiError("ResourceNotFoundException", self.pz.describe_schema,
                            schemaArn=f"{ARN_PREFIX}schema/{uniq('nope')}")
        self.assertApiError("ResourceNotFoundException", self.pz.delete_schema,
                            schemaArn=f"{ARN_PREFIX}schema/{uniq('nope')}")

    def test_list_paginates(self):
        names = {uniq("page") for _ in range(5)}
        for n in names:
            self.create_schema(USERS_SCHEMA, name=n)
        seen, token, pages = [], None, 0
        while True:
            kwargs = {"maxResults": 2}
            if token:
                kwargs["nextToken"] = token
            page = self.pz.list_schemas(**kwargs)
            pages += 1
            self.assertLessEqual(len(page["schemas"]), 2)
            seen += [s["name"] for s in page["schemas"]]
            token = page.get("nextToken")
            if not token:
                break
            self.assertLess(pages, 100, "pagination does not end")
        self.assertEqual(len(seen), len(set(seen)), f"a schema was listed twice: {seen}")
        self.assertTrue(names <= set(seen), f"missing from ListSchemas: {names - set(seen)}")
        self.assertGreaterEqual(pages, 3)

    def test_list_bogus_next_token(self):
        self.assertApiError("InvalidNextTokenException", self.pz.list_schemas,
                            nextToken="not-a-token-kindred-ever-made")

    def test_delete(self):
        arn = self.create_schema()
        self.pz.delete_schema(schemaArn=arn)
        wait_until_gone(lambda: self.pz.describe_schema(schemaArn=arn)["schema"])
        names = [s["schemaArn"] for s in self.pz.list_schemas(maxResults=100)["schemas"]]
        self.assertNotIn(arn, names)

    def test_delete_schema_in_use(self):
        group = self.create_group()
        schema = self.create_schema()
        self.create_dataset(group, "Interactions", schema)
        self.assertApiError("ResourceInUseException", self.pz.delete_schema, schemaArn=schema)
        self.pz.describe_schema(schemaArn=schema)  # still there


class SchemaForDatasetTypeTest(ServerTestCase):
    """A schema that is valid Avro but wrong for a dataset type is refused, naming the field.

    Personalize checks the required fields when the schema meets a dataset type (CreateDataset);
    kindred may also refuse it earlier, at CreateSchema. Either way: InvalidInputException.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.group = cls.pz.create_dataset_group(name=uniq("schemas"))["datasetGroupArn"]

    def setUp(self):
        self.wait_group(self.group)

    def assertRefusedFor(self, schema, dataset_type, field):
        try:
            arn = self.pz.create_schema(name=uniq("s"), schema=json.dumps(schema))["schemaArn"]
        except ClientError as e:
            self.assertEqual(e.response["Error"]["Code"], "InvalidInputException")
            self.assertIn(field, e.response["Error"]["Message"])
            return
        self.assertApiError("InvalidInputException", self.pz.create_dataset, name=uniq("ds"),
                            schemaArn=arn, datasetGroupArn=self.group, datasetType=dataset_type,
                            contains=field)

    def test_interactions_without_user_id(self):
        fields = [f for f in INTERACTIONS_SCHEMA["fields"] if f["name"] != "USER_ID"]
        self.assertRefusedFor(with_fields(INTERACTIONS_SCHEMA, fields), "Interactions", "USER_ID")

    def test_interactions_timestamp_of_wrong_type(self):
        fields = [dict(f, type="string") if f["name"] == "TIMESTAMP" else f
                  for f in INTERACTIONS_SCHEMA["fields"]]
        self.assertRefusedFor(with_fields(INTERACTIONS_SCHEMA, fields), "Interactions",
                              "TIMESTAMP")

    def test_items_schema_used_for_users(self):
        arn = self.create_schema(ITEMS_SCHEMA)
        self.assertApiError("InvalidInputException", self.pz.create_dataset, name=uniq("ds"),
                            schemaArn=arn, datasetGroupArn=self.group, datasetType="Users",
                            contains="Users")
