#include "protocol/service_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace kindred {
namespace {

constexpr std::string_view kTinyModel = R"({
  "metadata": {"protocol": "rest-json"},
  "operations": {
    "Ping": {"name": "Ping", "http": {"method": "POST", "requestUri": "/ping?x=1"},
             "input": {"shape": "PingRequest"}}
  },
  "shapes": {
    "PingRequest": {"type": "structure", "required": ["id"],
                    "members": {"id": {"shape": "Id"}, "count": {"shape": "Count"}}},
    "Id": {"type": "string", "min": 1, "max": 8, "pattern": "[a-z]+"},
    "Count": {"type": "integer", "min": 0},
    "Missing": {"type": "structure", "members": {}, "exception": true,
                "error": {"httpStatusCode": 404}}
  }
})";

TEST(ServiceModelTest, ParsesOperationsShapesAndRoutes) {
  Result<ServiceModel> model = ServiceModel::Parse(kTinyModel);
  ASSERT_TRUE(model.ok()) << model.status().message();
  EXPECT_EQ(model->protocol(), "rest-json");
  EXPECT_EQ(model->target_prefix(), "");
  EXPECT_EQ(model->OperationNames(), std::vector<std::string>{"Ping"});
  const ServiceModel::Operation* op = model->FindRoute("POST", "/ping");
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->name, "Ping");
  EXPECT_EQ(op->input_shape, "PingRequest");
  EXPECT_EQ(model->FindRoute("GET", "/ping"), nullptr);
  const ServiceModel::Shape* request = model->FindShape("PingRequest");
  ASSERT_NE(request, nullptr);
  ASSERT_EQ(request->members.size(), 2u);
  EXPECT_EQ(request->members[0].name, "id");  // model order, not alphabetical
  EXPECT_EQ(request->required, std::vector<std::string>{"id"});
  const ServiceModel::Shape* id = model->FindShape("Id");
  ASSERT_TRUE(id->pattern.has_value());
  EXPECT_EQ(*id->max, 8);
  EXPECT_EQ(model->ErrorHttpStatus("Missing"), 404);
  EXPECT_EQ(model->ErrorHttpStatus("NoSuchShape"), 400);
}

TEST(ServiceModelTest, RejectsBrokenModels) {
  EXPECT_FALSE(ServiceModel::Parse("not json").ok());
  EXPECT_FALSE(ServiceModel::Parse(R"({"metadata": {"protocol": "query"}})").ok());
  EXPECT_FALSE(ServiceModel::Parse(R"({"metadata": {"protocol": "json"}, "shapes": {
      "L": {"type": "list", "member": {"shape": "Nowhere"}}}})")
                   .ok());
  EXPECT_FALSE(ServiceModel::Parse(R"({"metadata": {"protocol": "json"}, "shapes": {
      "S": {"type": "string", "pattern": "\\p{Sc}"}}})")
                   .ok());
}

TEST(ServiceModelTest, OverlayReplacesAndAddsButLeavesModelIntactOnError) {
  Result<ServiceModel> model = ServiceModel::Parse(kTinyModel);
  ASSERT_TRUE(model.ok());
  ASSERT_TRUE(model
                  ->ApplyOverlay(R"({"documentation": "test",
      "shapes": {"Id": {"type": "string", "max": 3}}})")
                  .ok());
  EXPECT_EQ(*model->FindShape("Id")->max, 3);
  EXPECT_FALSE(model->FindShape("Id")->pattern.has_value());
  Status bad = model->ApplyOverlay(R"({"operations": {"Pong": {"name": "Pong",
      "http": {"method": "POST", "requestUri": "/pong"}, "input": {"shape": "Nowhere"}}}})");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(model->FindOperation("Pong"), nullptr);
}

TEST(EmbeddedModelsTest, ControlPlaneHasKindredOverlay) {
  const ServiceModel& m = PersonalizeModel();
  EXPECT_EQ(m.protocol(), "json");
  EXPECT_EQ(m.target_prefix(), "AmazonPersonalize");
  const ServiceModel::Operation* del = m.FindOperation("DeleteResourceTree");
  ASSERT_NE(del, nullptr);
  EXPECT_EQ(del->input_shape, "DeleteResourceTreeRequest");
  EXPECT_EQ(del->output_shape, "DeleteResourceTreeResponse");
  const ServiceModel::Shape* request = m.FindShape("DeleteResourceTreeRequest");
  ASSERT_NE(request, nullptr);
  EXPECT_EQ(request->required, std::vector<std::string>{"resourceArn"});
  const ServiceModel::Shape* s3 = m.FindShape("S3Location");
  ASSERT_TRUE(s3->pattern.has_value());
  EXPECT_TRUE(s3->pattern->FullMatch("file:///data/interactions.csv"));
  EXPECT_TRUE(s3->pattern->FullMatch("s3://bucket/key"));
  EXPECT_FALSE(s3->pattern->FullMatch("ftp://host/file"));
  std::vector<std::string> names = m.OperationNames();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_NE(std::find(names.begin(), names.end(), "CreateDatasetGroup"), names.end());
  EXPECT_EQ(m.ErrorHttpStatus("ResourceNotFoundException"), 400);
}

TEST(EmbeddedModelsTest, RuntimeAndEventsAreRestJsonWithTheirErrorStatuses) {
  const ServiceModel& runtime = RuntimeModel();
  EXPECT_EQ(runtime.protocol(), "rest-json");
  ASSERT_NE(runtime.FindRoute("POST", "/recommendations"), nullptr);
  EXPECT_EQ(runtime.FindRoute("POST", "/recommendations")->name, "GetRecommendations");
  EXPECT_EQ(runtime.FindRoute("POST", "/personalize-ranking")->name, "GetPersonalizedRanking");
  EXPECT_EQ(runtime.ErrorHttpStatus("ResourceNotFoundException"), 404);
  const ServiceModel& events = EventsModel();
  EXPECT_EQ(events.FindRoute("POST", "/events")->name, "PutEvents");
  EXPECT_EQ(events.FindRoute("POST", "/items")->name, "PutItems");
  EXPECT_EQ(events.ErrorHttpStatus("ResourceInUseException"), 409);
}

}  // namespace
}  // namespace kindred
