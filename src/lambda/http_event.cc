#include "lambda/http_event.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <vector>

#include "common/json.h"
#include "common/log.h"
#include "common/text.h"
#include "lambda/base64.h"

namespace practica::lambda {
namespace json = boost::json;
namespace {

// Events are small (API Gateway caps a request at 10 MB, Lambda at 6 MB, and ours are mostly
// headers): parse into a stack buffer first, so a typical event costs no heap allocation for its
// JSON tree.
constexpr size_t kParseBufferBytes = 16 * 1024;
constexpr int kMaxEventDepth = 32;

Error UnknownEvent(std::string message) {
  Error error = Error::Invalid(std::move(message));
  error.type = std::string(kUnknownEventType);
  return error;
}

// A member that is an object / a string; nullptr when absent, null or of another type.
const json::object* ObjectAt(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr ? value->if_object() : nullptr;
}
const json::string* StringAt(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr ? value->if_string() : nullptr;
}

std::string_view View(const json::string& text) { return {text.data(), text.size()}; }

Error Missing(std::string_view field) {
  return Error::Invalid("The event has no " + std::string(field) + ".",
                        {{std::string(field), "missing"}});
}

Error Malformed(std::string_view field, std::string_view what) {
  return Error::Invalid("The event's " + std::string(field) + " " + std::string(what) + ".",
                        {{std::string(field), std::string(what)}});
}

// An absent or null map is empty; anything else must be an object of strings (or, when
// `multi_value`, of arrays of strings). `add(name, value)` sees every value in order.
template <class Add>
Status ForEachValue(const json::object& event, std::string_view field, bool multi_value, Add add) {
  const json::value* map = event.if_contains(field);
  if (map == nullptr || map->is_null()) return Status::Ok();
  const json::object* object = map->if_object();
  if (object == nullptr) return Malformed(field, "is not an object");
  for (const auto& [name, value] : *object) {
    const std::string_view key(name.data(), name.size());
    if (!multi_value) {
      const json::string* text = value.if_string();
      if (text == nullptr) return Malformed(field, "has a value that is not a string");
      add(key, View(*text));
      continue;
    }
    if (value.is_null()) continue;
    const json::array* values = value.if_array();
    if (values == nullptr) return Malformed(field, "has a value that is not an array");
    for (const json::value& item : *values) {
      const json::string* text = item.if_string();
      if (text == nullptr) return Malformed(field, "has a value that is not a string");
      add(key, View(*text));
    }
  }
  return Status::Ok();
}

Status AddHeaders(const json::object& event, bool multi_value, http::Headers& headers) {
  return ForEachValue(
      event, multi_value ? "multiValueHeaders" : "headers", multi_value,
      [&headers](std::string_view name, std::string_view value) { headers.Add(name, value); });
}

bool IsUnreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

void AppendPercentEncoded(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : text) {
    if (IsUnreserved(c)) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
}

// The raw query string from the event's parameters: re-encoded when the integration decoded them
// (REST API), joined as they are when it did not (ALB).
Result<std::string> QueryFrom(const json::object& event, bool multi_value, bool encode) {
  std::string query;
  const Status status =
      ForEachValue(event, multi_value ? "multiValueQueryStringParameters" : "queryStringParameters",
                   multi_value, [&query, encode](std::string_view name, std::string_view value) {
                     if (!query.empty()) query += '&';
                     if (encode) {
                       AppendPercentEncoded(query, name);
                       query += '=';
                       AppendPercentEncoded(query, value);
                     } else {
                       query.append(name).append("=").append(value);
                     }
                   });
  if (!status.ok()) return status.error();
  return query;
}

Status DecodeBody(const json::object& event, std::string& body) {
  const json::value* value = event.if_contains("body");
  if (value == nullptr || value->is_null()) return Status::Ok();
  const json::string* text = value->if_string();
  if (text == nullptr) return Malformed("body", "is not a string");
  const json::value* encoded = event.if_contains("isBase64Encoded");
  if (encoded != nullptr && encoded->is_bool() && encoded->get_bool()) {
    std::optional<std::string> bytes = Base64Decode(View(*text));
    if (!bytes) return Malformed("body", "is not valid base64");
    body = std::move(*bytes);
  } else {
    body.assign(text->data(), text->size());
  }
  return Status::Ok();
}

Result<http::Method> MethodOf(const json::string* method, std::string_view field) {
  if (method == nullptr) return Missing(field);
  return http::ParseMethod(View(*method));
}

// REST API and ALB paths arrive percent-encoded.
Result<std::string> DecodedPath(const json::object& event) {
  const json::string* path = StringAt(event, "path");
  if (path == nullptr) return Missing("path");
  if (path->empty() || path->front() != '/') return Malformed("path", "is not an absolute path");
  std::optional<std::string> decoded = http::PercentDecode(View(*path));
  if (!decoded) return Malformed("path", "has a malformed percent escape");
  return std::move(*decoded);
}

Result<http::Request> FromHttpApi(const json::object& event) {
  http::Request request;
  const json::object* context = ObjectAt(event, "requestContext");
  const json::object* http_context = context != nullptr ? ObjectAt(*context, "http") : nullptr;
  auto method = MethodOf(http_context != nullptr ? StringAt(*http_context, "method") : nullptr,
                         "requestContext.http.method");
  if (!method.ok()) return method.error();
  request.method = *method;
  // API Gateway has already decoded rawPath.
  const json::string* path = StringAt(event, "rawPath");
  if (path == nullptr) return Missing("rawPath");
  if (path->empty() || path->front() != '/') return Malformed("rawPath", "is not an absolute path");
  request.path = View(*path);
  if (const json::string* query = StringAt(event, "rawQueryString")) request.query = View(*query);
  if (Status headers = AddHeaders(event, false, request.headers); !headers.ok()) {
    return std::move(headers).error();
  }
  // Payload 2.0 takes the Cookie header apart into `cookies`; the handlers read the header.
  if (const json::value* cookies = event.if_contains("cookies");
      cookies != nullptr && !cookies->is_null()) {
    const json::array* list = cookies->if_array();
    if (list == nullptr) return Malformed("cookies", "is not an array");
    std::string joined;
    for (const json::value& cookie : *list) {
      const json::string* text = cookie.if_string();
      if (text == nullptr) return Malformed("cookies", "has a value that is not a string");
      if (!joined.empty()) joined += "; ";
      joined += View(*text);
    }
    if (!joined.empty()) request.headers.Set("Cookie", joined);
  }
  if (http_context != nullptr) {
    if (const json::string* ip = StringAt(*http_context, "sourceIp")) {
      request.remote_address = View(*ip);
    }
  }
  if (Status body = DecodeBody(event, request.body); !body.ok()) {
    return std::move(body).error();
  }
  return request;
}

Result<http::Request> FromRestApi(const json::object& event) {
  http::Request request;
  auto method = MethodOf(StringAt(event, "httpMethod"), "httpMethod");
  if (!method.ok()) return method.error();
  request.method = *method;
  auto path = DecodedPath(event);
  if (!path.ok()) return path.error();
  request.path = std::move(*path);
  // The REST API sends both forms; the multi-value one is complete where the other keeps only the
  // last value of a repeated field.
  const json::value* multi_headers = event.if_contains("multiValueHeaders");
  const bool multi = multi_headers != nullptr && !multi_headers->is_null();
  if (Status headers = AddHeaders(event, multi, request.headers); !headers.ok()) {
    return std::move(headers).error();
  }
  const json::value* multi_query = event.if_contains("multiValueQueryStringParameters");
  auto query = QueryFrom(event, multi_query != nullptr && !multi_query->is_null(), true);
  if (!query.ok()) return query.error();
  request.query = std::move(*query);
  if (const json::object* context = ObjectAt(event, "requestContext")) {
    if (const json::object* identity = ObjectAt(*context, "identity")) {
      if (const json::string* ip = StringAt(*identity, "sourceIp")) {
        request.remote_address = View(*ip);
      }
    }
  }
  if (Status body = DecodeBody(event, request.body); !body.ok()) {
    return std::move(body).error();
  }
  return request;
}

Result<http::Request> FromAlb(const json::object& event, bool multi_value) {
  http::Request request;
  auto method = MethodOf(StringAt(event, "httpMethod"), "httpMethod");
  if (!method.ok()) return method.error();
  request.method = *method;
  auto path = DecodedPath(event);
  if (!path.ok()) return path.error();
  request.path = std::move(*path);
  if (Status headers = AddHeaders(event, multi_value, request.headers); !headers.ok()) {
    return std::move(headers).error();
  }
  auto query = QueryFrom(event, multi_value, false);
  if (!query.ok()) return query.error();
  request.query = std::move(*query);
  // The ALB appends the address it saw the client connect from to X-Forwarded-For.
  if (const auto forwarded = request.headers.Get("X-Forwarded-For")) {
    const size_t comma = forwarded->rfind(',');
    request.remote_address =
        TrimWhitespace(comma == std::string_view::npos ? *forwarded : forwarded->substr(comma + 1));
  }
  if (Status body = DecodeBody(event, request.body); !body.ok()) {
    return std::move(body).error();
  }
  return request;
}

// Whether the body can travel as a JSON string as it is: text by its media type, and valid UTF-8
// (JSON strings cannot hold anything else).
bool IsTextBody(const http::Response& response) {
  if (!IsValidUtf8(response.body)) return false;
  const auto type = response.headers.Get("Content-Type");
  if (!type) return true;
  const std::string media = AsciiLower(TrimWhitespace(type->substr(0, type->find(';'))));
  return StartsWith(media, "text/") || EndsWith(media, "json") || EndsWith(media, "xml") ||
         EndsWith(media, "javascript") || media == "application/x-www-form-urlencoded";
}

struct HeaderGroup {
  std::string_view name;  // as first spelled
  std::vector<std::string_view> values;
};

std::vector<HeaderGroup> GroupHeaders(const http::Headers& headers) {
  std::vector<HeaderGroup> groups;
  for (const auto& [name, value] : headers.fields()) {
    HeaderGroup* group = nullptr;
    for (HeaderGroup& g : groups) {
      if (EqualsIgnoreCase(g.name, name)) group = &g;
    }
    if (group == nullptr) group = &groups.emplace_back(HeaderGroup{name, {}});
    group->values.push_back(value);
  }
  return groups;
}

bool IsSetCookie(std::string_view name) { return EqualsIgnoreCase(name, "Set-Cookie"); }

void AppendMultiValueHeaders(std::string& out, const std::vector<HeaderGroup>& groups) {
  out += ",\"multiValueHeaders\":{";
  bool first = true;
  for (const HeaderGroup& group : groups) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, group.name);
    out += ":[";
    for (size_t i = 0; i < group.values.size(); ++i) {
      if (i > 0) out += ',';
      AppendJsonString(out, group.values[i]);
    }
    out += ']';
  }
  out += '}';
}

