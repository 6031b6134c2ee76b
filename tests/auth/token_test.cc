#include "auth/token.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>
#include <thread>
#include <vector>

#include "auth/crypto.h"

namespace practica::auth {
namespace {

constexpr int64_t kNow = 1'700'000'000;

const SigningKey kKey1{"k1", std::string(32, '\x01')};
const SigningKey kKey2{"k2", std::string(32, '\x02')};

AccessClaims LearnerClaims(int64_t now = kNow) {
  AccessClaims claims;
  claims.subject = "usr_abc";
  claims.role = domain::Role::kLearner;
  claims.session_id = "ses_xyz";
  claims.mfa = false;
  claims.issued_at = now;
  claims.not_before = now;
  claims.expires_at = now + kAccessTokenSeconds;
  return claims;
}

std::string Bytes(const unsigned char* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

std::string PublicKey(const SigningKey& key) {
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(public_key, secret_key,
                           reinterpret_cast<const unsigned char*>(key.seed.data()));
  return Bytes(public_key, sizeof public_key);
}

// base64url(header).base64url(payload), from JSON text written by the test.
std::string SigningInput(std::string_view header_json, std::string_view payload_json) {
  return Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload_json);
}

// A token over any header and payload, with a real Ed25519 signature by `key`: lets the tests reach
// the checks that come after the signature.
std::string SignRaw(std::string_view header_json, std::string_view payload_json,
                    const SigningKey& key = kKey1) {
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(public_key, secret_key,
                           reinterpret_cast<const unsigned char*>(key.seed.data()));
  const std::string input = SigningInput(header_json, payload_json);
  unsigned char signature[crypto_sign_BYTES];
  crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(input.data()),
                       input.size(), secret_key);
  return input + "." + Base64UrlEncode(Bytes(signature, sizeof signature));
}

std::string HmacSha256(std::string_view key, std::string_view message) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  return Bytes(mac, sizeof mac);
}

constexpr std::string_view kHeader = R"({"alg":"EdDSA","kid":"k1"})";

// A payload like the one Sign writes, with `replace` applied (e.g. {"\"mfa\":false", "\"mfa\":1"}).
std::string Payload(std::string_view find = "", std::string_view replace = "") {
  std::string payload = R"({"aud":"practica-api","sub":"usr_abc","role":"learner",)"
                        R"("sid":"ses_xyz","mfa":false,"iat":1700000000,"exp":1700000900})";
  if (!find.empty()) {
    const size_t at = payload.find(find);
    EXPECT_NE(at, std::string::npos) << find;
    if (at != std::string::npos) payload.replace(at, find.size(), replace);
  }
  return payload;
}

std::vector<std::string> Split(const std::string& token) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot; (dot = token.find('.', start)) != std::string::npos; start = dot + 1) {
    parts.push_back(token.substr(start, dot - start));
  }
  parts.push_back(token.substr(start));
  return parts;
}

class TokenTest : public ::testing::Test {
 protected:
  // The reason Verify gives, or "ok".
  std::string Reason(std::string_view token, int64_t now = kNow) const {
    const Result<AccessClaims> claims = signer_.Verify(token, now);
    if (claims.ok()) return "ok";
    EXPECT_EQ(claims.error().code, ErrorCode::kUnauthorized);
    if (token.size() >= 16) {
      EXPECT_EQ(claims.error().message.find(token.substr(0, 16)), std::string::npos)
          << "the reason echoes the token";
    }
    return claims.error().message;
  }

  TokenSigner signer_{{kKey1}};
};

TEST_F(TokenTest, RoundTripsTheClaims) {
  AccessClaims claims = LearnerClaims();
  claims.role = domain::Role::kInstructor;
  claims.mfa = true;
  const std::string token = signer_.Sign(claims);
  ASSERT_EQ(Split(token).size(), 3u);
  EXPECT_EQ(*Base64UrlDecode(Split(token)[0]), kHeader);
  const Result<AccessClaims> verified = signer_.Verify(token, kNow);
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_EQ(*verified, claims);
}

TEST_F(TokenTest, PayloadCarriesTheRegisteredClaims) {
  const std::string token = signer_.Sign(LearnerClaims());
  EXPECT_EQ(*Base64UrlDecode(Split(token)[1]), Payload());
}

