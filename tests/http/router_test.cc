#include "http/router.h"

#include <gtest/gtest.h>

namespace practica::http {
namespace {

Router MakeRouter() {
  Router router;
  router.Add(Method::kGet, "/api/courses",
             [](const Request&) -> Result<Response> { return Response::Json(200, "list"); });
  router.Add(Method::kGet, "/api/courses/{course}", [](const Request& r) -> Result<Response> {
    return Response::Json(200, std::string(r.Param("course")));
  });
  router.Add(Method::kGet, "/api/courses/{course}/lessons/{lesson}",
             [](const Request& r) -> Result<Response> {
               return Response::Json(
                   200, std::string(r.Param("course")) + "|" + std::string(r.Param("lesson")));
             });
  router.Add(Method::kPost, "/api/courses/{course}/enroll",
             [](const Request&) -> Result<Response> { return Error::NotFound("no such course"); });
  return router;
}

Request Make(Method method, std::string path) {
  Request request;
  request.method = method;
  request.path = std::move(path);
  request.request_id = "rid";
  return request;
}

TEST(Router, MatchesLiteralAndParameterSegments) {
  const Router router = MakeRouter();
  auto request = Make(Method::kGet, "/api/courses");
  EXPECT_EQ(router.Dispatch(request).body, "list");
  request = Make(Method::kGet, "/api/courses/stats");
  EXPECT_EQ(router.Dispatch(request).body, "stats");
  request = Make(Method::kGet, "/api/courses/stats/lessons/mean");
  EXPECT_EQ(router.Dispatch(request).body, "stats|mean");
}

TEST(Router, HeadIsServedByGetRoutes) {
  const Router router = MakeRouter();
  auto request = Make(Method::kHead, "/api/courses");
  EXPECT_EQ(router.Dispatch(request).status, 200);
}

TEST(Router, UnknownPathIs404Problem) {
  const Router router = MakeRouter();
  for (const char* path : {"/api/nothing", "/api/courses/a/b", "/api/courses/", "/api"}) {
    auto request = Make(Method::kGet, path);
    const Response response = router.Dispatch(request);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.headers.Get("Content-Type"), "application/problem+json");
    EXPECT_NE(response.body.find("\"request_id\":\"rid\""), std::string::npos);
  }
}

TEST(Router, WrongMethodIs405WithAllow) {
  const Router router = MakeRouter();
  auto request = Make(Method::kDelete, "/api/courses/stats");
  Response response = router.Dispatch(request);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.headers.Get("Allow"), "GET, HEAD");

  request = Make(Method::kGet, "/api/courses/stats/enroll");
  response = router.Dispatch(request);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.headers.Get("Allow"), "POST");
}

TEST(Router, HandlerErrorsBecomeProblems) {
  const Router router = MakeRouter();
  auto request = Make(Method::kPost, "/api/courses/x/enroll");
  const Response response = router.Dispatch(request);
  EXPECT_EQ(response.status, 404);
  EXPECT_NE(response.body.find("no such course"), std::string::npos);
}

TEST(RouterDeathTest, DuplicateRouteAborts) {
  EXPECT_DEATH(
      {
        Router router = MakeRouter();
        router.Add(Method::kGet, "/api/courses",
                   [](const Request&) -> Result<Response> { return Response::Json(200, ""); });
      },
      "");
}

}  // namespace
}  // namespace practica::http
