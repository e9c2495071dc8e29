"""TagResource / UntagResource / ListTagsForResource, and tags given at creation."""

from harness import ARN_PREFIX, ServerTestCase, good_interactions, interactions_csv, uniq


def tags(n, prefix="k"):
    return [{"tagKey": f"{prefix}{i}", "tagValue": f"v{i}"} for i in range(n)]


class TagTest(ServerTestCase):
    def listed(self, arn):
        return {t["tagKey"]: t["tagValue"]
                for t in self.pz.list_tags_for_resource(resourceArn=arn)["tags"]}

    def test_tags_at_creation_and_after(self):
        arn = self.create_group(tags=[{"tagKey": "team", "tagValue": "recs"}])
        self.assertEqual(self.listed(arn), {"team": "recs"})
        self.pz.tag_resource(resourceArn=arn, tags=[{"tagKey": "env", "tagValue": "test"},
                                                    {"tagKey": "team", "tagValue": "search"}])
        self.assertEqual(self.listed(arn), {"team": "search", "env": "test"})
        self.pz.untag_resource(resourceArn=arn, tagKeys=["team", "never-set"])
        self.assertEqual(self.listed(arn), {"env": "test"})

    def test_dataset_and_import_job_tags(self):
        group = self.create_group()
        dataset = self.create_dataset(group, "Interactions",
                                      tags=[{"tagKey": "kind", "tagValue": "clicks"}])
        self.assertEqual(self.listed(dataset), {"kind": "clicks"})
        loc = self.put_s3(f"{uniq('t')}.csv", interactions_csv(good_interactions(3)))
        job = self.start_import(dataset, loc, tags=[{"tagKey": "run", "tagValue": "1"}])
        self.assertEqual(self.listed(job), {"run": "1"})
        self.wait_import(job)
        self.assertEqual(self.listed(group), {})

    def test_fifty_is_the_limit(self):
        arn = self.create_group(tags=tags(40))
        self.pz.tag_resource(resourceArn=arn, tags=tags(10, "more"))
        self.assertEqual(len(self.listed(arn)), 50)
        self.pz.tag_resource(resourceArn=arn, tags=[{"tagKey": "k0", "tagValue": "new"}])
        self.assertEqual(self.listed(arn)["k0"], "new")
        self.assertApiError("TooManyTagsException", self.pz.tag_resource, resourceArn=arn,
                            tags=[{"tagKey": "straw", "tagValue": "camel"}])
        self.assertEqual(len(self.listed(arn)), 50)
        self.assertNotIn("straw", self.listed(arn))

    def test_too_many_at_creation(self):
        name = uniq("crowded")
        self.assertApiError("TooManyTagsException", self.pz.create_dataset_group, name=name,
                            tags=tags(51))
        self.assertApiError("ResourceNotFoundException", self.pz.describe_dataset_group,
                            datasetGroupArn=f"{ARN_PREFIX}dataset-group/{name}")

    def test_unknown_resource(self):
        ghost = f"{ARN_PREFIX}dataset-group/{uniq('ghost')}"
        self.assertApiError("ResourceNotFoundException", self.pz.list_tags_for_resource,
                            resourceArn=ghost)
        self.assertApiError("ResourceNotFoundException", self.pz.tag_resource,
                            resourceArn=ghost, tags=tags(1))
        self.assertApiError("ResourceNotFoundException", self.pz.untag_resource,
                            resourceArn=ghost, tagKeys=["k0"])