// One value per name. Set-Cookie is left out when `skip_cookies` (the HTTP API's cookies array
// carries it), else only its last value is kept.
void AppendSingleValueHeaders(std::string& out, const std::vector<HeaderGroup>& groups,
                              bool skip_cookies) {
  out += ",\"headers\":{";
  bool first = true;
  for (const HeaderGroup& group : groups) {
    const bool cookie = IsSetCookie(group.name);
    if (cookie && skip_cookies) continue;
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, group.name);
    out += ':';
    if (cookie) {
      if (group.values.size() > 1) {
        log::Warn("an ALB without multi-value headers takes one Set-Cookie; the others are dropped",
                  {{"dropped", static_cast<uint64_t>(group.values.size() - 1)}});
      }
      AppendJsonString(out, group.values.back());
      continue;
    }
    std::string joined;
    for (size_t i = 0; i < group.values.size(); ++i) {
      if (i > 0) joined += ", ";
      joined += group.values[i];
    }
    AppendJsonString(out, joined);
  }
  out += '}';
}

void AppendCookies(std::string& out, const std::vector<HeaderGroup>& groups) {
  bool any = false;
  for (const HeaderGroup& group : groups) {
    if (!IsSetCookie(group.name)) continue;
    for (std::string_view value : group.values) {
      out += any ? "," : ",\"cookies\":[";
      any = true;
      AppendJsonString(out, value);
    }
  }
  if (any) out += ']';
}

}  // namespace

