#include "server/request_parser.h"

#include <array>
#include <boost/beast/http/error.hpp>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "common/text.h"

namespace practica::server {
namespace {

// Sets the request's path (percent-decoded, once) and raw query from an origin-form target,
// "/path?query"; false when the target is not one or holds a malformed escape.
bool SetTarget(std::string_view target, http::Request& request) {
  if (target.empty() || target.front() != '/') return false;
  const size_t question = target.find('?');
  std::optional<std::string> path = http::PercentDecode(target.substr(0, question));
  if (!path) return false;
  request.path = std::move(*path);
  if (question != std::string_view::npos) request.query = target.substr(question + 1);
  return true;
}

}  // namespace

void RequestParser::on_request_impl(boost::beast::http::verb, string_view method,
                                    string_view target, int, error_code&) {
  request_.method = http::ParseMethod(std::string_view(method));
  has_path_ = SetTarget(std::string_view(target), request_);
}

void RequestParser::on_response_impl(int, string_view, int, error_code& ec) {
  ec = boost::beast::http::error::bad_method;  // a request parser never sees a status line
}

void RequestParser::on_field_impl(boost::beast::http::field, string_view name, string_view value,
                                  error_code&) {
  request_.headers.Add(std::string_view(name), std::string_view(value));
}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) {
  // basic_parser has already refused a Content-Length above its body_limit.
  if (length) request_.body.reserve(static_cast<size_t>(*length));
}

size_t RequestParser::on_body_impl(string_view body, error_code&) {
  request_.body.append(body.data(), body.size());
  return body.size();
}

size_t RequestParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code&) {
  request_.body.append(body.data(), body.size());
  return body.size();
}

namespace {

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsVisible(char c) { return c > ' ' && c < 0x7f; }  // VCHAR: 0x21..0x7E
bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || IsUpper(c) || (c >= '0' && c <= '9') || c == '-';
}
bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Whether `bytes` hold no control character but HTAB (DEL is one). Bytes above 0x7F (obs-text)
// are allowed, as Beast allows them.
bool IsCleanBytes(std::string_view bytes) {
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && byte != '\t') || byte == 0x7f) return false;
  }
  return true;
}

// The same, eight bytes at a time: a word with no byte below 0x20 and none equal to 0x7F is clean
// (the "has a byte less than n" and "has a zero byte" tricks on 64-bit words, exact about whether
// such a byte exists). The words' flags are gathered without a branch, which lets the compiler
// take two words a step; a value with a flagged word is checked again byte by byte, since an
// HTAB is allowed.
bool IsCleanValue(std::string_view value) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  uint64_t flagged = 0;
  size_t at = 0;
  for (; at + 8 <= value.size(); at += 8) {
    uint64_t word;
    std::memcpy(&word, value.data() + at, sizeof word);
    const uint64_t del = word ^ (kOnes * 0x7f);
    flagged |= ((word - kOnes * 0x20) & ~word) | ((del - kOnes) & ~del);
  }
  if ((flagged & (kOnes * 0x80)) != 0) return IsCleanBytes(value);
  return IsCleanBytes(value.substr(at));
}

// The fields that set how Beast frames the message or the connection: their requests take
// Beast's road.
bool IsFramingField(std::string_view name) {
  static constexpr std::array<std::string_view, 5> kFraming = {
      "Connection", "Proxy-Connection", "Content-Length", "Transfer-Encoding", "Upgrade"};
  for (const std::string_view framing : kFraming) {
    if (EqualsIgnoreCase(name, framing)) return true;
  }
  return false;
}

}  // namespace

std::optional<SimpleHead> ParseSimpleHead(std::string_view buffered, size_t header_limit) {
  const std::string_view window = buffered.substr(0, header_limit);
  // The line that starts at `at`, without its CRLF; nullopt when no CRLF ends it in the window.
  // Lines are found with memchr, which reads many bytes at a time: Beast reads one at a time.
  const auto line_at = [&](size_t at) -> std::optional<std::string_view> {
    if (at >= window.size()) return std::nullopt;  // (an empty buffer's data() may be null)
    const void* cr = std::memchr(window.data() + at, '\r', window.size() - at);
    if (cr == nullptr) return std::nullopt;
    const size_t end = static_cast<size_t>(static_cast<const char*>(cr) - window.data());
    if (end + 1 >= window.size() || window[end + 1] != '\n') return std::nullopt;
    return window.substr(at, end - at);
  };

  // Request line: METHOD SP /target SP HTTP/1.1 CRLF.
  const std::optional<std::string_view> line = line_at(0);
  if (!line) return std::nullopt;
  const size_t method_end = line->find(' ');
  if (method_end == 0 || method_end == std::string_view::npos) return std::nullopt;
  const std::string_view method = line->substr(0, method_end);
  for (const char c : method) {
    if (!IsUpper(c)) return std::nullopt;
  }
  constexpr std::string_view kVersion = " HTTP/1.1";
  if (line->size() < method_end + 2 + kVersion.size() ||
      line->substr(line->size() - kVersion.size()) != kVersion) {
    return std::nullopt;
  }
  const std::string_view target =
      line->substr(method_end + 1, line->size() - kVersion.size() - method_end - 1);
  for (const char c : target) {
    if (!IsVisible(c)) return std::nullopt;
  }

  SimpleHead parsed;
  http::Request& request = parsed.request;
  request.method = http::ParseMethod(method);
  if (!SetTarget(target, request)) return std::nullopt;

  // Fields: name ":" OWS value OWS CRLF, none folded, up to an empty line.
  size_t at = line->size() + 2;
  for (;;) {
    const std::optional<std::string_view> field = line_at(at);
    if (!field) return std::nullopt;
    at += field->size() + 2;
    if (field->empty()) break;
    const size_t colon = field->find(':');
    if (colon == 0 || colon == std::string_view::npos) return std::nullopt;
    const std::string_view name = field->substr(0, colon);
    for (const char c : name) {
      if (!IsNameChar(c)) return std::nullopt;
    }
    if (IsFramingField(name)) return std::nullopt;
    const std::string_view value = field->substr(colon + 1);
    if (!IsCleanValue(value)) return std::nullopt;
    // The value holds no control byte but HTAB, so the only blanks to trim are SP and HTAB.
    request.headers.Add(name, TrimWhitespace(value));
    if (at < window.size() && IsBlank(window[at])) return std::nullopt;  // obs-fold
  }
  parsed.size = at;
  return parsed;
}

}  // namespace practica::server
