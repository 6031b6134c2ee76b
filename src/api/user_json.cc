#include "api/user_json.h"

#include <ctime>

namespace practica::api {

std::string IsoTime(int64_t unix_seconds) {
  if (unix_seconds <= 0) return {};
  const auto seconds = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

boost::json::object UserJson(const domain::User& user, bool with_admin_fields) {
  boost::json::object out{{"id", user.id},
                          {"email", user.email},
                          {"display_name", user.display_name},
                          {"role", domain::ToString(user.role)},
                          {"time_zone", user.time_zone},
                          {"created_at", IsoTime(user.created_at)},
                          {"last_login_at", nullptr},
                          {"mfa_enabled", user.totp_enabled}};
  if (user.last_login_at > 0) out["last_login_at"] = IsoTime(user.last_login_at);
  if (with_admin_fields) out["disabled"] = user.disabled;
  return out;
}

}  // namespace practica::api
