// Reading JSON request bodies, the same way for every endpoint that takes one.
#pragma once

#include <boost/json/value.hpp>

#include "common/error.h"
#include "http/message.h"

namespace practica::api {

inline constexpr int kMaxJsonDepth = 32;

// The body as JSON. Errors (all ErrorCode::kInvalid, so 400 problems): a Content-Type other than
// application/json (with optional parameters), invalid UTF-8, malformed JSON (the message gives the
// byte offset), nesting deeper than kMaxJsonDepth, or a top level that is not an object.
Result<boost::json::object> ParseJsonObjectBody(const http::Request& request);

}  // namespace practica::api
