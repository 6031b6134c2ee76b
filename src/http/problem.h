// RFC 9457 problem details: the one place where an Error becomes an HTTP status and body.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "http/message.h"

namespace practica::http {

int StatusFor(ErrorCode code);

// An application/problem+json response. `type` is "urn:practica:problem:<slug>" with the given
// slug, or one made from the status reason ("not-found"); `title` is the status reason; `detail`
// and `errors` only when given.
Response Problem(int status, std::string_view detail, std::string_view request_id,
                 const std::vector<FieldError>& errors = {}, std::string_view type = {});

// 429 with Retry-After.
Response TooManyRequests(const Request& request, int64_t retry_after_seconds);

// Maps `error` to its status. Internal errors never expose their message (it is logged instead).
Response ProblemFromError(const Error& error, std::string_view request_id);

}  // namespace practica::http
