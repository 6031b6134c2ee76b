#include "lambda/runtime.h"

#include <gtest/gtest.h>

#include <deque>
#include <stdexcept>

#include "common/log.h"

namespace practica::lambda {
namespace {

// The Runtime API as a script: the invocations Next hands out (then "gone"), and a record of what
// was posted.
class ScriptedRuntimeApi final : public RuntimeApi {
 public:
  std::deque<Invocation> invocations;
  std::deque<Status> response_statuses;  // PostResponse answers these first, then Ok
  std::vector<std::pair<std::string, std::string>> responses;
  std::vector<std::pair<std::string, FunctionError>> errors;
  std::vector<FunctionError> init_errors;
  int next_calls = 0;

  Result<Invocation> Next() override {
    ++next_calls;
    if (interrupted) return Error::Unavailable("interrupted");
    if (invocations.empty()) return Error::Unavailable("the Runtime API is gone");
    Invocation invocation = std::move(invocations.front());
    invocations.pop_front();
    return invocation;
  }
  Status PostResponse(std::string_view request_id, std::string_view payload) override {
    responses.emplace_back(request_id, payload);
    if (response_statuses.empty()) return Status::Ok();
    Status status = std::move(response_statuses.front());
    response_statuses.pop_front();
    return status;
  }
  Status PostError(std::string_view request_id, const FunctionError& error) override {
    errors.emplace_back(request_id, error);
    return Status::Ok();
  }
  Status PostInitError(const FunctionError& error) override {
    init_errors.push_back(error);
    return Status::Ok();
  }
  void Interrupt() override { interrupted = true; }
  bool interrupted = false;

  void Add(std::string id, std::string event, int64_t deadline_ms = 0) {
    invocations.push_back({std::move(id), "Root=1-trace-" + event, "arn", deadline_ms, event});
  }
};

constexpr int64_t kNow = 1'800'000'000'000;
int64_t FixedNow() { return kNow; }

Result<std::string> Echo(const Invocation& invocation) { return "echo:" + invocation.event; }

TEST(Runtime, PostsEveryResponseUntilTheRuntimeApiGoesAway) {
  ScriptedRuntimeApi api;
  api.Add("id-1", "a");
  api.Add("id-2", "b");
  Runtime runtime(api, FixedNow);
  const Status run = runtime.Run(Echo);
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.error().code, ErrorCode::kUnavailable);
  using Posted = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(api.responses, (Posted{{"id-1", "echo:a"}, {"id-2", "echo:b"}}));
  EXPECT_TRUE(api.errors.empty());
}

TEST(Runtime, AHandlersErrorOrExceptionIsAnInvocationErrorAndTheLoopGoesOn) {
  ScriptedRuntimeApi api;
  api.Add("typed", "x");
  api.Add("plain", "x");
  api.Add("throws", "x");
  api.Add("fine", "x");
  Runtime runtime(api, FixedNow);
  (void)runtime.Run([](const Invocation& invocation) -> Result<std::string> {
    if (invocation.request_id == "typed") {
      Error error = Error::Invalid("not an HTTP event");
      error.type = "Practica.UnknownEvent";
      return error;
    }
    if (invocation.request_id == "plain") return Error::Unavailable("store down");
    if (invocation.request_id == "throws") throw std::runtime_error("boom");
    return std::string("ok");
  });
  ASSERT_EQ(api.errors.size(), 3u);
  EXPECT_EQ(api.errors[0].first, "typed");
  EXPECT_EQ(api.errors[0].second.type, "Practica.UnknownEvent");
  EXPECT_EQ(api.errors[0].second.message, "not an HTTP event");
  EXPECT_EQ(api.errors[1].second.type, "Practica.Unavailable");
  EXPECT_EQ(api.errors[2].second.type, "Practica.Unhandled");
  EXPECT_EQ(api.errors[2].second.message, "boom");
  ASSERT_EQ(api.responses.size(), 1u);
  EXPECT_EQ(api.responses[0].first, "fine");
}

TEST(Runtime, AnInvocationPastItsDeadlineIsNotStarted) {
  ScriptedRuntimeApi api;
  api.Add("late", "x", kNow - 1);
  api.Add("on-time", "x", kNow + 1);
  api.Add("no-deadline", "x", 0);
  Runtime runtime(api, FixedNow);
  std::vector<std::string> handled;
  (void)runtime.Run([&handled](const Invocation& invocation) -> Result<std::string> {
    handled.push_back(invocation.request_id);
    return std::string("ok");
  });
  EXPECT_EQ(handled, (std::vector<std::string>{"on-time", "no-deadline"}));
  ASSERT_EQ(api.errors.size(), 1u);
  EXPECT_EQ(api.errors[0].second.type, "Practica.DeadlineExceeded");
}

TEST(Runtime, ARefusedPostEndsOnlyThatInvocation) {
  ScriptedRuntimeApi api;
  api.Add("too-big", "x");
  api.Add("next", "x");
  api.response_statuses.push_back(Error::Invalid("HTTP 413"));
  Runtime runtime(api, FixedNow);
  (void)runtime.Run(Echo);
  EXPECT_EQ(api.responses.size(), 2u);

  ScriptedRuntimeApi gone;
  gone.Add("one", "x");
  gone.Add("never", "x");
  gone.response_statuses.push_back(Error::Unavailable("connection refused"));
  Runtime second(gone, FixedNow);
  const Status run = second.Run(Echo);
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.error().message, "connection refused");
  EXPECT_EQ(gone.responses.size(), 1u);
  EXPECT_EQ(gone.next_calls, 1);
}

