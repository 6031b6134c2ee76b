#include "auth/password.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

#include "auth/sodium_init.h"
#include "common/text.h"

namespace practica::auth {
namespace {

// Hashing cost grows with the input only slightly, but nothing legitimate is this long, and a cap
// keeps a request from making the server hash megabytes (checked before any work is done).
constexpr size_t kMaxPasswordBytes = 4096;

constexpr size_t kMinPasswordCodePoints = 8;
constexpr size_t kMaxPasswordCodePoints = 128;

constexpr std::string_view kArgon2idPrefix = "$argon2id$";

class Argon2idHasher final : public PasswordHasher {
 public:
  explicit Argon2idHasher(Argon2idParams params) : params_(params) {}

  Result<std::string> Hash(std::string_view password) const override {
    if (password.size() > kMaxPasswordBytes) return Error::Invalid("password is too long");
    char encoded[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(encoded, password.data(), password.size(), params_.iterations,
                              params_.memory_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
      // The only runtime failure is the memory allocation.
      return Error::Unavailable("password hashing ran out of memory");
    }
    return std::string(encoded);
  }

  bool Verify(std::string_view password, std::string_view encoded) const override {
    if (password.size() > kMaxPasswordBytes) return false;
    // libsodium reads a NUL-terminated string of fewer than crypto_pwhash_STRBYTES bytes; anything
    // else cannot be one of our hashes.
    if (encoded.size() >= crypto_pwhash_STRBYTES || encoded.find('\0') != std::string_view::npos) {
      return false;
    }
    const std::string terminated(encoded);
    return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
  }

  bool NeedsRehash(std::string_view encoded) const override {
    // crypto_pwhash_str_needs_rehash dispatches on the prefix, so an Argon2i hash with our
    // parameters would pass; we want Argon2id. Malformed strings (-1) also need a new hash.
    if (!StartsWith(encoded, kArgon2idPrefix) || encoded.size() >= crypto_pwhash_STRBYTES ||
        encoded.find('\0') != std::string_view::npos) {
      return true;
    }
    // libsodium reads only the parameters; a hash whose salt or digest is cut short (which can
    // still decode as base64) must need rehashing too: ours have a 16-byte salt and a 32-byte
    // digest, 22 and 43 base64 characters.
    const size_t digest_start = encoded.rfind('$');
    const size_t salt_start = encoded.rfind('$', digest_start - 1);
    if (salt_start == std::string_view::npos || digest_start - salt_start - 1 != 22 ||
        encoded.size() - digest_start - 1 != 43) {
      return true;
    }
    const std::string terminated(encoded);
    return crypto_pwhash_str_needs_rehash(terminated.c_str(), params_.iterations,
                                          params_.memory_bytes) != 0;
  }

 private:
  Argon2idParams params_;
};

size_t CountCodePoints(std::string_view valid_utf8) {
  size_t count = 0;
  for (char c : valid_utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;  // not a continuation byte
  }
  return count;
}

Status PasswordError(std::string message) {
  std::vector<FieldError> fields = {{"password", message}};
  return Error::Invalid(std::move(message), std::move(fields));
}

}  // namespace

std::unique_ptr<PasswordHasher> MakeArgon2idHasher(Argon2idParams params) {
  EnsureSodiumInitialized();
  if (params.memory_bytes < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
      params.memory_bytes > crypto_pwhash_argon2id_MEMLIMIT_MAX ||
      params.iterations < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      params.iterations > crypto_pwhash_argon2id_OPSLIMIT_MAX) {
    std::fputs("practica: Argon2id parameters out of libsodium's range (a configuration bug)\n",
               stderr);
    std::abort();
  }
  return std::make_unique<Argon2idHasher>(params);
}

Status CheckNewPassword(std::string_view password, std::string_view email) {
  if (!IsValidUtf8(password)) return PasswordError("The password must be valid UTF-8 text.");
  const size_t length = CountCodePoints(password);
  if (length < kMinPasswordCodePoints) {
    return PasswordError("The password must have at least 8 characters.");
  }
  if (length > kMaxPasswordCodePoints) {
    return PasswordError("The password must have at most 128 characters.");
  }
  if (IsCommonPassword(password)) {
    return PasswordError("This password is too common and easy to guess; choose another.");
  }
  const std::string_view address = TrimWhitespace(email);
  const std::string_view local_part = address.substr(0, address.rfind('@'));
  if ((!address.empty() && EqualsIgnoreCase(password, address)) ||
      (!local_part.empty() && EqualsIgnoreCase(password, local_part))) {
    return PasswordError("The password must not be your email address or the part before its @.");
  }
  return Status::Ok();
}

}  // namespace practica::auth
