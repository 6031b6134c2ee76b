#include "api/json_body.h"

#include <gtest/gtest.h>

namespace practica::api {
namespace {

http::Request Body(std::string body, std::string type = "application/json") {
  http::Request request;
  request.method = http::Method::kPost;
  request.headers.Set("Content-Type", type);
  request.body = std::move(body);
  return request;
}

TEST(JsonBody, ParsesAnObject) {
  auto parsed =
      ParseJsonObjectBody(Body(R"({"answer": [1, "two"]})", "application/json; charset=utf-8"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->at("answer").as_array().size(), 2u);
}

TEST(JsonBody, RefusesOtherMediaTypes) {
  auto parsed = ParseJsonObjectBody(Body("{}", "text/plain"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(parsed.error().fields.at(0).field, "Content-Type");
}

TEST(JsonBody, RefusesInvalidUtf8) {
  auto parsed = ParseJsonObjectBody(Body("{\"a\":\"\xc3\x28\"}"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("UTF-8"), std::string::npos);
}

TEST(JsonBody, RefusesMalformedJsonWithAPosition) {
  for (const char* body : {"{", "{\"a\":}", "[1,2", "nul", "{} trailing", ""}) {
    auto parsed = ParseJsonObjectBody(Body(body));
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_NE(parsed.error().message.find("byte"), std::string::npos) << body;
  }
}

TEST(JsonBody, RefusesDeepNesting) {
  std::string deep = "{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}";
  EXPECT_FALSE(ParseJsonObjectBody(Body(deep)).ok());
  std::string ok = "{\"a\":" + std::string(20, '[') + std::string(20, ']') + "}";
  EXPECT_TRUE(ParseJsonObjectBody(Body(ok)).ok());
}

TEST(JsonBody, RefusesNonObjects) {
  EXPECT_FALSE(ParseJsonObjectBody(Body("[]")).ok());
  EXPECT_FALSE(ParseJsonObjectBody(Body("42")).ok());
}

}  // namespace
}  // namespace practica::api
