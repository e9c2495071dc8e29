#include "data/dataset_schema.h"

#include <gtest/gtest.h>

#include <string>

namespace kindred {
namespace {

// Builds a schema text from a record name and the JSON of its fields.
std::string Record(const std::string& name, const std::string& fields) {
  return R"({"type":"record","name":")" + name +
         R"(","namespace":"com.amazonaws.personalize.schema","fields":[)" + fields +
         R"(],"version":"1.0"})";
}

// Field JSON snippets.
std::string F(const std::string& name, const std::string& type, const std::string& extra = "") {
  return R"({"name":")" + name + R"(","type":)" + type + extra + "}";
}

const std::string kUserId = F("USER_ID", R"("string")");
const std::string kItemId = F("ITEM_ID", R"("string")");
const std::string kTimestamp = F("TIMESTAMP", R"("long")");
const std::string kInteractionsCore = kUserId + "," + kItemId + "," + kTimestamp;

// Parses then checks; returns the first failure.
Status ParseAndCheck(const std::string& text, DatasetType type) {
  Result<DatasetSchema> schema = ParseAvroSchema(text);
  if (!schema.ok()) return schema.status();
  return CheckSchemaForDatasetType(*schema, type);
}

// Expects kInvalidInput whose message mentions every string in `needles`.
void ExpectInvalid(const Status& status, std::initializer_list<std::string> needles) {
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kInvalidInput);
  for (const std::string& needle : needles) {
    EXPECT_NE(status.message().find(needle), std::string::npos)
        << "message \"" << status.message() << "\" lacks \"" << needle << "\"";
  }
}

TEST(DatasetTypeTest, NamesRoundTripCaseInsensitively) {
  EXPECT_EQ(DatasetTypeName(DatasetType::kInteractions), "Interactions");
  EXPECT_EQ(ParseDatasetType("INTERACTIONS"), DatasetType::kInteractions);
  EXPECT_EQ(ParseDatasetType("items"), DatasetType::kItems);
  EXPECT_EQ(ParseDatasetType("Users"), DatasetType::kUsers);
  EXPECT_EQ(ParseDatasetType("Actions"), std::nullopt);
  EXPECT_EQ(ParseDatasetType("User"), std::nullopt);
}

TEST(ParseAvroSchemaTest, GuideInteractionsExampleParsesWithTypesAndFlags) {
  std::string text = R"({
    "type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
    "fields": [
      {"name": "USER_ID", "type": "string"},
      {"name": "ITEM_ID", "type": "string"},
      {"name": "EVENT_TYPE", "type": "string"},
      {"name": "EVENT_VALUE", "type": ["float", "null"]},
      {"name": "LOCATION", "type": "string", "categorical": true},
      {"name": "DEVICE", "type": ["string", "null"], "categorical": true},
      {"name": "TIMESTAMP", "type": "long"},
      {"name": "IMPRESSION", "type": "string"}
    ],
    "version": "1.0"})";
  Result<DatasetSchema> schema = ParseAvroSchema(text);
  ASSERT_TRUE(schema.ok()) << schema.status().message();
  EXPECT_EQ(schema->record_name, "Interactions");
  ASSERT_EQ(schema->fields.size(), 8u);
  const SchemaField& value = schema->fields[schema->FieldIndex("EVENT_VALUE")];
  EXPECT_EQ(value.type, FieldType::kFloat);
  EXPECT_TRUE(value.nullable);
  const SchemaField& device = schema->fields[schema->FieldIndex("DEVICE")];
  EXPECT_TRUE(device.categorical && device.nullable);
  EXPECT_EQ(schema->FieldIndex("TIMESTAMP"), 6);
  EXPECT_EQ(schema->FieldIndex("timestamp"), -1);
  EXPECT_TRUE(CheckSchemaForDatasetType(*schema, DatasetType::kInteractions).ok());
}

