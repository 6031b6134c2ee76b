#include "http/message.h"

#include <gtest/gtest.h>

namespace practica::http {
namespace {

TEST(PercentDecode, DecodesEscapesAndRejectsMalformedOnes) {
  EXPECT_EQ(PercentDecode("/a%20b%2Fc"), "/a b/c");
  EXPECT_EQ(PercentDecode("a+b"), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("%2e%2E"), "..");
  EXPECT_FALSE(PercentDecode("%"));
  EXPECT_FALSE(PercentDecode("%4"));
  EXPECT_FALSE(PercentDecode("%zz"));
  EXPECT_EQ(PercentDecode("ok%41"), "okA");
}

TEST(Headers, LookupIsCaseInsensitiveAndSetReplaces) {
  Headers headers;
  headers.Add("Content-Type", "text/plain");
  headers.Add("Set-Cookie", "a=1");
  headers.Add("set-cookie", "b=2");
  EXPECT_EQ(headers.Get("content-type"), "text/plain");
  headers.Set("CONTENT-TYPE", "application/json");
  EXPECT_EQ(headers.Get("Content-Type"), "application/json");
  EXPECT_EQ(headers.fields().size(), 3u);
  headers.Remove("SET-COOKIE");
  EXPECT_EQ(headers.fields().size(), 1u);
  EXPECT_FALSE(headers.Has("Set-Cookie"));
}

TEST(Request, QueryParametersAreDecoded) {
  Request request;
  request.query = "limit=5&cursor=intro%2Dstats&q=a+b&flag";
  EXPECT_EQ(request.QueryParam("limit"), "5");
  EXPECT_EQ(request.QueryParam("cursor"), "intro-stats");
  EXPECT_EQ(request.QueryParam("q"), "a b");
  EXPECT_EQ(request.QueryParam("flag"), "");
  EXPECT_FALSE(request.QueryParam("missing"));
}

TEST(Method, RoundTripsKnownNames) {
  for (auto name : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    EXPECT_EQ(ToString(ParseMethod(name)), name);
  }
  EXPECT_EQ(ParseMethod("BREW"), Method::kOther);
  EXPECT_EQ(ParseMethod("get"), Method::kOther);  // methods are case-sensitive
}

}  // namespace
}  // namespace practica::http
