#include "auth/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include "auth/crypto.h"
#include "auth/random.h"
#include "common/text.h"

namespace practica::auth {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr int kMinDigits = 6;  // RFC 4226 §5.3: at least 6
constexpr int kMaxDigits = 8;  // and what RFC 6238's reference implementation goes up to

// The 5-bit value of a base32 character (either case), or -1.
int Base32Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

bool IsAsciiDigits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// RFC 3986 unreserved characters stay; every other byte is %XX.
std::string PercentEncode(std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

}  // namespace

std::string Base32Encode(std::string_view bytes) {
  std::string text;
  text.reserve((bytes.size() * 8 + 4) / 5);
  unsigned buffer = 0;  // holds fewer than 13 bits at any time
  int bits = 0;
  for (char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text += kBase32Alphabet[(buffer >> bits) & 0x1F];
    }
    buffer &= (1u << bits) - 1;
  }
  if (bits > 0) text += kBase32Alphabet[(buffer << (5 - bits)) & 0x1F];
  return text;
}

std::optional<std::string> Base32Decode(std::string_view text) {
  std::string bytes;
  unsigned buffer = 0;
  int bits = 0;
  size_t characters = 0;
  for (char c : text) {
    if (c == ' ' || c == '=') continue;  // authenticator apps show secrets in groups
    const int value = Base32Value(c);
    if (value < 0) return std::nullopt;
    ++characters;
    buffer = (buffer << 5) | static_cast<unsigned>(value);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes += static_cast<char>((buffer >> bits) & 0xFF);
    }
    buffer &= (1u << bits) - 1;
  }
  // 1, 3 or 6 characters past a full group of 8 cannot come from whole bytes, and the bits left
  // over must be zero: otherwise two texts would decode to the same secret.
  const size_t tail = characters % 8;
  if (tail == 1 || tail == 3 || tail == 6 || buffer != 0) return std::nullopt;
  return bytes;
}

std::string NewTotpSecret() { return RandomBytes(20); }

std::string Hotp(std::string_view secret, uint64_t counter, int digits) {
  if (digits < kMinDigits || digits > kMaxDigits) {
    std::fputs("practica: HOTP codes have 6 to 8 digits (a programming bug)\n", stderr);
    std::abort();
  }
  std::array<unsigned char, 8> message;
  for (int i = 7; i >= 0; --i) {  // the counter, big-endian
    message[static_cast<size_t>(i)] = static_cast<unsigned char>(counter & 0xFF);
    counter >>= 8;
  }
  // OpenSSL wants a non-null key pointer even for an empty key.
  static constexpr unsigned char kNoKey = 0;
  const void* key = secret.empty() ? &kNoKey : static_cast<const void*>(secret.data());
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac;
  unsigned int mac_length = 0;
  if (HMAC(EVP_sha1(), key, static_cast<int>(secret.size()), message.data(), message.size(),
           mac.data(), &mac_length) == nullptr ||
      mac_length != 20) {
    std::fputs("practica: OpenSSL's HMAC-SHA1 failed\n", stderr);
    std::abort();
  }
  // Dynamic truncation (RFC 4226 §5.3): 31 bits at the offset named by the last nibble.
  const unsigned offset = mac[19] & 0x0F;
  const uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7F) << 24) |
                          (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                          (static_cast<uint32_t>(mac[offset + 2]) << 8) |
                          static_cast<uint32_t>(mac[offset + 3]);
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  code.insert(0, static_cast<size_t>(digits) - code.size(), '0');
  return code;
}

std::optional<int64_t> MatchTotp(std::string_view secret, std::string_view code, int64_t now,
                                 int window, int digits) {
  if (digits < kMinDigits || digits > kMaxDigits || window < 0 ||
      code.size() != static_cast<size_t>(digits) || !IsAsciiDigits(code) || now < 0) {
    return std::nullopt;
  }
  const int64_t current = now / kTotpStepSeconds;
  // Every step in the window is computed and compared in constant time, so the response time
  // does not tell which step (if any) matched.
  std::optional<int64_t> matched;
  for (int64_t step = current - window; step <= current + window; ++step) {
    if (step < 0) continue;
    if (ConstantTimeEquals(Hotp(secret, static_cast<uint64_t>(step), digits), code) && !matched) {
      matched = step;
    }
  }
  return matched;
}

std::string OtpAuthUri(std::string_view issuer, std::string_view account, std::string_view secret) {
  // Key URI format (Google Authenticator's wiki): the label is "issuer:account" with each part
  // percent-encoded, and the issuer parameter repeats the issuer.
  std::string uri = "otpauth://totp/";
  uri += PercentEncode(issuer);
  uri += ':';
  uri += PercentEncode(account);
  uri += "?secret=";
  uri += Base32Encode(secret);
  uri += "&issuer=";
  uri += PercentEncode(issuer);
  uri += "&algorithm=SHA1&digits=6&period=30";
  return uri;
}

std::vector<std::string> NewRecoveryCodes(int count) {
  std::vector<std::string> codes;
  for (int i = 0; i < count; ++i) {
    // 8 random bytes give 13 base32 characters; the first 12 carry 60 random bits.
    const std::string characters = AsciiLower(Base32Encode(RandomBytes(8))).substr(0, 12);
    codes.push_back(characters.substr(0, 4) + '-' + characters.substr(4, 4) + '-' +
                    characters.substr(8, 4));
  }
  return codes;
}

std::string RecoveryCodeHash(std::string_view code) {
  std::string normalised;
  for (char c : code) {
    if (c == '-' || c == ' ' || c == '\t') continue;
    normalised += AsciiLower(c);
  }
  return Sha256Hex(normalised);
}

}  // namespace practica::auth
