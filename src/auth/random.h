// Cryptographically secure randomness (libsodium's randombytes).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace practica::auth {

// `bytes` random bytes as unpadded base64url ("RFC 4648 §5").
std::string RandomToken(size_t bytes = 32);

// An opaque identifier: prefix + "_" + 26 lowercase base32 characters (128 random bits),
// e.g. NewId("usr") → "usr_k3x…". Ids never reveal order or count.
std::string NewId(std::string_view prefix);

}  // namespace practica::auth
