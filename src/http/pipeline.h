// The request pipeline every transport calls: request id → routing (or the fallback for non-API
// paths) → security headers → access log. Thread-safe: Handle() may run on many threads at once.
#pragma once

#include <functional>

#include "http/message.h"
#include "http/router.h"

namespace practica::http {

// Serves what is not under /api/ (static files in `practica serve`); may be empty, then 404.
using FallbackHandler = std::function<Response(const Request&)>;

class Pipeline {
 public:
  Pipeline(const Router& router, FallbackHandler fallback);

  // Handles one request. Never throws: an escaping exception becomes a logged 500 problem.
  Response Handle(Request& request) const;

 private:
  const Router& router_;
  FallbackHandler fallback_;
};

// Headers every response carries (CSP without inline scripts, nosniff, frame-ancestors 'none'…).
void AddSecurityHeaders(Headers& headers);

// A request id from a trusted-looking X-Request-Id ([A-Za-z0-9._-]{1,64}), else a new random one.
std::string RequestIdFor(const Request& request);

}  // namespace practica::http
