// The compiled-in common-password list (see gen_common_passwords.mjs and CMakeLists.txt here).

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>

#include "auth/password.h"
#include "common/text.h"

namespace practica::auth {
namespace {

// Constant-initialised, so it lives in read-only data and costs nothing at start-up.
constexpr std::string_view kCommonPasswords[] = {
#include "common_passwords.inc"
};

// Binary search needs strictly increasing entries; checked when compiling, not trusted.
static_assert(std::adjacent_find(std::begin(kCommonPasswords), std::end(kCommonPasswords),
                                 [](std::string_view a, std::string_view b) { return !(a < b); }) ==
                  std::end(kCommonPasswords),
              "common_passwords.inc must be sorted and free of duplicates");

}  // namespace

bool IsCommonPassword(std::string_view password) {
  // No entry is longer than a few dozen bytes; skip lowercasing a long input for nothing.
  constexpr size_t kLongestWorthChecking = 256;
  if (password.size() > kLongestWorthChecking) return false;
  const std::string lowered = AsciiLower(password);
  return std::binary_search(std::begin(kCommonPasswords), std::end(kCommonPasswords),
                            std::string_view(lowered));
}

size_t CommonPasswordCount() { return std::size(kCommonPasswords); }

}  // namespace practica::auth
