#include "http/pipeline.h"

#include <chrono>
#include <exception>
#include <random>

#include "common/log.h"
#include "common/text.h"
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

Pipeline::Pipeline(const Router& router, FallbackHandler fallback)
    : router_(router), fallback_(std::move(fallback)) {}

Response Pipeline::Handle(Request& request) const {
  const auto start = std::chrono::steady_clock::now();
  if (request.request_id.empty()) request.request_id = RequestIdFor(request);

  Response response;
  try {
    if (IsApiPath(request.path) || !fallback_) {
      response = router_.Dispatch(request);
    } else {
      response = fallback_(request);
    }
  } catch (const std::exception& e) {
    log::Error("unhandled exception",
               {{"request_id", request.request_id}, {"error", std::string_view(e.what())}});
    response =
        Problem(500, "An unexpected error occurred; it has been logged.", request.request_id);
  }

  AddSecurityHeaders(response.headers);
  response.headers.Set("X-Request-Id", request.request_id);

  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  log::Info("request", {{"request_id", request.request_id},
                        {"method", ToString(request.method)},
                        {"path", request.path},
                        {"status", response.status},
                        {"duration_ms", ms},
                        {"bytes", static_cast<uint64_t>(response.body.size())}});
  return response;
}

}  // namespace practica::http
