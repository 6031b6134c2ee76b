#include "auth/token.h"

#include <sodium.h>

#include <array>
#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

#include "auth/crypto.h"
#include "auth/sodium_init.h"
#include "common/text.h"

namespace practica::auth {
namespace {

namespace json = boost::json;

// Clocks of the signer and the verifier may disagree a little (and a token may be used just as it
// expires): exp and nbf are checked with this much slack.
constexpr int64_t kLeewaySeconds = 60;

// Our tokens are a few hundred bytes; a cap keeps a hostile header from costing decoding and
// parsing work (and from growing the log of a rejected request).
constexpr size_t kMaxTokenBytes = 4096;

constexpr std::string_view kAlgorithm = "EdDSA";

Error Unauthorized(std::string_view reason) {
  Error error;
  error.code = ErrorCode::kUnauthorized;
  error.message = std::string(reason);
  return error;
}

[[noreturn]] void ConfigurationBug(const char* message) {
  std::fprintf(stderr, "practica: %s (a configuration bug)\n", message);
  std::abort();
}

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

std::string_view View(const json::string& text) { return {text.data(), text.size()}; }

// A base64url part of the token decoded and parsed as a JSON object, or nullopt.
std::optional<json::object> DecodeObject(std::string_view part) {
  const std::optional<std::string> text = Base64UrlDecode(part);
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  json::value value = json::parse(*text, ec);  // strict JSON: valid UTF-8, no comments
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

const json::string* FindString(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr ? value->if_string() : nullptr;
}

std::optional<int64_t> FindInteger(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_int64()) return std::nullopt;  // doubles are not our dates
  return value->get_int64();
}

bool AudienceMatches(const json::value* audience) {
  if (audience == nullptr) return false;
  if (const json::string* single = audience->if_string()) return View(*single) == kAudience;
  const json::array* list = audience->if_array();
  if (list == nullptr) return false;
  bool found = false;
  for (const json::value& item : *list) {
    const json::string* name = item.if_string();
    if (name == nullptr) return false;
    found = found || View(*name) == kAudience;
  }
  return found;
}

// The claims of a payload whose signature has been checked; the reason when they are unusable.
Result<AccessClaims> ParseClaims(const json::object& payload) {
  // Our tokens carry no "iss" (the audience and our own key say as much); one that names an
  // issuer must name us.
  if (const json::value* issuer = payload.if_contains("iss");
      issuer != nullptr && !(issuer->is_string() && View(issuer->get_string()) == kIssuer)) {
    return Unauthorized("wrong token issuer");
  }
  if (!AudienceMatches(payload.if_contains("aud"))) return Unauthorized("wrong token audience");

  const json::string* subject = FindString(payload, "sub");
  const json::string* role_name = FindString(payload, "role");
  const json::string* session = FindString(payload, "sid");
  const json::value* mfa = payload.if_contains("mfa");
  const std::optional<int64_t> issued_at = FindInteger(payload, "iat");
  // "nbf" is optional (ours leave it out: a token is valid from "iat"), but typed when present.
  const json::value* nbf = payload.if_contains("nbf");
  const std::optional<int64_t> not_before = nbf ? FindInteger(payload, "nbf") : issued_at;
  const std::optional<int64_t> expires_at = FindInteger(payload, "exp");
  if (subject == nullptr || subject->empty() || role_name == nullptr || session == nullptr ||
      session->empty() || mfa == nullptr || !mfa->is_bool() || !issued_at || !not_before ||
      !expires_at) {
    return Unauthorized("token claims are missing or malformed");
  }
  const std::optional<domain::Role> role = domain::ParseRole(View(*role_name));
  if (!role) return Unauthorized("token claims are missing or malformed");

  AccessClaims claims;
  claims.subject = std::string(View(*subject));
  claims.role = *role;
  claims.session_id = std::string(View(*session));
  claims.mfa = mfa->get_bool();
  claims.issued_at = *issued_at;
  claims.not_before = *not_before;
  claims.expires_at = *expires_at;
  return claims;
}

// The time-dependent checks, done on every verification (cached or not). `now` is a sane Unix
// time, so the subtraction and addition cannot overflow.
std::optional<Error> CheckTimes(const AccessClaims& claims, int64_t now) {
  if (claims.expires_at <= now - kLeewaySeconds) return Unauthorized("token expired");
  if (claims.not_before > now + kLeewaySeconds) return Unauthorized("token not yet valid");
  return std::nullopt;
}

// Lets the cache be searched with a string_view without building a std::string. Only the last 16
// characters are hashed: they lie in the signature, which differs between any two tokens, so the
// buckets spread as well as with the whole text at a fraction of the work. Equality still compares
// the whole text, and only verified tokens are ever inserted, so no one can flood a bucket.
struct TokenHash {
  using is_transparent = void;
  size_t operator()(std::string_view token) const {
    constexpr size_t kTail = 16;
    return HashWords(token.size() > kTail ? token.substr(token.size() - kTail) : token);
  }
};

// A per-thread first level in front of the shared cache below. Without it every request on every
// I/O thread takes the same shared lock, whose reader count is one cache line the cores hand back
// and forth; with it a token a thread has seen before costs a hash and a compare. Entries name the
// signer that verified them by a number never reused, so a hit can only come from the same ring.
struct LocalHit {
  uint64_t ring = 0;  // 0: empty
  std::string token;
  AccessClaims claims;
};
constexpr size_t kLocalSlots = 64;  // about 30 KB a thread when full
thread_local std::array<LocalHit, kLocalSlots> local_hits;

uint64_t NextRingId() {
  static std::atomic<uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

}  // namespace

struct TokenSigner::Impl {
  const uint64_t id = NextRingId();
  struct Key {
    std::string kid;
    unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
    unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  };
  std::vector<Key> keys;  // keys[0] signs

