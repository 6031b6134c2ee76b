// Answers invocations that carry HTTP requests (http_event.h) with the pipeline every transport
// uses, so that Lambda serves exactly what `practica serve` does.
#pragma once

#include <string>

#include "common/error.h"
#include "http/pipeline.h"
#include "lambda/runtime_api.h"

namespace practica::lambda {

class HttpHandler {
 public:
  // Lambda refuses a response payload over 6 MB; a bigger response becomes a 500 problem, so the
  // client gets an answer that says so.
  static constexpr size_t kMaxPayloadBytes = 6 * 1024 * 1024;

  // `pipeline` must outlive the handler.
  explicit HttpHandler(const http::Pipeline& pipeline) : pipeline_(pipeline) {}

  // The response JSON in the form the event's source expects. An event of a known shape with a
  // missing or malformed field (or a body that is not valid base64) is answered with a 400
  // problem; an event that is no HTTP request is an Error (kUnknownEventType). Thread-safe.
  Result<std::string> Handle(const Invocation& invocation) const;

 private:
  const http::Pipeline& pipeline_;
};

}  // namespace practica::lambda
