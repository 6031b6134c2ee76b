// Access tokens (auth/token.h): TokenSigner::Verify on arbitrary bytes, as every request's
// Authorization header reaches it.
// Invariants: a refusal is kUnauthorized with a reason that never echoes the token; a token that
// verifies has claims within their time window and a role that exists, verifies again the same way
// (the second time from the cache), and its claims signed anew verify to the same claims when
// its iat is in the window.
#include <string>

#include "auth/token.h"
#include "fuzz_check.h"
#include "token_keys.h"

using practica::fuzz::AsText;
using practica::fuzz::Check;

namespace {
practica::auth::TokenSigner* signer = nullptr;
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  signer = new practica::auth::TokenSigner(practica::fuzz::TokenKeys());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view token = AsText(data, size);
  const int64_t now = practica::fuzz::kTokenNow;
  auto claims = signer->Verify(token, now);
  if (!claims) {
    Check(claims.error().code == practica::ErrorCode::kUnauthorized,
          "a refused token is kUnauthorized");
    Check(!claims.error().message.empty(), "a refused token says why");
    // Shorter tokens may be words of the fixed reasons themselves ("malformed").
    if (token.size() >= 48) {
      Check(claims.error().message.find(token) == std::string::npos,
            "a refusal never echoes the token");
    }
    return 0;
  }
  Check(claims->expires_at + 60 > now, "a verified token has not expired");
  Check(claims->not_before - 60 <= now, "a verified token is already valid");
  const int role = static_cast<int>(claims->role);
  Check(role >= 0 && role <= static_cast<int>(practica::domain::Role::kAdmin),
        "a verified token has a known role");

  auto cached = signer->Verify(token, now);
  Check(cached && *cached == *claims, "a cached token verifies the same way");

  practica::auth::AccessClaims fresh = *claims;
  fresh.not_before = fresh.issued_at;  // Sign writes no nbf, so iat must be in the window too
  if (fresh.issued_at - 60 > now) return 0;
  auto resigned = signer->Verify(signer->Sign(fresh), now);
  Check(resigned && *resigned == fresh, "claims signed anew verify to the same claims");
  return 0;
}
