#include "lambda/http_event.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/text.h"
#include "http/client_address.h"

namespace practica::lambda {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// The real sample events of AWS's own repositories, beside the checkout (SOURCES.md there).
fs::path EventsDir() {
  return fs::path(PRACTICA_SOURCE_DIR).parent_path() / "shared" / "testdata" / "lambda-events";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) ADD_FAILURE() << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json::object ParseObject(std::string_view text) {
  json::value value = json::parse(text);
  EXPECT_TRUE(value.is_object()) << text;
  return value.is_object() ? value.as_object() : json::object();
}

std::vector<std::string> Values(const http::Headers& headers, std::string_view name) {
  std::vector<std::string> values;
  for (const auto& [key, value] : headers.fields()) {
    if (EqualsIgnoreCase(key, name)) values.push_back(value);
  }
  return values;
}

// What the router must see for one sample event.
struct SampleCase {
  std::string file;  // under lambda-events/
  EventSource source;
  bool multi_value;
  http::Method method;
  std::string path;
  std::string query;
  size_t header_fields;  // after Cookie is made from a cookies array
  std::map<std::string, std::vector<std::string>> headers;  // a selection, every value in order
  std::string body;
  std::string remote_address;
};

void PrintTo(const SampleCase& c, std::ostream* out) { *out << c.file; }

const std::vector<SampleCase>& SampleCases() {
  using M = http::Method;
  static const std::vector<SampleCase> cases = {
      {"alb/aws-lambda-go__alb-lambda-target-request-headers-only.json",
       EventSource::kAlb,
       false,
       M::kGet,
       "/",
       "key=hello",
       10,
       {{"x-myheader", {"123"}},
        {"host", {"lambda-test-alb-1334523864.us-east-1.elb.amazonaws.com"}},
        {"Cookie", {}}},
       "",
       "25.12.198.67"},
      {"alb/aws-lambda-go__alb-lambda-target-request-multivalue-headers.json",
       EventSource::kAlb,
       true,
       M::kGet,
       "/",
       "key=hello",
       10,
       {{"x-myheader", {"123"}}, {"user-agent", {"curl/7.54.0"}}},
       "",
       "72.21.198.67"},
      {"alb/aws-lambda-java-libs__elb_event.json",
       EventSource::kAlb,
       false,
       M::kGet,
       "/",
       "",
       12,
       {{"cookie", {"name=value"}}, {"accept-encoding", {"gzip"}}},
       "Hello from ELB",
       "192.0.2.1"},
      {"alb/powertools-python__albEvent.json",
       EventSource::kAlb,
       false,
       M::kGet,
       "/lambda",
       "query=1234ABCD",
       12,
       {{"x-imforwards", {"20"}}},
       "Test",
       "72.12.164.125"},
      {"alb/powertools-python__albMultiValueQueryStringEvent.json",
       EventSource::kAlb,
       true,
       M::kGet,
       "/todos",
       "parameter1=value1&parameter1=value2&parameter2=value",
       10,
       {{"header2", {"value1", "value2"}}, {"header1", {"value1"}}},
       "",
       "123.123.123.123"},
      {"apigw-http-v2/aws-lambda-go__apigw-v2-request-iam.json",
       EventSource::kApiGatewayHttp,
       false,
       M::kGet,
       "/my/path",
       "parameter1=value1&parameter1=value2&parameter2=value",
       3,
       {{"Header1", {"value1"}}, {"Cookie", {"cookie1; cookie2"}}},
       "{\r\n\t\"a\": 1\r\n}",
       "IP"},
      {"apigw-http-v2/aws-lambda-go__apigw-v2-request-jwt-authorizer.json",
       EventSource::kApiGatewayHttp,
       false,
       M::kGet,
       "/my/path",
       "parameter1=value1&parameter1=value2&parameter2=value",
       3,
       {{"Header2", {"value2"}}, {"Cookie", {"cookie1; cookie2"}}},
       "{\r\n\t\"a\": 1\r\n}",
       "IP"},
      {"apigw-http-v2/aws-lambda-go__apigw-v2-request-no-authorizer.json",
       EventSource::kApiGatewayHttp,
       false,
       M::kGet,
       "/",
       "",
       8,
       {{"x-forwarded-proto", {"https"}}, {"Cookie", {}}},
       "",
       "1.2.3.4"},
      {"apigw-http-v2/aws-lambda-java-libs__apigw_http_event.json",
       EventSource::kApiGatewayHttp,
       false,
       M::kPost,
       "/my/path",
       "parameter1=value1&parameter1=value2&parameter2=value",
       3,
       {{"Header2", {"value1,value2"}}, {"Cookie", {"cookie1; cookie2"}}},
       "Hello from Lambda!!",
       "IP"},
      {"apigw-http-v2/powertools-python__apiGatewayProxyV2Event.json",
       EventSource::kApiGatewayHttp,
       false,
       M::kPost,
       "/my/path",
       "parameter1=value1&parameter1=value2&parameter2=value",
       3,
       {{"Header1", {"value1"}}, {"Cookie", {"cookie1; cookie2"}}},
       "{\"message\": \"hello world\", \"username\": \"tom\"}",
       "192.168.0.1/32"},
      {"apigw-http-v2/powertools-python__apiGatewayProxyV2Event_GET.json",
       EventSource::kApiGatewayHttp,
       false,
       M::kGet,
       "/my/path",
       "parameter1=value1&parameter1=value2&parameter2=value",
       3,
       {{"Cookie", {"cookie1; cookie2"}}},
       "",
       "192.168.0.1/32"},
      {"apigw-rest-v1/aws-lambda-go__apigw-request.json",
       EventSource::kApiGatewayRest,
       true,
       M::kPost,
       "/hello/world",
       "name=me",
       19,
       {{"headerName", {"headerValue"}},
        {"X-Forwarded-For", {"54.240.196.186, 54.182.214.83"}},
        {"Content-Type", {"application/json"}}},
       "{\r\n\t\"a\": 1\r\n}",
       "192.168.196.186"},
      {"apigw-rest-v1/aws-lambda-java-libs__apigw_rest_event.json",
       EventSource::kApiGatewayRest,
       true,
       M::kGet,
       "/my/path",
       "parameter1=value1&parameter2=value1&parameter2=value2",
       4,
       {{"Header2", {"value1", "value2"}}, {"Header3", {"value1,value2"}}},
       "Hello from Lambda!",
       "IP"},
      {"apigw-rest-v1/powertools-python__apiGatewayProxyEvent.json",
       EventSource::kApiGatewayRest,
       true,
       M::kGet,
       "/my/path",
       "parameter1=value1&parameter1=value2&parameter2=value",
       4,
       {{"Origin", {"https://aws.amazon.com"}}, {"Header2", {"value1", "value2"}}},
       "Hello from Lambda!",
       "192.168.0.1/32"},
  };
  return cases;
}

TEST(HttpEventSamples, EverySampleFileHasACase) {
  const fs::path dir = EventsDir();
  ASSERT_TRUE(fs::is_directory(dir)) << dir << " is missing: the sample events live beside the "
                                     << "checkout, in ../shared/testdata/lambda-events";
  std::set<std::string> files;
  for (const char* kind : {"alb", "apigw-http-v2", "apigw-rest-v1"}) {
    ASSERT_TRUE(fs::is_directory(dir / kind)) << dir / kind << " is missing";
    for (const auto& entry : fs::directory_iterator(dir / kind)) {
      files.insert(std::string(kind) + "/" + entry.path().filename().string());
    }
  }
  std::set<std::string> covered;
  for (const SampleCase& c : SampleCases()) covered.insert(c.file);
  EXPECT_EQ(files, covered);
  EXPECT_EQ(files.size(), 14u);
}

class HttpEventSample : public ::testing::TestWithParam<SampleCase> {};

TEST_P(HttpEventSample, TheRouterSeesTheRequest) {
  const SampleCase& c = GetParam();
  const fs::path file = EventsDir() / c.file;
  ASSERT_TRUE(fs::exists(file)) << file << " is missing";
  Result<HttpEvent> event = DecodeHttpEvent(ReadFile(file));
  ASSERT_TRUE(event.ok()) << event.error().message;
  EXPECT_EQ(event->format.source, c.source);
  EXPECT_EQ(event->format.multi_value_headers, c.multi_value && c.source == EventSource::kAlb);
  ASSERT_TRUE(event->request.ok()) << event->request.error().message;
  const http::Request& request = *event->request;
  EXPECT_EQ(request.method, c.method);
  EXPECT_EQ(request.path, c.path);
  EXPECT_EQ(request.query, c.query);
  EXPECT_EQ(request.headers.fields().size(), c.header_fields);
  for (const auto& [name, values] : c.headers) {
    EXPECT_EQ(Values(request.headers, name), values) << name;
  }
  EXPECT_EQ(request.body, c.body);
  EXPECT_EQ(request.remote_address, c.remote_address);
}

// The kinds of value each member of a response has, for comparing shapes with AWS's samples.
json::kind KindOf(const json::value& value) {
  return value.is_int64() || value.is_uint64() ? json::kind::int64 : value.kind();
}

TEST_P(HttpEventSample, TheResponseHasTheShapeOfAwsSamples) {
  const SampleCase& c = GetParam();
  Result<HttpEvent> event = DecodeHttpEvent(ReadFile(EventsDir() / c.file));
  ASSERT_TRUE(event.ok());
  http::Response response = http::Response::Json(201, R"({"ok":true})");
  response.headers.Add("Set-Cookie", "a=1; HttpOnly");
  response.headers.Add("Set-Cookie", "b=2; Secure");
  const json::object ours = ParseObject(EncodeHttpResponse(response, event->format));

  // Every member we send is one AWS's samples of that kind have, with a value of the same kind.
  const char* reference = c.source == EventSource::kAlb
                              ? "aws-lambda-go__alb-lambda-target-response.json"
                          : c.source == EventSource::kApiGatewayHttp
                              ? "aws-lambda-java-libs__apigw_v2_http_response.json"
                              : "aws-lambda-go__apigw-response.json";
  json::object sample = ParseObject(ReadFile(EventsDir() / "responses" / reference));
  // The REST API documents isBase64Encoded although the Go sample leaves it out.
  sample.emplace("isBase64Encoded", false);
  for (const auto& [key, value] : ours) {
    ASSERT_TRUE(sample.contains(key)) << key << " is in no " << reference;
    EXPECT_EQ(KindOf(value), KindOf(sample.at(key))) << key;
  }
  EXPECT_EQ(ours.at("statusCode").to_number<int>(), 201);
  EXPECT_EQ(ours.at("body").as_string(), R"({"ok":true})");
  EXPECT_FALSE(ours.at("isBase64Encoded").as_bool());

  // Both cookies arrive wherever the format can carry two.
  json::array cookies;
  if (c.source == EventSource::kApiGatewayHttp) {
    cookies = ours.at("cookies").as_array();
    EXPECT_FALSE(ours.at("headers").as_object().contains("Set-Cookie"));
  } else if (ours.contains("multiValueHeaders")) {
    cookies = ours.at("multiValueHeaders").as_object().at("Set-Cookie").as_array();
  } else {
    EXPECT_EQ(ours.at("headers").as_object().at("Set-Cookie").as_string(), "b=2; Secure");
    cookies = {"a=1; HttpOnly", "b=2; Secure"};
  }
  EXPECT_EQ(cookies, (json::array{"a=1; HttpOnly", "b=2; Secure"}));
  EXPECT_EQ(ours.contains("statusDescription"), c.source == EventSource::kAlb);
}

// "alb/aws-lambda-go__x.json" → "alb_aws_lambda_go__x_json" (test names are C identifiers).
std::string CaseName(const ::testing::TestParamInfo<SampleCase>& sample) {
  std::string name = sample.param.file;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(LambdaEvents, HttpEventSample, ::testing::ValuesIn(SampleCases()),
                         CaseName);

// The response samples, rebuilt from the response they describe.
TEST(HttpEventResponses, AlbMultiValueMatchesTheSample) {
  http::Response response;
  response.status = 200;
  response.headers.Add("Set-cookie", "cookie-name=cookie-value;Domain=myweb.com;Secure;HttpOnly");
  response.headers.Add("Set-cookie", "cookie-name=cookie-value;Expires=May 8, 2019");
  response.headers.Add("Content-Type", "application/json");
  response.body = "Hello from Lambda";
  const json::object ours = ParseObject(EncodeHttpResponse(response, {EventSource::kAlb, true}));
  const json::object sample = ParseObject(
      ReadFile(EventsDir() / "responses/aws-lambda-go__alb-lambda-target-response.json"));
  for (const char* key :
       {"statusCode", "statusDescription", "multiValueHeaders", "body", "isBase64Encoded"}) {
    EXPECT_EQ(ours.at(key), sample.at(key)) << key;
  }
  EXPECT_FALSE(ours.contains("headers"));
}

TEST(HttpEventResponses, AlbSingleValueSendsHeadersOnly) {
  http::Response response;
  response.status = 404;
  response.headers.Add("Content-Type", "application/json");
  response.headers.Add("Vary", "Accept");
  response.headers.Add("vary", "Origin");
  const json::object ours = ParseObject(EncodeHttpResponse(response, {EventSource::kAlb, false}));
  EXPECT_EQ(ours.at("statusDescription").as_string(), "404 Not Found");
  EXPECT_EQ(ours.at("headers").as_object(),
            (json::object{{"Content-Type", "application/json"}, {"Vary", "Accept, Origin"}}));
  EXPECT_FALSE(ours.contains("multiValueHeaders"));
}

TEST(HttpEventResponses, HttpApiMatchesTheSample) {
  http::Response response;
  response.status = 200;
  response.headers.Add("Content-Type", "application/json");
  response.headers.Add("Set-Cookie", "session=abc123; Secure; HttpOnly");
  response.body = R"({"message":"OK"})";
  const json::object ours =
      ParseObject(EncodeHttpResponse(response, {EventSource::kApiGatewayHttp, false}));
  const json::object sample = ParseObject(
      ReadFile(EventsDir() / "responses/aws-lambda-java-libs__apigw_v2_http_response.json"));
  for (const char* key : {"statusCode", "headers", "cookies", "body", "isBase64Encoded"}) {
    EXPECT_EQ(ours.at(key), sample.at(key)) << key;
  }
}

TEST(HttpEventResponses, RestApiMatchesTheSample) {
  const json::object sample =
      ParseObject(ReadFile(EventsDir() / "responses/aws-lambda-go__apigw-response.json"));
  http::Response response;
  response.status = 200;
  for (const auto& [name, value] : sample.at("headers").as_object()) {
    response.headers.Add(name, value.as_string());
  }
  response.body = "Hello World";
  const json::object ours =
      ParseObject(EncodeHttpResponse(response, {EventSource::kApiGatewayRest, true}));
  EXPECT_EQ(ours.at("statusCode"), sample.at("statusCode"));
  EXPECT_EQ(ours.at("multiValueHeaders"), sample.at("multiValueHeaders"));
  EXPECT_EQ(ours.at("body"), sample.at("body"));
}

TEST(HttpEventResponses, BinaryBodiesAreBase64AndTextIsNot) {
  struct Case {
    std::string content_type;
    std::string body;
    bool base64;
  };
  const std::vector<Case> cases = {
      {"image/png", std::string("\x89PNG\r\n\x1a\n\0\x01", 10), true},
      {"application/octet-stream", "plain bytes", true},
      {"text/plain; charset=utf-8", "h\xc3\xa9llo", false},
      {"text/plain", "not utf-8 \xff", true},
      {"application/problem+json", R"({"status":400})", false},
      {"application/json", R"({"a":"\u00e9"})", false},
      {"image/svg+xml", "<svg/>", false},
      {"", "no type, but text", false},
  };
  for (const Case& c : cases) {
    http::Response response;
    if (!c.content_type.empty()) response.headers.Set("Content-Type", c.content_type);
    response.body = c.body;
    for (EventSource source :
         {EventSource::kApiGatewayRest, EventSource::kApiGatewayHttp, EventSource::kAlb}) {
      const json::object ours = ParseObject(EncodeHttpResponse(response, {source, false}));
      EXPECT_EQ(ours.at("isBase64Encoded").as_bool(), c.base64) << c.content_type;
      const std::string body(ours.at("body").as_string());
      if (c.base64) {
        // Decoding it back through an event proves the round trip.
        json::object event{{"version", "2.0"},
                           {"rawPath", "/"},
                           {"requestContext", {{"http", {{"method", "POST"}}}}},
                           {"body", body},
                           {"isBase64Encoded", true}};
        Result<HttpEvent> decoded = DecodeHttpEvent(json::serialize(event));
        ASSERT_TRUE(decoded.ok() && decoded->request.ok());
        EXPECT_EQ(decoded->request->body, c.body) << c.content_type;
      } else {
        EXPECT_EQ(body, c.body) << c.content_type;
      }
    }
  }
}

// --- Edge cases of our own --------------------------------------------------------------------

json::object HttpApiEvent() {
  return {{"version", "2.0"},
          {"routeKey", "$default"},
          {"rawPath", "/api/courses"},
          {"rawQueryString", "limit=2&cursor=a%2Bb"},
          {"headers", {{"accept", "application/json"}}},
          {"requestContext", {{"http", {{"method", "GET"}, {"sourceIp", "203.0.113.9"}}}}},
          {"isBase64Encoded", false}};
}

json::object RestEvent() {
  return {{"resource", "/{proxy+}"},
          {"path", "/api/courses"},
          {"httpMethod", "GET"},
          {"headers", {{"Accept", "application/json"}}},
          {"multiValueHeaders", {{"Accept", json::array{"application/json"}}}},
          {"queryStringParameters", nullptr},
          {"multiValueQueryStringParameters", nullptr},
          {"requestContext", {{"identity", {{"sourceIp", "203.0.113.9"}}}}},
          {"body", nullptr},
          {"isBase64Encoded", false}};
}

json::object AlbEvent() {
  return {{"requestContext", {{"elb", {{"targetGroupArn", "arn:aws:elasticloadbalancing:x"}}}}},
          {"httpMethod", "GET"},
          {"path", "/api/courses"},
          {"queryStringParameters", {{"limit", "2"}}},
          {"headers", {{"x-forwarded-for", "198.51.100.1, 203.0.113.9"}}},
          {"body", ""},
          {"isBase64Encoded", false}};
}

Result<http::Request> RequestOf(const json::object& event) {
  Result<HttpEvent> decoded = DecodeHttpEvent(json::serialize(event));
  if (!decoded.ok()) return decoded.error();
  return decoded->request;
}

TEST(HttpEventEdges, QueryStringsReachTheHandlersDecodedOnce) {
  auto v2 = RequestOf(HttpApiEvent());
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->query, "limit=2&cursor=a%2Bb");
  EXPECT_EQ(v2->QueryParam("cursor"), "a+b");
  EXPECT_EQ(v2->remote_address, "203.0.113.9");

  // The REST API decodes parameters: they are encoded again, so that the query means the same.
  json::object rest = RestEvent();
  rest["multiValueQueryStringParameters"] = {{"q", json::array{"a b&c=d", "é+"}}};
  auto v1 = RequestOf(rest);
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->query, "q=a%20b%26c%3Dd&q=%C3%A9%2B");
  EXPECT_EQ(v1->QueryParam("q"), "a b&c=d");
  EXPECT_EQ(v1->remote_address, "203.0.113.9");

