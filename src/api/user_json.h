// The JSON shape of a user in every response (DESIGN.md contract).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "domain/user.h"

namespace practica::api {

// "2026-11-25T18:00:00Z"; 0 → "" (callers map "never" to null).
std::string IsoTime(int64_t unix_seconds);

// {id, email, display_name, role, time_zone, created_at, last_login_at|null, mfa_enabled}
// plus "disabled" when `with_admin_fields`.
boost::json::object UserJson(const domain::User& user, bool with_admin_fields = false);

}  // namespace practica::api
