#include "http/problem.h"

#include <algorithm>
#include <string>

#include "common/json.h"
#include "common/log.h"

namespace practica::http {
namespace {

std::string TypeSlug(int status) {
  std::string slug;
  for (char c : StatusReason(status)) {
    if (c == ' ') {
      slug.push_back('-');
    } else if (c >= 'A' && c <= 'Z') {
      slug.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      slug.push_back(c);
    }
  }
  return slug;
}

}  // namespace

int StatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalid:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kUnprocessable:
      return 422;
    case ErrorCode::kPreconditionFailed:
      return 412;
    case ErrorCode::kUnauthorized:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kTooLarge:
      return 413;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

Response Problem(int status, std::string_view detail, std::string_view request_id,
                 const std::vector<FieldError>& errors, std::string_view type) {
  std::string body = "{\"type\":";
  AppendJsonString(body,
                   "urn:practica:problem:" + (type.empty() ? TypeSlug(status) : std::string(type)));
  body += ",\"title\":";
  AppendJsonString(body, StatusReason(status));
  body += ",\"status\":" + std::to_string(status);
  if (!detail.empty()) {
    body += ",\"detail\":";
    AppendJsonString(body, detail);
  }
  body += ",\"request_id\":";
  AppendJsonString(body, request_id);
  if (!errors.empty()) {
    body += ",\"errors\":[";
    for (size_t i = 0; i < errors.size(); ++i) {
      if (i) body.push_back(',');
      body += "{\"field\":";
      AppendJsonString(body, errors[i].field);
      body += ",\"message\":";
      AppendJsonString(body, errors[i].message);
      body.push_back('}');
    }
    body.push_back(']');
  }
  body.push_back('}');

  Response response = Response::Json(status, std::move(body));
  response.headers.Set("Content-Type", "application/problem+json");
  return response;
}

Response ProblemFromError(const Error& error, std::string_view request_id) {
  const int status = StatusFor(error.code);
  if (error.code == ErrorCode::kInternal) {
    log::Error("internal error", {{"request_id", request_id}, {"error", error.message}});
    return Problem(status, "An unexpected error occurred; it has been logged.", request_id);
  }
  Response response = Problem(status, error.message, request_id, error.fields, error.type);
  // 429 and 503 both tell the client when trying again makes sense (a store that gave up its
  // retries, a full queue, a rate limit).
  if (error.code == ErrorCode::kRateLimited || error.code == ErrorCode::kUnavailable) {
    response.headers.Set("Retry-After", std::to_string(std::max<int64_t>(1, error.retry_after)));
  }
  if (error.code == ErrorCode::kUnauthorized) response.headers.Set("WWW-Authenticate", "Bearer");
  return response;
}

Response TooManyRequests(const Request& request, int64_t retry_after_seconds) {
  return ProblemFromError(
      Error::RateLimited("Too many requests; try again later.", retry_after_seconds),
      request.request_id);
}

}  // namespace practica::http
