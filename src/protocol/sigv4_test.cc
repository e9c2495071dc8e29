#include "protocol/sigv4.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace kindred {
namespace {

using Keys = std::vector<std::pair<std::string, std::string>>;

// The AWS SigV4 test suite's fixed inputs.
constexpr char kSuiteKey[] = "AKIDEXAMPLE";
constexpr char kSuiteSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr int64_t kSuiteTime = 1440938160000;  // 2015-08-30T12:36:00Z

constexpr char kKey[] = "AKKTESTKEY0000000001";
constexpr char kSecret[] = "test/secret+value0000000000000000000000";

HttpRequest SuiteRequest(std::string method, std::string target) {
  HttpRequest req;
  req.method = std::move(method);
  req.target = std::move(target);
  req.headers = {{"Host", "example.amazonaws.com"}};
  return req;
}

std::string AuthorizationOf(const HttpRequest& req) {
  return std::string(req.Header("Authorization"));
}

std::string SuiteAuthorization(const std::string& signature) {
  return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
         "SignedHeaders=host;x-amz-date, Signature=" +
         signature;
}

// Published vectors from the AWS SigV4 test suite (get-vanilla, post-vanilla,
// get-vanilla-empty-query-key).
TEST(SigV4SuiteTest, SignerReproducesPublishedSignatures) {
  struct Case {
    const char* method;
    const char* target;
    const char* signature;
  };
  for (const Case& c : {
           Case{"GET", "/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
           Case{"POST", "/", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
           Case{"GET", "/?Param1=value1",
                "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"},
       }) {
    HttpRequest req = SuiteRequest(c.method, c.target);
    SignRequest(req, kSuiteKey, kSuiteSecret, "us-east-1", "service", kSuiteTime);
    EXPECT_EQ(req.Header("X-Amz-Date"), "20150830T123600Z");
    EXPECT_EQ(AuthorizationOf(req), SuiteAuthorization(c.signature)) << c.method << " " << c.target;
  }
}

TEST(SigV4SuiteTest, VerifierAcceptsThePublishedGetVanillaRequest) {
  StaticCredentialsProvider provider(Keys{{kSuiteKey, kSuiteSecret}});
  FakeClock clock(kSuiteTime);
  SigV4Verifier verifier(provider, clock, "service");
  HttpRequest req = SuiteRequest("GET", "/");
  req.headers.emplace_back("X-Amz-Date", "20150830T123600Z");
  req.headers.emplace_back(
      "Authorization",
      SuiteAuthorization("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
  EXPECT_FALSE(verifier.Verify(req).has_value());

  req.target = "/?Param1=value1";  // the signature no longer covers the request
  const auto err = verifier.Verify(req);
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->type, "InvalidSignatureException");
}

class SigV4VerifyTest : public ::testing::Test {
 protected:
  SigV4VerifyTest()
      : provider_(Keys{{kKey, kSecret}}), clock_(kSuiteTime), verifier_(provider_, clock_) {}

  // A signed Personalize-style JSON request.
  HttpRequest Signed(int64_t at = kSuiteTime) {
    HttpRequest req;
    req.method = "POST";
    req.target = "/";
    req.headers = {{"Host", "localhost:8080"},
                   {"Content-Type", "application/x-amz-json-1.1"},
                   {"X-Amz-Target", "AmazonPersonalize.ListDatasetGroups"},
                   {"User-Agent", "test"}};
    req.body = R"({"maxResults":10})";
    SignRequest(req, kKey, kSecret, "us-west-2", "personalize", at);
    return req;
  }
  // A request signed with a secret that is not the key's.
  static HttpRequest SignedWithWrongSecret(int64_t at = kSuiteTime) {
    HttpRequest req;
    req.method = "POST";
    req.target = "/";
    req.headers = {{"Host", "h"}};
    SignRequest(req, kKey, "not-the-secret", "us-west-2", "personalize", at);
    return req;
  }

  std::optional<AuthError> Verify(const HttpRequest& req) { return verifier_.Verify(req); }

  static void SetHeader(HttpRequest& req, const std::string& name, const std::string& value) {
    for (auto& [k, v] : req.headers) {
      if (k == name) v = value;
    }
  }

  StaticCredentialsProvider provider_;
  FakeClock clock_;
  SigV4Verifier verifier_;
};

TEST_F(SigV4VerifyTest, SignedRequestVerifies) {
  const HttpRequest req = Signed();
  EXPECT_FALSE(Verify(req).has_value());
  // User-Agent is not signed, so a proxy may rewrite it.
  EXPECT_EQ(AuthorizationOf(req).find("user-agent"), std::string::npos);
}

TEST_F(SigV4VerifyTest, TamperingBreaksTheSignature) {
  const std::string kMismatch =
      "The request signature we calculated does not match the signature you provided. Check your "
      "AWS Secret Access Key and signing method. Consult the service documentation for details.";
  HttpRequest body = Signed();
  body.body = R"({"maxResults":11})";
  HttpRequest target_header = Signed();
  SetHeader(target_header, "X-Amz-Target", "AmazonPersonalize.DeleteDatasetGroup");
  HttpRequest path = Signed();
  path.target = "/other";
  for (const HttpRequest* req : {&body, &target_header, &path}) {
    const auto err = Verify(*req);
    ASSERT_TRUE(err.has_value());
    EXPECT_EQ(err->http_status, 403);
    EXPECT_EQ(err->type, "InvalidSignatureException");
    EXPECT_EQ(err->message, kMismatch);
  }
}

TEST_F(SigV4VerifyTest, HeaderWhitespaceIsCanonicalised) {
  HttpRequest req = Signed();
  SetHeader(req, "X-Amz-Target", "  AmazonPersonalize.ListDatasetGroups \t ");
  EXPECT_FALSE(Verify(req).has_value());

  HttpRequest spaced;
  spaced.method = "POST";
  spaced.target = "/";
  spaced.headers = {{"Host", "h"}, {"X-Custom", "a   b\t c"}};
  SignRequest(spaced, kKey, kSecret, "us-west-2", "personalize", kSuiteTime);
  SetHeader(spaced, "X-Custom", "a b c");
  EXPECT_FALSE(Verify(spaced).has_value());
}

TEST_F(SigV4VerifyTest, WrongSecretIsInvalidSignature) {
  const auto err = Verify(SignedWithWrongSecret());
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->http_status, 403);
  EXPECT_EQ(err->type, "InvalidSignatureException");
}

// The verifier keeps the signing keys it derived: a key remembered for one day or one secret
// must not make a request of another day verify, nor one signed with another secret.
TEST_F(SigV4VerifyTest, RememberedSigningKeysDoNotLeakAcrossDaysOrSecrets) {
  constexpr int64_t kDay = 24 * 3600 * 1000LL;
  for (int round = 0; round < 2; ++round) {
    for (int64_t at : {kSuiteTime, kSuiteTime + kDay}) {
      clock_.Set(at);
      EXPECT_FALSE(Verify(Signed(at)).has_value()) << round << " " << at;
      const auto err = Verify(SignedWithWrongSecret(at));
      ASSERT_TRUE(err.has_value());
      EXPECT_EQ(err->type, "InvalidSignatureException");
    }
  }
}

TEST_F(SigV4VerifyTest, MissingAuthorizationIsMissingAuthenticationToken) {
  HttpRequest req = Signed();
  std::erase_if(req.headers, [](const auto& h) { return h.first == "Authorization"; });
  const auto err = Verify(req);
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->http_status, 403);
  EXPECT_EQ(err->type, "MissingAuthenticationTokenException");
  EXPECT_EQ(err->message, "Missing Authentication Token");
}

TEST_F(SigV4VerifyTest, MalformedAuthorizationIsIncompleteSignature) {
  HttpRequest req = Signed();
  SetHeader(req, "Authorization",
            "AWS4-HMAC-SHA256 Credential=AKKTESTKEY0000000001/20150830/us-west-2/personalize/"
            "aws4_request, SignedHeaders=host");
  auto err = Verify(req);
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->http_status, 400);
  EXPECT_EQ(err->type, "IncompleteSignatureException");
  EXPECT_NE(err->message.find("'Signature'"), std::string::npos) << err->message;
  EXPECT_EQ(err->message.find("'Credential'"), std::string::npos) << err->message;

  SetHeader(req, "Authorization", "AWS4-HMAC-SHA256 Signature=abc");
  err = Verify(req);
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(err->message.find("'Credential'"), std::string::npos) << err->message;
  EXPECT_NE(err->message.find("'SignedHeaders'"), std::string::npos) << err->message;

  SetHeader(req, "Authorization", "Bearer token");
  err = Verify(req);
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->type, "IncompleteSignatureException");

