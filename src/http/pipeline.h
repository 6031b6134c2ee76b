// The request pipeline every transport calls: request id → routing (or the fallback for non-API
// paths) → security headers → access log. Thread-safe: Handle() may run on many threads at once.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include "http/message.h"
#include "http/rate_limiter.h"
#include "http/router.h"

namespace practica::http {

// Serves what is not under /api/ (static files in `practica serve`); may be empty, then 404.
using FallbackHandler = std::function<Response(const Request&)>;

// Turns a bearer token into a principal; kUnauthorized when it is not valid (now).
using Authenticator = std::function<Result<Principal>(std::string_view token)>;

// Told of every answered request, as the access log line is written: its method and path, the
// status sent and the time from arrival to answer. Called on whatever thread finishes the request
// (an I/O thread, a worker, the SQLite writer), once per request: it must be cheap and
// thread-safe (metrics counters, app/request_metrics.h).
using ResponseObserver = std::function<void(Method method, std::string_view path, int status,
                                            std::chrono::steady_clock::duration elapsed)>;

// Whether an API request came through the edge that fronts this server (the origin secret
// header CloudFront adds, app/origin_secret.h). May block briefly (a secret re-read).
using OriginCheck = std::function<bool(const Request&)>;

// The one API path an origin check never applies to: the load balancer's health check, which
// comes from inside the VPC without the edge's header.
inline constexpr std::string_view kHealthPath = "/api/health";

struct PipelineOptions {
  FallbackHandler fallback;
  Authenticator authenticate;  // empty: every token is refused
  // Empty: every request is taken as it comes (a single node, a laptop). Set: an API request
  // other than kHealthPath that fails it is refused with 403 before anything else.
  OriginCheck check_origin;
  // How many proxies in front of this server append to X-Forwarded-For (http/client_address.h);
  // per-client rate limits key on the address they report. 0: the transport's peer.
  int trusted_proxies = 0;
  ResponseObserver observe = {};  // empty: nobody is told
};

// Options with only a fallback (every other member left as it is by default).
inline PipelineOptions WithFallback(FallbackHandler fallback) {
  PipelineOptions options;
  options.fallback = std::move(fallback);
  return options;
}

// The order for an API request: request id → origin check (403) → route match (404/405) →
// body limit (413) → per-client rate limit (429 + Retry-After) → token (401) → role and second
// factor (403) → handler → problem mapping → security headers → access log.
class Pipeline {
 public:
  Pipeline(const Router& router, PipelineOptions options);
  Pipeline(const Router& router, FallbackHandler fallback)
      : Pipeline(router, WithFallback(std::move(fallback))) {}

  // Handles one request and calls `done` exactly once with the response: at once for ordinary
  // routes, later (on whatever thread the handler replies from) for asynchronous ones. Never
  // throws: an escaping exception becomes a logged 500 problem.
  void HandleAsync(Request request, std::function<void(Response)> done) const;

  // The same, waiting for asynchronous routes (tests, the Lambda runtime).
  Response Handle(Request& request) const;

  // Whether the request's route does slow work that must not run on an I/O thread.
  bool IsBlocking(const Request& request) const;

  // For a request whose headers have arrived and whose body has not (the server asks before
  // reading it): the most body bytes to accept. A route whose max_body is above
  // `transport_limit` (a course upload) gets its max_body, but only when it is not public and the
  // request's token passes the route's access now, so that nobody else can make the server buffer
  // that much; every other request gets `transport_limit`. Verifies the token (a cache hit
  // usually), nothing more: the request itself then goes through Handle as usual.
  size_t BodyLimit(const Request& head, size_t transport_limit) const;

 private:
  struct Summary;  // what the access log needs of a request after its handler returned
  // Runs the API path and calls `finish` exactly once, at once or from an asynchronous handler.
  void HandleApi(Request& request, const Reply& finish) const;
  // Problem mapping, security headers, request id header and the access log line.
  static Response Finish(const Summary& request, Result<Response> result);
  // The access-control decision for `route`: nullopt to proceed, else the refusal.
  std::optional<Response> Authorize(Request& request, const Route& route) const;

  const Router& router_;
  PipelineOptions options_;
  mutable RateLimiter client_limits_;
};

// Headers every response carries (CSP without inline scripts, nosniff, frame-ancestors 'none'…).
void AddSecurityHeaders(Headers& headers);

// A request id from a trusted-looking X-Request-Id ([A-Za-z0-9._-]{1,64}), else a new random one.
std::string RequestIdFor(const Request& request);

}  // namespace practica::http
