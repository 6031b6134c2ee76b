#include "auth/crypto.h"

#include <sodium.h>

#include "auth/sodium_init.h"

namespace practica::auth {

std::string Sha256Hex(std::string_view data) {
  EnsureSodiumInitialized();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);  // lowercase
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

std::string Base64UrlEncode(std::string_view bytes) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  // The length includes the terminating NUL that sodium_bin2base64 writes.
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), kVariant);
  text.pop_back();
  return text;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  if (text.empty()) return std::string();
  // libsodium is strict here: with no `ignore` set and no end pointer it fails on any character
  // outside the alphabet (padding included), on a length of 1 mod 4, and on non-zero unused bits,
  // so every byte string has exactly one accepted encoding. Tokens rely on that.
  std::string bytes(text.size() / 4 * 3 + 3, '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(),
                        text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  bytes.resize(length);
  return bytes;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace practica::auth
