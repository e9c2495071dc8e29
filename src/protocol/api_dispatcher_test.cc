#include "protocol/api_dispatcher.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace kindred {
namespace {

using Json = nlohmann::json;

constexpr char kDatasetGroupArn[] = "arn:aws:personalize:us-east-1:123456789012:dataset-group/dg";
constexpr char kCampaignArn[] = "arn:aws:personalize:us-east-1:123456789012:campaign/c";

HttpRequest ControlPlane(std::string_view operation, std::string body) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/";
  r.headers = {{"Content-Type", "application/x-amz-json-1.1"},
               {"X-Amz-Target", "AmazonPersonalize." + std::string(operation)}};
  r.body = std::move(body);
  return r;
}

HttpRequest RestJson(std::string target, std::string body) {
  HttpRequest r;
  r.method = "POST";
  r.target = std::move(target);
  r.headers = {{"Content-Type", "application/json"}};
  r.body = std::move(body);
  return r;
}

std::string ErrorType(const HttpResponse& r) { return Json::parse(r.body).value("__type", ""); }
std::string ErrorMessage(const HttpResponse& r) { return Json::parse(r.body).value("message", ""); }

std::string HeaderOf(const HttpResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

OperationHandler Failing(Status status) {
  return [status](const Json&) -> Result<Json> { return status; };
}

TEST(ApiDispatcherTest, ControlPlaneSuccess) {
  ApiDispatcher d;
  Json seen;
  d.Register("CreateSchema", [&seen](const Json& in) -> Result<Json> {
    seen = in;
    return Json{
        {"schemaArn", "arn:aws:personalize:us-east-1:1:schema/" + in["name"].get<std::string>()}};
  });
  HttpResponse r = d.Handle(ControlPlane("CreateSchema", R"({"name":"s1","schema":"{}"})"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/x-amz-json-1.1");
  EXPECT_EQ(Json::parse(r.body),
            (Json{{"schemaArn", "arn:aws:personalize:us-east-1:1:schema/s1"}}));
  EXPECT_EQ(seen, (Json{{"name", "s1"}, {"schema", "{}"}}));
  EXPECT_EQ(HeaderOf(r, "x-amzn-RequestId").size(), 36u);
}

TEST(ApiDispatcherTest, EmptyBodyIsAnEmptyObjectAndBadUtf8CannotThrow) {
  ApiDispatcher d;
  d.Register("ListDatasetGroups", [](const Json& in) -> Result<Json> {
    if (in != Json::object()) return Status::Internal("unexpected input");
    return Json{{"datasetGroups", Json::array()}, {"note", std::string("bad \xff byte")}};
  });
  HttpResponse r = d.Handle(ControlPlane("ListDatasetGroups", ""));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json::parse(r.body)["datasetGroups"], Json::array());
}

TEST(ApiDispatcherTest, UnknownOperations) {
  ApiDispatcher d;
  HttpRequest no_target = ControlPlane("ListSchemas", "{}");
  no_target.headers.pop_back();
  for (const HttpRequest& request :
       {no_target, ControlPlane("NoSuchOperation", "{}"), ControlPlane("", "{}")}) {
    HttpResponse r = d.Handle(request);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(ErrorType(r), "UnknownOperationException");
  }
  HttpRequest foreign = ControlPlane("ListSchemas", "{}");
  foreign.headers.back().second = "DynamoDB_20120810.ListSchemas";
  EXPECT_EQ(ErrorType(d.Handle(foreign)), "UnknownOperationException");

  HttpResponse unimplemented = d.Handle(ControlPlane("ListSchemas", "{}"));
  EXPECT_EQ(unimplemented.status, 400);
  EXPECT_EQ(ErrorType(unimplemented), "UnknownOperationException");
  EXPECT_EQ(ErrorMessage(unimplemented), "kindred does not implement ListSchemas yet");

  HttpResponse unrouted = d.Handle(RestJson("/nowhere", "{}"));
  EXPECT_EQ(unrouted.status, 404);
  EXPECT_EQ(ErrorType(unrouted), "UnknownOperationException");
}

TEST(ApiDispatcherTest, OnlyPostOnRoot) {
  ApiDispatcher d;
  HttpRequest get = ControlPlane("ListSchemas", "");
  get.method = "GET";
  HttpResponse r = d.Handle(get);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(ErrorType(r), "MethodNotAllowedException");
  EXPECT_EQ(HeaderOf(r, "Allow"), "POST");
}

TEST(ApiDispatcherTest, MalformedBodiesAndValidationFailures) {
  ApiDispatcher d;
  int calls = 0;
  d.Register("ListDatasetGroups", [&calls](const Json&) -> Result<Json> {
    ++calls;
    return Json::object();
  });
  for (const char* body : {"{", "[1, 2]", "\"text\"", "{\"maxResults\": \"10\"}"}) {
    HttpResponse r = d.Handle(ControlPlane("ListDatasetGroups", body));
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(ErrorType(r), "SerializationException") << body;
  }
  HttpResponse r = d.Handle(ControlPlane("ListDatasetGroups", R"({"maxResults": 101})"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorType(r), "InvalidInputException");
  EXPECT_EQ(ErrorMessage(r),
            "1 validation error detected: Value '101' at 'maxResults' failed to satisfy "
            "constraint: Member must have value less than or equal to 100");
  EXPECT_EQ(calls, 0);
}

TEST(ApiDispatcherTest, HandlerStatusesMapToPersonalizeErrors) {
  const std::pair<StatusCode, const char*> cases[] = {
      {StatusCode::kInvalidInput, "InvalidInputException"},
      {StatusCode::kNotFound, "ResourceNotFoundException"},
      {StatusCode::kAlreadyExists, "ResourceAlreadyExistsException"},
      {StatusCode::kInUse, "ResourceInUseException"},
      {StatusCode::kLimitExceeded, "LimitExceededException"},
      {StatusCode::kInvalidNextToken, "InvalidNextTokenException"},
      {StatusCode::kTooManyTags, "TooManyTagsException"},
      {StatusCode::kTooManyTagKeys, "TooManyTagKeysException"},
  };
  for (const auto& [code, type] : cases) {
    ApiDispatcher d;
    d.Register("DescribeDatasetGroup", Failing(Status(code, "because")));
    HttpResponse r = d.Handle(
        ControlPlane("DescribeDatasetGroup", Json{{"datasetGroupArn", kDatasetGroupArn}}.dump()));
    EXPECT_EQ(r.status, 400) << type;
    EXPECT_EQ(ErrorType(r), type);
    EXPECT_EQ(ErrorMessage(r), "because");
    EXPECT_EQ(HeaderOf(r, "x-amzn-ErrorType"), type);
  }
}

TEST(ApiDispatcherTest, ServerFailuresAreGenericInternalFailures) {
  for (StatusCode code : {StatusCode::kIoError, StatusCode::kCorruption, StatusCode::kInternal}) {
    ApiDispatcher d;
    d.Register("ListSchemas", Failing(Status(code, "disk on fire at /var/secret")));
    HttpResponse r = d.Handle(ControlPlane("ListSchemas", "{}"));
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(ErrorType(r), "InternalFailure");
    EXPECT_EQ(ErrorMessage(r).find("/var/secret"), std::string::npos);
    EXPECT_NE(ErrorMessage(r).find(HeaderOf(r, "x-amzn-RequestId")), std::string::npos);
  }
  ApiDispatcher d;
  d.Register("ListSchemas", [](const Json&) -> Result<Json> { throw std::runtime_error("boom"); });
  d.Register("ListRecipes", [](const Json&) -> Result<Json> { throw 42; });
  EXPECT_EQ(d.Handle(ControlPlane("ListSchemas", "{}")).status, 500);
  EXPECT_EQ(d.Handle(ControlPlane("ListRecipes", "{}")).status, 500);
}

TEST(ApiDispatcherTest, RequestFilterRunsFirst) {
  ApiDispatcher d;
  d.Register("ListSchemas", [](const Json&) -> Result<Json> { return Json::object(); });
  d.SetRequestFilter([](const HttpRequest& r) -> std::optional<HttpResponse> {
    if (r.Header("Authorization").empty()) {
      return ErrorResponse(403, "MissingAuthenticationTokenException", "no credentials");
    }
    return std::nullopt;
  });
  HttpResponse rejected = d.Handle(ControlPlane("ListSchemas", "{}"));
  EXPECT_EQ(rejected.status, 403);
  EXPECT_EQ(ErrorType(rejected), "MissingAuthenticationTokenException");
  HttpRequest signed_request = ControlPlane("ListSchemas", "{}");
  signed_request.headers.emplace_back("authorization", "AWS4-HMAC-SHA256 ...");
  EXPECT_EQ(d.Handle(signed_request).status, 200);
}

TEST(ApiDispatcherTest, OverlayOperationIsServed) {
  ApiDispatcher d;
  d.Register("DeleteResourceTree", [](const Json& in) -> Result<Json> {
    return Json{{"deletedArns", {in["resourceArn"]}}};
  });
  HttpResponse r = d.Handle(ControlPlane(
      "DeleteResourceTree", Json{{"resourceArn", kDatasetGroupArn}, {"dryRun", true}}.dump()));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Json::parse(r.body)["deletedArns"], Json::array({kDatasetGroupArn}));
  HttpResponse missing = d.Handle(ControlPlane("DeleteResourceTree", "{}"));
  EXPECT_EQ(ErrorType(missing), "InvalidInputException");
  EXPECT_EQ(ErrorMessage(missing),
            "1 validation error detected: Value null at 'resourceArn' failed to satisfy "
            "constraint: Member must not be null");
}

TEST(ApiDispatcherTest, RuntimeRoutesByPathWithItsErrorStatuses) {
  ApiDispatcher d;
  d.Register("GetRecommendations", [](const Json& in) -> Result<Json> {
    if (in.value("campaignArn", "") != kCampaignArn) return Status::NotFound("no campaign");
    return Json{{"itemList", {{{"itemId", "i1"}}}}};
  });
  HttpResponse ok = d.Handle(RestJson("/recommendations?ignored=1",
                                      Json{{"campaignArn", kCampaignArn}, {"userId", "u"}}.dump()));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.content_type, "application/json");
  EXPECT_EQ(Json::parse(ok.body)["itemList"][0]["itemId"], "i1");
  HttpResponse missing = d.Handle(
      RestJson("/recommendations",
               Json{{"campaignArn", "arn:aws:personalize:us-east-1:1:campaign/x"}}.dump()));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(ErrorType(missing), "ResourceNotFoundException");
  EXPECT_EQ(missing.content_type, "application/json");
  HttpResponse invalid = d.Handle(RestJson("/recommendations", R"({"numResults": -1})"));
  EXPECT_EQ(invalid.status, 400);
  EXPECT_EQ(ErrorType(invalid), "InvalidInputException");
}

TEST(ApiDispatcherTest, EventsRouteAndEmptyOutput) {
  ApiDispatcher d;
  size_t events = 0;
  d.Register("PutEvents", [&events](const Json& in) -> Result<Json> {
    events += in["eventList"].size();
    return Json();
  });
  d.Register("PutItems", Failing(Status::InUse("dataset is importing")));
  Json put = {{"trackingId", "t"},
              {"sessionId", "s"},
              {"eventList", {{{"eventType", "click"}, {"sentAt", 1700000000}}}}};
  HttpResponse r = d.Handle(RestJson("/events", put.dump()));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{}");
  EXPECT_EQ(events, 1u);
  HttpResponse busy = d.Handle(RestJson(
      "/items", Json{{"datasetArn", kDatasetGroupArn}, {"items", {{{"itemId", "i"}}}}}.dump()));
  EXPECT_EQ(busy.status, 409);
  EXPECT_EQ(ErrorType(busy), "ResourceInUseException");
}

TEST(ApiDispatcherDeathTest, RegisteringAnOperationNoModelHasAborts) {
  ApiDispatcher d;
  // spdlog writes the reason to stdout, so only the abort itself is checked.
  EXPECT_DEATH(d.Register("NotAnOperation", Failing(Status::Internal("x"))), "");
}

}  // namespace
}  // namespace kindred
