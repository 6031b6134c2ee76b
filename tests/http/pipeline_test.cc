#include "http/pipeline.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace practica::http {
namespace {

class PipelineTest : public ::testing::Test {
 protected:
  PipelineTest() {
    router_.Add(Method::kGet, "/api/ok",
                [](const Request&) -> Result<Response> { return Response::Json(200, "{}"); });
    router_.Add(Method::kGet, "/api/throws",
                [](const Request&) -> Result<Response> { throw std::runtime_error("boom"); });
  }
  Router router_;
};

TEST_F(PipelineTest, AddsSecurityHeadersAndRequestIdToEveryResponse) {
  const Pipeline pipeline(router_, nullptr);
  for (const char* path : {"/api/ok", "/api/missing", "/elsewhere"}) {
    Request request;
    request.path = path;
    const Response response = pipeline.Handle(request);
    const auto csp = response.headers.Get("Content-Security-Policy");
    ASSERT_TRUE(csp) << path;
    EXPECT_NE(csp->find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_NE(csp->find("script-src 'self'"), std::string::npos);
    EXPECT_EQ(csp->find("script-src 'self' 'unsafe-inline'"), std::string::npos);
    EXPECT_EQ(response.headers.Get("X-Content-Type-Options"), "nosniff");
    EXPECT_TRUE(response.headers.Has("Referrer-Policy"));
    ASSERT_TRUE(response.headers.Has("X-Request-Id"));
    EXPECT_EQ(response.headers.Get("X-Request-Id")->size(), 16u);
  }
}

TEST_F(PipelineTest, KeepsASafeIncomingRequestIdAndReplacesAnUnsafeOne) {
  const Pipeline pipeline(router_, nullptr);
  Request request;
  request.path = "/api/missing";
  request.headers.Set("X-Request-Id", "trace-1.2_3");
  Response response = pipeline.Handle(request);
  EXPECT_EQ(response.headers.Get("X-Request-Id"), "trace-1.2_3");
  EXPECT_NE(response.body.find("\"request_id\":\"trace-1.2_3\""), std::string::npos);

  Request evil;
  evil.path = "/api/ok";
  evil.headers.Set("X-Request-Id", "a\"b\r\nSet-Cookie: x=1");
  response = pipeline.Handle(evil);
  EXPECT_NE(response.headers.Get("X-Request-Id"), "a\"b\r\nSet-Cookie: x=1");
  EXPECT_EQ(response.headers.Get("X-Request-Id")->find('\n'), std::string::npos);
}

TEST_F(PipelineTest, AnEscapingExceptionBecomesA500Problem) {
  const Pipeline pipeline(router_, nullptr);
  Request request;
  request.path = "/api/throws";
  const Response response = pipeline.Handle(request);
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.headers.Get("Content-Type"), "application/problem+json");
  EXPECT_EQ(response.body.find("boom"), std::string::npos);
}

TEST_F(PipelineTest, NonApiPathsGoToTheFallback) {
  const Pipeline pipeline(router_, [](const Request& r) {
    Response response;
    response.body = "static:" + r.path;
    return response;
  });
  Request page;
  page.path = "/courses/x";
  EXPECT_EQ(pipeline.Handle(page).body, "static:/courses/x");
  Request api;
  api.path = "/api/ok";
  EXPECT_EQ(pipeline.Handle(api).body, "{}");
  Request apiish;
  apiish.path = "/apix";
  EXPECT_EQ(pipeline.Handle(apiish).body, "static:/apix");
}

TEST_F(PipelineTest, BodyLimitIsRaisedOnlyForCallersASignedInRouteAdmits) {
  const auto ok = [](const Request&) -> Result<Response> { return Response::Json(200, "{}"); };
  router_.Add(Method::kPost, "/api/upload", RouteOptions{Access::kInstructor, 50 << 20, true, {}},
              ok);
  router_.Add(Method::kPost, "/api/open", RouteOptions{Access::kPublic, 50 << 20, true, {}}, ok);
  router_.Add(Method::kPost, "/api/note", RouteOptions{Access::kSignedIn, 4096, true, {}}, ok);
  PipelineOptions options;
  options.authenticate = [](std::string_view token) -> Result<Principal> {
    if (token == "instructor") return Principal{"u1", domain::Role::kInstructor, "s1", true};
    if (token == "learner") return Principal{"u2", domain::Role::kLearner, "s2", true};
    return Error::Unauthorized("bad token");
  };
  const Pipeline pipeline(router_, std::move(options));
  const auto limit = [&](std::string_view path, std::string_view token) {
    Request head;
    head.method = Method::kPost;
    head.path = std::string(path);
    if (!token.empty()) head.headers.Set("Authorization", "Bearer " + std::string(token));
    return pipeline.BodyLimit(head, 1 << 20);
  };
  EXPECT_EQ(limit("/api/upload", "instructor"), size_t{50} << 20);
  EXPECT_EQ(limit("/api/upload", "learner"), size_t{1} << 20);  // the route's role check
  EXPECT_EQ(limit("/api/upload", "forged"), size_t{1} << 20);
  EXPECT_EQ(limit("/api/upload", ""), size_t{1} << 20);
  EXPECT_EQ(limit("/api/open", "instructor"), size_t{1} << 20);  // never for a public route
  EXPECT_EQ(limit("/api/note", "instructor"), size_t{1} << 20);  // a route under the limit
  EXPECT_EQ(limit("/api/nowhere", "instructor"), size_t{1} << 20);
  EXPECT_EQ(limit("/elsewhere", "instructor"), size_t{1} << 20);
}

TEST_F(PipelineTest, AnOriginCheckRefusesApiRequestsButNeverTheHealthCheck) {
  router_.Add(Method::kGet, std::string(kHealthPath),
              [](const Request&) -> Result<Response> { return Response::Json(200, "{}"); });
  PipelineOptions options;
  options.fallback = [](const Request&) { return Response{}; };
  options.check_origin = [](const Request& request) {
    return request.headers.Get("X-Origin-Verify") == "edge";
  };
  const Pipeline pipeline(router_, std::move(options));
  const auto status = [&](std::string_view path, std::string_view header) {
    Request request;
    request.path = std::string(path);
    if (!header.empty()) request.headers.Set("X-Origin-Verify", header);
    const Response response = pipeline.Handle(request);
    if (response.status == 403) {
      EXPECT_EQ(response.headers.Get("Content-Type"), "application/problem+json");
      EXPECT_NE(response.body.find("origin-not-verified"), std::string::npos);
    }
    return response.status;
  };
  EXPECT_EQ(status("/api/ok", "edge"), 200);
  EXPECT_EQ(status("/api/ok", ""), 403);
  EXPECT_EQ(status("/api/ok", "guess"), 403);
  EXPECT_EQ(status("/api/missing", ""), 403);  // before routing: no probing of the API's shape
  EXPECT_EQ(status("/api/health", ""), 200);   // the load balancer's health check
  EXPECT_EQ(status("/index.html", ""), 200);   // static files are not the API
}

TEST_F(PipelineTest, PerClientLimitsKeyOnTheAddressTheTrustedProxiesReport) {
  router_.Add(Method::kPost, "/api/auth/login",
              RouteOptions{Access::kPublic, 4096, false, RateLimit{1, 1}},
              [](const Request&) -> Result<Response> { return Response::Json(200, "{}"); });
  const auto statuses = [&](int trusted_proxies) {
    PipelineOptions options;
    options.trusted_proxies = trusted_proxies;
    const Pipeline pipeline(router_, std::move(options));
    std::vector<int> seen;
    // Two viewers behind the same edge server, then the first again.
    for (const char* viewer : {"203.0.113.7", "198.51.100.4", "203.0.113.7"}) {
      Request request;
      request.method = Method::kPost;
      request.path = "/api/auth/login";
      request.remote_address = "130.176.1.2";
      request.headers.Set("X-Forwarded-For", viewer);
      seen.push_back(pipeline.Handle(request).status);
    }
    return seen;
  };
  // Trusting the edge: each viewer has a bucket of its own.
  EXPECT_EQ(statuses(1), (std::vector<int>{200, 200, 429}));
  // By default the header is not believed: the edge server is one client.
  EXPECT_EQ(statuses(0), (std::vector<int>{200, 429, 429}));
}

}  // namespace
}  // namespace practica::http