  // The ALB passes them on as received.
  json::object alb = AlbEvent();
  alb["queryStringParameters"] = {{"cursor", "a%2Bb"}};
  auto from_alb = RequestOf(alb);
  ASSERT_TRUE(from_alb.ok());
  EXPECT_EQ(from_alb->query, "cursor=a%2Bb");
  EXPECT_EQ(from_alb->QueryParam("cursor"), "a+b");
  EXPECT_EQ(from_alb->remote_address, "203.0.113.9");
}

TEST(HttpEventEdges, PathsAreDecodedWhereTheIntegrationDidNot) {
  json::object rest = RestEvent();
  rest["path"] = "/api/courses/a%20b";
  EXPECT_EQ(RequestOf(rest)->path, "/api/courses/a b");
  json::object alb = AlbEvent();
  alb["path"] = "/api/courses/a%2Fb";
  EXPECT_EQ(RequestOf(alb)->path, "/api/courses/a/b");
  json::object v2 = HttpApiEvent();
  v2["rawPath"] = "/api/courses/a%20b";  // already decoded by API Gateway: a literal '%'
  EXPECT_EQ(RequestOf(v2)->path, "/api/courses/a%20b");
}

TEST(HttpEventEdges, Base64BodiesAreDecoded) {
  json::object v2 = HttpApiEvent();
  v2["body"] = "AAEC/w==";
  v2["isBase64Encoded"] = true;
  EXPECT_EQ(RequestOf(v2)->body, std::string("\x00\x01\x02\xff", 4));
  json::object rest = RestEvent();
  rest["body"] = "eyJhIjoxfQ==";
  rest["isBase64Encoded"] = true;
  EXPECT_EQ(RequestOf(rest)->body, R"({"a":1})");
}