  req = Signed();
  const std::string auth = AuthorizationOf(req);
  SetHeader(req, "Authorization",
            auth.substr(0, auth.find("/")) + "/20150830/personalize/aws4_request" +
                auth.substr(auth.find(",")));
  err = Verify(req);
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->http_status, 400);
  EXPECT_NE(err->message.find("5 slash-delimited"), std::string::npos) << err->message;
}

TEST_F(SigV4VerifyTest, MissingDateIsIncompleteSignature) {
  HttpRequest req = Signed();
  std::erase_if(req.headers, [](const auto& h) { return h.first == "X-Amz-Date"; });
  auto err = Verify(req);
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->http_status, 400);
  EXPECT_EQ(err->type, "IncompleteSignatureException");
  EXPECT_NE(err->message.find("'X-Amz-Date' or a 'Date' header"), std::string::npos);

  // A Date header alone satisfies the date requirement (the signature, which covered
  // x-amz-date, then no longer matches).
  req.headers.emplace_back("Date", "Sun, 30 Aug 2015 12:36:00 GMT");
  err = Verify(req);
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->type, "InvalidSignatureException");
}

TEST_F(SigV4VerifyTest, UnknownAccessKeyIsUnrecognizedClient) {
  HttpRequest req;
  req.method = "POST";
  req.target = "/";
  req.headers = {{"Host", "h"}};
  SignRequest(req, "AKKSOMEONEELSE", kSecret, "us-west-2", "personalize", kSuiteTime);
  const auto err = Verify(req);
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->http_status, 403);
  EXPECT_EQ(err->type, "UnrecognizedClientException");
  EXPECT_EQ(err->message, "The security token included in the request is invalid.");
}

