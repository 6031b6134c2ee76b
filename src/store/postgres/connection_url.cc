#include "store/postgres/connection_url.h"

#include <algorithm>
#include <vector>

#include "common/text.h"

namespace practica::store::postgres {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX sequences decoded; malformed ones kept as written (libpq rejects them, and may quote them).
std::string PercentDecode(std::string_view text) {
  std::string decoded;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = HexDigit(text[i + 1]);
      const int low = HexDigit(text[i + 2]);
      if (high >= 0 && low >= 0) {
        decoded += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    decoded += text[i];
  }
  return decoded;
}

void AddWithDecoded(std::string_view secret, std::vector<std::string>& secrets) {
  if (secret.empty()) return;
  secrets.emplace_back(secret);
  secrets.push_back(PercentDecode(secret));
}

// postgresql://[user[:password]@]host[:port][/dbname][?key=value&...]
void UrlPasswords(std::string_view url, std::vector<std::string>& secrets) {
  const size_t scheme_end = url.find("://");
  std::string_view rest = url.substr(scheme_end + 3);
  const size_t query_start = rest.find('?');
  const std::string_view before_query = rest.substr(0, query_start);
  // The last '@' ends the user info, so that a password with an unescaped '@' or '/' (which libpq
  // then misreads) is still recognised as a whole.
  const size_t at = before_query.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view user_info = before_query.substr(0, at);
    const size_t colon = user_info.find(':');
    if (colon != std::string_view::npos) AddWithDecoded(user_info.substr(colon + 1), secrets);
  }
  if (query_start == std::string_view::npos) return;
  std::string_view query = rest.substr(query_start + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t equals = pair.find('=');
    if (equals != std::string_view::npos && PercentDecode(pair.substr(0, equals)) == "password") {
      AddWithDecoded(pair.substr(equals + 1), secrets);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// key = value pairs; a value is 'single quoted' or runs to the next white space, and a backslash
// escapes the next character in either (libpq's rules).
void KeywordPasswords(std::string_view text, std::vector<std::string>& secrets) {
  size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && IsSpace(text[i])) ++i;
  };
  while (true) {
    skip_space();
    if (i >= text.size()) return;
    const size_t key_start = i;
    while (i < text.size() && text[i] != '=' && !IsSpace(text[i])) ++i;
    const std::string_view key = text.substr(key_start, i - key_start);
    skip_space();
    if (i >= text.size() || text[i] != '=') return;  // malformed: libpq refuses it
    ++i;
    skip_space();
    const bool quoted = i < text.size() && text[i] == '\'';
    if (quoted) ++i;
    const size_t value_start = i;
    std::string value;
    while (i < text.size()) {
      if (quoted ? text[i] == '\'' : IsSpace(text[i])) break;
      if (text[i] == '\\' && i + 1 < text.size()) ++i;
      value += text[i++];
    }
    const std::string_view written = text.substr(value_start, i - value_start);
    if (quoted && i < text.size()) ++i;  // the closing quote
    if (key == "password") {
      if (!written.empty()) secrets.emplace_back(written);
      if (!value.empty()) secrets.push_back(std::move(value));
    }
  }
}

}  // namespace

std::string RedactPassword(std::string_view text, std::string_view connection_string) {
  std::vector<std::string> secrets;
  if (StartsWith(connection_string, "postgresql://") ||
      StartsWith(connection_string, "postgres://")) {
    UrlPasswords(connection_string, secrets);
  } else {
    KeywordPasswords(connection_string, secrets);
  }
  // Longest first, so that a password containing another candidate is replaced whole.
  std::sort(secrets.begin(), secrets.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  std::string redacted(text);
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (size_t at = redacted.find(secret); at != std::string::npos;
         at = redacted.find(secret, at + 3)) {
      redacted.replace(at, secret.size(), "***");
    }
  }
  return redacted;
}

}  // namespace practica::store::postgres
