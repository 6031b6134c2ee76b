#include "auth/secret_box.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

#include "auth/crypto.h"
#include "auth/random.h"
#include "auth/sodium_init.h"

namespace practica::auth {
namespace {

constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;  // 24: random is safe
constexpr size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

SecretBox::SecretBox(std::string key) : key_(std::move(key)) {
  static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == 32);
  if (key_.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES) {
    std::fputs("practica: SecretBox needs a 32-byte key (a configuration bug)\n", stderr);
    std::abort();
  }
  EnsureSodiumInitialized();
}

std::string SecretBox::Seal(std::string_view plaintext, std::string_view context) const {
  // A fresh random 192-bit nonce per message: XChaCha20's nonce is long enough that random nonces
  // never repeat in practice, so no counter has to be kept anywhere.
  std::string sealed = RandomBytes(kNonceBytes);
  sealed.resize(kNonceBytes + plaintext.size() + kTagBytes);
  unsigned long long cipher_length = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(sealed.data() + kNonceBytes), &cipher_length,
      Bytes(plaintext), plaintext.size(), Bytes(context), context.size(), nullptr, Bytes(sealed),
      Bytes(key_));
  sealed.resize(kNonceBytes + cipher_length);
  return Base64UrlEncode(sealed);
}

Result<std::string> SecretBox::Open(std::string_view sealed, std::string_view context) const {
  const std::optional<std::string> bytes = Base64UrlDecode(sealed);
  if (!bytes || bytes->size() < kNonceBytes + kTagBytes) {
    return Error::Invalid("sealed value is malformed");
  }
  const std::string_view nonce = std::string_view(*bytes).substr(0, kNonceBytes);
  const std::string_view cipher = std::string_view(*bytes).substr(kNonceBytes);
  std::string plaintext(cipher.size() - kTagBytes, '\0');
  unsigned long long plain_length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plaintext.data()), &plain_length, nullptr, Bytes(cipher),
          cipher.size(), Bytes(context), context.size(), Bytes(nonce), Bytes(key_)) != 0) {
    return Error::Invalid("sealed value does not open (tampered, another key or another context)");
  }
  plaintext.resize(plain_length);
  return plaintext;
}

}  // namespace practica::auth