TEST(Runtime, StopEndsTheWaitForTheNextInvocation) {
  ScriptedRuntimeApi api;
  api.Add("never", "x");
  Runtime runtime(api, FixedNow);
  runtime.Stop();
  EXPECT_TRUE(api.interrupted);
  EXPECT_TRUE(runtime.Run(Echo).ok());
  EXPECT_TRUE(api.responses.empty());
}

TEST(Runtime, StopDuringAnInvocationLetsItFinish) {
  ScriptedRuntimeApi api;
  api.Add("busy", "x");
  api.Add("never", "x");
  Runtime runtime(api, FixedNow);
  const Status run = runtime.Run([&](const Invocation&) -> Result<std::string> {
    runtime.Stop();
    return std::string("done");
  });
  EXPECT_TRUE(run.ok());
  ASSERT_EQ(api.responses.size(), 1u);
  EXPECT_EQ(api.responses[0].second, "done");
  EXPECT_EQ(api.next_calls, 1);
}

TEST(Runtime, EveryLogLineOfAnInvocationNamesItAndNoOtherDoes) {
  ScriptedRuntimeApi api;
  api.Add("req-7", "t7");
  Runtime runtime(api, FixedNow);
  testing::internal::CaptureStdout();
  (void)runtime.Run([](const Invocation&) -> Result<std::string> {
    log::Info("inside the handler");
    return Error::Internal("failed");
  });
  const std::string out = testing::internal::GetCapturedStdout();
  std::vector<std::string> lines;
  for (size_t start = 0, end; (end = out.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(out.substr(start, end - start));
  }
  ASSERT_EQ(lines.size(), 3u)
      << out;  // the handler's, "invocation failed", "the Runtime API failed"
  for (int i : {0, 1}) {
    EXPECT_NE(lines[i].find(R"("aws_request_id":"req-7")"), std::string::npos) << lines[i];
    EXPECT_NE(lines[i].find(R"("xray_trace_id":"Root=1-trace-t7")"), std::string::npos);
  }
  EXPECT_EQ(lines[2].find("aws_request_id"), std::string::npos) << lines[2];
}

TEST(Runtime, AFailedStartIsReportedAsAnInitError) {
  ScriptedRuntimeApi api;
  Runtime runtime(api, FixedNow);
  EXPECT_TRUE(runtime.FailInit(Error::Invalid("PRACTICA_CONTENT_STORE: no such store")).ok());
  ASSERT_EQ(api.init_errors.size(), 1u);
  EXPECT_EQ(api.init_errors[0].type, "Practica.Invalid");
  EXPECT_EQ(api.init_errors[0].message, "PRACTICA_CONTENT_STORE: no such store");
}

TEST(Runtime, ErrorTypesNameTheKindOfFailure) {
  EXPECT_EQ(ErrorTypeFor(Error::NotFound("x")), "Practica.NotFound");
  EXPECT_EQ(ErrorTypeFor(Error::Internal("x")), "Practica.Internal");
  EXPECT_EQ(ErrorTypeFor(Error::Forbidden("x", "Practica.Custom")), "Practica.Custom");
}

}  // namespace
}  // namespace practica::lambda
