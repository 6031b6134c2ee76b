#include "api/json_body.h"

#include <boost/json/parser.hpp>  // parser::write takes a complete text

#include "common/text.h"

namespace practica::api {

Result<boost::json::object> ParseJsonObjectBody(const http::Request& request) {
  const std::string_view type = request.headers.Get("Content-Type").value_or("");
  const std::string_view media = TrimWhitespace(type.substr(0, type.find(';')));
  if (!EqualsIgnoreCase(media, "application/json")) {
    return Error::Invalid("The request body must be JSON.",
                          {{"Content-Type", "must be application/json"}});
  }
  if (!IsValidUtf8(request.body)) {
    return Error::Invalid("The request body is not valid UTF-8.");
  }
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::json::parser parser(boost::json::storage_ptr(), options);
  boost::system::error_code ec;
  const size_t used = parser.write(request.body.data(), request.body.size(), ec);
  if (ec) {
    return Error::Invalid("The request body is not valid JSON (" + ec.message() + " near byte " +
                          std::to_string(used) + ").");
  }
  boost::json::value value = parser.release();
  if (!value.is_object()) return Error::Invalid("The request body must be a JSON object.");
  return std::move(value.as_object());
}

}  // namespace practica::api
