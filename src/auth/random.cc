#include "auth/random.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

#include "auth/crypto.h"
#include "auth/sodium_init.h"
#include "auth/totp.h"
#include "common/text.h"

namespace practica::auth {

void EnsureSodiumInitialized() {
  static const bool initialised = [] {
    // 0: initialised now, 1: already initialised (by another library), -1: failure.
    if (sodium_init() < 0) {
      std::fputs("practica: libsodium failed to initialise; refusing to run without it\n", stderr);
      std::abort();
    }
    return true;
  }();
  static_cast<void>(initialised);
}

std::string RandomBytes(size_t count) {
  EnsureSodiumInitialized();
  std::string bytes(count, '\0');
  if (count > 0) randombytes_buf(bytes.data(), count);
  return bytes;
}

std::string RandomToken(size_t bytes) { return Base64UrlEncode(RandomBytes(bytes)); }

std::string NewId(std::string_view prefix) {
  // 16 bytes are 128 bits; base32 spends 5 bits a character, so 26 characters (the last one
  // carries 3 bits and two zero bits).
  std::string id(prefix);
  id += '_';
  id += AsciiLower(Base32Encode(RandomBytes(16)));
  return id;
}

std::string NewTimeOrderedId(std::string_view prefix, int64_t unix_ms) {
  std::string id(prefix);
  id += '_';
  // RFC 4648 base32 puts letters before digits, which ASCII order reverses, so the time part
  // uses an alphabet whose order is ASCII order: digits 0-9, then letters a-v.
  static constexpr char kOrdered[] = "0123456789abcdefghijklmnopqrstuv";
  const auto ms = static_cast<uint64_t>(unix_ms < 0 ? 0 : unix_ms) & ((uint64_t{1} << 50) - 1);
  for (int shift = 45; shift >= 0; shift -= 5) id += kOrdered[(ms >> shift) & 31];
  id += AsciiLower(Base32Encode(RandomBytes(10)));
  return id;
}

}  // namespace practica::auth
