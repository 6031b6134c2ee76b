// Entity tags and conditional requests (RFC 9110 §8.8.3, §13.1.2).
#pragma once

#include <string>
#include <string_view>

namespace practica::http {

// A strong entity tag for `body` ("\"3f2a…\""), with an optional suffix for encoded variants.
std::string EntityTag(std::string_view body, std::string_view suffix = {});

// True when an If-None-Match header value matches `etag` ("*", or a listed tag, compared weakly).
bool IfNoneMatchMatches(std::string_view header, std::string_view etag);

}  // namespace practica::http
