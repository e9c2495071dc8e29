#include "data/csv_importer.h"

#include <gtest/gtest.h>

#include "data/import_test_util.h"

namespace kindred {
namespace {

using testing::Field;
using testing::InteractionsSchema;
using testing::ItemsSchema;

constexpr char kKey[] = "dataset";

Row Interaction(const std::string& user, const std::string& item, int64_t ts,
                FieldValue event_type = std::string("click"), FieldValue value = {}) {
  return Row{{user, item, ts, std::move(event_type), std::move(value)}};
}

class CsvImporterTest : public testing::StoreTest {
 protected:
  ImportOutcome Import(const std::vector<std::string>& files, ImportOptions options = {},
                       const DatasetSchema& schema = InteractionsSchema(),
                       DatasetType type = DatasetType::kInteractions,
                       const std::atomic<bool>* cancel = nullptr) {
    return ImportCsvFiles(files, schema, type, *store_, kKey, options, cancel);
  }
  ImportOutcome ImportText(const std::string& csv, ImportOptions options = {}) {
    return Import({WriteFile("input.csv", csv)}, options);
  }
  ImportOutcome ImportItems(const std::string& csv, ImportOptions options = {}) {
    return Import({WriteFile("items.csv", csv)}, options, ItemsSchema(), DatasetType::kItems);
  }
  std::vector<Row> Interactions() {
    return Rows(kKey, InteractionsSchema(), DatasetType::kInteractions);
  }
  std::vector<Row> Items() { return Rows(kKey, ItemsSchema(), DatasetType::kItems); }
  std::string Path(const std::string& name) { return (dir_ / name).string(); }
};

TEST_F(CsvImporterTest, ImportsTypedRowsMatchingColumnsByName) {
  ImportOutcome out = ImportText(
      "TIMESTAMP,ITEM_ID,USER_ID,EVENT_TYPE,EVENT_VALUE\r\n"
      "100,i1,u1,click,2.5\r\n"
      "200,\"i,2\",u2,watch,\r\n");
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.report.rows_read, 2);
  EXPECT_EQ(out.report.rows_imported, 2);
  EXPECT_EQ(out.report.rows_skipped, 0);
  EXPECT_EQ(out.report.values_nulled, 0);
  EXPECT_TRUE(out.report.problems.empty());
  EXPECT_EQ(Interactions(), (std::vector<Row>{Interaction("u1", "i1", 100, "click", 2.5),
                                              Interaction("u2", "i,2", 200, "watch")}));
}

TEST_F(CsvImporterTest, IgnoresAndReportsExtraColumnsAndNullsAbsentOptionalFields) {
  ImportOutcome out = ImportText(
      "\xEF\xBB\xBFUSER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,SESSION\n"
      "u1,i1,5,click,s9\n");
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.report.ignored_columns, std::vector<std::string>{"SESSION"});
  EXPECT_EQ(Interactions(), std::vector<Row>{Interaction("u1", "i1", 5)});
}