TEST_F(TokenTest, TheTestSignerMakesTokensThatVerify) {
  // Control for the cases below: only the change each of them makes is what gets refused.
  EXPECT_EQ(Reason(SignRaw(kHeader, Payload())), "ok");
  EXPECT_EQ(Reason(SignRaw(R"({"kid":"k1","alg":"EdDSA"})", Payload())), "ok");  // no typ
}

TEST_F(TokenTest, RefusesAlgNoneWithAnEmptySignature) {
  EXPECT_EQ(Reason(SigningInput(R"({"alg":"none","typ":"JWT","kid":"k1"})", Payload()) + "."),
            "malformed token");
  EXPECT_EQ(Reason(SigningInput(R"({"alg":"none","typ":"JWT"})", Payload()) + "."),
            "malformed token");
}

TEST_F(TokenTest, RefusesAlgNoneEvenWithASignature) {
  const std::string valid_signature = Split(signer_.Sign(LearnerClaims()))[2];
  EXPECT_EQ(Reason(SigningInput(R"({"alg":"none","typ":"JWT","kid":"k1"})", Payload()) + "." +
                   valid_signature),
            "unsupported token algorithm");
  EXPECT_EQ(Reason(SignRaw(R"({"alg":"none","typ":"JWT","kid":"k1"})", Payload())),
            "unsupported token algorithm");
}

TEST_F(TokenTest, RefusesHs256SignedWithThePublicKeyAsSecret) {
  // The classic confusion attack: the verifier's public key is public, so a verifier that lets the
  // header pick HMAC would accept anyone's token.
  const std::string header = R"({"alg":"HS256","typ":"JWT","kid":"k1"})";
  const std::string input = SigningInput(header, Payload("\"learner\"", "\"admin\""));
  for (const std::string& secret : {PublicKey(kKey1), Base64UrlEncode(PublicKey(kKey1))}) {
    EXPECT_EQ(Reason(input + "." + Base64UrlEncode(HmacSha256(secret, input))),
              "unsupported token algorithm");
  }
}