TEST(HttpEventEdges, FieldsThatAreWrongBecomeA400InTheEventsFormat) {
  struct Case {
    std::string name;
    json::object event;
    EventSource source;
  };
  std::vector<Case> cases;
  auto add = [&cases](std::string name, json::object event, EventSource source) {
    cases.push_back({std::move(name), std::move(event), source});
  };
  {
    json::object e = HttpApiEvent();
    e["body"] = "not base64!";
    e["isBase64Encoded"] = true;
    add("invalid base64", e, EventSource::kApiGatewayHttp);
    e = HttpApiEvent();
    e["body"] = "QUJD=";  // a length that is not a multiple of 4
    e["isBase64Encoded"] = true;
    add("base64 length", e, EventSource::kApiGatewayHttp);
    e = HttpApiEvent();
    e.erase("rawPath");
    add("no rawPath", e, EventSource::kApiGatewayHttp);
    e = HttpApiEvent();
    e["requestContext"] = json::object{};
    add("no method", e, EventSource::kApiGatewayHttp);
    e = HttpApiEvent();
    e["headers"] = {{"accept", 1}};
    add("header not a string", e, EventSource::kApiGatewayHttp);
    e = HttpApiEvent();
    e["cookies"] = "a=1";
    add("cookies not an array", e, EventSource::kApiGatewayHttp);
  }
  {
    json::object e = RestEvent();
    e.erase("path");
    add("no path", e, EventSource::kApiGatewayRest);
    e = RestEvent();
    e["path"] = "/api/%zz";
    add("bad escape", e, EventSource::kApiGatewayRest);
    e = RestEvent();
    e["path"] = "api/courses";
    add("relative path", e, EventSource::kApiGatewayRest);
    e = RestEvent();
    e["multiValueHeaders"] = {{"Accept", "application/json"}};
    add("multi-value header not an array", e, EventSource::kApiGatewayRest);
    e = RestEvent();
    e["body"] = 42;
    add("body not a string", e, EventSource::kApiGatewayRest);
  }
  {
    json::object e = AlbEvent();
    e.erase("httpMethod");
    add("no httpMethod", e, EventSource::kAlb);
    e = AlbEvent();
    e["queryStringParameters"] = json::array{};
    add("query not an object", e, EventSource::kAlb);
  }
  for (const Case& c : cases) {
    Result<HttpEvent> decoded = DecodeHttpEvent(json::serialize(c.event));
    ASSERT_TRUE(decoded.ok()) << c.name;
    EXPECT_EQ(decoded->format.source, c.source) << c.name;
    ASSERT_FALSE(decoded->request.ok()) << c.name;
    EXPECT_EQ(decoded->request.error().code, ErrorCode::kInvalid) << c.name;
  }
}

