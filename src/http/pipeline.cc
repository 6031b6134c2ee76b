#include "http/pipeline.h"

#include <atomic>
#include <chrono>
#include <exception>
#include <future>
#include <random>

#include "common/log.h"
#include "common/text.h"
#include "http/client_address.h"
#include "http/problem.h"

namespace practica::http {
namespace {

bool IsSafeRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string NewRequestId() {
  // Not a secret, only unique enough to find a request in the logs.
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t bits = rng();
  std::string id(16, '0');
  for (char& c : id) {
    c = kHex[bits & 0xf];
    bits >>= 4;
  }
  return id;
}

bool IsApiPath(std::string_view path) { return path == "/api" || StartsWith(path, "/api/"); }

Response Unauthorized(const Request& request, std::string_view detail) {
  return ProblemFromError(Error::Unauthorized(std::string(detail)), request.request_id);
}

}  // namespace

void AddSecurityHeaders(Headers& headers) {
  static constexpr std::pair<std::string_view, std::string_view> kHeaders[] = {
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "strict-origin-when-cross-origin"},
      {"X-Frame-Options", "DENY"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
  };
  // Handlers never set these, so adding beats replacing (which would scan for each first).
  for (const auto& [name, value] : kHeaders) headers.Add(name, value);
}

std::string RequestIdFor(const Request& request) {
  const auto given = request.headers.Get("X-Request-Id");
  if (given && IsSafeRequestId(*given)) return std::string(*given);
  return NewRequestId();
}

Pipeline::Pipeline(const Router& router, PipelineOptions options)
    : router_(router), options_(std::move(options)) {}

bool Pipeline::IsBlocking(const Request& request) const {
  if (!IsApiPath(request.path)) return false;
  Request probe;
  probe.method = request.method;
  probe.path = request.path;
  Response miss;
  const Route* route = router_.Match(probe, miss);
  return route != nullptr && route->options.blocking;
}

size_t Pipeline::BodyLimit(const Request& head, size_t transport_limit) const {
  if (!IsApiPath(head.path)) return transport_limit;
  Request probe;
  probe.method = head.method;
  probe.path = head.path;
  probe.headers = head.headers;
  Response miss;
  const Route* route = router_.Match(probe, miss);
  if (route == nullptr || route->options.max_body <= transport_limit ||
      route->options.access == Access::kPublic || Authorize(probe, *route)) {
    return transport_limit;
  }
  return route->options.max_body;
}

std::optional<Response> Pipeline::Authorize(Request& request, const Route& route) const {
  const auto header = request.headers.Get("Authorization");
  if (header) {
    constexpr std::string_view kBearer = "Bearer ";
    if (header->size() <= kBearer.size() ||
        !EqualsIgnoreCase(header->substr(0, kBearer.size()), kBearer)) {
      return Unauthorized(request, "The Authorization header must be 'Bearer <access token>'.");
    }
    if (!options_.authenticate) {
      return Unauthorized(request, "This server does not accept access tokens.");
    }
    Result<Principal> principal =
        options_.authenticate(TrimWhitespace(header->substr(kBearer.size())));
    if (!principal.ok()) return Unauthorized(request, principal.error().message);
    request.principal = std::move(principal).value();
  }
  if (route.options.access == Access::kPublic) return std::nullopt;
  if (!request.principal) return Unauthorized(request, "Sign in to use this route.");
  const Principal& who = *request.principal;
  const bool needs_admin = route.options.access == Access::kAdmin;
  const bool needs_instructor = route.options.access == Access::kInstructor;
  if (needs_admin || needs_instructor) {
    const bool role_ok = who.role == domain::Role::kAdmin ||
                         (needs_instructor && who.role == domain::Role::kInstructor);
    if (!role_ok) {
      return Problem(403, "Your role does not allow this.", request.request_id);
    }
    if (!who.mfa) {
      return Problem(403,
                     "Set up two-factor sign-in on your account page, then sign in again, before "
                     "using this.",
                     request.request_id, {}, "mfa-enrollment-required");
    }
  }
  return std::nullopt;
}

void Pipeline::HandleApi(Request& request, const Reply& finish) const {
  if (options_.check_origin && request.path != kHealthPath && !options_.check_origin(request)) {
    // Said plainly: only someone calling the origin directly, past the edge, ever reads it.
    return finish(Problem(403, "Requests reach this API through its public address only.",
                          request.request_id, {}, "origin-not-verified"));
  }
  Response miss;
  const Route* route = router_.Match(request, miss);
  if (route == nullptr) return finish(std::move(miss));
  const RouteOptions& options = route->options;
  if (request.body.size() > options.max_body) {
    return finish(Problem(413,
                          "The request body exceeds this route's limit of " +
                              std::to_string(options.max_body) + " bytes.",
                          request.request_id));
  }
  if (options.per_client) {
    const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::steady_clock::now().time_since_epoch())
                               .count();
    const std::string key = route->pattern + "|" + ClientAddress(request, options_.trusted_proxies);
    if (const int64_t wait = client_limits_.Acquire(key, *options.per_client, now_ms); wait > 0) {
      return finish(TooManyRequests(request, wait));
    }
  }
  if (auto refusal = Authorize(request, *route)) return finish(std::move(*refusal));
  if (route->async_handler) return route->async_handler(request, finish);
  finish(route->handler(request));
}