TEST_F(TokenTest, RefusesOtherAlgorithms) {
  for (const char* alg : {"RS256", "ES256", "eddsa", "Ed25519", "EdDSA "}) {
    const std::string header = std::string(R"({"alg":")") + alg + R"(","kid":"k1"})";
    EXPECT_EQ(Reason(SignRaw(header, Payload())), "unsupported token algorithm") << alg;
  }
  EXPECT_EQ(Reason(SignRaw(R"({"kid":"k1"})", Payload())), "unsupported token algorithm");
  EXPECT_EQ(Reason(SignRaw(R"({"alg":["EdDSA"],"kid":"k1"})", Payload())),
            "unsupported token algorithm");
}

TEST_F(TokenTest, RefusesAWrongKid) {
  // Signed by k1 but naming k2, which the ring knows: the signature does not check out under k2.
  const TokenSigner ring({kKey1, kKey2});
  const std::string token = SignRaw(R"({"alg":"EdDSA","typ":"JWT","kid":"k2"})", Payload(), kKey1);
  const Result<AccessClaims> claims = ring.Verify(token, kNow);
  ASSERT_FALSE(claims.ok());
  EXPECT_EQ(claims.error().message, "bad token signature");
}

TEST_F(TokenTest, RefusesAnUnknownOrMissingKid) {
  EXPECT_EQ(Reason(SignRaw(R"({"alg":"EdDSA","typ":"JWT","kid":"k9"})", Payload())),
            "unknown token key");
  EXPECT_EQ(Reason(SignRaw(R"({"alg":"EdDSA","typ":"JWT"})", Payload())), "unknown token key");
  EXPECT_EQ(Reason(SignRaw(R"({"alg":"EdDSA","typ":"JWT","kid":1})", Payload())),
            "unknown token key");
}

TEST_F(TokenTest, RefusesATamperedPayload) {
  const std::vector<std::string> parts = Split(signer_.Sign(LearnerClaims()));
  const std::string admin = Payload("\"learner\"", "\"admin\"");
  ASSERT_EQ(*Base64UrlDecode(parts[1]), Payload());
  EXPECT_EQ(Reason(parts[0] + "." + Base64UrlEncode(admin) + "." + parts[2]),
            "bad token signature");
}

TEST_F(TokenTest, RefusesATamperedHeader) {
  const std::vector<std::string> parts = Split(signer_.Sign(LearnerClaims()));
  const std::string header = R"({"alg":"EdDSA","typ":"JWT","kid":"k1","x":1})";
  EXPECT_EQ(Reason(Base64UrlEncode(header) + "." + parts[1] + "." + parts[2]),
            "bad token signature");
}

TEST_F(TokenTest, RefusesASignatureOfAnotherKey) {
  // Same kid, different key: what a token from another deployment (or an attacker) looks like.
  const TokenSigner impostor({{"k1", std::string(32, '\x07')}});
  EXPECT_EQ(Reason(impostor.Sign(LearnerClaims())), "bad token signature");
}

TEST_F(TokenTest, RefusesAlteredSignatures) {
  const std::string token = signer_.Sign(LearnerClaims());
  const std::vector<std::string> parts = Split(token);
  std::string signature = *Base64UrlDecode(parts[2]);
  signature[10] = static_cast<char>(signature[10] ^ 0x40);
  const std::string input = parts[0] + "." + parts[1] + ".";
  EXPECT_EQ(Reason(input + Base64UrlEncode(signature)), "bad token signature");
  EXPECT_EQ(Reason(input + Base64UrlEncode(signature.substr(0, 63))), "bad token signature");
  EXPECT_EQ(Reason(input + parts[2] + "A"), "bad token signature");  // 65 bytes
}

TEST_F(TokenTest, RefusesAnExpiredToken) {
  const std::string token = signer_.Sign(LearnerClaims());
  const int64_t exp = kNow + kAccessTokenSeconds;
  EXPECT_EQ(Reason(token, exp + 59), "ok");  // within the leeway
  EXPECT_EQ(Reason(token, exp + 60), "token expired");
  EXPECT_EQ(Reason(signer_.Sign(LearnerClaims(kNow - 3600))), "token expired");
}

TEST_F(TokenTest, RefusesATokenNotYetValid) {
  // Ours are valid from "iat".
  const std::string token = signer_.Sign(LearnerClaims(kNow + 600));
  EXPECT_EQ(Reason(token, kNow), "token not yet valid");
  EXPECT_EQ(Reason(token, kNow + 540), "ok");  // 60 s early is within the leeway
  // An "nbf", when a token has one, is what counts.
  const std::string later =
      SignRaw(kHeader, Payload("\"exp\":1700000900", "\"nbf\":1700000600,\"exp\":1700000900"));
  EXPECT_EQ(Reason(later, kNow), "token not yet valid");
  EXPECT_EQ(Reason(later, kNow + 540), "ok");
}

TEST_F(TokenTest, OurTokensCarryOnlyWhatVerificationNeeds) {
  // Every request carries the token: a learner's is about 340 bytes.
  const std::string token = signer_.Sign(LearnerClaims());
  EXPECT_LT(token.size(), 300u);  // with the test's short ids; real ids add 46 bytes
  EXPECT_EQ(token.find(Base64UrlEncode(R"("typ")")), std::string::npos);
  const std::string payload = *Base64UrlDecode(Split(token)[1]);
  for (const char* claim : {"\"iss\"", "\"nbf\"", "\"typ\""}) {
    EXPECT_EQ(payload.find(claim), std::string::npos) << claim;
  }
  // Tokens of the older, longer shape still verify.
  EXPECT_EQ(Reason(SignRaw(R"({"alg":"EdDSA","typ":"JWT","kid":"k1"})",
                           R"({"iss":"practica","aud":"practica-api","sub":"usr_abc",)"
                           R"("role":"learner","sid":"ses_xyz","mfa":false,"iat":1700000000,)"
                           R"("nbf":1700000000,"exp":1700000900})")),
            "ok");
}

TEST_F(TokenTest, RefusesAWrongAudience) {
  EXPECT_EQ(Reason(SignRaw(kHeader, Payload("\"practica-api\"", "\"other-api\""))),
            "wrong token audience");
  EXPECT_EQ(Reason(SignRaw(kHeader, Payload(R"("aud":"practica-api",)", ""))),
            "wrong token audience");
  EXPECT_EQ(Reason(SignRaw(kHeader, Payload("\"practica-api\"", R"(["other-api"])"))),
            "wrong token audience");
  EXPECT_EQ(Reason(SignRaw(kHeader, Payload("\"practica-api\"", R"(["practica-api",7])"))),
            "wrong token audience");
  EXPECT_EQ(Reason(SignRaw(kHeader, Payload("\"practica-api\"", R"({"practica-api":1})"))),
            "wrong token audience");
}

TEST_F(TokenTest, AcceptsAnAudienceArrayThatNamesUs) {
  EXPECT_EQ(Reason(SignRaw(kHeader, Payload("\"practica-api\"", R"(["other","practica-api"])"))),
            "ok");
}

TEST_F(TokenTest, RefusesAWrongIssuer) {
  // Ours name no issuer; one that does must name us.
  EXPECT_EQ(Reason(SignRaw(kHeader, Payload("{", R"({"iss":"evil",)"))), "wrong token issuer");
  EXPECT_EQ(Reason(SignRaw(kHeader, Payload("{", R"({"iss":"Practica",)"))), "wrong token issuer");
  EXPECT_EQ(Reason(SignRaw(kHeader, Payload("{", R"({"iss":null,)"))), "wrong token issuer");
  EXPECT_EQ(Reason(SignRaw(kHeader, Payload("{", R"({"iss":"practica",)"))), "ok");
}

TEST_F(TokenTest, RefusesClaimsOfWrongTypes) {
  const std::pair<const char*, const char*> changes[] = {
      {"\"mfa\":false", "\"mfa\":\"false\""},
      {"\"mfa\":false", "\"mfa\":0"},
      {"\"exp\":1700000900", "\"exp\":\"1700000900\""},
      {"\"exp\":1700000900", "\"exp\":1700000900.0"},
      {"\"exp\":1700000900", "\"exp\":18446744073709551615"},
      {"\"exp\":1700000900", "\"nbf\":null,\"exp\":1700000900"},
      {"\"exp\":1700000900", "\"nbf\":\"1700000000\",\"exp\":1700000900"},
      {"\"iat\":1700000000", "\"iat\":true"},
      {"\"sub\":\"usr_abc\"", "\"sub\":42"},
      {"\"sub\":\"usr_abc\"", "\"sub\":\"\""},
      {"\"role\":\"learner\"", "\"role\":\"superuser\""},
      {"\"role\":\"learner\"", "\"role\":[\"admin\"]"},
      {"\"sid\":\"ses_xyz\"", "\"sid\":{}"},
      {"\"sid\":\"ses_xyz\",", ""},
      {"\"mfa\":false,", ""},
      {"\"iat\":1700000000,", ""},
  };
  for (const auto& [find, replace] : changes) {
    EXPECT_EQ(Reason(SignRaw(kHeader, Payload(find, replace))),
              "token claims are missing or malformed")
        << replace;
  }
}

TEST_F(TokenTest, RefusesNonJsonAndNonObjectParts) {
  EXPECT_EQ(Reason(SignRaw("not json", Payload())), "malformed token");
  EXPECT_EQ(Reason(SignRaw(R"(["EdDSA"])", Payload())), "malformed token");
  EXPECT_EQ(Reason(SignRaw(R"({"alg":"EdDSA","kid":"k1",})", Payload())), "malformed token");
  EXPECT_EQ(Reason(SignRaw(kHeader, "not json")), "malformed token");
  EXPECT_EQ(Reason(SignRaw(kHeader, "[1,2]")), "malformed token");
  EXPECT_EQ(Reason(SignRaw(kHeader, "\"practica\"")), "malformed token");
  EXPECT_EQ(Reason(SignRaw(kHeader, Payload() + " trailing")), "malformed token");
  EXPECT_EQ(Reason(SignRaw(kHeader, Payload("usr_abc", "usr_\xff"))), "malformed token");
}

TEST_F(TokenTest, RefusesUnsupportedTypesAndCriticalExtensions) {
  EXPECT_EQ(Reason(SignRaw(R"({"alg":"EdDSA","typ":"at+jwt","kid":"k1"})", Payload())),
            "unsupported token type");
  EXPECT_EQ(Reason(SignRaw(R"({"alg":"EdDSA","typ":null,"kid":"k1"})", Payload())),
            "unsupported token type");
  EXPECT_EQ(Reason(SignRaw(R"({"alg":"EdDSA","kid":"k1","crit":["exp"],"exp":1})", Payload())),
            "unsupported token extension");
}

TEST_F(TokenTest, RefusesGarbageAndTruncatedTokens) {
  const std::string token = signer_.Sign(LearnerClaims());
  const std::vector<std::string> parts = Split(token);
  const std::string garbage[] = {
      "",
      ".",
      "..",
      "garbage",
      "a.b.c",
      "Bearer " + token,
      token.substr(0, token.size() - 10),
      token.substr(0, token.rfind('.')),      // 2 parts
      token.substr(0, token.rfind('.') + 1),  // empty signature
      parts[0] + ".." + parts[2],             // empty payload
      "." + parts[1] + "." + parts[2],        // empty header
      token + ".",                            // 4 parts
      token + "." + parts[2],                 // 4 parts
      parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[2] + "." + parts[2],  // JWE-like
      parts[0] + "=." + parts[1] + "." + parts[2],                                   // padding
      parts[0] + " ." + parts[1] + "." + parts[2],
  };
  for (const std::string& bad : garbage) {
    const std::string reason = Reason(bad);
    EXPECT_TRUE(reason == "malformed token" || reason == "bad token signature") << bad << reason;
  }
}

TEST_F(TokenTest, RefusesAHugeTokenUnread) {
  const std::string token = signer_.Sign(LearnerClaims());
  const std::string huge =
      SignRaw(kHeader, Payload("\"ses_xyz\"", "\"" + std::string(4000, 's') + "\""));
  EXPECT_GT(huge.size(), 4096u);
  EXPECT_EQ(Reason(huge), "token too long");
  EXPECT_EQ(Reason(std::string(1 << 20, 'A')), "token too long");
}

TEST(TokenKeyRotation, OldTokensVerifyWhileTheirKeyIsInTheRing) {
  const TokenSigner before({kKey1});
  const std::string old_token = before.Sign(LearnerClaims());

  const TokenSigner after({kKey2, kKey1});
  const Result<AccessClaims> still_valid = after.Verify(old_token, kNow);
  ASSERT_TRUE(still_valid.ok()) << still_valid.error().message;
  EXPECT_EQ(*still_valid, LearnerClaims());
  const std::string new_token = after.Sign(LearnerClaims());
  EXPECT_EQ(*Base64UrlDecode(Split(new_token)[0]), R"({"alg":"EdDSA","kid":"k2"})");
  EXPECT_TRUE(after.Verify(new_token, kNow).ok());
  EXPECT_FALSE(before.Verify(new_token, kNow).ok());  // the old ring does not know k2

  const TokenSigner retired({kKey2});
  const Result<AccessClaims> refused = retired.Verify(old_token, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "unknown token key");
  EXPECT_TRUE(retired.Verify(new_token, kNow).ok());
}

TEST_F(TokenTest, CacheRemembersVerifiedTokensOnly) {
  const std::string token = signer_.Sign(LearnerClaims());
  EXPECT_EQ(signer_.CachedTokenCount(), 0u);
  EXPECT_EQ(Reason(token), "ok");
  EXPECT_EQ(signer_.CachedTokenCount(), 1u);
  EXPECT_EQ(Reason(token), "ok");
  EXPECT_EQ(signer_.CachedTokenCount(), 1u);
  EXPECT_EQ(Reason(token + "x"), "bad token signature");
  EXPECT_EQ(Reason(signer_.Sign(LearnerClaims(kNow - 7200))), "token expired");
  EXPECT_EQ(signer_.CachedTokenCount(), 1u);
}

TEST_F(TokenTest, CacheDoesNotLetAForgedTokenPassAfterAValidOne) {
  const std::string token = signer_.Sign(LearnerClaims());
  ASSERT_EQ(Reason(token), "ok");
  const std::vector<std::string> parts = Split(token);
  // The valid token's signature on an elevated payload, and the same payload unsigned.
  const std::string admin = Base64UrlEncode(Payload("\"learner\"", "\"admin\""));
  EXPECT_EQ(Reason(parts[0] + "." + admin + "." + parts[2]), "bad token signature");
  EXPECT_EQ(
      Reason(SigningInput(R"({"alg":"none","kid":"k1"})", Payload("\"learner\"", "\"admin\"")) +
             "." + parts[2]),
      "unsupported token algorithm");
  EXPECT_EQ(Reason(token), "ok");
}

TEST_F(TokenTest, CachedTokensStillExpire) {
  const std::string token = signer_.Sign(LearnerClaims());
  ASSERT_EQ(Reason(token), "ok");
  ASSERT_EQ(signer_.CachedTokenCount(), 1u);
  EXPECT_EQ(Reason(token, kNow + kAccessTokenSeconds + 60), "token expired");
  EXPECT_EQ(Reason(token, kNow - 61), "token not yet valid");
  EXPECT_EQ(Reason(token, kNow + 1), "ok");
}

TEST_F(TokenTest, CacheIsBounded) {
  AccessClaims claims = LearnerClaims();
  for (size_t i = 0; i <= kVerifiedTokenCacheCapacity; ++i) {
    claims.session_id = "ses_" + std::to_string(i);
    ASSERT_TRUE(signer_.Verify(signer_.Sign(claims), kNow).ok());
    ASSERT_LE(signer_.CachedTokenCount(), kVerifiedTokenCacheCapacity);
  }
  EXPECT_EQ(signer_.CachedTokenCount(), 1u);  // emptied when full, then the last one went in
}

TEST(TokenCache, AHitHoldsOnlyForTheRingThatVerified) {
  // Same kid, another key: a token one ring has verified (and so cached, on this thread too) is
  // a forgery to the other, even to a ring built later at the same address.
  const SigningKey impostor{"k1", std::string(32, '\x03')};
  std::string token;
  {
    const TokenSigner first({kKey1});
    token = first.Sign(LearnerClaims());
    ASSERT_TRUE(first.Verify(token, kNow).ok());
    ASSERT_TRUE(first.Verify(token, kNow).ok());
    const TokenSigner other({impostor});
    const Result<AccessClaims> refused = other.Verify(token, kNow);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().message, "bad token signature");
  }
  const TokenSigner later({impostor});
  const Result<AccessClaims> refused = later.Verify(token, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "bad token signature");
}

