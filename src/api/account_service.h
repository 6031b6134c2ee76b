// Accounts: sign-up, sign-in (with a second factor), sessions, profile, privacy and admin changes.
//
// The business rules of issue "accounts" live here, behind plain inputs and Results, so they are
// tested without HTTP (tests/api/account_service_test.cc); api/auth.cc, api/me.cc and
// api/admin.cc only translate requests and responses. Thread-safe. Password hashing happens in
// the caller's thread: the routes that reach it are marked blocking, so that is a pool thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "auth/password.h"
#include "auth/secret_box.h"
#include "auth/token.h"
#include "common/clock.h"
#include "common/error.h"
#include "http/access.h"
#include "http/rate_limiter.h"
#include "store/analytics_recorder.h"
#include "store/progress_store.h"
#include "store/user_store.h"

namespace practica::api {

struct AccountSettings {
  int64_t refresh_token_seconds = 30 * 24 * 3600;
  http::RateLimit per_account{5, 5};        // failed sign-ins per account
  http::RateLimit signups_per_email{3, 3};  // sign-up attempts per email address
  http::RateLimit refreshes_per_session{20, 20};
  std::string totp_issuer = "Practica";
};

// A successful sign-in, sign-up or refresh.
struct SignedIn {
  domain::User user;
  std::string access_token;
  int64_t expires_in = 0;
  std::string refresh_token;  // for the cookie; never in a body
};

struct SignUpInput {
  std::string email;
  std::string password;
  std::string display_name;
  std::string time_zone = "UTC";
  std::string user_agent;
};

struct TotpEnrolment {
  std::string secret;  // base32, shown once as text beside the QR code
  std::string otpauth_uri;
};

struct TotpConfirmed {
  std::vector<std::string> recovery_codes;  // shown once
  std::string access_token;                 // now with mfa
  int64_t expires_in = 0;
};

class AccountService {
 public:
  // `progress` (may be null in tests) is exported with the account and deleted with it.
  // `analytics` (may be null) is told of sign-ups and sign-ins, and forgets a deleted account's
  // events' link to it.
  AccountService(store::UserStore& users, const auth::PasswordHasher& hasher,
                 const auth::TokenSigner& tokens, const auth::SecretBox& secrets,
                 const Clock& clock, AccountSettings settings = {},
                 store::ProgressStore* progress = nullptr,
                 store::AnalyticsRecorder* analytics = nullptr);

  Result<SignedIn> SignUp(const SignUpInput& input);
  // `otp` is a TOTP code or a recovery code; required (kUnauthorized, type "mfa-required") when
  // the account has two-factor sign-in. Unknown email and wrong password answer alike, after
  // the same amount of hashing.
  Result<SignedIn> LogIn(std::string_view email, std::string_view password,
                         std::optional<std::string_view> otp, std::string_view user_agent);
  Result<SignedIn> Refresh(std::string_view refresh_token);
  Status LogOut(std::string_view refresh_token);

  // The access-token check the pipeline runs for every request that carries one.
  Result<http::Principal> Authenticate(std::string_view access_token) const;

  Result<domain::User> Me(const http::Principal& who);
  Result<domain::User> UpdateMe(const http::Principal& who, std::optional<std::string> display_name,
                                std::optional<std::string> time_zone);
  Status ChangePassword(const http::Principal& who, std::string_view current,
                        std::string_view next);
  Result<TotpEnrolment> StartTotp(const http::Principal& who);
  Result<TotpConfirmed> ConfirmTotp(const http::Principal& who, std::string_view code);
  Status DisableTotp(const http::Principal& who, std::string_view password);
  Result<std::string> Export(const http::Principal& who);  // JSON
  Status DeleteAccount(const http::Principal& who, std::string_view password);

  Result<store::UserPage> ListUsers(std::string_view query, std::string_view cursor, int limit);
  Result<domain::User> AdminUpdate(const http::Principal& who, std::string_view user_id,
                                   std::optional<domain::Role> role, std::optional<bool> disabled);

 private:
  Result<SignedIn> TryLogIn(std::string_view email, std::string_view password,
                            std::optional<std::string_view> otp, std::string_view user_agent);
  Result<SignedIn> StartSession(const domain::User& user, bool mfa, std::string_view user_agent);
  std::string IssueAccessToken(const domain::User& user, std::string_view session, bool mfa) const;
  Status CheckPassword(std::string_view user_id, std::string_view password);
  Status CheckSecondFactor(const domain::User& user, std::string_view otp);
  void Block(std::string_view user_id);
  // A hash of a random password, verified against for unknown emails so that timing does not
  // tell. Made on first use: it costs a whole Argon2id hash, which at start-up would be most of a
  // Lambda cold start.
  const std::string& DummyHash();

  store::UserStore& users_;
  store::ProgressStore* progress_;
  store::AnalyticsRecorder* analytics_;
  // Tells analytics of a sign-up or sign-in.
  void RecordActivity(store::ActivityKind kind, const std::string& user_id, int64_t at);
  const auth::PasswordHasher& hasher_;
  const auth::TokenSigner& tokens_;
  const auth::SecretBox& secrets_;
  const Clock& clock_;
  const AccountSettings settings_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;  // written once, under dummy_once_
  http::RateLimiter account_limits_;
  // Users whose unexpired access tokens must stop at once, each with the last second whose tokens
  // are refused: kBlockedForGood for those disabled or deleted while this process runs; the
  // second of the change for those whose role changed or who were enabled again (a token signed
  // before it carries what no longer holds; tokens carry whole seconds, so one signed in the same
  // second is refused too, and its owner signs in again a second later).
  // An entry matters only while a token it refuses could still be valid: for at most a token's
  // life (and the verifier's leeway) after the change; a later token of a disabled or deleted
  // account cannot exist, since signing in and refreshing ask the store. Entries are dropped
  // after that, so the map stays small and requests go back to taking no lock.
  static constexpr int64_t kBlockedForGood = INT64_MAX;
  struct Refusal {
    int64_t up_to = 0;  // tokens issued at or before this second are refused
    int64_t until = 0;  // the last second at which this entry matters
  };
  void RefuseTokensUpTo(std::string_view user_id, int64_t second);
  mutable std::shared_mutex blocked_mutex_;
  std::unordered_map<std::string, Refusal> blocked_;  // GUARDED_BY(blocked_mutex_)
  std::atomic<int64_t> check_until_{0};  // the latest `until` in blocked_, read without the lock
};

// Whether `name` is an IANA time zone this machine knows ("Europe/Paris", "UTC").
bool IsKnownTimeZone(std::string_view name);

}  // namespace practica::api