  // Verified tokens, keyed by the exact token text, with the claims they carry. Only a string that
  // passed every check is ever inserted, so a hit proves the same bytes were verified by this ring;
  // a forged token is a different string and takes the full path. Entries are not removed when
  // they expire: the time checks are redone on every hit, and the whole map is cleared when it is
  // full, which bounds memory (about 10k × 0.6 KB) without bookkeeping per entry. The next
  // verifications refill it at the cost of one signature check each.
  // Readers take mutex shared; insertion and clearing take it exclusively.
  mutable std::shared_mutex mutex;
  mutable std::unordered_map<std::string, AccessClaims, TokenHash, std::equal_to<>> verified;

  const Key* FindKey(std::string_view kid) const {
    for (const Key& key : keys) {
      if (key.kid == kid) return &key;
    }
    return nullptr;
  }
};

TokenSigner::TokenSigner(std::vector<SigningKey> keys) : impl_(std::make_unique<Impl>()) {
  EnsureSodiumInitialized();
  if (keys.empty()) ConfigurationBug("TokenSigner needs at least one signing key");
  std::unordered_set<std::string> kids;
  for (SigningKey& key : keys) {
    if (key.seed.size() != crypto_sign_SEEDBYTES) {
      ConfigurationBug("a token signing key's seed must be 32 bytes");
    }
    if (key.kid.empty() || !kids.insert(key.kid).second) {
      ConfigurationBug("token signing keys need distinct, non-empty kids");
    }
    Impl::Key& derived = impl_->keys.emplace_back();
    derived.kid = std::move(key.kid);
    crypto_sign_seed_keypair(derived.public_key, derived.secret_key, Bytes(key.seed));
    sodium_memzero(key.seed.data(), key.seed.size());
  }
}

TokenSigner::~TokenSigner() {
  for (Impl::Key& key : impl_->keys) sodium_memzero(key.secret_key, sizeof key.secret_key);
}

std::string TokenSigner::Sign(const AccessClaims& claims) const {
  const Impl::Key& key = impl_->keys.front();
  // Every request carries the token, so it holds only what verification needs: no "typ", "iss"
  // or "nbf" (a token is valid from "iat"), which saves about 60 of its 400 bytes.
  json::object header;
  header["alg"] = kAlgorithm;
  header["kid"] = key.kid;
  json::object payload;
  payload["aud"] = kAudience;
  payload["sub"] = claims.subject;
  payload["role"] = domain::ToString(claims.role);
  payload["sid"] = claims.session_id;
  payload["mfa"] = claims.mfa;
  payload["iat"] = claims.issued_at;
  payload["exp"] = claims.expires_at;

  std::string token = Base64UrlEncode(json::serialize(header));
  token += '.';
  token += Base64UrlEncode(json::serialize(payload));
  unsigned char signature[crypto_sign_BYTES];
  crypto_sign_detached(signature, nullptr, Bytes(token), token.size(), key.secret_key);
  token += '.';
  token +=
      Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(signature), sizeof signature));
  return token;
}

