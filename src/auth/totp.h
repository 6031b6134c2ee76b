// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, 30-second steps,
// 6 digits — what authenticator apps expect.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace practica::auth {

inline constexpr int64_t kTotpStepSeconds = 30;

std::string Base32Encode(std::string_view bytes);  // RFC 4648, uppercase, no padding
// Ignores case, spaces and '='; nullopt for any other character outside the alphabet, a length
// that whole bytes cannot have, or non-zero unused bits (so each secret has one spelling).
std::optional<std::string> Base32Decode(std::string_view text);

// A new 20-byte secret (160 bits, RFC 4226's recommendation). Secrets are raw bytes everywhere
// here; base32 is only for showing them to people and apps (OtpAuthUri).
std::string NewTotpSecret();

// The HOTP value for `counter` with `digits` digits (RFC 4226 §5.3), zero-padded. `digits` must be
// 6, 7 or 8 (anything else is a programming bug and aborts).
std::string Hotp(std::string_view secret, uint64_t counter, int digits = 6);

// The step matched by `code` within ±`window` steps of `now`, or nullopt. Codes that are not
// exactly `digits` ASCII digits never match, nor does anything when `digits` is outside 6–8. Every
// step of the window is compared in constant time. The caller refuses replays
// (UserStore::UseTotpStep).
std::optional<int64_t> MatchTotp(std::string_view secret, std::string_view code, int64_t now,
                                 int window = 1, int digits = 6);

// otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30, with the
// issuer and account percent-encoded (all but RFC 3986 unreserved characters) and the secret in
// base32.
std::string OtpAuthUri(std::string_view issuer, std::string_view account, std::string_view secret);

// `count` recovery codes like "k3x9-m2p7-q8r4" (60 random bits each, lowercase base32 groups).
std::vector<std::string> NewRecoveryCodes(int count = 10);
// The form in which a code is stored and compared: Sha256Hex of the code lowercased, without
// dashes, spaces or tabs (so "K3X9 M2P7 Q8R4" matches "k3x9-m2p7-q8r4").
std::string RecoveryCodeHash(std::string_view code);

}  // namespace practica::auth
