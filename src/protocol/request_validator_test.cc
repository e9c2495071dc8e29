#include "protocol/request_validator.h"

#include <gtest/gtest.h>

#include <string>

namespace kindred {
namespace {

using Json = nlohmann::json;

constexpr char kDatasetGroupArn[] = "arn:aws:personalize:us-east-1:123456789012:dataset-group/dg";
constexpr char kRoleArn[] = "arn:aws:iam::123456789012:role/PersonalizeRole";

// The failure for `input` to `operation` of `model`, or nullopt when it is valid.
std::optional<ValidationFailure> Validate(const ServiceModel& model, const char* operation,
                                          const Json& input) {
  const ServiceModel::Operation* op = model.FindOperation(operation);
  EXPECT_NE(op, nullptr) << operation;
  return ValidateInput(model, *op, input);
}

// The validation message for a control-plane request, or "" when the request is valid.
std::string Violations(const char* operation, const Json& input) {
  std::optional<ValidationFailure> f = Validate(PersonalizeModel(), operation, input);
  if (!f) return "";
  EXPECT_EQ(f->kind, ValidationFailure::kValidation) << f->message;
  return f->message;
}

// The serialization message for a control-plane request, or "" when there is none.
std::string SerializationError(const char* operation, const Json& input) {
  std::optional<ValidationFailure> f = Validate(PersonalizeModel(), operation, input);
  if (!f || f->kind != ValidationFailure::kSerialization) return "";
  return f->message;
}

TEST(RequestValidatorTest, AcceptsValidRequestsAndIgnoresUnknownMembers) {
  EXPECT_EQ(Violations("CreateSchema", {{"name", "my-schema_1"},
                                        {"schema", "{}"},
                                        {"domain", "ECOMMERCE"},
                                        {"newerMember", 42}}),
            "");
  EXPECT_EQ(Violations("ListDatasetGroups", Json::object()), "");
  EXPECT_EQ(Violations("ListDatasetGroups", {{"maxResults", nullptr}}), "");  // null is absent
}

TEST(RequestValidatorTest, PatternIsAFullMatch) {
  EXPECT_EQ(Violations("CreateSchema", {{"name", "my name"}, {"schema", "{}"}}),
            "1 validation error detected: Value 'my name' at 'name' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: ^[a-zA-Z0-9][a-zA-Z0-9\\-_]*");
}

TEST(RequestValidatorTest, RequiredMemberMustNotBeNull) {
  EXPECT_EQ(Violations("CreateDataset", {{"name", "ds"},
                                         {"datasetGroupArn", kDatasetGroupArn},
                                         {"schemaArn", nullptr},
                                         {"datasetType", "Interactions"}}),
            "1 validation error detected: Value null at 'schemaArn' failed to satisfy "
            "constraint: Member must not be null");
}

TEST(RequestValidatorTest, StringLengthBoundsCountCodePoints) {
  EXPECT_EQ(Violations("CreateSchema", {{"name", std::string(64, 'a')}, {"schema", "{}"}}),
            "1 validation error detected: Value '" + std::string(64, 'a') +
                "' at 'name' failed to satisfy constraint: Member must have length less than or "
                "equal to 63");
  EXPECT_EQ(Violations("CreateSchema", {{"name", ""}, {"schema", "{}"}}),
            "2 validation errors detected: Value '' at 'name' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: ^[a-zA-Z0-9][a-zA-Z0-9\\-_]*; "
            "Value '' at 'name' failed to satisfy constraint: Member must have length greater "
            "than or equal to 1");
  // AvroSchema allows 10000 characters; "é" is two bytes but one code point.
  std::string schema;
  for (int i = 0; i < 10000; ++i) schema += "é";
  EXPECT_EQ(Violations("CreateSchema", {{"name", "s"}, {"schema", schema}}), "");
  EXPECT_NE(Violations("CreateSchema", {{"name", "s"}, {"schema", schema + "é"}}), "");
}

TEST(RequestValidatorTest, EnumValueSet) {
  EXPECT_EQ(Violations("CreateDatasetGroup", {{"name", "dg"}, {"domain", "BOOKS"}}),
            "1 validation error detected: Value 'BOOKS' at 'domain' failed to satisfy "
            "constraint: Member must satisfy enum value set: [ECOMMERCE, VIDEO_ON_DEMAND]");
}

TEST(RequestValidatorTest, IntegerRange) {
  EXPECT_EQ(Violations("ListDatasetGroups", {{"maxResults", 0}}),
            "1 validation error detected: Value '0' at 'maxResults' failed to satisfy "
            "constraint: Member must have value greater than or equal to 1");
  EXPECT_EQ(Violations("ListDatasetGroups", {{"maxResults", 101}}),
            "1 validation error detected: Value '101' at 'maxResults' failed to satisfy "
            "constraint: Member must have value less than or equal to 100");
  EXPECT_EQ(Violations("ListDatasetGroups", {{"maxResults", 100}}), "");
}

TEST(RequestValidatorTest, WrongJsonTypesAreSerializationFailures) {
  EXPECT_NE(SerializationError("ListDatasetGroups", {{"maxResults", "5"}}).find("'maxResults'"),
            std::string::npos);
  EXPECT_NE(SerializationError("ListDatasetGroups", {{"maxResults", 1.5}}), "");
  EXPECT_NE(SerializationError("ListDatasetGroups", {{"maxResults", 4294967296LL}}), "");
  EXPECT_NE(SerializationError("CreateDatasetGroup", {{"name", "dg"}, {"tags", Json::object()}}),
            "");
  EXPECT_NE(SerializationError("CreateDatasetGroup", {{"name", 7}}), "");
  EXPECT_NE(
      SerializationError("CreateDatasetImportJob", {{"jobName", "j"}, {"dataSource", "s3://b/k"}}),
      "");
  EXPECT_NE(SerializationError("CreateDatasetImportJob",
                               {{"jobName", "j"}, {"publishAttributionMetricsToS3", "yes"}}),
            "");
}

TEST(RequestValidatorTest, NestedStructurePathAndFileScheme) {
  Json job = {{"jobName", "import-1"},
              {"datasetArn", kDatasetGroupArn},
              {"roleArn", kRoleArn},
              {"dataSource", {{"dataLocation", "ftp://host/data.csv"}}}};
  EXPECT_EQ(Violations("CreateDatasetImportJob", job),
            "1 validation error detected: Value 'ftp://host/data.csv' at "
            "'dataSource.dataLocation' failed to satisfy constraint: Member must satisfy "
            "regular expression pattern: (s3|http|https|file)://.+");
  job["dataSource"]["dataLocation"] = "file:///x";
  EXPECT_EQ(Violations("CreateDatasetImportJob", job), "");
}

TEST(RequestValidatorTest, TagsWithUnicodeAndListMemberPaths) {
  const std::string arn = kDatasetGroupArn;
  Json tags = Json::array({{{"tagKey", "日本"}, {"tagValue", "café"}},
                           {{"tagKey", "team: ml/recs = 1 @x"}, {"tagValue", ""}}});
  EXPECT_EQ(Violations("TagResource", {{"resourceArn", arn}, {"tags", tags}}), "");
  tags = Json::array({{{"tagKey", "ok"}, {"tagValue", "v"}},
                      {{"tagKey", "<"}, {"tagValue", "wow!"}},
                      {{"tagKey", "k"}}});
  EXPECT_EQ(Violations("TagResource", {{"resourceArn", arn}, {"tags", tags}}),
            "3 validation errors detected: Value '<' at 'tags.2.member.tagKey' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: "
            "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$; Value 'wow!' at 'tags.2.member.tagValue' failed "
            "to satisfy constraint: Member must satisfy regular expression pattern: "
            "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$; Value null at 'tags.3.member.tagValue' failed "
            "to satisfy constraint: Member must not be null");
}

TEST(RequestValidatorTest, ListLengthAndReportCap) {
  Json tags = Json::array();
  for (int i = 0; i < 12; ++i) tags.push_back({{"tagKey", "!"}, {"tagValue", "v"}});
  std::string message = Violations("CreateDatasetGroup", {{"name", "dg"}, {"tags", tags}});
  EXPECT_EQ(message.rfind("12 validation errors detected: ", 0), 0u) << message;
  size_t listed = 0;
  for (size_t at = 0; (at = message.find("failed to satisfy", at)) != std::string::npos; ++at) {
    ++listed;
  }
  EXPECT_EQ(listed, static_cast<size_t>(kMaxReportedViolations));
  Json many = Json::array();
  for (int i = 0; i < 201; ++i) many.push_back({{"tagKey", "k"}, {"tagValue", "v"}});
  EXPECT_NE(Violations("CreateDatasetGroup", {{"name", "dg"}, {"tags", many}})
                .find("at 'tags' failed to satisfy constraint: Member must have length less than "
                      "or equal to 200"),
            std::string::npos);
}

TEST(RequestValidatorTest, ScalarListElementsAndMapEntriesReportOnTheContainer) {
  const ServiceModel& runtime = RuntimeModel();
  Json request = {{"campaignArn", "arn:aws:personalize:us-east-1:1:campaign/c"},
                  {"userId", "u1"},
                  {"inputList", {"i1", std::string(257, 'x'), nullptr}}};
  std::optional<ValidationFailure> f = Validate(runtime, "GetPersonalizedRanking", request);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->message,
            "1 validation error detected: Value '[i1, " + std::string(257, 'x') +
                ", null]' at 'inputList' failed to satisfy constraint: Member must satisfy "
                "constraint: [Member must have length less than or equal to 256, Member must not "
                "be null]");
  // Context values are sensitive: the map is not quoted.
  request = {{"context", {{"bad key", "secret"}}}};
  f = Validate(runtime, "GetRecommendations", request);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->message,
            "1 validation error detected: Value at 'context' failed to satisfy constraint: Map "
            "keys must satisfy constraint: [Member must satisfy regular expression pattern: "
            "[A-Za-z\\d_]+]");
}