TEST_F(CsvImporterTest, MissingColumnsFailWithPersonalizeMessage) {
  ImportOutcome out = ImportText("ITEM_ID,EVENT_TYPE\ni1,click\n");
  EXPECT_EQ(out.status.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(out.status.message(),
            "Input CSV is missing the following columns: [USER_ID, TIMESTAMP]");
  // Header names are case-sensitive.
  out = ImportText("user_id,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu,i,1,c\n");
  EXPECT_EQ(out.status.message(), "Input CSV is missing the following columns: [USER_ID]");
  EXPECT_TRUE(Interactions().empty());
}

TEST_F(CsvImporterTest, StructuralProblemsFailNamingFileAndRow) {
  std::string path = Path("input.csv");
  EXPECT_EQ(ImportText("").status.message(),
            path + " is empty: its first row must hold the column headers");
  EXPECT_EQ(ImportText("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n").status.message(),
            "Input CSV contains no data rows");
  EXPECT_EQ(
      ImportText("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu,i,1,c\nu,\"i,2,c\n").status.message(),
      path + " row 3: unterminated quoted field");
  EXPECT_EQ(
      ImportText("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu,i,1,c\nu,i\xFF,1,c\n").status.message(),
      path + " row 3: the file is not valid UTF-8");
  EXPECT_EQ(ImportText("USER_ID,ITEM_ID,USER_ID,TIMESTAMP,EVENT_TYPE\n").status.message(),
            path + " row 1: column USER_ID appears more than once");
  ImportOutcome missing = Import({Path("nope.csv")});
  EXPECT_EQ(missing.status.code(), StatusCode::kIoError);
  EXPECT_TRUE(Interactions().empty());
}

TEST_F(CsvImporterTest, SkipsBadRowsWithExactCountsAndRows) {
  std::string accented;
  for (int i = 0; i < 256; ++i) accented += "\xC3\xA9";  // 256 characters in 512 bytes
  std::string csv = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n";
  for (int i = 0; i < 60; ++i) csv += "u,i," + std::to_string(i) + ",c\n";  // rows 2-61
  csv += "u,i,abc,c\n";                            // row 62: TIMESTAMP not a long
  csv += ",i,1,c\n";                               // row 63: empty USER_ID
  csv += "u,i,1\n";                                // row 64: too few fields
  csv += "u,\"i\"x,1,c\n";                         // row 65: text after closing quote
  csv += "u," + std::string(257, 'x') + ",1,c\n";  // row 66: ITEM_ID over 256 characters
  csv += "u,i,1.5,c\n";                            // row 67: not an integer
  csv += "\n";                                     // row 68: blank, ignored
  csv += "u," + accented + ",1,c\n";               // row 69: at the limit, imported
  ImportOutcome out = ImportText(csv);
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.report.rows_read, 67);
  EXPECT_EQ(out.report.rows_imported, 61);
  EXPECT_EQ(out.report.rows_skipped, 6);
  EXPECT_EQ(out.report.values_nulled, 0);
  std::string f = Path("input.csv");
  EXPECT_EQ(out.report.problems,
            (std::vector<ImportProblem>{
                {f, 62, "TIMESTAMP", "\"abc\" is not a valid long; row skipped"},
                {f, 63, "USER_ID", "empty value in a required field; row skipped"},
                {f, 64, "", "expected 4 fields but found 3; row skipped"},
                {f, 65, "", "text follows a closing quote; row skipped"},
                {f, 66, "ITEM_ID", "value is longer than 256 characters; row skipped"},
                {f, 67, "TIMESTAMP", "\"1.5\" is not a valid long; row skipped"}}));
  EXPECT_EQ(Interactions().back(), Interaction("u", accented, 1, "c"));
}

TEST_F(CsvImporterTest, NullsBadOptionalValuesAndKeepsTheRow) {
  DatasetSchema schema = InteractionsSchema();
  schema.fields.push_back(Field("RATING", FieldType::kInt));  // not nullable
  schema.fields.push_back(Field("TAGS", FieldType::kString, true, /*categorical=*/true));
  schema.fields.push_back(Field("PREMIUM", FieldType::kBoolean, /*nullable=*/true));
  std::string csv =
      "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,RATING,TAGS,PREMIUM\n"
      "u1,i,1,c,,5,a|b,TRUE\n"         // row 2: empty nullable: fine
      "u2,i,2,,x,3000000000,,false\n"  // row 3: three values nulled
      "u3,i,3,c,1e3,," +
      std::string(1001, 't') + ",yes\n";  // row 4: three values nulled
  ImportOutcome out = Import({WriteFile("m.csv", csv)}, {}, schema);
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.report.rows_imported, 3);
  EXPECT_EQ(out.report.rows_skipped, 0);
  EXPECT_EQ(out.report.values_nulled, 6);
  std::string f = Path("m.csv");
  EXPECT_EQ(out.report.problems,
            (std::vector<ImportProblem>{
                {f, 3, "EVENT_TYPE", "empty value in a non-null field; stored as null"},
                {f, 3, "EVENT_VALUE", "\"x\" is not a valid float; stored as null"},
                {f, 3, "RATING", "\"3000000000\" is not a valid int; stored as null"},
                {f, 4, "RATING", "empty value in a non-null field; stored as null"},
                {f, 4, "TAGS", "value is longer than 1000 characters; stored as null"},
                {f, 4, "PREMIUM", "\"yes\" is not a valid boolean; stored as null"}}));
  std::vector<Row> rows = Rows(kKey, schema, DatasetType::kInteractions);
  ASSERT_EQ(rows.size(), 3u);
  using M = std::monostate;
  EXPECT_EQ(rows[0], (Row{{"u1", "i", int64_t{1}, "c", M(), int64_t{5}, "a|b", true}}));
  EXPECT_EQ(rows[1], (Row{{"u2", "i", int64_t{2}, M(), M(), M(), M(), false}}));
  EXPECT_EQ(rows[2], (Row{{"u3", "i", int64_t{3}, "c", 1000.0, M(), M(), M()}}));
}

