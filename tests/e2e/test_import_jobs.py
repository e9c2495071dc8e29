"""CreateDatasetImportJob / DescribeDatasetImportJob / ListDatasetImportJobs on clean and dirty CSV."""

import os

from botocore.exceptions import ClientError

from harness import (ARN_PREFIX, ROLE_ARN, ServerTestCase, good_interactions, interactions_csv,
                     uniq, wait_for_status)

ITEMS_HEADER = "ITEM_ID,GENRE,YEAR"
USERS_HEADER = "USER_ID,AGE,GENDER"


class ImportHappyPathTest(ServerTestCase):
    def test_single_s3_file(self):
        _, dataset = self.new_dataset()
        loc = self.put_s3(f"{uniq('one')}/interactions.csv", interactions_csv(good_interactions(50)))
        name = uniq("job")
        arn = self.start_import(dataset, loc, name=name)
        self.assertEqual(arn, f"{ARN_PREFIX}dataset-import-job/{name}")
        job = self.wait_import(arn)
        self.assertEqual(job["jobName"], name)
        self.assertEqual(job["datasetImportJobArn"], arn)
        self.assertEqual(job["datasetArn"], dataset)
        self.assertEqual(job["dataSource"], {"dataLocation": loc})
        self.assertNotIn("failureReason", job)
        report = {k: job["importReport"].get(k) for k in
                  ("rowsRead", "rowsImported", "rowsSkipped", "valuesNulled", "problems")}
        self.assertEqual(report, {"rowsRead": 50, "rowsImported": 50, "rowsSkipped": 0,
                                  "valuesNulled": 0, "problems": []})
        self.assertEqual(self.row_count(dataset), 50)
        # boto3 sees the Personalize fields.
        described = self.pz.describe_dataset_import_job(datasetImportJobArn=arn)
        self.assertEqual(described["datasetImportJob"]["status"], "ACTIVE")
        self.assertEqual(described["datasetImportJob"]["importMode"], "FULL")

    def test_s3_prefix_reads_every_csv(self):
        _, dataset = self.new_dataset()
        folder = uniq("folder")
        self.put_s3(f"{folder}/part-1.csv", interactions_csv(good_interactions(30)))
        self.put_s3(f"{folder}/part-2.csv", interactions_csv(good_interactions(12, 100)))
        self.put_s3(f"{folder}/README.txt", "not a CSV, \"must be ignored\n\xff")
        self.put_s3(f"{folder}-sibling/part-3.csv", interactions_csv(good_interactions(7)))
        job = self.run_import(dataset, f"s3://e2e/{folder}/")
        self.assertEqual(job["importReport"]["rowsRead"], 42)
        self.assertEqual(job["importReport"]["rowsImported"], 42)
        self.assertEqual(self.row_count(dataset), 42)

    def test_file_url(self):
        _, dataset = self.new_dataset("Users")
        path = os.path.join(self.server.tmp, f"{uniq('users')}.csv")
        with open(path, "w") as f:
            f.write(f"{USERS_HEADER}\nu1,31,f\nu2,,m\nu3,44,x\n")
        job = self.run_import(dataset, f"file://{path}")
        self.assertEqual(job["importReport"]["rowsImported"], 3)
        self.assertEqual(job["importReport"]["valuesNulled"], 0)  # empty AGE is a legal null
        self.assertEqual(self.row_count(dataset), 3)

    def test_users_row_count_is_distinct_ids(self):
        _, dataset = self.new_dataset("Users")
        csv = f"{USERS_HEADER}\nu1,31,f\nu2,40,m\nu1,32,f\nu3,,x\nu2,41,m\n"
        job = self.run_import(dataset, self.put_s3(f"{uniq('users')}.csv", csv))
        self.assertEqual(job["importReport"]["rowsRead"], 5)
        self.assertEqual(self.row_count(dataset), 3)

    def test_full_then_incremental_interactions(self):
        _, dataset = self.new_dataset()
        key = uniq("inc")
        self.run_import(dataset, self.put_s3(f"{key}/a.csv",
                                             interactions_csv(good_interactions(30))))
        self.assertEqual(self.row_count(dataset), 30)
        job = self.run_import(dataset, self.put_s3(f"{key}/b.csv",
                                                   interactions_csv(good_interactions(20, 500))),
                              mode="INCREMENTAL")
        self.assertEqual(job["importMode"], "INCREMENTAL")
        self.assertEqual(self.row_count(dataset), 50)
        self.run_import(dataset, self.put_s3(f"{key}/c.csv",
                                             interactions_csv(good_interactions(10))),
                        mode="FULL")
        self.assertEqual(self.row_count(dataset), 10)

    def test_incremental_items_upsert_by_id(self):
        _, dataset = self.new_dataset("Items")
        key = uniq("items")
        first = "\n".join([ITEMS_HEADER] + [f"i{n},Drama,{1990 + n}" for n in range(5)]) + "\n"
        self.run_import(dataset, self.put_s3(f"{key}/a.csv", first))
        self.assertEqual(self.row_count(dataset), 5)
        second = "\n".join([ITEMS_HEADER, "i0,Comedy,2001", "i4,Horror,2002", "i5,Drama,2003",
                            "i6,Drama,2004", "i7,Drama,2005"]) + "\n"
        job = self.run_import(dataset, self.put_s3(f"{key}/b.csv", second), mode="INCREMENTAL")
        self.assertEqual(job["importReport"]["rowsImported"], 5)
        self.assertEqual(self.row_count(dataset), 8)

    def test_quoted_fields_and_crlf(self):
        _, dataset = self.new_dataset("Items")
        csv = ('ITEM_ID,GENRE,YEAR\r\n"i1","Action|Sci-Fi",1999\r\n'
               '"i,2","Drama ""quoted""",2000\r\n"i3","multi\nline",2001\r\n')
        job = self.run_import(dataset, self.put_s3(f"{uniq('q')}.csv", csv))
        self.assertEqual(job["importReport"]["rowsImported"], 3, job["importReport"])
        self.assertEqual(self.row_count(dataset), 3)

    def test_list_import_jobs(self):
        _, dataset = self.new_dataset()
        loc = self.put_s3(f"{uniq('list')}.csv", interactions_csv(good_interactions(5)))
        arns = set()
        for _ in range(3):
            arn = self.start_import(dataset, loc)
            self.wait_import(arn)  # one import at a time per dataset
            arns.add(arn)
        listed = self.pz.list_dataset_import_jobs(datasetArn=dataset, maxResults=2)
        self.assertEqual(len(listed["datasetImportJobs"]), 2)
        rest = self.pz.list_dataset_import_jobs(datasetArn=dataset, maxResults=2,
                                                nextToken=listed["nextToken"])
        got = {j["datasetImportJobArn"] for j in listed["datasetImportJobs"]
               + rest["datasetImportJobs"]}
        self.assertEqual(got, arns)
        self.assertNotIn("nextToken", rest)
        self.assertTrue(all(j["status"] == "ACTIVE" for j in rest["datasetImportJobs"]))
        self.assertApiError("InvalidNextTokenException", self.pz.list_dataset_import_jobs,
                            datasetArn=dataset, nextToken="nope")

    def test_one_import_at_a_time(self):
        _, dataset = self.new_dataset()
        big = self.put_s3(f"{uniq('busy')}/a.csv", interactions_csv(good_interactions(200_000)))
        small = self.put_s3(f"{uniq('busy')}/b.csv", interactions_csv(good_interactions(3)))
        call = {"datasetArn": dataset, "roleArn": ROLE_ARN}
        first, second = self.server.pipelined([
            ("CreateDatasetImportJob", dict(call, jobName=uniq("a"),
                                            dataSource={"dataLocation": big})),
            ("CreateDatasetImportJob", dict(call, jobName=uniq("b"),
                                            dataSource={"dataLocation": small}))])
        self.assertEqual(first.status, 200, first)
        self.assertRawError(second, "ResourceInUseException")
        self.wait_import(first.json()["datasetImportJobArn"])
        self.assertEqual(self.row_count(dataset), 200_000)

    def test_duplicate_job_name_and_unknown_dataset(self):
        _, dataset = self.new_dataset()
        loc = self.put_s3(f"{uniq('dup')}.csv", interactions_csv(good_interactions(3)))
        name = uniq("job")
        self.wait_import(self.start_import(dataset, loc, name=name))
        self.assertApiError("ResourceAlreadyExistsException", self.start_import, dataset, loc,
                            name=name)
        self.assertApiError("ResourceNotFoundException", self.start_import,
                            f"{ARN_PREFIX}dataset/{uniq('ghost')}/INTERACTIONS", loc)
        self.assertApiError("ResourceNotFoundException", self.pz.describe_dataset_import_job,
                            datasetImportJobArn=f"{ARN_PREFIX}dataset-import-job/{uniq('x')}")
        self.assertApiError("InvalidInputException", self.start_import, dataset, loc,
                            name="bad name", contains="name")


