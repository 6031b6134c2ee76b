#include "store/postgres/postgres_user_store.h"

#include <array>
#include <pqxx/result>
#include <pqxx/row>
#include <utility>

#include "domain/user.h"
#include "store/postgres/connection_pool.h"
#include "store/postgres/schema.h"
#include "store/postgres/statements.h"
#include "store/user_checks.h"

namespace practica::store::postgres {
namespace {

using Transaction = pqxx::transaction_base;

// The SQL, in one place; every connection prepares all of it (kStatements).

// The user columns, in the order ReadUser reads them.
constexpr PreparedStatement kUserById{"user_by_id", R"sql(
SELECT id, email, display_name, role, time_zone, created_at, last_login_at, disabled,
  totp_secret <> ''
FROM users WHERE id = $1)sql"};
constexpr PreparedStatement kUserByEmail{"user_by_email", R"sql(
SELECT id, email, display_name, role, time_zone, created_at, last_login_at, disabled,
  totp_secret <> ''
FROM users WHERE email_normalized = $1)sql"};
// Keyset pagination on the UNIQUE index of email_normalized; column 9 is the cursor. strpos is a
// plain substring test, so the query has no wildcards to escape; lower() under "C" folds ASCII
// only.
constexpr PreparedStatement kListUsers{"list_users", R"sql(
SELECT id, email, display_name, role, time_zone, created_at, last_login_at, disabled,
  totp_secret <> '', email_normalized
FROM users
WHERE email_normalized > $1
  AND (strpos(email_normalized, $2) > 0 OR strpos(lower(display_name COLLATE "C"), $2) > 0)
ORDER BY email_normalized LIMIT $3)sql"};
// NULL parameters leave their column as it is.
constexpr PreparedStatement kUpdateUser{"update_user", R"sql(
UPDATE users SET display_name = coalesce($2, display_name), time_zone = coalesce($3, time_zone),
  role = coalesce($4, role), disabled = coalesce($5, disabled)
WHERE id = $1
RETURNING id, email, display_name, role, time_zone, created_at, last_login_at, disabled,
  totp_secret <> '')sql"};
// No row back when a UNIQUE index (id or email_normalized) refused it; a concurrent insert of the
// same key is waited for first.
constexpr PreparedStatement kInsertUser{"insert_user", R"sql(
INSERT INTO users (id, email, email_normalized, display_name, role, time_zone, password_hash,
  created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT DO NOTHING
RETURNING id, email, display_name, role, time_zone, created_at, last_login_at, disabled,
  totp_secret <> '')sql"};
constexpr PreparedStatement kUserTaken{"user_taken", R"sql(
SELECT EXISTS (SELECT 1 FROM users WHERE email_normalized = $1),
  EXISTS (SELECT 1 FROM users WHERE id = $2))sql"};
constexpr PreparedStatement kUserExists{"user_exists", "SELECT 1 FROM users WHERE id = $1"};
// The lock a foreign key check takes: the user cannot be deleted until the transaction ends.
constexpr PreparedStatement kHoldUser{"hold_user",
                                      "SELECT 1 FROM users WHERE id = $1 FOR KEY SHARE"};
constexpr PreparedStatement kPasswordHash{"password_hash",
                                          "SELECT password_hash FROM users WHERE id = $1"};
constexpr PreparedStatement kSetPasswordHash{"set_password_hash",
                                             "UPDATE users SET password_hash = $2 WHERE id = $1"};
constexpr PreparedStatement kRecordLogin{"record_login",
                                         "UPDATE users SET last_login_at = $2 WHERE id = $1"};
constexpr PreparedStatement kDeleteUser{"delete_user", "DELETE FROM users WHERE id = $1"};
constexpr PreparedStatement kCountUsers{"count_users", "SELECT count(*) FROM users"};
constexpr PreparedStatement kPing{"ping", "SELECT 1"};

constexpr PreparedStatement kInsertFamily{"insert_family", R"sql(
INSERT INTO session_families (family_id, user_id, created_at, last_used_at, expires_at, mfa,
  user_agent)
VALUES ($1, $2, $3, $3, $4, $5, $6)
ON CONFLICT DO NOTHING)sql"};
constexpr PreparedStatement kInsertToken{"insert_token", R"sql(
INSERT INTO refresh_tokens (token_hash, family_id, issued_at, expires_at)
VALUES ($1, $2, $3, $4)
ON CONFLICT DO NOTHING)sql"};
// The family of the token, locked: every change to a family's tokens holds this row first.
constexpr PreparedStatement kLockFamilyOfToken{"lock_family_of_token", R"sql(
SELECT f.family_id, f.user_id, f.revoked, f.mfa, u.disabled
FROM session_families f JOIN users u ON u.id = f.user_id
WHERE f.family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)
FOR UPDATE OF f)sql"};
constexpr PreparedStatement kTokenState{
    "token_state",
    "SELECT expires_at, used_at IS NOT NULL FROM refresh_tokens WHERE token_hash = $1"};
constexpr PreparedStatement kMarkTokenUsed{
    "mark_token_used", "UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1"};
constexpr PreparedStatement kTouchFamily{
    "touch_family",
    "UPDATE session_families SET last_used_at = $2, expires_at = $3 WHERE family_id = $1"};
constexpr PreparedStatement kRevokeFamily{
    "revoke_family", "UPDATE session_families SET revoked = true WHERE family_id = $1"};
// Family ids are never empty, so keep_family = '' revokes every family of the user.
constexpr PreparedStatement kRevokeUserFamilies{
    "revoke_user_families",
    "UPDATE session_families SET revoked = true WHERE user_id = $1 AND family_id <> $2"};
constexpr PreparedStatement kFamilyOf{"family_of",
                                      "SELECT family_id FROM refresh_tokens WHERE token_hash = $1"};
// No row: no such user; one row of NULLs: a user without sessions. One statement, one snapshot.
constexpr PreparedStatement kListSessions{"list_sessions", R"sql(
SELECT f.family_id, f.created_at, f.last_used_at, f.expires_at, f.user_agent, f.revoked
FROM users u LEFT JOIN session_families f ON f.user_id = u.id
WHERE u.id = $1
ORDER BY f.created_at DESC, f.family_id DESC)sql"};

constexpr PreparedStatement kTotpState{"totp_state", R"sql(
SELECT totp_secret, totp_pending_secret, totp_last_step,
  (SELECT count(*) FROM recovery_codes WHERE user_id = $1)
FROM users WHERE id = $1)sql"};
constexpr PreparedStatement kSetPendingTotp{
    "set_pending_totp", "UPDATE users SET totp_pending_secret = $2 WHERE id = $1"};
// Conditional on a pending secret, so that of two concurrent confirmations one finds none.
constexpr PreparedStatement kEnableTotp{"enable_totp", R"sql(
UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = '',
  totp_last_step = greatest(totp_last_step, $2)
WHERE id = $1 AND totp_pending_secret <> '')sql"};
constexpr PreparedStatement kDisableTotp{
    "disable_totp", "UPDATE users SET totp_secret = '', totp_pending_secret = '' WHERE id = $1"};
constexpr PreparedStatement kDeleteRecoveryCodes{"delete_recovery_codes",
                                                 "DELETE FROM recovery_codes WHERE user_id = $1"};
constexpr PreparedStatement kInsertRecoveryCode{
    "insert_recovery_code", "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)"};
// The replay guard: only a step newer than every accepted one updates the row.
constexpr PreparedStatement kUseTotpStep{
    "use_totp_step", "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2"};
constexpr PreparedStatement kUseRecoveryCode{
    "use_recovery_code", "DELETE FROM recovery_codes WHERE user_id = $1 AND code_hash = $2"};

constexpr std::array kStatements = {
    kUserById,
    kUserByEmail,
    kListUsers,
    kUpdateUser,
    kInsertUser,
    kUserTaken,
    kUserExists,
    kHoldUser,
    kPasswordHash,
    kSetPasswordHash,
    kRecordLogin,
    kDeleteUser,
    kCountUsers,
    kPing,
    kInsertFamily,
    kInsertToken,
    kLockFamilyOfToken,
    kTokenState,
    kMarkTokenUsed,
    kTouchFamily,
    kRevokeFamily,
    kRevokeUserFamilies,
    kFamilyOf,
    kListSessions,
    kTotpState,
    kSetPendingTotp,
    kEnableTotp,
    kDisableTotp,
    kDeleteRecoveryCodes,
    kInsertRecoveryCode,
    kUseTotpStep,
    kUseRecoveryCode,
};

// Reads user columns 0..8 of `row` (see kUserById).
Result<domain::User> ReadUser(const pqxx::row& row) {
  domain::User user;
  user.id = row[0].as<std::string>();
  user.email = row[1].as<std::string>();
  user.display_name = row[2].as<std::string>();
  const std::optional<domain::Role> role = domain::ParseRole(row[3].as<std::string>());
  if (!role) return Error::Internal("user \"" + user.id + "\" has an unknown stored role");
  user.role = *role;
  user.time_zone = row[4].as<std::string>();
  user.created_at = row[5].as<int64_t>();
  user.last_login_at = row[6].as<int64_t>();
  user.disabled = row[7].as<bool>();
  user.totp_enabled = row[8].as<bool>();
  return user;
}

// The one user that `statement` selects by `key`, or `not_found`.
Result<domain::User> SelectUser(Transaction& transaction, const PreparedStatement& statement,
                                std::string_view key, const Error& not_found) {
  const pqxx::result rows = Exec(transaction, statement, key);
  if (rows.empty()) return not_found;
  return ReadUser(rows[0]);
}

Status RequireUser(Transaction& transaction, std::string_view user_id) {
  if (Exec(transaction, kUserExists, user_id).empty()) return UserNotFound(user_id);
  return Status::Ok();
}

// For an UPDATE or DELETE of the user `user_id`: kNotFound when it changed no row.
Status ChangedUser(const pqxx::result& result, std::string_view user_id) {
  if (result.affected_rows() == 0) return UserNotFound(user_id);
  return Status::Ok();
}

// For a conditional UPDATE or DELETE on one user: true when it changed a row, false when its
// condition did not hold, kNotFound when there is no such user.
Result<bool> ConditionalChange(Transaction& transaction, const pqxx::result& result,
                               std::string_view user_id) {
  if (result.affected_rows() > 0) return true;
  if (Status s = RequireUser(transaction, user_id); !s.ok()) return std::move(s).error();
  return false;
}

// The rotation itself. REQUIRES: a transaction is open.
Result<RotateResult> Rotate(Transaction& transaction, std::string_view old_hash,
                            const RefreshToken& next, int64_t now) {
  // The family row first: while this transaction holds it, no other changes the family's tokens,
  // so what it reads about the token below stays true until it commits.
  const pqxx::result family = Exec(transaction, kLockFamilyOfToken, old_hash);
  if (family.empty()) return RotateResult{};  // unknown token
  const auto family_id = family[0][0].as<std::string>();
  RotateResult result;
  result.user_id = family[0][1].as<std::string>();
  const bool revoked = family[0][2].as<bool>();
  result.mfa = family[0][3].as<bool>();
  const bool disabled = family[0][4].as<bool>();

  const pqxx::result token = Exec(transaction, kTokenState, old_hash);
  if (token.empty()) return RotateResult{};  // deleted with its user while we waited
  const auto expires_at = token[0][0].as<int64_t>();
  if (token[0][1].as<bool>()) {
    // Someone holds a token that was already exchanged: the token leaked, or a client raced
    // itself. Either way the whole sign-in is ended, for good.
    Exec(transaction, kRevokeFamily, family_id);
    return RotateResult{RotateOutcome::kReused, std::move(result.user_id), false};
  }
  if (now >= expires_at || revoked || disabled) return RotateResult{};
  if (Status s = CheckRotationTarget(next, family_id, result.user_id); !s.ok()) {
    return std::move(s).error();
  }

  Exec(transaction, kMarkTokenUsed, old_hash, now);
  if (Exec(transaction, kInsertToken, next.token_hash, family_id, next.issued_at, next.expires_at)
          .affected_rows() == 0) {
    return Error::Conflict("the refresh token exists already");  // rolled back by the caller
  }
  Exec(transaction, kTouchFamily, family_id, now, next.expires_at);
  result.outcome = RotateOutcome::kRotated;
  return result;
}

}  // namespace

Result<std::unique_ptr<PostgresUserStore>> PostgresUserStore::Open(
    const std::string& connection_string) {
  return Open(connection_string, PoolOptions{});
}

Result<std::unique_ptr<PostgresUserStore>> PostgresUserStore::Open(
    const std::string& connection_string, const PoolOptions& options) {
  return Open(FixedConnectionString(connection_string), options);
}

Result<std::unique_ptr<PostgresUserStore>> PostgresUserStore::Open(ConnectionSource source,
                                                                   const PoolOptions& options) {
  Result<std::unique_ptr<ConnectionPool>> pool =
      OpenStorePool(std::move(source), options, kStatements);
  if (!pool.ok()) return std::move(pool).error();
  return std::unique_ptr<PostgresUserStore>(new PostgresUserStore(std::move(pool).value()));
}

PostgresUserStore::PostgresUserStore(std::unique_ptr<ConnectionPool> pool)
    : pool_(std::move(pool)) {}

PostgresUserStore::~PostgresUserStore() = default;

Result<domain::User> PostgresUserStore::CreateUser(const NewUser& user) {
  if (Status s = CheckNewUser(user); !s.ok()) return std::move(s).error();
  const std::string email_normalized = domain::NormalizeEmail(user.email);
  return pool_->Transact([&](Transaction& transaction) -> Result<domain::User> {
    const pqxx::result inserted =
        Exec(transaction, kInsertUser, user.id, user.email, email_normalized, user.display_name,
             domain::ToString(user.role), user.time_zone, user.password_hash, user.created_at);
    if (!inserted.empty()) return ReadUser(inserted[0]);
    // Refused by a UNIQUE index: say which, the email first (as the other adapters do).
    const pqxx::result taken = Exec(transaction, kUserTaken, email_normalized, user.id);
    if (taken[0][0].as<bool>()) return EmailTaken();
    return Error::Conflict("the user id is taken");
  });
}

Result<domain::User> PostgresUserStore::GetUser(std::string_view id) {
  return pool_->Autocommit([&](Transaction& transaction) {
    return SelectUser(transaction, kUserById, id, UserNotFound(id));
  });
}

Result<domain::User> PostgresUserStore::FindUserByEmail(std::string_view email) {
  const std::string email_normalized = domain::NormalizeEmail(email);
  return pool_->Autocommit([&](Transaction& transaction) {
    return SelectUser(transaction, kUserByEmail, email_normalized,
                      Error::NotFound("no user has this email address"));
  });
}

Result<std::string> PostgresUserStore::GetPasswordHash(std::string_view user_id) {
  return pool_->Autocommit([&](Transaction& transaction) -> Result<std::string> {
    const pqxx::result rows = Exec(transaction, kPasswordHash, user_id);
    if (rows.empty()) return UserNotFound(user_id);
    return rows[0][0].as<std::string>();
  });
}

Status PostgresUserStore::SetPasswordHash(std::string_view user_id, std::string_view hash) {
  if (hash.empty()) {
    return Error::Invalid("the password hash is empty", {{"password_hash", "must not be empty"}});
  }
  return pool_->Autocommit([&](Transaction& transaction) {
    return ChangedUser(Exec(transaction, kSetPasswordHash, user_id, hash), user_id);
  });
}

Result<domain::User> PostgresUserStore::UpdateUser(std::string_view user_id,
                                                   const UserChanges& changes) {
  std::optional<std::string> role;
  if (changes.role) role = std::string(domain::ToString(*changes.role));
  return pool_->Transact([&](Transaction& transaction) -> Result<domain::User> {
    const pqxx::result updated = Exec(transaction, kUpdateUser, user_id, changes.display_name,
                                      changes.time_zone, role, changes.disabled);
    if (updated.empty()) return UserNotFound(user_id);
    Result<domain::User> user = ReadUser(updated[0]);
    // A disabled user is signed out everywhere, in the same transaction as the flag.
    if (user.ok() && changes.disabled.value_or(false)) {
      Exec(transaction, kRevokeUserFamilies, user_id, std::string());
    }
    return user;
  });
}

Status PostgresUserStore::RecordLogin(std::string_view user_id, int64_t at) {
  return pool_->Autocommit([&](Transaction& transaction) {
    return ChangedUser(Exec(transaction, kRecordLogin, user_id, at), user_id);
  });
}

Result<UserPage> PostgresUserStore::ListUsers(std::string_view query, std::string_view cursor,
                                              int limit) {
  if (Status s = CheckUserPageLimit(limit); !s.ok()) return std::move(s).error();
  Result<std::string> after = DecodeUserCursor(cursor);
  if (!after.ok()) return std::move(after).error();
  const std::string folded_query = FoldUserQuery(query);
  return pool_->Autocommit([&](Transaction& transaction) -> Result<UserPage> {
    // One row more than the page: its presence says whether there is a next page.
    const pqxx::result rows = Exec(transaction, kListUsers, *after, folded_query, limit + 1);
    UserPage page;
    for (const pqxx::row& row : rows) {
      if (static_cast<int>(page.items.size()) == limit) {
        page.next_cursor = EncodeUserCursor(rows[limit - 1][9].as<std::string>());
        break;
      }
      Result<domain::User> user = ReadUser(row);
      if (!user.ok()) return std::move(user).error();
      page.items.push_back(std::move(user).value());
    }
    return page;
  });
}

Status PostgresUserStore::DeleteUser(std::string_view user_id) {
  // ON DELETE CASCADE removes the user's session families, their tokens and the recovery codes.
  // In a transaction, not autocommit: run twice, a delete would answer kNotFound the second time.
  return pool_->Transact([&](Transaction& transaction) {
    return ChangedUser(Exec(transaction, kDeleteUser, user_id), user_id);
  });
}

Result<int64_t> PostgresUserStore::CountUsers() {
  return pool_->Autocommit([](Transaction& transaction) -> Result<int64_t> {
    return Exec(transaction, kCountUsers)[0][0].as<int64_t>();
  });
}

Status PostgresUserStore::Ping() {
  return pool_->Autocommit([](Transaction& transaction) -> Status {
    Exec(transaction, kPing);
    return Status::Ok();
  });
}

Status PostgresUserStore::AddRefreshToken(const RefreshToken& token) {
  if (Status s = CheckRefreshToken(token); !s.ok()) return s;
  return pool_->Transact([&](Transaction& transaction) -> Status {
    if (Exec(transaction, kHoldUser, token.user_id).empty()) return UserNotFound(token.user_id);
    if (Exec(transaction, kInsertFamily, token.family_id, token.user_id, token.issued_at,
             token.expires_at, token.mfa, token.user_agent)
            .affected_rows() == 0) {
      return Error::Conflict("the session family exists already");
    }
    if (Exec(transaction, kInsertToken, token.token_hash, token.family_id, token.issued_at,
             token.expires_at)
            .affected_rows() == 0) {
      return Error::Conflict("the refresh token exists already");  // the family rolls back too
    }
    return Status::Ok();
  });
}

Result<RotateResult> PostgresUserStore::RotateRefreshToken(std::string_view old_hash,
                                                           const RefreshToken& next, int64_t now) {
  return pool_->Transact(
      [&](Transaction& transaction) { return Rotate(transaction, old_hash, next, now); });
}

Result<std::optional<std::string>> PostgresUserStore::FamilyOf(std::string_view token_hash) {
  return pool_->Autocommit([&](Transaction& transaction) -> Result<std::optional<std::string>> {
    const pqxx::result rows = Exec(transaction, kFamilyOf, token_hash);
    if (rows.empty()) return std::optional<std::string>();
    return std::optional<std::string>(rows[0][0].as<std::string>());
  });
}

Status PostgresUserStore::RevokeFamily(std::string_view family_id) {
  return pool_->Autocommit([&](Transaction& transaction) {
    Exec(transaction, kRevokeFamily, family_id);
    return Status::Ok();
  });
}

Status PostgresUserStore::RevokeUserSessions(std::string_view user_id,
                                             std::string_view keep_family) {
  return pool_->Transact([&](Transaction& transaction) -> Status {
    if (Status s = RequireUser(transaction, user_id); !s.ok()) return s;
    Exec(transaction, kRevokeUserFamilies, user_id, keep_family);
    return Status::Ok();
  });
}

Result<std::vector<SessionInfo>> PostgresUserStore::ListSessions(std::string_view user_id) {
  return pool_->Autocommit([&](Transaction& transaction) -> Result<std::vector<SessionInfo>> {
    const pqxx::result rows = Exec(transaction, kListSessions, user_id);
    if (rows.empty()) return UserNotFound(user_id);
    std::vector<SessionInfo> sessions;
    for (const pqxx::row& row : rows) {
      if (row[0].is_null()) break;  // the user has no sessions
      sessions.push_back({row[0].as<std::string>(), row[1].as<int64_t>(), row[2].as<int64_t>(),
                          row[3].as<int64_t>(), row[4].as<std::string>(), row[5].as<bool>()});
    }
    return sessions;
  });
}

Result<TotpState> PostgresUserStore::GetTotp(std::string_view user_id) {
  return pool_->Autocommit([&](Transaction& transaction) -> Result<TotpState> {
    // One statement, one snapshot: the secrets and the code count agree.
    const pqxx::result rows = Exec(transaction, kTotpState, user_id);
    if (rows.empty()) return UserNotFound(user_id);
    return TotpState{rows[0][0].as<std::string>(), rows[0][1].as<std::string>(),
                     rows[0][2].as<int64_t>(), rows[0][3].as<int>()};
  });
}

Status PostgresUserStore::SetPendingTotp(std::string_view user_id, std::string_view sealed_secret) {
  if (sealed_secret.empty()) {
    return Error::Invalid("the sealed secret is empty", {{"sealed_secret", "must not be empty"}});
  }
  return pool_->Autocommit([&](Transaction& transaction) {
    return ChangedUser(Exec(transaction, kSetPendingTotp, user_id, sealed_secret), user_id);
  });
}

Status PostgresUserStore::EnableTotp(std::string_view user_id, int64_t step,
                                     const std::vector<std::string>& recovery_code_hashes) {
  if (Status s = CheckRecoveryCodeHashes(recovery_code_hashes); !s.ok()) return s;
  return pool_->Transact([&](Transaction& transaction) -> Status {
    if (Exec(transaction, kEnableTotp, user_id, step).affected_rows() == 0) {
      if (Status s = RequireUser(transaction, user_id); !s.ok()) return s;
      return Error::Conflict("there is no second factor being enrolled");
    }
    Exec(transaction, kDeleteRecoveryCodes, user_id);
    for (const std::string& code_hash : recovery_code_hashes) {
      Exec(transaction, kInsertRecoveryCode, user_id, code_hash);
    }
    return Status::Ok();
  });
}

Status PostgresUserStore::DisableTotp(std::string_view user_id) {
  return pool_->Transact([&](Transaction& transaction) -> Status {
    if (Status s = ChangedUser(Exec(transaction, kDisableTotp, user_id), user_id); !s.ok()) {
      return s;
    }
    Exec(transaction, kDeleteRecoveryCodes, user_id);
    return Status::Ok();
  });
}

Result<bool> PostgresUserStore::UseTotpStep(std::string_view user_id, int64_t step) {
  return pool_->Transact([&](Transaction& transaction) {
    return ConditionalChange(transaction, Exec(transaction, kUseTotpStep, user_id, step), user_id);
  });
}

Result<bool> PostgresUserStore::UseRecoveryCode(std::string_view user_id,
                                                std::string_view code_hash) {
  return pool_->Transact([&](Transaction& transaction) {
    return ConditionalChange(transaction, Exec(transaction, kUseRecoveryCode, user_id, code_hash),
                             user_id);
  });
}

}  // namespace practica::store::postgres