Result<AccessClaims> TokenSigner::Verify(std::string_view token, int64_t now) const {
  if (token.size() > kMaxTokenBytes) return Unauthorized("token too long");
  LocalHit& local = local_hits[TokenHash{}(token) % kLocalSlots];
  if (local.ring == impl_->id && local.token == token) {
    if (std::optional<Error> error = CheckTimes(local.claims, now)) return *std::move(error);
    return local.claims;
  }
  const auto remember = [&](const AccessClaims& claims) {
    local.ring = impl_->id;
    local.token.assign(token);
    local.claims = claims;
  };
  {
    std::shared_lock lock(impl_->mutex);
    if (auto hit = impl_->verified.find(token); hit != impl_->verified.end()) {
      if (std::optional<Error> error = CheckTimes(hit->second, now)) return *std::move(error);
      remember(hit->second);
      return hit->second;
    }
  }

  // header.payload.signature, each part non-empty; a fourth part (JWE has five) is refused.
  const size_t first_dot = token.find('.');
  const size_t second_dot =
      first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos ||
      token.find('.', second_dot + 1) != std::string_view::npos || first_dot == 0 ||
      second_dot == first_dot + 1 || second_dot + 1 == token.size()) {
    return Unauthorized("malformed token");
  }
  const std::string_view signing_input = token.substr(0, second_dot);
  const std::string_view header_part = token.substr(0, first_dot);
  const std::string_view payload_part = token.substr(first_dot + 1, second_dot - first_dot - 1);
  const std::string_view signature_part = token.substr(second_dot + 1);

  const std::optional<json::object> header = DecodeObject(header_part);
  if (!header) return Unauthorized("malformed token");
  // Only our algorithm, whatever the token asks for: "none", HMAC with a public key as secret and
  // every other algorithm-confusion trick end here.
  const json::string* algorithm = FindString(*header, "alg");
  if (algorithm == nullptr || View(*algorithm) != kAlgorithm) {
    return Unauthorized("unsupported token algorithm");
  }
  if (const json::value* type = header->if_contains("typ");
      type != nullptr && !(type->is_string() && View(type->get_string()) == "JWT")) {
    return Unauthorized("unsupported token type");
  }
  // "crit" lists extensions the verifier must understand (RFC 7515 §4.1.11); we understand none.
  if (header->contains("crit")) return Unauthorized("unsupported token extension");
  const json::string* kid = FindString(*header, "kid");
  const Impl::Key* key = kid != nullptr ? impl_->FindKey(View(*kid)) : nullptr;
  if (key == nullptr) return Unauthorized("unknown token key");

  const std::optional<std::string> signature = Base64UrlDecode(signature_part);
  if (!signature || signature->size() != crypto_sign_BYTES ||
      crypto_sign_verify_detached(Bytes(*signature), Bytes(signing_input), signing_input.size(),
                                  key->public_key) != 0) {
    return Unauthorized("bad token signature");
  }

  const std::optional<json::object> payload = DecodeObject(payload_part);
  if (!payload) return Unauthorized("malformed token");
  Result<AccessClaims> claims = ParseClaims(*payload);
  if (!claims.ok()) return claims;
  if (std::optional<Error> error = CheckTimes(*claims, now)) return *std::move(error);

  {
    std::unique_lock lock(impl_->mutex);
    if (impl_->verified.size() >= kVerifiedTokenCacheCapacity) impl_->verified.clear();
    impl_->verified.emplace(std::string(token), *claims);
  }
  remember(*claims);
  return claims;
}

size_t TokenSigner::CachedTokenCount() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->verified.size();
}

}  // namespace practica::auth