class ImportDirtyRowsTest(ServerTestCase):
    """Row-level problems are skipped or nulled and reported; the job still becomes ACTIVE."""

    def test_bad_rows_skipped_bad_optional_value_nulled(self):
        _, dataset = self.new_dataset()
        rows = [",".join(map(str, r)) for r in good_interactions(30)]
        rows[3] = ",i1,1600000003,click,"           # empty USER_ID -> skipped (record 5)
        rows[10] = "u10,i1,yesterday,click,"         # ill-typed TIMESTAMP -> skipped (record 12)
        rows[20] = "u20,i1,1600000020,click,lots"   # bad optional EVENT_VALUE -> nulled (22)
        job = self.run_import(dataset, self.put_s3(f"{uniq('dirty')}.csv",
                                                   interactions_csv(rows)))
        report = job["importReport"]
        self.assertEqual((report["rowsRead"], report["rowsImported"], report["rowsSkipped"],
                          report["valuesNulled"]), (30, 28, 2, 1), report)
        where = sorted((p["row"], p["column"]) for p in report["problems"])
        self.assertEqual(where, [(5, "USER_ID"), (12, "TIMESTAMP"), (22, "EVENT_VALUE")])
        for p in report["problems"]:
            self.assertTrue(p["file"].endswith(".csv"), p)
            self.assertTrue(p["reason"], p)
        self.assertEqual(self.row_count(dataset), 28)

    def test_only_first_twenty_problems_listed(self):
        _, dataset = self.new_dataset("Items")
        lines = [ITEMS_HEADER] + [f"i{n},Drama,{'abc' if n < 25 else 2000}" for n in range(60)]
        job = self.run_import(dataset, self.put_s3(f"{uniq('many')}.csv", "\n".join(lines)))
        report = job["importReport"]
        self.assertEqual(report["valuesNulled"], 25)
        self.assertEqual(report["rowsImported"], 60)
        self.assertEqual(len(report["problems"]), 20)
        self.assertEqual([p["row"] for p in report["problems"]], list(range(2, 22)))


