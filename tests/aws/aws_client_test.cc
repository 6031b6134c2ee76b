#include "aws/aws_client.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "fixture_process.h"

namespace practica::aws {
namespace {

using std::chrono::seconds;
using std::chrono::steady_clock;
using testing::FixtureProcess;
using testing::StartHttpFixture;

constexpr std::string_view kListTables = "DynamoDB_20120810.ListTables";

std::shared_ptr<CredentialsProvider> Keys(std::string id, std::string secret,
                                          std::string token = "") {
  Environment env = {{"AWS_ACCESS_KEY_ID", std::move(id)},
                     {"AWS_SECRET_ACCESS_KEY", std::move(secret)}};
  if (!token.empty()) env["AWS_SESSION_TOKEN"] = std::move(token);
  return *MakeEnvironmentProvider(env);
}

ServiceEndpoint DynamoDbAt(std::string url) {
  return {.url = std::move(url), .region = "us-east-1", .signing_name = "dynamodb"};
}

TEST(AwsJsonClientTest, SendsTheJsonProtocolHeadersAndASignature) {
  auto fixture = StartHttpFixture();
  ASSERT_NE(fixture, nullptr);
  const std::string host = "127.0.0.1:" + fixture->first_line();
  FakeClock clock;  // 2027-01-15T08:00:00Z
  const AwsJsonClient client(DynamoDbAt("http://" + host), "1.0", *HttpClient::Create(),
                             Keys("AKIDEXAMPLE", "client-secret", "client-token"), clock);
  const auto response = client.Call(kListTables, "{}", steady_clock::now() + seconds(5));
  ASSERT_TRUE(response.ok()) << response.error().message;
  ASSERT_TRUE(response->ok());
  const auto echo = boost::json::parse(response->body);
  EXPECT_EQ(echo.at("method").as_string(), "POST");
  EXPECT_EQ(echo.at("path").as_string(), "/");
  EXPECT_EQ(echo.at("body").as_string(), "{}");
  const auto& headers = echo.at("headers");
  EXPECT_EQ(headers.at("host").as_string(), host);
  EXPECT_EQ(headers.at("content-type").as_string(), "application/x-amz-json-1.0");
  EXPECT_EQ(headers.at("x-amz-target").as_string(), kListTables);
  EXPECT_EQ(headers.at("x-amz-date").as_string(), "20270115T080000Z");
  EXPECT_EQ(headers.at("x-amz-security-token").as_string(), "client-token");
  EXPECT_TRUE(std::string_view(headers.at("authorization").as_string())
                  .starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20270115/us-east-1/"
                               "dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;"
                               "x-amz-security-token;x-amz-target, Signature="))
      << headers.at("authorization").as_string();
}

// moto checks signatures (fixtures/moto_fixture.py), as DynamoDB does.
class MotoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    moto_ = FixtureProcess::Start(
        {"python3", "-B", std::string(PRACTICA_SOURCE_DIR) + "/tests/aws/fixtures/moto_fixture.py"},
        {}, seconds(30));
    ASSERT_NE(moto_, nullptr);
    const auto announced = boost::json::parse(moto_->first_line());
    url_ = "http://127.0.0.1:" + std::to_string(announced.at("port").as_int64());
    access_key_id_ = announced.at("access_key_id").as_string();
    secret_ = announced.at("secret_access_key").as_string();
  }

  Result<AwsResponse> ListTables(std::string secret) {
    const AwsJsonClient client(DynamoDbAt(url_), "1.0", *HttpClient::Create(),
                               Keys(access_key_id_, std::move(secret)), clock_);
    return client.Call(kListTables, "{}", steady_clock::now() + seconds(10), true);
  }

  std::unique_ptr<FixtureProcess> moto_;
  std::string url_;
  std::string access_key_id_;
  std::string secret_;
  SystemClock clock_;  // moto refuses signatures from the wrong time, as AWS does
};

TEST_F(MotoTest, ACorrectlySignedCallSucceeds) {
  const auto response = ListTables(secret_);
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200) << response->body;
  EXPECT_TRUE(boost::json::parse(response->body).at("TableNames").as_array().empty());
  EXPECT_FALSE(response->request_id.empty());
}

TEST_F(MotoTest, AWrongSecretIsRefusedWithAClearError) {
  const auto response = ListTables("wrong-secret-value");
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_GE(response->status, 400);
  EXPECT_LT(response->status, 500);
  const Error error = ToError(*response, kListTables);
  EXPECT_EQ(error.code, ErrorCode::kUnavailable);
  EXPECT_NE(
      error.message.find("DynamoDB_20120810.ListTables answered HTTP 403 SignatureDoesNotMatch "
                         "(AWS refused the credentials or their permissions): The request "
                         "signature we calculated does not match"),
      std::string::npos)
      << error.message;
  EXPECT_EQ(error.message.find("wrong-secret-value"), std::string::npos);
}

TEST(AwsErrorTest, MapsExceptionNamesToErrorCodes) {
  const auto code = [](int status, std::string type) {
    return ToError({.status = status,
                    .body = R"({"__type": "com.amazonaws.dynamodb.v20120810#)" + type +
                            R"(", "message": "m"})"},
                   kListTables)
        .code;
  };
  EXPECT_EQ(code(400, "ProvisionedThroughputExceededException"), ErrorCode::kUnavailable);
  EXPECT_EQ(code(400, "ThrottlingException"), ErrorCode::kUnavailable);
  EXPECT_EQ(code(500, "InternalServerError"), ErrorCode::kUnavailable);
  EXPECT_EQ(code(400, "ExpiredTokenException"), ErrorCode::kUnavailable);
  EXPECT_EQ(code(400, "AccessDeniedException"), ErrorCode::kUnavailable);
  EXPECT_EQ(code(400, "ConditionalCheckFailedException"), ErrorCode::kConflict);
  EXPECT_EQ(code(400, "ResourceNotFoundException"), ErrorCode::kNotFound);
  EXPECT_EQ(code(400, "ValidationException"), ErrorCode::kInvalid);
  EXPECT_EQ(code(400, "ItemCollectionSizeLimitExceededException"), ErrorCode::kInternal);
}

TEST(AwsErrorTest, KeepsOnlyTheFirstLineOfTheMessage) {
  // DynamoDB explains a signature mismatch with the canonical request, session token included.
  const AwsResponse response{
      .status = 400,
      .body = R"({"__type": "com.amazon.coral.service#InvalidSignatureException", "message": )"
              R"("The request signature we calculated does not match.\n\nThe Canonical String )"
              R"(for this request should have been\n'POST\n/\n\nx-amz-security-token:SECRET'"})"};
  const AwsErrorDetails details = ParseAwsError(response);
  EXPECT_EQ(details.type, "InvalidSignatureException");
  EXPECT_EQ(details.message, "The request signature we calculated does not match.");
  EXPECT_EQ(ToError(response, kListTables).message.find("SECRET"), std::string::npos);
}

TEST(AwsErrorTest, ReadsTheTypeFromTheHeaderWhenTheBodyHasNone) {
  const AwsResponse response{
      .status = 400,
      .body = "",
      .headers = {
          {"x-amzn-ErrorType", "UnrecognizedClientException:http://internal.amazon.com/coral/"}}};
  EXPECT_EQ(ParseAwsError(response).type, "UnrecognizedClientException");
  EXPECT_EQ(ToError(response, kListTables).code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace practica::aws
