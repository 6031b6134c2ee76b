#include "lambda/runtime.h"

#include <chrono>
#include <exception>

#include "common/log.h"

namespace practica::lambda {
namespace {

std::string_view PascalName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalid:
      return "Invalid";
    case ErrorCode::kNotFound:
      return "NotFound";
    case ErrorCode::kConflict:
      return "Conflict";
    case ErrorCode::kUnprocessable:
      return "Unprocessable";
    case ErrorCode::kPreconditionFailed:
      return "PreconditionFailed";
    case ErrorCode::kUnauthorized:
      return "Unauthorized";
    case ErrorCode::kForbidden:
      return "Forbidden";
    case ErrorCode::kTooLarge:
      return "TooLarge";
    case ErrorCode::kRateLimited:
      return "RateLimited";
    case ErrorCode::kUnavailable:
      return "Unavailable";
    case ErrorCode::kInternal:
      return "Internal";
  }
  return "Internal";
}

// While an invocation is served, every log line names it (log::SetContext).
class InvocationLogContext {
 public:
  explicit InvocationLogContext(const Invocation& invocation) {
    log::SetContext(
        {{"aws_request_id", invocation.request_id}, {"xray_trace_id", invocation.trace_id}});
  }
  ~InvocationLogContext() { log::ClearContext(); }
  InvocationLogContext(const InvocationLogContext&) = delete;
  InvocationLogContext& operator=(const InvocationLogContext&) = delete;
};

}  // namespace

std::string ErrorTypeFor(const Error& error) {
  if (!error.type.empty()) return error.type;
  return "Practica." + std::string(PascalName(error.code));
}

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Runtime::Runtime(RuntimeApi& api, WallClockMs now_ms) : api_(api), now_ms_(std::move(now_ms)) {}

Status Runtime::FailInit(const Error& error) {
  log::Error("start-up failed", {{"error", error.message}});
  const Status reported = api_.PostInitError({ErrorTypeFor(error), error.message});
  if (!reported.ok()) {
    log::Error("the Runtime API did not take the start-up error",
               {{"error", reported.error().message}});
  }
  return reported;
}

Status Runtime::Run(const InvocationHandler& handler) {
  while (!stopping_.load()) {
    Result<Invocation> invocation = api_.Next();
    if (!invocation.ok()) {
      if (stopping_.load()) break;  // Stop() interrupted the wait
      log::Error("the Runtime API failed", {{"error", invocation.error().message}});
      return std::move(invocation).error();
    }
    if (Status served = Serve(*invocation, handler); !served.ok()) return served;
  }
  return Status::Ok();
}

Result<std::string> Runtime::Outcome(const Invocation& invocation,
                                     const InvocationHandler& handler) const {
  if (invocation.deadline_ms != 0 && now_ms_() >= invocation.deadline_ms) {
    Error late = Error::Unavailable("The invocation's deadline passed before it could start.");
    late.type = "Practica.DeadlineExceeded";
    return late;
  }
  try {
    return handler(invocation);
  } catch (const std::exception& e) {
    Error unhandled = Error::Internal(e.what());
    unhandled.type = "Practica.Unhandled";
    return unhandled;
  }
}

Status Runtime::Serve(const Invocation& invocation, const InvocationHandler& handler) {
  const InvocationLogContext context(invocation);
  const Result<std::string> result = Outcome(invocation, handler);
  Status posted = Status::Ok();
  if (result.ok()) {
    posted = api_.PostResponse(invocation.request_id, *result);
  } else {
    const Error& error = result.error();
    const std::string type = ErrorTypeFor(error);
    log::Warn("invocation failed", {{"error_type", type}, {"error", error.message}});
    posted = api_.PostError(invocation.request_id, {type, error.message});
  }
  if (posted.ok()) return posted;
  // Refused (HTTP 4xx) is about this one invocation; anything else means the Runtime API is gone.
  log::Error("the Runtime API did not take the invocation's outcome",
             {{"error", posted.error().message}});
  return posted.error().code == ErrorCode::kInvalid ? Status::Ok() : posted;
}

void Runtime::Stop() {
  stopping_.store(true);
  api_.Interrupt();
}

}  // namespace practica::lambda