class ImportFailureTest(ServerTestCase):
    """Structural problems fail the job with a failureReason, and leave earlier data alone."""

    def setUp(self):
        _, self.dataset = self.new_dataset()
        self.run_import(self.dataset, self.put_s3(f"{uniq('base')}.csv",
                                                  interactions_csv(good_interactions(10))))

    def assertFails(self, location, *needles, any_of=()):
        job = self.run_import(self.dataset, location, want="CREATE FAILED")
        reason = job.get("failureReason", "")
        for needle in needles:
            self.assertIn(needle, reason)
        if any_of:
            self.assertTrue(any(n in reason.lower() for n in any_of),
                            f"failureReason {reason!r} should mention one of {any_of}")
        self.assertEqual(self.row_count(self.dataset), 10, "a failed import changed the data")
        return job

    def test_missing_file(self):
        key = f"{uniq('absent')}/nothing-here.csv"
        self.assertFails(f"s3://e2e/{key}", "nothing-here.csv")

    def test_missing_file_url(self):
        self.assertFails(f"file://{self.server.tmp}/no-such-file.csv", "no-such-file.csv")

    def test_empty_prefix(self):
        folder = uniq("empty")
        os.makedirs(os.path.join(self.server.s3_root, "e2e", folder))
        self.assertFails(f"s3://e2e/{folder}/", folder)

    def test_missing_required_columns(self):
        csv = "USER_ID,ITEM_ID,EVENT_TYPE\nu1,i1,click\n"
        job = self.assertFails(self.put_s3(f"{uniq('cols')}.csv", csv),
                               "Input CSV is missing the following columns", "TIMESTAMP")
        self.assertNotIn("USER_ID", job["failureReason"].split("columns")[-1])

    def test_unterminated_quote(self):
        csv = interactions_csv(good_interactions(5) + ['u9,"i9,1600000009,click,'])
        self.assertFails(self.put_s3(f"{uniq('quote')}.csv", csv), any_of=("quote",))

    def test_invalid_utf8(self):
        csv = interactions_csv(good_interactions(5)).encode() + b"u\xff\xfe,i1,1600000000,click,\n"
        self.assertFails(self.put_s3(f"{uniq('utf8')}.csv", csv), any_of=("utf-8", "utf8"))

    def test_too_many_invalid_rows(self):
        rows = [",".join(map(str, r)) for r in good_interactions(20)]
        for i in (1, 5, 9):  # 3 of 20 = 15% > 10%
            rows[i] = f"u{i},i1,not-a-time,click,"
        self.assertFails(self.put_s3(f"{uniq('invalid')}.csv", interactions_csv(rows)),
                         any_of=("invalid", "10%", "0.1", "too many", "skipped"))


