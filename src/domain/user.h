// People on the platform: learners, instructors (who own courses) and admins.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace practica::domain {

enum class Role { kLearner, kInstructor, kAdmin };
std::string_view ToString(Role role);  // "learner" | "instructor" | "admin"
std::optional<Role> ParseRole(std::string_view name);

// Instructors and admins must use a second factor before their role's routes open.
inline bool RoleRequiresSecondFactor(Role role) { return role != Role::kLearner; }

struct User {
  std::string id;     // opaque, random ("usr_…"); never an email or a counter
  std::string email;  // as typed at sign-up; unique ignoring ASCII case
  std::string display_name;
  Role role = Role::kLearner;
  std::string time_zone = "UTC";  // IANA name
  int64_t created_at = 0;         // Unix seconds
  int64_t last_login_at = 0;      // Unix seconds; 0 = never
  bool disabled = false;
  bool totp_enabled = false;
  friend bool operator==(const User&, const User&) = default;
};

// Normalises an email for uniqueness and lookup: trimmed, ASCII letters lowercased.
std::string NormalizeEmail(std::string_view email);

// A plausible address: one '@', a non-empty local part, a domain with a dot and no spaces,
// at most 254 bytes, valid UTF-8. (Deliverability is proven only by a message, not by syntax.)
bool IsPlausibleEmail(std::string_view email);

// Display names: 1–100 Unicode code points after trimming, valid UTF-8, no control characters.
bool IsValidDisplayName(std::string_view name);

}  // namespace practica::domain