TEST_F(CsvImporterTest, WorkshopItemsWithEmptyAndRangeYearsAreImportedWithNulls) {
  ImportOutcome out = ImportItems(
      "ITEM_ID,GENRE,YEAR\n"
      "1,Adventure|Animation|Children,1995\n"
      "2,Comedy,\n"
      "3,Documentary,2006\xE2\x80\x93"
      "2007\n");
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.report.rows_imported, 3);
  EXPECT_EQ(out.report.values_nulled, 2);
  std::string f = Path("items.csv");
  EXPECT_EQ(
      out.report.problems,
      (std::vector<ImportProblem>{{f, 3, "YEAR", "empty value in a non-null field; stored as null"},
                                  {f, 4, "YEAR",
                                   "\"2006\xE2\x80\x93"
                                   "2007\" is not a valid int; stored as null"}}));
  EXPECT_EQ(Items(), (std::vector<Row>{{{"1", "Adventure|Animation|Children", int64_t{1995}}},
                                       {{"2", "Comedy", std::monostate()}},
                                       {{"3", "Documentary", std::monostate()}}}));
}

// 10 data rows of which `bad` have an empty USER_ID.
std::string TenRows(int bad) {
  std::string csv = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n";
  for (int i = 0; i < 10; ++i) csv += (i < bad ? "" : "u") + std::string(",i,1,c\n");
  return csv;
}