class ImportTooManyInvalidConfigTest(ServerTestCase):
    """--import-max-invalid-fraction moves the threshold."""

    server_args = ("--import-max-invalid-fraction", "0.5")

    def test_threshold_from_flag(self):
        _, dataset = self.new_dataset()
        rows = [",".join(map(str, r)) for r in good_interactions(20)]
        for i in range(6):  # 30%: over the default, under 50%
            rows[i] = f"u{i},i1,not-a-time,click,"
        job = self.run_import(dataset, self.put_s3(f"{uniq('lenient')}.csv",
                                                   interactions_csv(rows)))
        self.assertEqual(job["importReport"]["rowsSkipped"], 6)
        self.assertEqual(self.row_count(dataset), 14)


class ImportNeedsActiveDatasetTest(ServerTestCase):
    def test_import_into_deleted_dataset(self):
        _, dataset = self.new_dataset()
        self.pz.delete_dataset(datasetArn=dataset)
        loc = self.put_s3(f"{uniq('late')}.csv", interactions_csv(good_interactions(3)))
        try:
            self.start_import(dataset, loc)
        except ClientError as e:
            code = e.response["Error"]["Code"]
            self.assertIn(code, ("ResourceInUseException", "ResourceNotFoundException"))
            return
        self.fail("an import job was accepted for a dataset being deleted")


class ImportLifecycleTest(ServerTestCase):
    # Each status transition waits 400 ms, as Personalize's provisioning takes time.
    server_args = ("--lifecycle-delay-ms", "400")

    def test_statuses_progress_in_order(self):
        _, dataset = self.new_dataset()
        loc = self.put_s3(f"{uniq('order')}.csv", interactions_csv(good_interactions(200)))
        arn = self.start_import(dataset, loc)
        job = wait_for_status(
            lambda: self.pz.describe_dataset_import_job(
                datasetImportJobArn=arn)["datasetImportJob"], "ACTIVE", 60, interval=0.01)
        self.assertEqual(job["_seen"][0], "CREATE PENDING")
        order = ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"]
        self.assertEqual(job["_seen"], sorted(job["_seen"], key=order.index), job["_seen"])

    def test_dataset_not_active_yet(self):
        loc = self.put_s3(f"{uniq('young')}.csv", interactions_csv(good_interactions(3)))
        group = self.create_group()
        dataset = self.pz.create_dataset(name=uniq("ds"), schemaArn=self.create_schema(),
                                         datasetGroupArn=group,
                                         datasetType="Interactions")["datasetArn"]
        job_call = {"jobName": uniq("job"), "datasetArn": dataset, "roleArn": ROLE_ARN,
                    "dataSource": {"dataLocation": loc}}
        self.assertApiError("ResourceInUseException", self.pz.create_dataset_import_job,
                            contains=("not ACTIVE",), **job_call)
        wait_for_status(lambda: self.pz.describe_dataset(datasetArn=dataset)["dataset"],
                        "ACTIVE")
        self.wait_import(self.pz.create_dataset_import_job(**job_call)["datasetImportJobArn"])
