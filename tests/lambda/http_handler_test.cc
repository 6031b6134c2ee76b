#include "lambda/http_handler.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <thread>

#include "lambda/http_event.h"

namespace practica::lambda {
namespace {

namespace json = boost::json;

// A router whose handlers report what they saw, behind the real pipeline.
class HttpHandlerTest : public ::testing::Test {
 protected:
  HttpHandlerTest() {
    router_.Add(http::Method::kGet, "/api/echo", [](const http::Request& request) {
      json::object seen{{"path", request.path},
                        {"query", request.query},
                        {"cookie", request.headers.Get("Cookie").value_or("")},
                        {"remote", request.remote_address}};
      http::Response response = http::Response::Json(200, json::serialize(seen));
      response.headers.Add("Set-Cookie", "a=1");
      response.headers.Add("Set-Cookie", "b=2");
      return Result<http::Response>(std::move(response));
    });
    router_.Add(http::Method::kGet, "/api/big", [](const http::Request&) {
      return Result<http::Response>(
          http::Response::Json(200, "\"" + std::string(HttpHandler::kMaxPayloadBytes, 'x') + "\""));
    });
    // Answers from another thread, as the SQLite writer does after a group commit.
    router_.AddAsync(http::Method::kPost, "/api/later", {http::Access::kPublic, 1024, false, {}},
                     [](const http::Request& request, http::Reply reply) {
                       std::thread([body = request.body, reply = std::move(reply)] {
                         reply(http::Response::Json(201, body));
                       }).detach();
                     });
  }

  json::object Handle(const json::object& event) {
    Result<std::string> payload = handler_.Handle({"id", "", "arn", 0, json::serialize(event)});
    EXPECT_TRUE(payload.ok()) << payload.error().message;
    return payload.ok() ? json::parse(*payload).as_object() : json::object();
  }

  http::Router router_;
  http::Pipeline pipeline_{router_, nullptr};
  HttpHandler handler_{pipeline_};
};

json::object HttpApiEvent(std::string_view method, std::string_view path) {
  return {{"version", "2.0"},
          {"rawPath", path},
          {"rawQueryString", "x=1"},
          {"cookies", json::array{"refresh=r1"}},
          {"requestContext", {{"http", {{"method", method}, {"sourceIp", "203.0.113.9"}}}}}};
}

TEST_F(HttpHandlerTest, ServesTheRequestThroughThePipeline) {
  const json::object response = Handle(HttpApiEvent("GET", "/api/echo"));
  EXPECT_EQ(response.at("statusCode").to_number<int>(), 200);
  EXPECT_EQ(json::parse(response.at("body").as_string()),
            (json::object{{"path", "/api/echo"},
                          {"query", "x=1"},
                          {"cookie", "refresh=r1"},
                          {"remote", "203.0.113.9"}}));
  EXPECT_EQ(response.at("cookies"), (json::array{"a=1", "b=2"}));
  const json::object& headers = response.at("headers").as_object();
  EXPECT_TRUE(headers.contains("X-Request-Id"));
  EXPECT_TRUE(headers.contains("Content-Security-Policy"));
}

TEST_F(HttpHandlerTest, AnAsynchronousRouteIsAwaited) {
  json::object event = HttpApiEvent("POST", "/api/later");
  event["body"] = R"({"n":1})";
  const json::object response = Handle(event);
  EXPECT_EQ(response.at("statusCode").to_number<int>(), 201);
  EXPECT_EQ(response.at("body").as_string(), R"({"n":1})");
}

TEST_F(HttpHandlerTest, RoutingAndLimitsAreThePipelines) {
  EXPECT_EQ(Handle(HttpApiEvent("GET", "/api/missing")).at("statusCode").to_number<int>(), 404);
  EXPECT_EQ(Handle(HttpApiEvent("DELETE", "/api/echo")).at("statusCode").to_number<int>(), 405);
  json::object large = HttpApiEvent("POST", "/api/later");
  large["body"] = std::string(2048, 'x');
  EXPECT_EQ(Handle(large).at("statusCode").to_number<int>(), 413);
  // Outside /api/ there is nothing in Lambda (CloudFront serves the web app).
  EXPECT_EQ(Handle(HttpApiEvent("GET", "/index.html")).at("statusCode").to_number<int>(), 404);
}

TEST_F(HttpHandlerTest, AMalformedEventOfAKnownShapeIsA400Problem) {
  json::object event = HttpApiEvent("POST", "/api/later");
  event["body"] = "%%% not base64";
  event["isBase64Encoded"] = true;
  const json::object response = Handle(event);
  EXPECT_EQ(response.at("statusCode").to_number<int>(), 400);
  const json::object& headers = response.at("headers").as_object();
  EXPECT_EQ(headers.at("Content-Type").as_string(), "application/problem+json");
  EXPECT_TRUE(headers.contains("X-Request-Id"));
  EXPECT_TRUE(headers.contains("X-Content-Type-Options"));
  const json::value problem = json::parse(response.at("body").as_string());
  EXPECT_EQ(problem.at("status").to_number<int>(), 400);
  EXPECT_NE(std::string(problem.at("detail").as_string()).find("base64"), std::string::npos);
}

TEST_F(HttpHandlerTest, AnEventThatIsNoHttpRequestIsAnError) {
  Result<std::string> payload = handler_.Handle({"id", "", "arn", 0, R"({"Records":[]})"});
  ASSERT_FALSE(payload.ok());
  EXPECT_EQ(payload.error().type, kUnknownEventType);
}

TEST_F(HttpHandlerTest, HeadHasTheHeadersAndNoBody) {
  const json::object response = Handle(HttpApiEvent("HEAD", "/api/echo"));
  EXPECT_EQ(response.at("statusCode").to_number<int>(), 200);
  EXPECT_EQ(response.at("body").as_string(), "");
  EXPECT_TRUE(response.at("headers").as_object().contains("Content-Type"));
}

TEST_F(HttpHandlerTest, AResponseLambdaCannotReturnBecomesA500) {
  const json::object response = Handle(HttpApiEvent("GET", "/api/big"));
  EXPECT_EQ(response.at("statusCode").to_number<int>(), 500);
  EXPECT_EQ(response.at("headers").as_object().at("Content-Type").as_string(),
            "application/problem+json");
}

}  // namespace
}  // namespace practica::lambda