TEST_F(TokenTest, VerifiesFromManyThreadsAtOnce) {
  std::vector<std::string> tokens;
  AccessClaims claims = LearnerClaims();
  for (int i = 0; i < 8; ++i) {
    claims.session_id = "ses_" + std::to_string(i);
    tokens.push_back(signer_.Sign(claims));
  }
  const std::string forged = Split(tokens[0])[0] + "." +
                             Base64UrlEncode(Payload("\"learner\"", "\"admin\"")) + "." +
                             Split(tokens[0])[2];
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) {
        const std::string& token = tokens[static_cast<size_t>((round + t) % 8)];
        const Result<AccessClaims> valid = signer_.Verify(token, kNow);
        if (!valid.ok() || valid->role != domain::Role::kLearner)
          ++failures[static_cast<size_t>(t)];
        if (signer_.Verify(forged, kNow).ok()) ++failures[static_cast<size_t>(t)];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
  EXPECT_EQ(signer_.CachedTokenCount(), 8u);
}

TEST(TokenSignerDeathTest, AbortsOnABadKeyRing) {
  EXPECT_DEATH(TokenSigner(std::vector<SigningKey>{}), "at least one signing key");
  EXPECT_DEATH(TokenSigner(std::vector<SigningKey>{{"k1", "short"}}), "32 bytes");
  EXPECT_DEATH(TokenSigner(std::vector<SigningKey>{kKey1, {"k1", std::string(32, '\x09')}}),
               "distinct");
}

}  // namespace
}  // namespace practica::auth