TEST(HttpEventEdges, WhatIsNoHttpRequestIsAnUnknownEvent) {
  std::vector<std::string> events = {"",   "not json",     "[1,2]",
                                     "42", R"({"foo":1})", R"({"version":"1.0"})"};
  for (const char* stream :
       {"aws-lambda-go__dynamodb-event.json", "powertools-python__dynamoStreamEvent.json"}) {
    events.push_back(ReadFile(EventsDir() / "dynamodb-streams" / stream));
  }
  for (const std::string& event : events) {
    Result<HttpEvent> decoded = DecodeHttpEvent(event);
    ASSERT_FALSE(decoded.ok()) << event.substr(0, 40);
    EXPECT_EQ(decoded.error().type, kUnknownEventType);
  }
}

TEST(HttpEventEdges, NullMapsAreEmptyAndTheMultiValueFormWins) {
  json::object rest = RestEvent();
  rest["multiValueHeaders"] = nullptr;
  rest["headers"] = {{"X-One", "1"}};
  EXPECT_EQ(Values(RequestOf(rest)->headers, "X-One"), std::vector<std::string>{"1"});
  rest["multiValueHeaders"] = {{"X-One", json::array{"1", "2"}}};
  EXPECT_EQ(Values(RequestOf(rest)->headers, "X-One"), (std::vector<std::string>{"1", "2"}));
  rest["headers"] = nullptr;
  rest["multiValueHeaders"] = nullptr;
  EXPECT_TRUE(RequestOf(rest)->headers.fields().empty());
}

