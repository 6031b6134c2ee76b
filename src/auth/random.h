// Cryptographically secure randomness (libsodium's randombytes).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace practica::auth {

// Every function here is thread-safe and never fails: if the system cannot provide randomness the
// process aborts, because continuing with predictable keys would be worse than stopping.

// `count` random bytes (key material, nonces, TOTP secrets).
std::string RandomBytes(size_t count);

// `bytes` random bytes as unpadded base64url ("RFC 4648 §5").
std::string RandomToken(size_t bytes = 32);

// An opaque identifier: prefix + "_" + 26 lowercase base32 characters (128 random bits),
// e.g. NewId("usr") → "usr_k3x…". Ids never reveal order or count.
std::string NewId(std::string_view prefix);

}  // namespace practica::auth