TEST_F(SigV4VerifyTest, ClockSkewBeyondFifteenMinutesIsRejected) {
  constexpr int64_t kMinute = 60 * 1000;
  EXPECT_FALSE(Verify(Signed(kSuiteTime - 14 * kMinute)).has_value());
  EXPECT_FALSE(Verify(Signed(kSuiteTime + 14 * kMinute)).has_value());

  auto err = Verify(Signed(kSuiteTime - 16 * kMinute));
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->http_status, 403);
  EXPECT_EQ(err->type, "InvalidSignatureException");
  EXPECT_EQ(err->message,
            "Signature expired: 20150830T122000Z is now earlier than 20150830T122100Z "
            "(20150830T123600Z - 15 min.)");

  err = Verify(Signed(kSuiteTime + 16 * kMinute));
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->http_status, 403);
  EXPECT_EQ(err->message,
            "Signature not yet current: 20150830T125200Z is still later than 20150830T125100Z "
            "(20150830T123600Z + 15 min.)");
}

TEST_F(SigV4VerifyTest, CredentialScopedToAnotherServiceIsRejected) {
  HttpRequest req;
  req.method = "POST";
  req.target = "/";
  req.headers = {{"Host", "h"}};
  SignRequest(req, kKey, kSecret, "us-west-2", "s3", kSuiteTime);
  const auto err = Verify(req);
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->http_status, 403);
  EXPECT_EQ(err->type, "InvalidSignatureException");
  EXPECT_NE(err->message.find("'personalize'"), std::string::npos) << err->message;
}

