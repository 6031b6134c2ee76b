// The Lambda Runtime API (version 2018-06-01), which a custom runtime polls for invocations and
// answers, at the address Lambda puts in AWS_LAMBDA_RUNTIME_API ("127.0.0.1:9001"):
//
//   GET  /2018-06-01/runtime/invocation/next            the next event (blocks until there is one)
//   POST /2018-06-01/runtime/invocation/{id}/response   the result           → 202
//   POST /2018-06-01/runtime/invocation/{id}/error      a failed invocation  → 202
//   POST /2018-06-01/runtime/init/error                 a failed start-up    → 202, then exit
//
// Errors are {"errorMessage","errorType","stackTrace"} with the type repeated in the
// Lambda-Runtime-Function-Error-Type header.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"

namespace practica::lambda {

struct Invocation {
  std::string request_id;    // Lambda-Runtime-Aws-Request-Id
  std::string trace_id;      // Lambda-Runtime-Trace-Id: the X-Ray header, "" when not traced
  std::string function_arn;  // Lambda-Runtime-Invoked-Function-Arn
  int64_t deadline_ms = 0;   // Lambda-Runtime-Deadline-Ms: Unix time in ms; 0 when not given
  std::string event;         // the payload, JSON
};

// What Lambda reports for a failed invocation or start-up.
struct FunctionError {
  std::string type;  // errorType, e.g. "Practica.UnknownEvent"
  std::string message;
};

// The calls a runtime makes. Implementations are used from one thread at a time.
class RuntimeApi {
 public:
  virtual ~RuntimeApi() = default;
  // Waits, without a time limit, for the next invocation: Lambda may freeze the process meanwhile.
  virtual Result<Invocation> Next() = 0;
  virtual Status PostResponse(std::string_view request_id, std::string_view payload) = 0;
  virtual Status PostError(std::string_view request_id, const FunctionError& error) = 0;
  virtual Status PostInitError(const FunctionError& error) = 0;
  // Thread-safe, unlike the rest: makes a Next() that is waiting, and every later one, fail at
  // once (shutdown).
  virtual void Interrupt() = 0;
};

// The Runtime API at `address` ("host:port") over plain HTTP, on one kept-alive connection.
// kInvalid when the address is empty, malformed or names no reachable address.
Result<std::unique_ptr<RuntimeApi>> ConnectRuntimeApi(std::string_view address);

}  // namespace practica::lambda
