#include "http/conditional.h"

#include <cstdint>
#include <cstdio>

#include "common/text.h"

namespace practica::http {

std::string EntityTag(std::string_view body, std::string_view suffix) {
  // FNV-1a: fast, and a collision only costs a 200 instead of a 304.
  const uint64_t hash = Fnv1a64(body);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  std::string tag = "\"";
  tag += hex;
  if (!suffix.empty()) {
    tag += '-';
    tag += suffix;
  }
  tag += '"';
  return tag;
}

bool IfNoneMatchMatches(std::string_view header, std::string_view etag) {
  header = TrimWhitespace(header);
  if (header == "*") return true;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view tag = TrimWhitespace(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (StartsWith(tag, "W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

}  // namespace practica::http