TEST_F(SigV4VerifyTest, AnyRegionIsAccepted) {
  for (const char* region : {"us-east-1", "eu-central-1", "local"}) {
    HttpRequest req;
    req.method = "POST";
    req.target = "/";
    req.headers = {{"Host", "h"}};
    SignRequest(req, kKey, kSecret, region, "personalize", kSuiteTime);
    EXPECT_FALSE(Verify(req).has_value()) << region;
  }
}

// Signs requests with Debian's botocore (what boto3 users run) and checks that they verify.
TEST(SigV4BotocoreTest, RequestsSignedByBotocoreVerify) {
  const std::string script_path =
      ::testing::TempDir() + "/kindred_sigv4_botocore_" + std::to_string(::getpid()) + ".py";
  {
    std::ofstream script(script_path);
    script << R"PY(
import json, time
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

creds = Credentials('AKKTESTKEY0000000001', 'test/secret+value0000000000000000000000')
out = []
for url, target, body in [
    ('http://localhost:8080/', 'AmazonPersonalize.CreateDatasetGroup',
     '{"name":"movies","domain":"VIDEO_ON_DEMAND"}'),
    ('http://localhost:8080/a%20b/./c//d?z=1&a=%2Fx&m=',
     'AmazonPersonalizeRuntime.GetRecommendations',
     '{"campaignArn":"arn:aws:personalize:us-west-2:000000000000:campaign/c","userId":"u 1"}'),
]:
    req = AWSRequest(method='POST', url=url, data=body.encode(),
                     headers={'X-Amz-Target': target,
                              'Content-Type': 'application/x-amz-json-1.1',
                              'User-Agent': 'Boto3/test'})
    SigV4Auth(creds, 'personalize', 'us-west-2').add_auth(req)
    out.append({'target': url[len('http://localhost:8080'):], 'body': body,
                'headers': dict(req.headers.items()), 'now_ms': int(time.time() * 1000)})
print(json.dumps(out))
)PY";
  }
  FILE* pipe = ::popen(("/usr/bin/python3 " + script_path + " 2>&1").c_str(), "r");
  ASSERT_NE(pipe, nullptr) << "cannot run /usr/bin/python3";
  std::string output;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof(buf), pipe)) output.append(buf, n);
  const int rc = ::pclose(pipe);
  std::remove(script_path.c_str());
  ASSERT_EQ(rc, 0) << "/usr/bin/python3 with botocore is required for this test (install "
                      "python3-botocore); it printed:\n"
                   << output;

  const auto requests = nlohmann::json::parse(output, nullptr, false);
  ASSERT_TRUE(requests.is_array()) << output;
  ASSERT_EQ(requests.size(), 2u);
  StaticCredentialsProvider provider(Keys{{kKey, kSecret}});
  for (const auto& r : requests) {
    HttpRequest req;
    req.method = "POST";
    req.target = r["target"].get<std::string>();
    req.body = r["body"].get<std::string>();
    req.headers.emplace_back("Host", "localhost:8080");  // added by the HTTP client on the wire
    for (const auto& [name, value] : r["headers"].items()) {
      req.headers.emplace_back(name, value.get<std::string>());
    }
    FakeClock clock(r["now_ms"].get<int64_t>());
    SigV4Verifier verifier(provider, clock);
    const auto err = verifier.Verify(req);
    EXPECT_FALSE(err.has_value()) << req.target << ": " << err->type << ": " << err->message;

    req.body += " ";
    EXPECT_TRUE(verifier.Verify(req).has_value()) << "tampered body must not verify";
  }
}

}  // namespace
}  // namespace kindred
