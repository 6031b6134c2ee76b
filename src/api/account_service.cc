#include "api/account_service.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <filesystem>
#include <mutex>

#include "api/user_json.h"
#include "auth/crypto.h"
#include "auth/random.h"
#include "auth/totp.h"
#include "common/log.h"
#include "common/text.h"

namespace practica::api {
namespace json = boost::json;
namespace {

constexpr std::string_view kBadCredentials = "The email or the password is not right.";

int64_t MonotonicMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool IsSixDigits(std::string_view code) {
  if (code.size() != 6) return false;
  for (char c : code) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Error InvalidField(std::string field, std::string message) {
  return Error::Invalid("The request has invalid fields.",
                        {{std::move(field), std::move(message)}});
}

}  // namespace

bool IsKnownTimeZone(std::string_view name) {
  if (name == "UTC") return true;
  if (name.empty() || name.size() > 64 || name.front() == '/' ||
      name.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '/' || c == '_' || c == '-' || c == '+';
    if (!ok) return false;
  }
  std::error_code ec;
  return std::filesystem::is_regular_file(std::filesystem::path("/usr/share/zoneinfo") / name, ec);
}

AccountService::AccountService(store::UserStore& users, const auth::PasswordHasher& hasher,
                               const auth::TokenSigner& tokens, const auth::SecretBox& secrets,
                               const Clock& clock, AccountSettings settings,
                               store::ProgressStore* progress, store::AnalyticsRecorder* analytics)
    : users_(users),
      progress_(progress),
      analytics_(analytics),
      hasher_(hasher),
      tokens_(tokens),
      secrets_(secrets),
      clock_(clock),
      settings_(std::move(settings)) {}

const std::string& AccountService::DummyHash() {
  std::call_once(dummy_once_, [this] {
    auto dummy = hasher_.Hash(auth::RandomToken(16));
    if (dummy.ok()) dummy_hash_ = std::move(dummy).value();
  });
  return dummy_hash_;
}

std::string AccountService::IssueAccessToken(const domain::User& user, std::string_view session,
                                             bool mfa) const {
  const int64_t now = clock_.NowSeconds();
  auth::AccessClaims claims;
  claims.subject = user.id;
  claims.role = user.role;
  claims.session_id = std::string(session);
  claims.mfa = mfa;
  claims.issued_at = now;
  claims.not_before = now;
  claims.expires_at = now + auth::kAccessTokenSeconds;
  return tokens_.Sign(claims);
}

Result<SignedIn> AccountService::StartSession(const domain::User& user, bool mfa,
                                              std::string_view user_agent) {
  const int64_t now = clock_.NowSeconds();
  store::RefreshToken refresh;
  const std::string token = auth::RandomToken(32);
  refresh.token_hash = auth::Sha256Hex(token);
  refresh.family_id = auth::NewId("ses");
  refresh.user_id = user.id;
  refresh.issued_at = now;
  refresh.expires_at = now + settings_.refresh_token_seconds;
  refresh.mfa = mfa;
  refresh.user_agent = std::string(user_agent.substr(0, 200));
  if (Status added = users_.AddRefreshToken(refresh); !added.ok()) return std::move(added).error();
  return SignedIn{user, IssueAccessToken(user, refresh.family_id, mfa), auth::kAccessTokenSeconds,
                  token};
}

Result<SignedIn> AccountService::SignUp(const SignUpInput& input) {
  std::vector<FieldError> problems;
  const std::string email(TrimWhitespace(input.email));
  if (const int64_t wait = account_limits_.Acquire("signup|" + domain::NormalizeEmail(email),
                                                   settings_.signups_per_email, MonotonicMs());
      wait > 0) {
    return Error::RateLimited("Too many sign-ups for this email address; try again later.", wait);
  }
  if (!domain::IsPlausibleEmail(email)) problems.push_back({"email", "is not an email address"});
  if (!domain::IsValidDisplayName(input.display_name)) {
    problems.push_back({"display_name", "must be 1 to 100 characters, without control characters"});
  }
  if (!IsKnownTimeZone(input.time_zone)) {
    problems.push_back({"time_zone", "is not a known IANA time zone"});
  }
  if (Status policy = auth::CheckNewPassword(input.password, email); !policy.ok()) {
    for (const FieldError& field : policy.error().fields) problems.push_back(field);
    if (policy.error().fields.empty()) problems.push_back({"password", policy.error().message});
  }
  if (!problems.empty()) return Error::Invalid("The request has invalid fields.", problems);

  Result<std::string> hash = hasher_.Hash(input.password);
  if (!hash.ok()) return hash.error();
  store::NewUser user;
  user.id = auth::NewId("usr");
  user.email = email;
  user.display_name = std::string(TrimWhitespace(input.display_name));
  user.role = domain::Role::kLearner;  // never from the request
  user.time_zone = input.time_zone;
  user.password_hash = std::move(hash).value();
  user.created_at = clock_.NowSeconds();
  Result<domain::User> created = users_.CreateUser(user);
  if (!created.ok()) {
    if (created.error().code == ErrorCode::kConflict) {
      return Error::Conflict("An account with this email already exists.");
    }
    return created.error();
  }
  if (Status login = users_.RecordLogin(created->id, user.created_at); !login.ok()) {
    return std::move(login).error();
  }
  created->last_login_at = user.created_at;
  RecordActivity(store::ActivityKind::kSignUp, created->id, user.created_at);
  return StartSession(*created, false, input.user_agent);
}

Result<SignedIn> AccountService::LogIn(std::string_view email, std::string_view password,
                                       std::optional<std::string_view> otp,
                                       std::string_view user_agent) {
  // Failed attempts per account are limited (a guessing attack on one account from many
  // addresses); successes cost nothing, so the owner is not locked out by their own sign-ins.
  const std::string key = "login|" + domain::NormalizeEmail(email);
  if (const int64_t wait = account_limits_.Peek(key, settings_.per_account, MonotonicMs());
      wait > 0) {
    return Error::RateLimited("Too many failed sign-ins for this account; try again later.", wait);
  }
  Result<SignedIn> result = TryLogIn(email, password, otp, user_agent);
  if (!result.ok() && (result.error().code == ErrorCode::kUnauthorized) &&
      result.error().type != "mfa-required") {
    account_limits_.Acquire(key, settings_.per_account, MonotonicMs());
  }
  return result;
}

Result<SignedIn> AccountService::TryLogIn(std::string_view email, std::string_view password,
                                          std::optional<std::string_view> otp,
                                          std::string_view user_agent) {
  // Made on the first sign-in of any kind, so that the first attempt with an unknown email does
  // not take twice as long as one with a known email (which would tell them apart).
  const std::string& dummy = DummyHash();
  Result<domain::User> user = users_.FindUserByEmail(email);
  if (!user.ok()) {
    if (user.error().code != ErrorCode::kNotFound) return user.error();
    hasher_.Verify(password, dummy);  // the same work as a wrong password
    return Error::Unauthorized(std::string(kBadCredentials), "invalid-credentials");
  }
  if (Status checked = CheckPassword(user->id, password); !checked.ok()) return checked.error();
  if (user->disabled) return Error::Forbidden("This account is disabled.", "account-disabled");
  bool mfa = false;
  if (user->totp_enabled) {
    if (!otp || otp->empty()) {
      return Error::Unauthorized("Enter the code from your authenticator app or a recovery code.",
                                 "mfa-required");
    }
    if (Status second = CheckSecondFactor(*user, *otp); !second.ok()) return second.error();
    mfa = true;
  }
  const int64_t now = clock_.NowSeconds();
  if (Status login = users_.RecordLogin(user->id, now); !login.ok()) {
    return std::move(login).error();
  }
  user->last_login_at = now;
  RecordActivity(store::ActivityKind::kLogin, user->id, now);
  return StartSession(*user, mfa, user_agent);
}

Status AccountService::CheckPassword(std::string_view user_id, std::string_view password) {
  Result<std::string> stored = users_.GetPasswordHash(user_id);
  if (!stored.ok()) return stored.error();
  if (!hasher_.Verify(password, *stored)) {
    return Error::Unauthorized(std::string(kBadCredentials), "invalid-credentials");
  }
  if (hasher_.NeedsRehash(*stored)) {
    // Parameters were raised since this hash was made: upgrade it now that we have the password.
    if (Result<std::string> rehashed = hasher_.Hash(password); rehashed.ok()) {
      (void)users_.SetPasswordHash(user_id, *rehashed);
    }
  }
  return Status::Ok();
}

Status AccountService::CheckSecondFactor(const domain::User& user, std::string_view otp) {
  const Error wrong = Error::Unauthorized("The code is not right.", "invalid-second-factor");
  Result<store::TotpState> state = users_.GetTotp(user.id);
  if (!state.ok()) return state.error();
  const std::string code(TrimWhitespace(otp));
  if (IsSixDigits(code)) {
    Result<std::string> secret = secrets_.Open(state->sealed_secret, user.id);
    if (!secret.ok()) return Error::Internal("a stored second-factor secret does not open");
    const auto step = auth::MatchTotp(*secret, code, clock_.NowSeconds());
    if (!step) return wrong;
    Result<bool> fresh = users_.UseTotpStep(user.id, *step);
    if (!fresh.ok()) return fresh.error();
    if (!*fresh)
      return Error::Unauthorized("This code was used already; wait for the next one.",
                                 "invalid-second-factor");
    return Status::Ok();
  }
  if (code.size() > 64) return wrong;
  Result<bool> used = users_.UseRecoveryCode(user.id, auth::RecoveryCodeHash(code));
  if (!used.ok()) return used.error();
  if (!*used) return wrong;
  return Status::Ok();
}

Result<SignedIn> AccountService::Refresh(std::string_view refresh_token) {
  const Error rejected =
      Error::Unauthorized("The session has ended; sign in again.", "session-ended");
  if (refresh_token.empty() || refresh_token.size() > 128) return rejected;
  const std::string old_hash = auth::Sha256Hex(refresh_token);
  Result<std::optional<std::string>> old_family = users_.FamilyOf(old_hash);
  if (!old_family.ok()) return old_family.error();
  if (!*old_family) return rejected;
  // Checked before rotating: a refused refresh must leave the client's token usable.
  if (const int64_t wait = account_limits_.Acquire("refresh|" + **old_family,
                                                   settings_.refreshes_per_session, MonotonicMs());
      wait > 0) {
    return Error::RateLimited("Too many refreshes for this session; try again later.", wait);
  }
  const int64_t now = clock_.NowSeconds();
  store::RefreshToken next;
  const std::string token = auth::RandomToken(32);
  next.token_hash = auth::Sha256Hex(token);
  next.issued_at = now;
  next.expires_at = now + settings_.refresh_token_seconds;
  Result<store::RotateResult> rotated = users_.RotateRefreshToken(old_hash, next, now);
  if (!rotated.ok()) return rotated.error();
  if (rotated->outcome != store::RotateOutcome::kRotated) return rejected;
  Result<domain::User> user = users_.GetUser(rotated->user_id);
  if (!user.ok()) return rejected;
  return SignedIn{*user, IssueAccessToken(*user, **old_family, rotated->mfa),
                  auth::kAccessTokenSeconds, token};
}

Status AccountService::LogOut(std::string_view refresh_token) {
  if (refresh_token.empty() || refresh_token.size() > 128) return Status::Ok();
  Result<std::optional<std::string>> family = users_.FamilyOf(auth::Sha256Hex(refresh_token));
  if (!family.ok()) return family.error();
  if (*family) return users_.RevokeFamily(**family);
  return Status::Ok();
}

Result<http::Principal> AccountService::Authenticate(std::string_view access_token) const {
  const int64_t now = clock_.NowSeconds();
  Result<auth::AccessClaims> claims = tokens_.Verify(access_token, now);
  if (!claims.ok()) return claims.error();
  // Nearly always no refusal is current: then no lock is shared between the I/O threads.
  if (now <= check_until_.load(std::memory_order_acquire)) {
    std::shared_lock lock(blocked_mutex_);
    if (auto found = blocked_.find(claims->subject); found != blocked_.end() &&
                                                     now <= found->second.until &&
                                                     claims->issued_at <= found->second.up_to) {
      return Error::Unauthorized(found->second.up_to == kBlockedForGood
                                     ? "This account can no longer sign in."
                                     : "This account has changed since you signed in; sign in "
                                       "again.");
    }
  }
  return http::Principal{std::move(claims->subject), claims->role, std::move(claims->session_id),
                         claims->mfa};
}

void AccountService::Block(std::string_view user_id) { RefuseTokensUpTo(user_id, kBlockedForGood); }

void AccountService::RefuseTokensUpTo(std::string_view user_id, int64_t second) {
  // The verifier accepts a token up to 60 s past its expiry; a minute more covers a refresh
  // that was already under way when the change was made.
  constexpr int64_t kMatters = auth::kAccessTokenSeconds + 120;
  const int64_t now = clock_.NowSeconds();
  std::unique_lock lock(blocked_mutex_);
  std::erase_if(blocked_, [&](const auto& entry) { return entry.second.until < now; });
  blocked_.insert_or_assign(std::string(user_id), Refusal{second, now + kMatters});
  int64_t latest = 0;
  for (const auto& [id, refusal] : blocked_) latest = std::max(latest, refusal.until);
  check_until_.store(latest, std::memory_order_release);
}

Result<domain::User> AccountService::Me(const http::Principal& who) {
  Result<domain::User> user = users_.GetUser(who.user_id);
  if (!user.ok() && user.error().code == ErrorCode::kNotFound) {
    return Error::Unauthorized("This account no longer exists.");
  }
  return user;
}

Result<domain::User> AccountService::UpdateMe(const http::Principal& who,
                                              std::optional<std::string> display_name,
                                              std::optional<std::string> time_zone) {
  store::UserChanges changes;
  std::vector<FieldError> problems;
  if (display_name) {
    if (!domain::IsValidDisplayName(*display_name)) {
      problems.push_back(
          {"display_name", "must be 1 to 100 characters, without control characters"});
    }
    changes.display_name = std::string(TrimWhitespace(*display_name));
  }
  if (time_zone) {
    if (!IsKnownTimeZone(*time_zone)) {
      problems.push_back({"time_zone", "is not a known IANA time zone"});
    }
    changes.time_zone = std::move(time_zone);
  }
  if (!problems.empty()) return Error::Invalid("The request has invalid fields.", problems);
  return users_.UpdateUser(who.user_id, changes);
}

Status AccountService::ChangePassword(const http::Principal& who, std::string_view current,
                                      std::string_view next) {
  Result<domain::User> user = Me(who);
  if (!user.ok()) return user.error();
  if (Status checked = CheckPassword(who.user_id, current); !checked.ok()) {
    return InvalidField("current_password", "is not your current password");
  }
  if (Status policy = auth::CheckNewPassword(next, user->email); !policy.ok()) {
    Error error = std::move(policy).error();
    for (FieldError& field : error.fields) field.field = "new_password";
    return error;
  }
  Result<std::string> hash = hasher_.Hash(next);
  if (!hash.ok()) return hash.error();
  if (Status set = users_.SetPasswordHash(who.user_id, *hash); !set.ok()) return set;
  return users_.RevokeUserSessions(who.user_id, who.session_id);
}

Result<TotpEnrolment> AccountService::StartTotp(const http::Principal& who) {
  Result<domain::User> user = Me(who);
  if (!user.ok()) return user.error();
  if (user->totp_enabled) return Error::Conflict("Two-factor sign-in is already on.");
  const std::string secret = auth::NewTotpSecret();
  if (Status set = users_.SetPendingTotp(who.user_id, secrets_.Seal(secret, who.user_id));
      !set.ok()) {
    return std::move(set).error();
  }
  const std::string base32 = auth::Base32Encode(secret);
  return TotpEnrolment{base32, auth::OtpAuthUri(settings_.totp_issuer, user->email, secret)};
}

Result<TotpConfirmed> AccountService::ConfirmTotp(const http::Principal& who,
                                                  std::string_view code) {
  Result<domain::User> user = Me(who);
  if (!user.ok()) return user.error();
  Result<store::TotpState> state = users_.GetTotp(who.user_id);
  if (!state.ok()) return state.error();
  if (state->sealed_pending_secret.empty()) {
    return Error::Conflict("Start two-factor set-up first.");
  }
  Result<std::string> secret = secrets_.Open(state->sealed_pending_secret, who.user_id);
  if (!secret.ok()) return Error::Internal("a stored second-factor secret does not open");
  const auto step = auth::MatchTotp(*secret, TrimWhitespace(code), clock_.NowSeconds());
  if (!step) return InvalidField("code", "is not the current code of your authenticator app");
  TotpConfirmed confirmed;
  confirmed.recovery_codes = auth::NewRecoveryCodes();
  std::vector<std::string> hashes;
  for (const std::string& recovery : confirmed.recovery_codes) {
    hashes.push_back(auth::RecoveryCodeHash(recovery));
  }
  if (Status enabled = users_.EnableTotp(who.user_id, *step, hashes); !enabled.ok()) {
    return std::move(enabled).error();
  }
  confirmed.access_token = IssueAccessToken(*user, who.session_id, true);
  confirmed.expires_in = auth::kAccessTokenSeconds;
  return confirmed;
}

Status AccountService::DisableTotp(const http::Principal& who, std::string_view password) {
  Result<domain::User> user = Me(who);
  if (!user.ok()) return user.error();
  if (domain::RoleRequiresSecondFactor(user->role)) {
    return Error::Forbidden("Instructors and admins must keep two-factor sign-in on.");
  }
  if (Status checked = CheckPassword(who.user_id, password); !checked.ok()) {
    return InvalidField("password", "is not your password");
  }
  return users_.DisableTotp(who.user_id);
}

Result<std::string> AccountService::Export(const http::Principal& who) {
  Result<domain::User> user = Me(who);
  if (!user.ok()) return user.error();
  Result<std::vector<store::SessionInfo>> sessions = users_.ListSessions(who.user_id);
  if (!sessions.ok()) return sessions.error();
  Result<store::TotpState> totp = users_.GetTotp(who.user_id);
  if (!totp.ok()) return totp.error();
  json::array session_list;
  for (const store::SessionInfo& session : *sessions) {
    session_list.push_back({{"created_at", IsoTime(session.created_at)},
                            {"last_used_at", IsoTime(session.last_used_at)},
                            {"expires_at", IsoTime(session.expires_at)},
                            {"user_agent", session.user_agent},
                            {"revoked", session.revoked}});
  }
  json::array attempts;
  if (progress_ != nullptr) {
    auto courses = progress_->ListCourses(who.user_id);
    if (!courses.ok()) return courses.error();
    for (const std::string& course : *courses) {
      auto rows = progress_->ListAttempts(who.user_id, course);
      if (!rows.ok()) return rows.error();
      for (const store::AttemptRecord& row : *rows) {
        attempts.push_back({{"course", course},
                            {"attempt_id", row.attempt_id},
                            {"attempt_number", row.attempt_number},
                            {"score", row.score},
                            {"correct", row.correct},
                            {"answer", row.answer_json},
                            // The exercise as answered: its authors can show that version.
                            {"exercise_version", row.exercise_version},
                            {"created_at", IsoTime(row.created_at)}});
      }
    }
  }
  json::object document{
      {"format", "practica-export/1"},
      {"exported_at", IsoTime(clock_.NowSeconds())},
      {"account", UserJson(*user)},
      {"sessions", std::move(session_list)},
      {"two_factor",
       {{"enabled", user->totp_enabled}, {"recovery_codes_left", totp->recovery_codes_left}}},
      {"attempts", std::move(attempts)}};
  return json::serialize(document);
}

Status AccountService::DeleteAccount(const http::Principal& who, std::string_view password) {
  if (Status checked = CheckPassword(who.user_id, password); !checked.ok()) {
    return InvalidField("password", "is not your password");
  }
  if (progress_ != nullptr) {
    // Progress first: if the account deletion then fails, the person can retry; the reverse order
    // could leave progress rows nobody can reach or delete.
    if (Status erased = progress_->DeleteLearner(who.user_id); !erased.ok()) return erased;
  }
  if (Status deleted = users_.DeleteUser(who.user_id); !deleted.ok()) return deleted;
  Block(who.user_id);
  if (analytics_ != nullptr) {
    // The account is gone; if unlinking its analytics events fails now, say so in the log (they
    // hold no name or email, only the random user id) rather than fail a deletion that happened.
    if (Status forgotten = analytics_->ForgetLearner(who.user_id); !forgotten.ok()) {
      log::Error("analytics events of a deleted account not yet unlinked",
                 {{"user_id", who.user_id}, {"error", forgotten.error().message}});
    }
  }
  return Status::Ok();
}

void AccountService::RecordActivity(store::ActivityKind kind, const std::string& user_id,
                                    int64_t at) {
  if (analytics_ == nullptr) return;
  store::EventBatch batch;
  batch.activity.push_back({auth::NewTimeOrderedId("evt", at * 1000), kind, user_id, {}, {}, at});
  analytics_->Add(std::move(batch));
}

Result<store::UserPage> AccountService::ListUsers(std::string_view query, std::string_view cursor,
                                                  int limit) {
  return users_.ListUsers(query, cursor, limit);
}

Result<domain::User> AccountService::AdminUpdate(const http::Principal& who,
                                                 std::string_view user_id,
                                                 std::optional<domain::Role> role,
                                                 std::optional<bool> disabled) {
  if (user_id == who.user_id &&
      ((role && *role != domain::Role::kAdmin) || disabled.value_or(false))) {
    return Error::Conflict("Admins cannot demote or disable themselves; ask another admin.");
  }
  store::UserChanges changes;
  changes.role = role;
  changes.disabled = disabled;
  Result<domain::User> updated = users_.UpdateUser(user_id, changes);
  if (!updated.ok()) return updated;
  if (disabled.value_or(false)) {
    Block(user_id);
    return updated;
  }
  if (role) {
    // A new role takes effect at the next sign-in; end the old sessions, and refuse the access
    // tokens signed with the old role, so that it is now: a demoted admin must not keep the role
    // (or give it back to themselves) for the rest of a token's life.
    if (Status revoked = users_.RevokeUserSessions(user_id, ""); !revoked.ok()) {
      return std::move(revoked).error();
    }
  }
  // Enabled again: tokens from before the account was disabled stay refused.
  if (role || (disabled && !*disabled)) RefuseTokensUpTo(user_id, clock_.NowSeconds());
  return updated;
}

}  // namespace practica::api
