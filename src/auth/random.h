// Cryptographically secure randomness (libsodium's randombytes).
#pragma once

#include <cstddef>
#include <cstdint>
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

// Like NewId, but ids made later sort later: 50 bits of milliseconds since the epoch (10
// characters of an ASCII-ordered base32) then 80 random bits (16 characters). For rows written at a
// high rate (attempts), so that index inserts append to the end of the B-tree instead of landing on
// random pages. `unix_ms` is passed in (no clock here).
std::string NewTimeOrderedId(std::string_view prefix, int64_t unix_ms);

}  // namespace practica::auth