struct Pipeline::Summary {
  Method method;
  std::string path;
  std::string request_id;
  std::chrono::steady_clock::time_point start;
  const ResponseObserver* observe = nullptr;  // the pipeline's, which outlives the request
};

Response Pipeline::Finish(const Summary& request, Result<Response> result) {
  Response response = result.ok() ? std::move(result).value()
                                  : ProblemFromError(result.error(), request.request_id);
  AddSecurityHeaders(response.headers);
  response.headers.Set("X-Request-Id", request.request_id);
  const std::chrono::steady_clock::duration elapsed =
      std::chrono::steady_clock::now() - request.start;
  const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
  log::Info("request", {{"request_id", request.request_id},
                        {"method", ToString(request.method)},
                        {"path", request.path},
                        {"status", response.status},
                        {"duration_ms", ms},
                        {"bytes", static_cast<uint64_t>(response.body.size())}});
  if (request.observe != nullptr) {
    (*request.observe)(request.method, request.path, response.status, elapsed);
  }
  return response;
}

void Pipeline::HandleAsync(Request request, std::function<void(Response)> done) const {
  if (request.request_id.empty()) request.request_id = RequestIdFor(request);
  auto summary = std::make_shared<Summary>(Summary{request.method, request.path, request.request_id,
                                                   std::chrono::steady_clock::now(),
                                                   options_.observe ? &options_.observe : nullptr});
  auto answered = std::make_shared<std::atomic<bool>>(false);
  const Reply finish = [summary, answered, done = std::move(done)](Result<Response> result) {
    if (answered->exchange(true)) return;  // a handler that replies twice: keep the first
    done(Finish(*summary, std::move(result)));
  };
  try {
    if (IsApiPath(request.path) || !options_.fallback) {
      HandleApi(request, finish);
    } else {
      finish(options_.fallback(request));
    }
  } catch (const std::exception& e) {
    log::Error("unhandled exception",
               {{"request_id", request.request_id}, {"error", std::string_view(e.what())}});
    finish(Problem(500, "An unexpected error occurred; it has been logged.", request.request_id));
  }
}

Response Pipeline::Handle(Request& request) const {
  if (request.request_id.empty()) request.request_id = RequestIdFor(request);
  std::promise<Response> promise;
  std::future<Response> response = promise.get_future();
  HandleAsync(request, [&promise](Response r) { promise.set_value(std::move(r)); });
  return response.get();
}

}  // namespace practica::http
