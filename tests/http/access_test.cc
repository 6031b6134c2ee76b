// The pipeline's one door: tokens, roles, second factors, body and rate limits, before handlers.
#include <gtest/gtest.h>

#include "http/pipeline.h"

namespace practica::http {
namespace {

class AccessTest : public ::testing::Test {
 protected:
  AccessTest() {
    const auto echo = [](const Request& r) -> Result<Response> {
      return Response::Json(200, r.principal ? r.principal->user_id : "anonymous");
    };
    router_.Add(Method::kGet, "/api/open", echo);
    router_.Add(Method::kGet, "/api/mine", {Access::kSignedIn, 0, false, {}}, echo);
    router_.Add(Method::kGet, "/api/teach", {Access::kInstructor, 0, false, {}}, echo);
    router_.Add(Method::kGet, "/api/admin", {Access::kAdmin, 0, false, {}}, echo);
    router_.Add(Method::kPost, "/api/small", {Access::kPublic, 10, true, RateLimit{2, 1}}, echo);
  }

  Response Call(Method method, std::string path, std::string token = {}, std::string body = {}) {
    PipelineOptions options;
    options.authenticate = [](std::string_view bearer) -> Result<Principal> {
      // token = "<role>:<mfa>", e.g. "admin:1"; anything else is invalid.
      const size_t colon = bearer.find(':');
      if (colon == std::string_view::npos) return Error::Unauthorized("bad token");
      const auto role = domain::ParseRole(bearer.substr(0, colon));
      if (!role) return Error::Unauthorized("bad token");
      return Principal{"user-" + std::string(bearer.substr(0, colon)), *role, "s1",
                       bearer.substr(colon + 1) == "1"};
    };
    Pipeline pipeline(router_, std::move(options));
    Request request;
    request.method = method;
    request.path = std::move(path);
    request.body = std::move(body);
    request.remote_address = "10.0.0.1";
    if (!token.empty()) request.headers.Set("Authorization", "Bearer " + token);
    return pipeline.Handle(request);
  }

  Router router_;
};

TEST_F(AccessTest, PublicRoutesWorkWithoutAToken) {
  EXPECT_EQ(Call(Method::kGet, "/api/open").body, "anonymous");
  EXPECT_EQ(Call(Method::kGet, "/api/open", "learner:0").body, "user-learner");
}

TEST_F(AccessTest, AnInvalidTokenIs401EvenOnPublicRoutes) {
  const Response response = Call(Method::kGet, "/api/open", "nonsense");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.headers.Get("WWW-Authenticate"), "Bearer");
}

TEST_F(AccessTest, SignedInRoutesNeedAToken) {
  EXPECT_EQ(Call(Method::kGet, "/api/mine").status, 401);
  EXPECT_EQ(Call(Method::kGet, "/api/mine", "learner:0").status, 200);
}

TEST_F(AccessTest, RolesAndSecondFactorGateInstructorAndAdminRoutes) {
  EXPECT_EQ(Call(Method::kGet, "/api/teach", "learner:1").status, 403);
  EXPECT_EQ(Call(Method::kGet, "/api/teach", "instructor:1").status, 200);
  EXPECT_EQ(Call(Method::kGet, "/api/teach", "admin:1").status, 200);
  EXPECT_EQ(Call(Method::kGet, "/api/admin", "instructor:1").status, 403);
  EXPECT_EQ(Call(Method::kGet, "/api/admin", "admin:1").status, 200);
  const Response no_mfa = Call(Method::kGet, "/api/admin", "admin:0");
  EXPECT_EQ(no_mfa.status, 403);
  EXPECT_NE(no_mfa.body.find("urn:practica:problem:mfa-enrollment-required"), std::string::npos);
}

TEST_F(AccessTest, MalformedAuthorizationHeadersAre401) {
  PipelineOptions options;
  Pipeline pipeline(router_, std::move(options));
  for (const char* value : {"Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "token"}) {
    Request request;
    request.path = "/api/open";
    request.headers.Set("Authorization", value);
    EXPECT_EQ(pipeline.Handle(request).status, 401) << value;
  }
}

TEST_F(AccessTest, BodyLimitIsPerRoute) {
  EXPECT_EQ(Call(Method::kPost, "/api/small", "", "0123456789").status, 200);
  EXPECT_EQ(Call(Method::kPost, "/api/small", "", "0123456789x").status, 413);
}

TEST_F(AccessTest, PerClientRateLimitAnswers429WithRetryAfter) {
  PipelineOptions options;
  Pipeline pipeline(router_, std::move(options));
  int limited = 0;
  for (int i = 0; i < 4; ++i) {
    Request request;
    request.method = Method::kPost;
    request.path = "/api/small";
    request.remote_address = "10.0.0.9";
    const Response response = pipeline.Handle(request);
    if (response.status == 429) {
      ++limited;
      EXPECT_TRUE(response.headers.Has("Retry-After"));
    }
  }
  EXPECT_EQ(limited, 2);
}

TEST_F(AccessTest, BlockingRoutesAreReported) {
  PipelineOptions options;
  Pipeline pipeline(router_, std::move(options));
  Request small;
  small.method = Method::kPost;
  small.path = "/api/small";
  EXPECT_TRUE(pipeline.IsBlocking(small));
  Request open;
  open.path = "/api/open";
  EXPECT_FALSE(pipeline.IsBlocking(open));
}

}  // namespace
}  // namespace practica::http
