// Who is calling, and what a route requires of them. The pipeline decides both before any handler
// runs (one door for every route); handlers then scope their data to request.principal.
#pragma once

#include <optional>
#include <string>

#include "domain/user.h"

namespace practica::http {

// A verified caller, from a valid access token.
struct Principal {
  std::string user_id;
  domain::Role role = domain::Role::kLearner;
  std::string session_id;  // the sign-in (refresh-token family)
  bool mfa = false;        // the sign-in passed a second factor
};

enum class Access {
  kPublic,      // anyone; a token, when sent, must be valid and sets the principal
  kSignedIn,    // any valid access token
  kInstructor,  // instructors and admins, signed in with a second factor
  kAdmin,       // admins, signed in with a second factor
};

// A token-bucket limit: `burst` requests at once, refilled at `per_minute` per minute.
struct RateLimit {
  double burst = 10;
  double per_minute = 10;
};

struct RouteOptions {
  Access access = Access::kPublic;
  size_t max_body = 64 * 1024;  // bytes; more → 413
  bool blocking = false;  // does slow work (password hashing, writes): run off the I/O threads
  std::optional<RateLimit> per_client;  // per client address
};

}  // namespace practica::http