TEST_F(CsvImporterTest, InvalidRowThresholdIsInclusive) {
  ImportOutcome ok = ImportText(TenRows(1));  // 10% skipped: allowed
  ASSERT_TRUE(ok.status.ok()) << ok.status.message();
  EXPECT_EQ(Interactions().size(), 9u);

  ImportOutcome over = ImportText(TenRows(2));  // 20% skipped: the job fails
  EXPECT_EQ(over.status.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(over.status.message(),
            "Too many invalid rows: 2 of 10 rows were skipped, more than 10%; first: " +
                Path("input.csv") + " row 2: empty value in a required field; row skipped");
  EXPECT_EQ(over.report.rows_skipped, 2);
  EXPECT_EQ(Interactions().size(), 9u);  // the earlier import is intact

  ImportOptions lenient;
  lenient.max_invalid_fraction = 0.25;
  EXPECT_TRUE(ImportText(TenRows(2), lenient).status.ok());
  EXPECT_EQ(Interactions().size(), 8u);
}

TEST_F(CsvImporterTest, StrictFailsOnTheFirstRowLevelProblem) {
  ImportOptions strict;
  strict.strict = true;
  ImportOutcome out = ImportItems("ITEM_ID,GENRE,YEAR\n1,A,1995\n2,B,\n3,C,x\n", strict);
  EXPECT_EQ(out.status.message(), Path("items.csv") +
                                      " row 3, column YEAR: empty value in a non-null field; "
                                      "stored as null (strict import)");
  EXPECT_EQ(out.report.problems.size(), 1u);
  EXPECT_TRUE(Items().empty());
}

TEST_F(CsvImporterTest, FullReplacesAndIncrementalAppends) {
  ASSERT_TRUE(ImportText("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\na,1,1,c\nb,2,2,c\n").status.ok());
  ASSERT_TRUE(ImportText("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nc,3,3,c\n").status.ok());
  EXPECT_EQ(Interactions(), std::vector<Row>{Interaction("c", "3", 3, "c")});
  ImportOptions inc;
  inc.mode = ImportMode::kIncremental;
  ASSERT_TRUE(ImportText("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nd,4,4,c\n", inc).status.ok());
  EXPECT_EQ(Interactions(),
            (std::vector<Row>{Interaction("c", "3", 3, "c"), Interaction("d", "4", 4, "c")}));
}

TEST_F(CsvImporterTest, IncrementalItemsUpsertById) {
  ASSERT_TRUE(ImportItems("ITEM_ID,GENRE,YEAR\n1,A,1990\n2,B,1991\n1,A2,1992\n").status.ok());
  ImportOptions inc;
  inc.mode = ImportMode::kIncremental;
  ASSERT_TRUE(ImportItems("ITEM_ID,GENRE,YEAR\n2,B2,2000\n", inc).status.ok());
  EXPECT_EQ(Items(),
            (std::vector<Row>{{{"1", "A2", int64_t{1992}}}, {{"2", "B2", int64_t{2000}}}}));
}

TEST_F(CsvImporterTest, FailedFullImportLeavesOldDataIntact) {
  ASSERT_TRUE(ImportText("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\na,1,1,c\n").status.ok());
  std::vector<std::string> keys = DataKeys();
  std::string good = WriteFile("good.csv", "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nb,2,2,c\n");
  std::string bad = WriteFile("bad.csv", "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nb,\"2,2,c\n");
  ImportOutcome out = Import({good, bad});
  EXPECT_FALSE(out.status.ok());
  EXPECT_EQ(out.report.rows_imported, 1);  // counted before the failure
  EXPECT_EQ(Interactions(), std::vector<Row>{Interaction("a", "1", 1, "c")});
  EXPECT_EQ(DataKeys(), keys);
}

TEST_F(CsvImporterTest, CancelledImportLeavesNothing) {
  ASSERT_TRUE(ImportText("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\na,1,1,c\n").status.ok());
  std::vector<std::string> keys = DataKeys();
  std::string csv = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n";
  for (int i = 0; i < 10000; ++i) csv += "u" + std::to_string(i) + ",i,1,c\n";
  std::atomic<bool> cancel{true};
  ImportOutcome out = Import({WriteFile("big.csv", csv)}, {}, InteractionsSchema(),
                             DatasetType::kInteractions, &cancel);
  EXPECT_EQ(out.status.message(), "The import was cancelled");
  EXPECT_EQ(Interactions(), std::vector<Row>{Interaction("a", "1", 1, "c")});
  EXPECT_EQ(DataKeys(), keys);
}

TEST_F(CsvImporterTest, SeveralFilesAreNumberedSeparatelyAndProblemsAreCapped) {
  std::string a = WriteFile("a.csv", "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu,i,1,c\nu,i,x,c\n");
  std::string csv = "ITEM_ID,EVENT_TYPE,USER_ID,TIMESTAMP\n";
  for (int i = 0; i < 300; ++i) {  // every 20th row skipped, 30 values nulled
    csv += std::string("i,") + (i % 10 == 5 ? "" : "c") + ",u," + (i % 20 == 0 ? "" : "1") + "\n";
  }
  std::string b = WriteFile("b.csv", csv);
  ImportOutcome out = Import({a, b});
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.report.rows_read, 302);
  EXPECT_EQ(out.report.rows_skipped, 16);
  EXPECT_EQ(out.report.rows_imported, 286);
  EXPECT_EQ(out.report.values_nulled, 30);
  ASSERT_EQ(out.report.problems.size(), kMaxReportedProblems);
  EXPECT_EQ(out.report.problems[0].file, a);
  EXPECT_EQ(out.report.problems[0].row, 3);
  EXPECT_EQ(out.report.problems[1].file, b);
  EXPECT_EQ(out.report.problems[1].row, 2);
  EXPECT_EQ(out.report.problems[2].row, 7);
  EXPECT_EQ(out.report.problems[2].column, "EVENT_TYPE");
}

TEST_F(CsvImporterTest, ReportRendersAsJsonAndText) {
  ImportOutcome out = ImportItems("ITEM_ID,GENRE,YEAR,EXTRA\n1,A,x,e\n");
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  nlohmann::json j = ImportReportToJson(out.report);
  std::string f = Path("items.csv");
  EXPECT_EQ(j, nlohmann::json::parse(R"({"rowsRead":1,"rowsImported":1,"rowsSkipped":0,
      "valuesNulled":1,"ignoredColumns":["EXTRA"],"problems":[{"file":")" +
                                     f +
                                     R"(","row":2,"column":"YEAR",
      "reason":"\"x\" is not a valid int; stored as null"}]})"));
  EXPECT_EQ(FormatImportReport(j),
            "Rows read: 1, imported: 1, skipped: 0, values stored as null: 1\n"
            "Columns not in the schema (ignored): EXTRA\n"
            "Problems (first 20 at most):\n"
            "  " +
                f + " row 2, column YEAR: \"x\" is not a valid int; stored as null\n");
}

}  // namespace
}  // namespace kindred
