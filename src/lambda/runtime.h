// The runtime loop of `practica lambda`: next invocation → handler → response or error, one
// invocation at a time, for as long as Lambda keeps the process.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "common/error.h"
#include "lambda/runtime_api.h"

namespace practica::lambda {

// Turns one invocation into its response payload. An Error becomes an invocation error whose
// errorType is ErrorTypeFor(error).
using InvocationHandler = std::function<Result<std::string>(const Invocation&)>;

// Error::type when set ("Practica.UnknownEvent"), else "Practica." and the code's name in
// PascalCase ("Practica.Unavailable").
std::string ErrorTypeFor(const Error& error);

// Unix time in milliseconds (the unit of Lambda-Runtime-Deadline-Ms).
using WallClockMs = std::function<int64_t()>;
int64_t SystemNowMs();

class Runtime {
 public:
  // `api` must outlive the runtime.
  explicit Runtime(RuntimeApi& api, WallClockMs now_ms = SystemNowMs);

  // Reports a start-up that failed (POST /runtime/init/error); the process should then exit
  // non-zero. Returns whether the Runtime API took the report.
  Status FailInit(const Error& error);

  // Serves invocations until Stop() or until the Runtime API fails (its error is returned: Lambda
  // is gone or refuses us, and a new process is the way out). Call from one thread. For each
  // invocation:
  // - every log line carries aws_request_id and xray_trace_id until it is answered;
  // - one whose deadline has passed is answered at once with a "Practica.DeadlineExceeded" error,
  //   since Lambda has given up on it;
  // - the handler's result is posted as the response, its Error as an invocation error, and an
  //   exception escaping it as a "Practica.Unhandled" error;
  // - a post the Runtime API refuses (HTTP 4xx: a payload over its limit, say) is logged, and the
  //   loop goes on.
  Status Run(const InvocationHandler& handler);

  // Thread-safe (a signal watcher calls it): Run returns Ok once the invocation in hand, if any,
  // is answered, or at once if it is waiting for the next one (RuntimeApi::Interrupt).
  void Stop();

 private:
  // The handler's result, or the error that replaces it (deadline passed, exception).
  Result<std::string> Outcome(const Invocation& invocation, const InvocationHandler& handler) const;
  // Handles one invocation and posts its outcome; an error when the Runtime API is gone.
  Status Serve(const Invocation& invocation, const InvocationHandler& handler);

  RuntimeApi& api_;
  const WallClockMs now_ms_;
  std::atomic<bool> stopping_{false};
};

}  // namespace practica::lambda
