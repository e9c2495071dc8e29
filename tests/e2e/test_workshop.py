"""The AWS Personalize workshop's item-meta.csv: real dirty data, imported like a user would."""

import os
import shutil

from harness import FIXTURES, ITEMS_SCHEMA, ServerTestCase

WORKSHOP_CSV = os.path.join(FIXTURES, "personalize-poc", "item-meta.csv")

# Records (header = row 1) whose YEAR is not an int: 12 are empty, one is "2006–2007".
EMPTY_YEAR_ROWS = [6061, 9033, 9093, 9140, 9181, 9261, 9369, 9450, 9516, 9517, 9527, 9613]
RANGE_YEAR_ROW = 9520


class WorkshopItemsTest(ServerTestCase):
    def test_item_meta_imports_with_thirteen_problems(self):
        group = self.create_group()
        dataset = self.create_dataset(group, "Items", self.create_schema(ITEMS_SCHEMA))
        target = os.path.join(self.server.s3_root, "workshop", "item-meta.csv")
        os.makedirs(os.path.dirname(target))
        shutil.copyfile(WORKSHOP_CSV, target)

        job = self.run_import(dataset, "s3://workshop/item-meta.csv", timeout=120)
        report = job["importReport"]
        self.assertEqual(report["rowsRead"], 9742, report)
        self.assertEqual(report["rowsImported"], 9742, report)
        self.assertEqual(report["rowsSkipped"], 0, report)
        self.assertEqual(report["valuesNulled"], 13, report)
        problems = report["problems"]
        self.assertEqual(len(problems), 13, problems)
        self.assertEqual(sorted(p["row"] for p in problems),
                         sorted(EMPTY_YEAR_ROWS + [RANGE_YEAR_ROW]))
        self.assertEqual({p["column"] for p in problems}, {"YEAR"})
        self.assertTrue(all(p["file"].endswith("item-meta.csv") for p in problems), problems)
        self.assertTrue(all(p["reason"] for p in problems), problems)
        self.assertEqual(self.row_count(dataset), 9742)
