// Authenticated encryption of small secrets at rest (TOTP secrets): XChaCha20-Poly1305
// (libsodium crypto_secretbox_xchacha20poly1305 or crypto_aead_xchacha20poly1305_ietf).
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

namespace practica::auth {

class SecretBox {
 public:
  // `key` must be 32 bytes (auth/key_file.h provides it); a wrong size is a bug (aborts).
  explicit SecretBox(std::string key);

  // base64url(nonce || ciphertext). `context` is bound as associated data (e.g. the user id), so a
  // sealed value copied to another row does not open.
  std::string Seal(std::string_view plaintext, std::string_view context) const;
  // kInvalid when tampered, truncated, sealed with another key or for another context.
  Result<std::string> Open(std::string_view sealed, std::string_view context) const;

 private:
  std::string key_;
};

}  // namespace practica::auth