TEST(HttpEventEdges, TheCookiesArrayReplacesACookieHeader) {
  json::object v2 = HttpApiEvent();
  v2["headers"] = {{"cookie", "stale=1"}};
  v2["cookies"] = json::array{"refresh=abc", "theme=dark"};
  EXPECT_EQ(Values(RequestOf(v2)->headers, "Cookie"),
            std::vector<std::string>{"refresh=abc; theme=dark"});
}

TEST(HttpEventEdges, AnAlbResponseMirrorsTheEventsHeaderMode) {
  json::object alb = AlbEvent();
  EXPECT_FALSE(DecodeHttpEvent(json::serialize(alb))->format.multi_value_headers);
  alb.erase("headers");
  alb.erase("queryStringParameters");
  alb["multiValueHeaders"] = {{"x-forwarded-for", json::array{"203.0.113.9"}}};
  alb["multiValueQueryStringParameters"] = {{"limit", json::array{"2"}}};
  Result<HttpEvent> decoded = DecodeHttpEvent(json::serialize(alb));
  ASSERT_TRUE(decoded.ok() && decoded->request.ok());
  EXPECT_TRUE(decoded->format.multi_value_headers);
  EXPECT_EQ(decoded->request->query, "limit=2");
  const json::object response =
      ParseObject(EncodeHttpResponse(http::Response::Json(200, "{}"), decoded->format));
  EXPECT_TRUE(response.contains("multiValueHeaders"));
  EXPECT_FALSE(response.contains("headers"));
}

