// Access tokens: compact JWS (RFC 7515/7519) signed with Ed25519 ("alg":"EdDSA", RFC 8037),
// with a "kid" naming the key so keys can rotate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/user.h"

namespace practica::auth {

inline constexpr std::string_view kIssuer = "practica";
inline constexpr std::string_view kAudience = "practica-api";
inline constexpr int64_t kAccessTokenSeconds = 15 * 60;
// At most this many verified tokens are remembered per TokenSigner (about 0.6 KB each).
inline constexpr size_t kVerifiedTokenCacheCapacity = 10'000;

struct AccessClaims {
  std::string subject;  // "sub": user id
  domain::Role role = domain::Role::kLearner;
  std::string session_id;  // "sid": the refresh-token family of this sign-in
  bool mfa = false;        // "mfa": the sign-in passed a second factor
  int64_t issued_at = 0;   // "iat"
  int64_t not_before = 0;  // "nbf" when the token has one, else "iat"; Sign writes no "nbf"
  int64_t expires_at = 0;  // "exp"
  friend bool operator==(const AccessClaims&, const AccessClaims&) = default;
};

// One Ed25519 key. The seed is the 32-byte secret; the public key derives from it.
struct SigningKey {
  std::string kid;
  std::string seed;  // 32 bytes
};

class TokenSigner {
 public:
  // `keys` must not be empty; keys[0] signs, every key verifies (rotation: put the new key first,
  // keep the old one until tokens signed with it have expired). Bad key sizes abort (config bug).
  explicit TokenSigner(std::vector<SigningKey> keys);
  ~TokenSigner();

  // Signs the claims with aud set to kAudience; the header is {"alg", "kid"} and the payload
  // {"aud", "sub", "role", "sid", "mfa", "iat", "exp"}: nothing verification does not need.
  std::string Sign(const AccessClaims& claims) const;

  // Verifies signature, header (typ JWT or absent, alg exactly EdDSA, a known kid), aud, iss when
  // present, exp > now, nbf (or else iat) <= now (60 s leeway for both), and the claim types. Every
  // failure is ErrorCode::kUnauthorized with a short reason that never echoes the token. Tokens
  // longer than 4 KiB are refused unread. An "aud" array containing kAudience is accepted. Verified
  // tokens are remembered (bounded, until they expire), so repeated verification of the same token
  // costs a hash lookup rather than a signature check. The cache is keyed by the exact token text
  // and holds only tokens that passed every check; exp and nbf are re-checked on every hit. When it
  // holds kVerifiedTokenCacheCapacity tokens it is emptied and refills. Thread-safe: any number of
  // threads may call Sign and Verify at once (a shared_mutex guards the cache; hits take it
  // shared).
  Result<AccessClaims> Verify(std::string_view token, int64_t now) const;

  // How many verified tokens are remembered now (for tests and metrics).
  size_t CachedTokenCount() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace practica::auth