TEST(ParseAvroSchemaTest, GuideUsersAndItemsExamplesPass) {
  std::string users = Record("Users", kUserId + "," + F("AGE", R"("int")") + "," +
                                          F("GENDER", R"("string")", R"(,"categorical":true)"));
  EXPECT_TRUE(ParseAndCheck(users, DatasetType::kUsers).ok());
  std::string items = Record(
      "Items", kItemId + "," + F("GENRES", R"(["null","string"])", R"(,"categorical":true)") + "," +
                   F("CREATION_TIMESTAMP", R"("long")") + "," +
                   F("DESCRIPTION", R"(["null","string"])", R"(,"textual":true)"));
  Result<DatasetSchema> parsed = ParseAvroSchema(items);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_TRUE(parsed->fields[3].textual);
  EXPECT_TRUE(CheckSchemaForDatasetType(*parsed, DatasetType::kItems).ok());
}

TEST(ParseAvroSchemaTest, WorkshopSchemasPass) {
  std::string interactions =
      Record("Interactions",
             kUserId + "," + kItemId + "," + F("EVENT_TYPE", R"("string")") + "," + kTimestamp);
  Status s = ParseAndCheck(interactions, DatasetType::kInteractions);
  EXPECT_TRUE(s.ok()) << s.message();
  std::string items =
      Record("Items", kItemId + "," + F("GENRE", R"("string")", R"(,"categorical":true)") + "," +
                          F("YEAR", R"("int")"));
  s = ParseAndCheck(items, DatasetType::kItems);
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(ParseAvroSchemaTest, AllPrimitiveTypesAndObjectFormParse) {
  std::string text =
      Record("Users", kUserId + "," + F("A", R"("int")") + "," + F("B", R"("long")") + "," +
                          F("C", R"("float")") + "," + F("D", R"("double")") + "," +
                          F("E", R"("boolean")") + "," + F("G", R"({"type":"double"})") + "," +
                          F("H", R"(["null",{"type":"boolean"}])"));
  Result<DatasetSchema> schema = ParseAvroSchema(text);
  ASSERT_TRUE(schema.ok()) << schema.status().message();
  std::vector<FieldType> types;
  for (const SchemaField& f : schema->fields) types.push_back(f.type);
  EXPECT_EQ(types,
            (std::vector<FieldType>{FieldType::kString, FieldType::kInt, FieldType::kLong,
                                    FieldType::kFloat, FieldType::kDouble, FieldType::kBoolean,
                                    FieldType::kDouble, FieldType::kBoolean}));
  EXPECT_TRUE(schema->fields.back().nullable);
  EXPECT_FALSE(schema->fields[1].nullable);
}

TEST(ParseAvroSchemaTest, RejectsMalformedDocuments) {
  ExpectInvalid(ParseAvroSchema("{not json").status(), {"JSON"});
  ExpectInvalid(ParseAvroSchema("[1,2]").status(), {"object"});
  ExpectInvalid(ParseAvroSchema(R"({"type":"enum","name":"Users","symbols":["A"]})").status(),
                {"record"});
  ExpectInvalid(ParseAvroSchema(R"({"type":"record","fields":[)" + kUserId + "]}").status(),
                {"name"});
  ExpectInvalid(ParseAvroSchema(R"({"type":"record","name":"Users"})").status(), {"fields"});
  ExpectInvalid(ParseAvroSchema(Record("Users", "")).status(), {"fields"});
  ExpectInvalid(
      ParseAvroSchema(R"({"type":"record","name":"Users","namespace":"com..x","fields":[)" +
                      kUserId + "]}")
          .status(),
      {"namespace"});
  ExpectInvalid(ParseAvroSchema(Record("Users", R"("USER_ID")")).status(), {"#1", "object"});
  ExpectInvalid(ParseAvroSchema(Record("Users", R"({"type":"string"})")).status(), {"#1", "name"});
  ExpectInvalid(ParseAvroSchema(Record("Users", R"({"name":"AGE"})")).status(), {"AGE", "type"});
}

TEST(ParseAvroSchemaTest, RejectsFieldNamesThatAreNotAvroNames) {
  for (const char* bad : {"1ST", "USER-ID", "user id", "ÄGE", ""}) {
    ExpectInvalid(ParseAvroSchema(Record("Users", F(bad, R"("string")"))).status(),
                  {"\"" + std::string(bad) + "\"", "Avro name"});
  }
  EXPECT_TRUE(ParseAvroSchema(Record("Users", F("_private9", R"("int")"))).ok());
}

TEST(ParseAvroSchemaTest, RejectsDuplicateAndAlphanumericallyEqualNames) {
  ExpectInvalid(ParseAvroSchema(Record("Users", kUserId + "," + F("AGE", R"("int")") + "," +
                                                    F("AGE", R"("long")")))
                    .status(),
                {"AGE", "more than once"});
  ExpectInvalid(ParseAvroSchema(Record("Items", F("GENRES_FIELD_1", R"("string")") + "," +
                                                    F("GENRESFIELD1", R"("string")")))
                    .status(),
                {"GENRES_FIELD_1", "GENRESFIELD1"});
}

TEST(ParseAvroSchemaTest, RejectsUnsupportedTypesNamingTheField) {
  const char* bad_types[] = {
      R"("bytes")",
      R"("null")",
      R"("timestamp")",
      R"({"type":"array","items":"string"})",
      R"({"type":"map","values":"string"})",
      R"({"type":"enum","name":"E","symbols":["A"]})",
      R"({"type":"fixed","name":"F","size":4})",
      R"({"type":"record","name":"R","fields":[]})",
      R"(["string","int"])",
      R"(["null","string","int"])",
      R"(["null","null"])",
      R"(["null"])",
      R"([])",
      R"(["null",{"type":"array","items":"int"}])",
      R"(42)",
  };
  for (const char* type : bad_types) {
    ExpectInvalid(ParseAvroSchema(Record("Users", kUserId + "," + F("TAGS", type))).status(),
                  {"TAGS", "unsupported type"});
  }
}

TEST(ParseAvroSchemaTest, CategoricalAndTextualOnlyOnStrings) {
  ExpectInvalid(
      ParseAvroSchema(Record("Users", F("AGE", R"("int")", R"(,"categorical":true)"))).status(),
      {"AGE", "categorical", "string"});
  ExpectInvalid(
      ParseAvroSchema(Record("Items", F("PRICE", R"("double")", R"(,"textual":true)"))).status(),
      {"PRICE", "textual", "string"});
  ExpectInvalid(ParseAvroSchema(
                    Record("Items", F("D", R"("string")", R"(,"textual":true,"categorical":true)")))
                    .status(),
                {"D", "both"});
  ExpectInvalid(
      ParseAvroSchema(Record("Users", F("G", R"("string")", R"(,"categorical":"yes")"))).status(),
      {"G", "categorical"});
  Result<DatasetSchema> off =
      ParseAvroSchema(Record("Users", F("AGE", R"("int")", R"(,"categorical":false)")));
  ASSERT_TRUE(off.ok()) << off.status().message();
  EXPECT_FALSE(off->fields[0].categorical);
}

// ---- CheckSchemaForDatasetType ----

TEST(CheckSchemaTest, RecordNameMustMatchDatasetType) {
  ExpectInvalid(ParseAndCheck(Record("Users", kInteractionsCore), DatasetType::kInteractions),
                {"\"Users\"", "Interactions"});
  ExpectInvalid(ParseAndCheck(Record("Events", kInteractionsCore), DatasetType::kInteractions),
                {"\"Events\"", "Interactions"});
  EXPECT_TRUE(
      ParseAndCheck(Record("interactions", kInteractionsCore), DatasetType::kInteractions).ok());
}

TEST(CheckSchemaTest, RequiredFieldsMustBePresent) {
  ExpectInvalid(
      ParseAndCheck(Record("Interactions", kItemId + "," + kTimestamp), DatasetType::kInteractions),
      {"USER_ID", "string"});
  ExpectInvalid(
      ParseAndCheck(Record("Interactions", kUserId + "," + kTimestamp), DatasetType::kInteractions),
      {"ITEM_ID"});
  ExpectInvalid(
      ParseAndCheck(Record("Interactions", kUserId + "," + kItemId), DatasetType::kInteractions),
      {"TIMESTAMP", "long"});
  ExpectInvalid(ParseAndCheck(Record("Items", F("GENRE", R"("string")", R"(,"categorical":true)")),
                              DatasetType::kItems),
                {"ITEM_ID"});
  ExpectInvalid(ParseAndCheck(Record("Users", F("AGE", R"("int")")), DatasetType::kUsers),
                {"USER_ID"});
}

TEST(CheckSchemaTest, RequiredFieldsMustHaveTheirTypeAndNotBeNullable) {
  ExpectInvalid(ParseAndCheck(Record("Interactions",
                                     F("USER_ID", R"("int")") + "," + kItemId + "," + kTimestamp),
                              DatasetType::kInteractions),
                {"Schema field USER_ID must be of type string", "not int"});
  ExpectInvalid(ParseAndCheck(Record("Interactions",
                                     kUserId + "," + kItemId + "," + F("TIMESTAMP", R"("int")")),
                              DatasetType::kInteractions),
                {"TIMESTAMP", "long"});
  ExpectInvalid(
      ParseAndCheck(Record("Interactions",
                           kUserId + "," + F("ITEM_ID", R"(["null","string"])") + "," + kTimestamp),
                    DatasetType::kInteractions),
      {"ITEM_ID", "nullable"});
  ExpectInvalid(
      ParseAndCheck(Record("Users", F("USER_ID", R"("string")", R"(,"categorical":true)") + "," +
                                        F("AGE", R"("int")")),
                    DatasetType::kUsers),
      {"USER_ID", "categorical"});
}

TEST(CheckSchemaTest, InteractionsReservedKeywordsHaveFixedTypes) {
  auto with = [](const std::string& field) {
    return ParseAndCheck(Record("Interactions", kInteractionsCore + "," + field),
                         DatasetType::kInteractions);
  };
  ExpectInvalid(with(F("EVENT_TYPE", R"("int")")), {"EVENT_TYPE", "string"});
  ExpectInvalid(with(F("EVENT_TYPE", R"(["null","string"])")), {"EVENT_TYPE", "nullable"});
  ExpectInvalid(with(F("EVENT_TYPE", R"("string")", R"(,"categorical":true)")),
                {"EVENT_TYPE", "categorical"});
  ExpectInvalid(with(F("EVENT_VALUE", R"("double")")), {"EVENT_VALUE", "float", "double"});
  ExpectInvalid(with(F("EVENT_VALUE", R"("string")")), {"EVENT_VALUE", "float"});
  ExpectInvalid(with(F("IMPRESSION", R"("long")")), {"IMPRESSION", "string"});
  ExpectInvalid(with(F("RECOMMENDATION_ID", R"("int")")), {"RECOMMENDATION_ID", "string"});
  ExpectInvalid(with(F("EVENT_ATTRIBUTION_SOURCE", R"("int")")),
                {"EVENT_ATTRIBUTION_SOURCE", "string"});
  for (const std::string& ok :
       {F("EVENT_VALUE", R"("float")"), F("EVENT_VALUE", R"(["null","float"])"),
        F("IMPRESSION", R"(["string","null"])"), F("RECOMMENDATION_ID", R"(["null","string"])"),
        F("EVENT_ATTRIBUTION_SOURCE", R"(["null","string"])")}) {
    Status s = with(ok);
    EXPECT_TRUE(s.ok()) << ok << ": " << s.message();
  }
}

TEST(CheckSchemaTest, InteractionsAllowAtMostFiveMetadataFields) {
  std::string fields = kInteractionsCore + "," + F("EVENT_TYPE", R"("string")") + "," +
                       F("EVENT_VALUE", R"("float")") + "," + F("IMPRESSION", R"("string")");
  for (int i = 1; i <= 5; ++i) fields += "," + F("META" + std::to_string(i), R"("int")");
  EXPECT_TRUE(ParseAndCheck(Record("Interactions", fields), DatasetType::kInteractions).ok());
  fields += "," + F("META6", R"("string")", R"(,"categorical":true)");
  ExpectInvalid(ParseAndCheck(Record("Interactions", fields), DatasetType::kInteractions),
                {"META6", "at most 5"});
}

TEST(CheckSchemaTest, TextualFieldsOnlyInItemsAndAtMostOne) {
  ExpectInvalid(
      ParseAndCheck(Record("Users", kUserId + "," + F("BIO", R"("string")", R"(,"textual":true)")),
                    DatasetType::kUsers),
      {"BIO", "textual", "Items"});
  ExpectInvalid(
      ParseAndCheck(Record("Interactions", kInteractionsCore + "," +
                                               F("NOTE", R"("string")", R"(,"textual":true)")),
                    DatasetType::kInteractions),
      {"NOTE", "textual"});
  ExpectInvalid(
      ParseAndCheck(
          Record("Items", kItemId + "," + F("TITLE", R"("string")", R"(,"textual":true)") + "," +
                              F("DESCRIPTION", R"("string")", R"(,"textual":true)")),
          DatasetType::kItems),
      {"DESCRIPTION", "at most 1 textual"});
}

TEST(CheckSchemaTest, ItemsAndUsersNeedMetadataWithinLimits) {
  ExpectInvalid(ParseAndCheck(Record("Items", kItemId), DatasetType::kItems),
                {"at least 1 metadata field", "ITEM_ID"});
  ExpectInvalid(ParseAndCheck(Record("Items", kItemId + "," + F("CREATION_TIMESTAMP", R"("long")")),
                              DatasetType::kItems),
                {"at least 1 metadata field"});
  ExpectInvalid(ParseAndCheck(Record("Users", kUserId), DatasetType::kUsers),
                {"at least 1 metadata field", "USER_ID"});
  ExpectInvalid(ParseAndCheck(Record("Items", kItemId + "," + F("CREATION_TIMESTAMP", R"("int")") +
                                                  "," + F("YEAR", R"("int")")),
                              DatasetType::kItems),
                {"CREATION_TIMESTAMP", "long"});
  ExpectInvalid(
      ParseAndCheck(Record("Items", kItemId + "," + F("CREATION_TIMESTAMP", R"(["null","long"])") +
                                        "," + F("YEAR", R"("int")")),
                    DatasetType::kItems),
      {"CREATION_TIMESTAMP", "nullable"});

  std::string users = kUserId;
  for (int i = 1; i <= 25; ++i) users += "," + F("U" + std::to_string(i), R"("int")");
  EXPECT_TRUE(ParseAndCheck(Record("Users", users), DatasetType::kUsers).ok());
  ExpectInvalid(
      ParseAndCheck(Record("Users", users + "," + F("U26", R"("int")")), DatasetType::kUsers),
      {"U26", "at most 25"});

  std::string items = kItemId + "," + F("CREATION_TIMESTAMP", R"("long")");
  for (int i = 1; i <= 100; ++i) items += "," + F("I" + std::to_string(i), R"("int")");
  EXPECT_TRUE(ParseAndCheck(Record("Items", items), DatasetType::kItems).ok());
  ExpectInvalid(
      ParseAndCheck(Record("Items", items + "," + F("I101", R"("int")")), DatasetType::kItems),
      {"I101", "at most 100"});
}

TEST(CheckSchemaTest, OtherTypesKeywordsAreOrdinaryMetadata) {
  // CREATION_TIMESTAMP is reserved only in Items; in Users it is just a metadata field.
  Status s = ParseAndCheck(Record("Users", kUserId + "," + F("CREATION_TIMESTAMP", R"("int")")),
                           DatasetType::kUsers);
  EXPECT_TRUE(s.ok()) << s.message();
}

}  // namespace
}  // namespace kindred
