// The `limit` query parameter of every listing route (DESIGN.md: `?limit=&cursor=`).
#pragma once

#include "common/error.h"
#include "http/message.h"

namespace practica::api {

inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;

// `limit` as an integer from 1 to kMaxPageSize; kDefaultPageSize when absent; else kInvalid with a
// field error on "limit".
Result<int> PageLimit(const http::Request& request);

}  // namespace practica::api
