#include "http/problem.h"

#include <gtest/gtest.h>

namespace practica::http {
namespace {

TEST(Problem, CarriesTypeTitleStatusDetailAndRequestId) {
  const Response response = Problem(404, "No course \"x\".", "abc123");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.headers.Get("Content-Type"), "application/problem+json");
  EXPECT_EQ(response.body,
            R"({"type":"urn:practica:problem:not-found","title":"Not Found","status":404,)"
            R"("detail":"No course \"x\".","request_id":"abc123"})");
}

TEST(Problem, ValidationErrorsListFields) {
  const Response response =
      ProblemFromError(Error::Invalid("Bad input.", {{"limit", "too big"}}), "r1");
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find(R"("errors":[{"field":"limit","message":"too big"}])"),
            std::string::npos);
}

TEST(Problem, EveryErrorCodeMapsToItsStatus) {
  EXPECT_EQ(StatusFor(ErrorCode::kInvalid), 400);
  EXPECT_EQ(StatusFor(ErrorCode::kUnauthorized), 401);
  EXPECT_EQ(StatusFor(ErrorCode::kForbidden), 403);
  EXPECT_EQ(StatusFor(ErrorCode::kNotFound), 404);
  EXPECT_EQ(StatusFor(ErrorCode::kConflict), 409);
  EXPECT_EQ(StatusFor(ErrorCode::kPreconditionFailed), 412);
  EXPECT_EQ(StatusFor(ErrorCode::kTooLarge), 413);
  EXPECT_EQ(StatusFor(ErrorCode::kInternal), 500);
  EXPECT_EQ(StatusFor(ErrorCode::kUnavailable), 503);
}

TEST(Problem, InternalErrorsHideTheirMessage) {
  const Response response =
      ProblemFromError(Error::Internal("sqlite: disk I/O error at /secret/path"), "r2");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("secret"), std::string::npos);
}

TEST(Problem, UnavailableAndRateLimitedSayWhenToTryAgain) {
  Error unavailable = Error::Unavailable("The store gave up; try again.");
  unavailable.retry_after = 3;
  const Response down = ProblemFromError(unavailable, "r1");
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(down.headers.Get("Retry-After"), "3");
  // Without a hint, one second.
  EXPECT_EQ(ProblemFromError(Error::Unavailable("down"), "r2").headers.Get("Retry-After"), "1");
  EXPECT_EQ(ProblemFromError(Error::RateLimited("slow down", 7), "r3").headers.Get("Retry-After"),
            "7");
  EXPECT_FALSE(ProblemFromError(Error::Conflict("no"), "r4").headers.Has("Retry-After"));
}

}  // namespace
}  // namespace practica::http