// Behind CloudFront, the client is the address CloudFront appended to X-Forwarded-For; API
// Gateway reports the edge server as sourceIp and appends it to the header too (as the sample
// shows for a direct caller), which counts as one hop (http/client_address.h).
TEST(HttpEventClientAddress, BehindCloudFrontTheViewerIsTheClient) {
  json::object event = ParseObject(
      ReadFile(EventsDir() / "apigw-http-v2/aws-lambda-go__apigw-v2-request-no-authorizer.json"));
  Result<HttpEvent> direct = DecodeHttpEvent(json::serialize(event));
  ASSERT_TRUE(direct.ok() && direct->request.ok());
  EXPECT_EQ(http::ClientAddress(*direct->request, 0), "1.2.3.4");
  EXPECT_EQ(http::ClientAddress(*direct->request, 1), "1.2.3.4");

  event["headers"].as_object()["x-forwarded-for"] = "10.9.9.9, 203.0.113.7, 130.176.1.2";
  event["requestContext"].as_object()["http"].as_object()["sourceIp"] = "130.176.1.2";
  Result<HttpEvent> behind = DecodeHttpEvent(json::serialize(event));
  ASSERT_TRUE(behind.ok() && behind->request.ok());
  EXPECT_EQ(http::ClientAddress(*behind->request, 1), "203.0.113.7");
  EXPECT_EQ(http::ClientAddress(*behind->request, 0), "130.176.1.2");
}

}  // namespace
}  // namespace practica::lambda
