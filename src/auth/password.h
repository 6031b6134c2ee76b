// Passwords: hashing (Argon2id through libsodium's crypto_pwhash_str) and the policy for new ones.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"

namespace practica::auth {

// The port, so tests can use cheap parameters and servers can hash off the I/O threads.
class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  // The encoded hash ("$argon2id$v=19$m=…,t=…,p=1$salt$hash"); parameters travel inside it.
  virtual Result<std::string> Hash(std::string_view password) const = 0;
  // False for a wrong password or a malformed hash; never throws. Passwords over 4096 bytes are
  // refused by both Hash (kInvalid) and Verify (false) before any work. Hash and Verify cost tens
  // of milliseconds and as much memory as the parameters say: call them off the I/O threads.
  // Implementations are thread-safe.
  virtual bool Verify(std::string_view password, std::string_view encoded) const = 0;
  // True when `encoded` was not made by this hasher's algorithm and parameters (libsodium
  // compares them for equality: weaker ones, typically), or is malformed: rehash on login.
  virtual bool NeedsRehash(std::string_view encoded) const = 0;
};

struct Argon2idParams {
  size_t memory_bytes = 19u << 20;    // OWASP's minimum: m = 19 MiB
  unsigned long long iterations = 2;  // t = 2 (libsodium uses p = 1)
};

// Parameters outside libsodium's Argon2id limits abort (a configuration bug). Tests may use small
// ones (e.g. 8 MiB, t = 1); servers keep the defaults or stronger.
std::unique_ptr<PasswordHasher> MakeArgon2idHasher(Argon2idParams params = {});

// New-password rules (ASVS 2.1, NIST SP 800-63B): 8 to 128 Unicode code points, any characters,
// no composition rules; refused when it is a commonly used password (IsCommonPassword) or equals
// the email or its local part, ignoring ASCII case. kInvalid with a field error on "password".
Status CheckNewPassword(std::string_view password, std::string_view email);

// Whether `password` (compared ignoring ASCII case) is in the list of common passwords that the
// build copies from an npm password-strength package (see src/auth/CMakeLists.txt). The list
// keeps only entries of 8 or more code points, since shorter passwords fail CheckNewPassword by
// length already: IsCommonPassword("123456") is false.
bool IsCommonPassword(std::string_view password);
size_t CommonPasswordCount();

}  // namespace practica::auth