Result<HttpEvent> DecodeHttpEvent(std::string_view text) {
  unsigned char buffer[kParseBufferBytes];
  json::monotonic_resource resource(buffer, sizeof buffer);
  json::parse_options options;
  options.max_depth = kMaxEventDepth;
  boost::system::error_code ec;
  const json::value value = json::parse(text, ec, &resource, options);
  if (ec || !value.is_object()) return UnknownEvent("The event is not a JSON object.");
  const json::object& event = value.get_object();

  const json::string* version = StringAt(event, "version");
  if (version != nullptr && *version == "2.0") {
    return HttpEvent{{EventSource::kApiGatewayHttp, false}, FromHttpApi(event)};
  }
  const json::object* context = ObjectAt(event, "requestContext");
  if (context != nullptr && ObjectAt(*context, "elb") != nullptr) {
    const json::value* multi = event.if_contains("multiValueHeaders");
    const bool multi_value = multi != nullptr && !multi->is_null();
    return HttpEvent{{EventSource::kAlb, multi_value}, FromAlb(event, multi_value)};
  }
  if (event.contains("httpMethod")) {
    return HttpEvent{{EventSource::kApiGatewayRest, false}, FromRestApi(event)};
  }
  return UnknownEvent(
      "The event is not an API Gateway (REST or HTTP API) or Application Load Balancer request.");
}

std::string EncodeHttpResponse(const http::Response& response, const ResponseFormat& format) {
  const std::vector<HeaderGroup> groups = GroupHeaders(response.headers);
  const bool text = IsTextBody(response);
  std::string out;
  out.reserve(256 + response.body.size() +
              (text ? response.body.size() / 8 : response.body.size() / 3));
  out += "{\"statusCode\":";
  out += std::to_string(response.status);
  switch (format.source) {
    case EventSource::kApiGatewayRest:
      AppendMultiValueHeaders(out, groups);
      break;
    case EventSource::kApiGatewayHttp:
      AppendSingleValueHeaders(out, groups, true);
      AppendCookies(out, groups);
      break;
    case EventSource::kAlb:
      out += ",\"statusDescription\":";
      AppendJsonString(out, std::to_string(response.status) + " " +
                                std::string(http::StatusReason(response.status)));
      if (format.multi_value_headers) {
        AppendMultiValueHeaders(out, groups);
      } else {
        AppendSingleValueHeaders(out, groups, false);
      }
      break;
  }
  out += ",\"body\":";
  AppendJsonString(out, text ? response.body : Base64Encode(response.body));
  out += ",\"isBase64Encoded\":";
  out += text ? "false" : "true";
  out += '}';
  return out;
}

}  // namespace practica::lambda