TEST(RequestValidatorTest, TimestampsAcceptEpochNumbersAndIsoStrings) {
  const ServiceModel& events = EventsModel();
  auto put = [&](const Json& sent_at) {
    Json event = {{"eventType", "click"}, {"sentAt", sent_at}};
    return Validate(events, "PutEvents",
                    {{"trackingId", "t"}, {"sessionId", "s"}, {"eventList", {event}}});
  };
  EXPECT_FALSE(put(1700000000).has_value());
  EXPECT_FALSE(put(1700000000.25).has_value());
  EXPECT_FALSE(put("2024-05-01T10:00:00Z").has_value());
  EXPECT_FALSE(put("2024-05-01T10:00:00.123+02:00").has_value());
  std::optional<ValidationFailure> f = put("yesterday");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->kind, ValidationFailure::kSerialization);
  EXPECT_NE(f->message.find("'eventList.1.member.sentAt'"), std::string::npos) << f->message;
  f = put(true);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->kind, ValidationFailure::kSerialization);
  // Events are sensitive: their members' values are not echoed.
  f = Validate(events, "PutEvents",
               {{"trackingId", "t"},
                {"sessionId", "s"},
                {"eventList", {{{"eventType", ""}, {"sentAt", 1}}}}});
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->message,
            "1 validation error detected: Value at 'eventList.1.member.eventType' failed to "
            "satisfy constraint: Member must have length greater than or equal to 1");
}

}  // namespace
}  // namespace kindred
