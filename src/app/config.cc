#include "app/config.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "aws/http_client.h"

namespace practica::app {

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  const auto invalid = [&] {
    return Error::Invalid("listen address '" + std::string(text) +
                          "' must be HOST:PORT, e.g. 127.0.0.1:8080");
  };
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return invalid();
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.back() != ']') return invalid();
    host = host.substr(1, host.size() - 2);
  }
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return invalid();
  }
  return ListenAddress{std::string(host), static_cast<uint16_t>(port)};
}

std::string_view StoreVariable(StoreRole role) {
  switch (role) {
    case StoreRole::kContent:
      return "PRACTICA_CONTENT_STORE";
    case StoreRole::kProgress:
      return "PRACTICA_PROGRESS_STORE";
    case StoreRole::kUser:
      return "PRACTICA_USER_STORE";
    case StoreRole::kAnalytics:
      return "PRACTICA_ANALYTICS_STORE";
  }
  return "PRACTICA_?_STORE";
}

namespace {

// DynamoDB's rule for table names: 3 to 255 of A-Z a-z 0-9 _ - .
bool IsTableName(std::string_view name) {
  if (name.size() < 3 || name.size() > 255) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
  });
}

// A secret's name or ARN: 1 to 2048 visible ASCII characters.
bool IsSecretId(std::string_view id) {
  if (id.empty() || id.size() > 2048) return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return c > ' ' && c < 127; });
}

}  // namespace

Result<StoreSpec> ParseStoreSpec(StoreRole role, std::string_view text) {
  const bool documents = role == StoreRole::kContent || role == StoreRole::kProgress;
  const auto invalid = [&](std::string_view why) {
    std::string message(StoreVariable(role));
    message += documents ? " must be sqlite or dynamodb:TABLE"
                         : " must be sqlite, postgres:URL or postgres:secret:SECRET_ID";
    message += why;
    return Error::Invalid(std::move(message));
  };
  if (text == "sqlite") return StoreSpec{};
  if (text.starts_with("dynamodb:")) {
    if (!documents) return invalid(" (DynamoDB holds content and progress only)");
    const std::string_view table = text.substr(9);
    if (!IsTableName(table)) {
      return invalid("; a table name is 3 to 255 letters, digits, '_', '-' or '.'");
    }
    return StoreSpec{StoreSpec::Kind::kDynamoDb, std::string(table)};
  }
  if (text.starts_with("postgres:")) {
    if (documents) return invalid(" (PostgreSQL holds users and analytics only)");
    const std::string_view rest = text.substr(9);
    if (rest.starts_with("secret:")) {
      const std::string_view id = rest.substr(7);
      if (!IsSecretId(id)) return invalid("; the secret id is empty or not printable ASCII");
      return StoreSpec{StoreSpec::Kind::kPostgresSecret, std::string(id)};
    }
    if (!rest.starts_with("postgresql://") && !rest.starts_with("postgres://")) {
      return invalid("; the URL must start with postgresql:// or postgres://");
    }
    return StoreSpec{StoreSpec::Kind::kPostgres, std::string(rest)};
  }
  return invalid("");
}

Status CheckXapiSettings(const Config& config) {
  const auto plain_url = [](std::string_view text) {
    Result<aws::Url> url = aws::ParseUrl(text);
    return url.ok() && text.find_first_of("?#") == std::string_view::npos;
  };
  if (!config.public_url.empty() && !plain_url(config.public_url)) {
    return Error::Invalid(
        "PRACTICA_PUBLIC_URL must be the platform's address, an absolute http:// or https:// URL "
        "without user info, query or fragment, e.g. https://learn.example.org");
  }
  if (config.xapi_endpoint.empty()) return Status::Ok();
  if (!plain_url(config.xapi_endpoint)) {
    return Error::Invalid(
        "PRACTICA_XAPI_ENDPOINT must be the LRS's xAPI endpoint, an absolute http:// or https:// "
        "URL without user info, query or fragment (the credentials go in PRACTICA_XAPI_USERNAME "
        "and PRACTICA_XAPI_PASSWORD)");
  }
  if (config.public_url.empty()) {
    return Error::Invalid(
        "PRACTICA_XAPI_ENDPOINT needs PRACTICA_PUBLIC_URL: statements name the platform's "
        "activities and learners under its address");
  }
  return Status::Ok();
}

}  // namespace practica::app
