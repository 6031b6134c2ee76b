#include "api/pagination.h"

#include <charconv>
#include <string>

namespace practica::api {

Result<int> PageLimit(const http::Request& request) {
  const auto text = request.QueryParam("limit");
  if (!text) return kDefaultPageSize;
  int limit = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
  if (ec != std::errc() || end != text->data() + text->size() || limit < 1 ||
      limit > kMaxPageSize) {
    return Error::Invalid(
        "Invalid query parameter.",
        {{"limit", "must be an integer from 1 to " + std::to_string(kMaxPageSize)}});
  }
  return limit;
}

}  // namespace practica::api
