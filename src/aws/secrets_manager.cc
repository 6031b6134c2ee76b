#include "aws/secrets_manager.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <utility>

namespace practica::aws {
namespace {

namespace json = boost::json;

std::string_view View(const json::string& text) { return {text.data(), text.size()}; }

// RFC 3986 percent-encoding of everything but the unreserved characters, so that a password with
// '@', ':' or '/' cannot change how the URL splits.
std::string Encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
        (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

}  // namespace

Result<std::string> SecretsManager::GetSecretString(std::string_view secret_id,
                                                    std::string_view version_stage) {
  json::object request{{"SecretId", secret_id}};
  if (!version_stage.empty()) request["VersionStage"] = version_stage;
  const std::string body = json::serialize(request);
  Result<dynamodb::Reply> reply =
      transport_("secretsmanager.GetSecretValue", body, std::chrono::seconds(5));
  const std::string what = "Secrets Manager secret " + std::string(secret_id);
  if (!reply.ok()) {
    return Error::Unavailable(what + " could not be read: " + reply.error().message);
  }
  if (!reply->ok()) {
    // The message is Secrets Manager's own: it never holds the value.
    const AwsErrorDetails details = ParseAwsError(*reply);
    if (details.type == "ResourceNotFoundException") {
      return Error::NotFound(what + (version_stage.empty() ? std::string(" does not exist")
                                                           : " does not exist or has no version " +
                                                                 std::string(version_stage)));
    }
    return Error::Unavailable(
        what + " could not be read: " +
        (details.type.empty() ? "HTTP " + std::to_string(reply->status) : details.type));
  }
  boost::system::error_code ec;
  json::value parsed = json::parse(reply->body, ec);
  const json::object* object = !ec ? parsed.if_object() : nullptr;
  const json::value* text = object ? object->if_contains("SecretString") : nullptr;
  if (text == nullptr || !text->is_string()) {
    return Error::Unavailable(what + " has no SecretString (a binary secret is not supported)");
  }
  return std::string(View(text->get_string()));
}

Result<DatabaseSecret> ParseDatabaseSecret(std::string_view text) {
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) {
    return Error::Invalid("the database secret is not a JSON object");
  }
  const json::object& object = parsed.get_object();
  DatabaseSecret secret;
  const auto field = [&](const char* name, std::string& out, bool required) -> Status {
    const json::value* value = object.if_contains(name);
    if (value == nullptr) {
      if (!required) return Status::Ok();
      return Error::Invalid(std::string("the database secret has no \"") + name + "\"");
    }
    if (!value->is_string() || value->get_string().empty()) {
      return Error::Invalid(std::string("the database secret's \"") + name +
                            "\" is not a non-empty string");
    }
    out = std::string(View(value->get_string()));
    return Status::Ok();
  };
  if (Status s = field("username", secret.username, true); !s.ok()) return std::move(s).error();
  if (Status s = field("password", secret.password, true); !s.ok()) return std::move(s).error();
  if (Status s = field("host", secret.host, true); !s.ok()) return std::move(s).error();
  secret.dbname = "postgres";
  if (Status s = field("dbname", secret.dbname, false); !s.ok()) return std::move(s).error();
  if (const json::value* port = object.if_contains("port")) {
    int64_t number = -1;
    if (port->is_int64()) {
      number = port->get_int64();
    } else if (port->is_string()) {
      const std::string_view digits = View(port->get_string());
      const auto [end, parse_error] =
          std::from_chars(digits.data(), digits.data() + digits.size(), number);
      if (parse_error != std::errc() || end != digits.data() + digits.size()) number = -1;
    }
    if (number < 1 || number > 65535) {
      return Error::Invalid("the database secret's \"port\" is not a port number");
    }
    secret.port = static_cast<int>(number);
  }
  return secret;
}

std::string PostgresUrl(const DatabaseSecret& secret) {
  std::string url = "postgresql://";
  url += Encode(secret.username);
  url += ':';
  url += Encode(secret.password);
  url += '@';
  // An IPv6 address needs brackets; a name or IPv4 address is left as it is.
  if (secret.host.find(':') != std::string::npos) {
    url += '[';
    url += secret.host;
    url += ']';
  } else {
    url += secret.host;
  }
  url += ':';
  url += std::to_string(secret.port);
  url += '/';
  url += Encode(secret.dbname);
  return url;
}

CachedSecret::CachedSecret(Fetch fetch, std::chrono::milliseconds min_refresh, Now now)
    : fetch_(std::move(fetch)), min_refresh_(min_refresh), now_(std::move(now)) {}

Result<std::string> CachedSecret::Get() {
  std::lock_guard lock(mutex_);
  if (value_) return *value_;
  return FetchLocked();
}

Result<std::string> CachedSecret::Refresh() {
  std::lock_guard lock(mutex_);
  if (value_ && fetched_at_ && now_() - *fetched_at_ < min_refresh_) return *value_;
  return FetchLocked();
}

Result<std::string> CachedSecret::FetchLocked() {
  Result<std::string> fetched = fetch_();
  fetched_at_ = now_();
  if (!fetched.ok()) {
    // Keep using what we had: a Secrets Manager hiccup must not take a working value away.
    if (value_) return *value_;
    return fetched;
  }
  value_ = *fetched;
  return fetched;
}

}  // namespace practica::aws
