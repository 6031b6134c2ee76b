#include "domain/user.h"

#include "common/text.h"

namespace practica::domain {

std::string_view ToString(Role role) {
  switch (role) {
    case Role::kLearner:
      return "learner";
    case Role::kInstructor:
      return "instructor";
    case Role::kAdmin:
      return "admin";
  }
  return "learner";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role role : {Role::kLearner, Role::kInstructor, Role::kAdmin}) {
    if (ToString(role) == name) return role;
  }
  return std::nullopt;
}

std::string NormalizeEmail(std::string_view email) { return AsciiLower(TrimWhitespace(email)); }

bool IsPlausibleEmail(std::string_view email) {
  if (email.empty() || email.size() > 254 || !IsValidUtf8(email)) return false;
  const size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 ||
      email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = email.substr(at + 1);
  const size_t dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') return false;
  for (char c : email) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return at <= 64;
}

bool IsValidDisplayName(std::string_view name) {
  name = TrimWhitespace(name);
  if (name.empty() || !IsValidUtf8(name)) return false;
  size_t code_points = 0;
  for (size_t i = 0; i < name.size();) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7f) return false;
    i += c < 0x80 ? 1 : Utf8SequenceLength(name.substr(i));
    ++code_points;
  }
  return code_points <= 100;
}

}  // namespace practica::domain
