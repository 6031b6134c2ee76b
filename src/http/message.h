// Transport-neutral HTTP messages. The Beast server and the Lambda adapters translate to and from
// these; handlers never see a transport type.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/access.h"

namespace practica::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };
std::string_view ToString(Method method);
Method ParseMethod(std::string_view name);

// Header fields in arrival order; names compare case-insensitively. A short vector beats a map
// for the ten-odd headers a request carries.
class Headers {
 public:
  // The first value of `name`, if present.
  std::optional<std::string_view> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  // Replaces every field called `name` with one field.
  void Set(std::string_view name, std::string_view value);
  // Adds a field even if one of that name exists (Set-Cookie).
  void Add(std::string_view name, std::string_view value);
  void Remove(std::string_view name);

  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct Request {
  Method method = Method::kGet;
  std::string path;   // percent-decoded path, without the query
  std::string query;  // raw query string, without '?'
  Headers headers;
  std::string body;
  std::string remote_address;

  // Set by the pipeline and the router, not by transports.
  std::string request_id;
  std::vector<std::pair<std::string, std::string>> path_params;
  std::optional<Principal> principal;  // set when a valid access token came with the request

  // A route parameter ("course" for /api/courses/{course}); empty if absent.
  std::string_view Param(std::string_view name) const;
  // The first value of a query parameter, percent-decoded.
  std::optional<std::string> QueryParam(std::string_view name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  // A JSON response with Cache-Control: no-store (the default for API data).
  static Response Json(int status, std::string body);
  static Response NoContent(int status = 204);
};

// Decodes %XX escapes; '+' is left alone (paths) unless `plus_as_space` (query strings).
// Returns nullopt on a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_as_space = false);

// The reason phrase of a status ("Not Found").
std::string_view StatusReason(int status);

}  // namespace practica::http
