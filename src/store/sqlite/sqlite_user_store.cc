#include "store/sqlite/sqlite_user_store.h"

#include <type_traits>
#include <utility>

#include "domain/user.h"
#include "store/sqlite/migrations.h"
#include "store/user_checks.h"

namespace practica::store::sqlite {
namespace {

// The SQL, in one place. Every statement is prepared once per connection and cached.
// Statements that end in RETURNING 1 report with their row count whether they changed a row.

// The user columns, in the order ReadUser reads them.
constexpr std::string_view kUserById = R"sql(
SELECT id, email, display_name, role, time_zone, created_at, last_login_at, disabled,
  totp_secret <> ''
FROM users WHERE id = ?1)sql";
constexpr std::string_view kUserByEmail = R"sql(
SELECT id, email, display_name, role, time_zone, created_at, last_login_at, disabled,
  totp_secret <> ''
FROM users WHERE email_normalized = ?1)sql";
// Keyset pagination on the UNIQUE index of email_normalized; column 9 is the cursor.
constexpr std::string_view kListUsers = R"sql(
SELECT id, email, display_name, role, time_zone, created_at, last_login_at, disabled,
  totp_secret <> '', email_normalized
FROM users
WHERE email_normalized > ?1
  AND (email_normalized LIKE ?2 ESCAPE '\' OR lower(display_name) LIKE ?2 ESCAPE '\')
ORDER BY email_normalized LIMIT ?3)sql";
// NULL parameters leave their column as it is.
constexpr std::string_view kUpdateUser = R"sql(
UPDATE users SET display_name = coalesce(?2, display_name), time_zone = coalesce(?3, time_zone),
  role = coalesce(?4, role), disabled = coalesce(?5, disabled)
WHERE id = ?1
RETURNING id, email, display_name, role, time_zone, created_at, last_login_at, disabled,
  totp_secret <> '')sql";
constexpr std::string_view kInsertUser = R"sql(
INSERT INTO users (id, email, email_normalized, display_name, role, time_zone, password_hash,
  created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8))sql";
constexpr std::string_view kUserExists = "SELECT 1 FROM users WHERE id = ?1";
constexpr std::string_view kEmailExists = "SELECT 1 FROM users WHERE email_normalized = ?1";
constexpr std::string_view kPasswordHash = "SELECT password_hash FROM users WHERE id = ?1";
constexpr std::string_view kSetPasswordHash =
    "UPDATE users SET password_hash = ?2 WHERE id = ?1 RETURNING 1";
constexpr std::string_view kRecordLogin =
    "UPDATE users SET last_login_at = ?2 WHERE id = ?1 RETURNING 1";
constexpr std::string_view kDeleteUser = "DELETE FROM users WHERE id = ?1 RETURNING 1";
constexpr std::string_view kCountUsers = "SELECT count(*) FROM users";

constexpr std::string_view kFamilyExists = "SELECT 1 FROM session_families WHERE family_id = ?1";
constexpr std::string_view kInsertFamily = R"sql(
INSERT INTO session_families (family_id, user_id, created_at, last_used_at, expires_at, mfa,
  user_agent)
VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6))sql";
constexpr std::string_view kInsertToken = R"sql(
INSERT INTO refresh_tokens (token_hash, family_id, issued_at, expires_at)
VALUES (?1, ?2, ?3, ?4))sql";
constexpr std::string_view kTokenForRotation = R"sql(
SELECT t.family_id, t.expires_at, t.used_at IS NOT NULL, f.user_id, f.revoked, f.mfa, u.disabled
FROM refresh_tokens t
  JOIN session_families f ON f.family_id = t.family_id
  JOIN users u ON u.id = f.user_id
WHERE t.token_hash = ?1)sql";
constexpr std::string_view kMarkTokenUsed =
    "UPDATE refresh_tokens SET used_at = ?2 WHERE token_hash = ?1";
constexpr std::string_view kTouchFamily =
    "UPDATE session_families SET last_used_at = ?2, expires_at = ?3 WHERE family_id = ?1";
constexpr std::string_view kRevokeFamily =
    "UPDATE session_families SET revoked = 1 WHERE family_id = ?1";
// Family ids are never empty, so keep_family = '' revokes every family of the user.
constexpr std::string_view kRevokeUserFamilies =
    "UPDATE session_families SET revoked = 1 WHERE user_id = ?1 AND family_id <> ?2";
constexpr std::string_view kFamilyOf = "SELECT family_id FROM refresh_tokens WHERE token_hash = ?1";
constexpr std::string_view kListSessions = R"sql(
SELECT family_id, created_at, last_used_at, expires_at, user_agent, revoked
FROM session_families WHERE user_id = ?1 ORDER BY created_at DESC, family_id DESC)sql";

constexpr std::string_view kTotpState = R"sql(
SELECT totp_secret, totp_pending_secret, totp_last_step,
  (SELECT count(*) FROM recovery_codes WHERE user_id = ?1)
FROM users WHERE id = ?1)sql";
constexpr std::string_view kSetPendingTotp =
    "UPDATE users SET totp_pending_secret = ?2 WHERE id = ?1 RETURNING 1";
constexpr std::string_view kHasPendingTotp =
    "SELECT totp_pending_secret <> '' FROM users WHERE id = ?1";
constexpr std::string_view kEnableTotp = R"sql(
UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = '',
  totp_last_step = max(totp_last_step, ?2)
WHERE id = ?1)sql";
constexpr std::string_view kDisableTotp =
    "UPDATE users SET totp_secret = '', totp_pending_secret = '' WHERE id = ?1 RETURNING 1";
constexpr std::string_view kDeleteRecoveryCodes = "DELETE FROM recovery_codes WHERE user_id = ?1";
constexpr std::string_view kInsertRecoveryCode =
    "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?1, ?2)";
// The replay guard: only a step newer than every accepted one updates the row.
constexpr std::string_view kUseTotpStep =
    "UPDATE users SET totp_last_step = ?2 WHERE id = ?1 AND totp_last_step < ?2 RETURNING 1";
constexpr std::string_view kUseRecoveryCode =
    "DELETE FROM recovery_codes WHERE user_id = ?1 AND code_hash = ?2 RETURNING 1";

// Steps `statement` to the end and returns how many rows it produced.
Result<int> CountRows(Statement& statement) {
  int rows = 0;
  while (true) {
    Result<bool> row = statement.Step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return rows;
    ++rows;
  }
}

// Prepares `sql` (one text parameter, ?1 = `text`) and returns whether it yields a row.
Result<bool> HasRow(Database& db, std::string_view sql, std::string_view text) {
  Result<Statement> statement = db.Prepare(sql);
  if (!statement.ok()) return std::move(statement).error();
  return statement->BindText(1, text).Step();
}

Status RequireUser(Database& db, std::string_view user_id) {
  Result<bool> exists = HasRow(db, kUserExists, user_id);
  if (!exists.ok()) return std::move(exists).error();
  if (!*exists) return UserNotFound(user_id);
  return Status::Ok();
}

// For a statement ending in RETURNING 1 on the user `user_id`: kNotFound when it changed no row.
Status RunOnUser(Statement& statement, std::string_view user_id) {
  Result<int> changed = CountRows(statement);
  if (!changed.ok()) return std::move(changed).error();
  if (*changed == 0) return UserNotFound(user_id);
  return Status::Ok();
}

// Reads user columns 0..8 of the current row (see kUserById).
Result<domain::User> ReadUser(const Statement& row) {
  domain::User user;
  user.id = row.ColumnString(0);
  user.email = row.ColumnString(1);
  user.display_name = row.ColumnString(2);
  const std::optional<domain::Role> role = domain::ParseRole(row.ColumnText(3));
  if (!role) return Error::Internal("user \"" + user.id + "\" has an unknown stored role");
  user.role = *role;
  user.time_zone = row.ColumnString(4);
  user.created_at = row.ColumnInt(5);
  user.last_login_at = row.ColumnInt(6);
  user.disabled = row.ColumnInt(7) != 0;
  user.totp_enabled = row.ColumnInt(8) != 0;
  return user;
}

// The one user that `sql` selects by `key`, or `not_found`.
Result<domain::User> SelectUser(Database& db, std::string_view sql, std::string_view key,
                                Error not_found) {
  Result<Statement> statement = db.Prepare(sql);
  if (!statement.ok()) return std::move(statement).error();
  statement->BindText(1, key);
  Result<bool> row = statement->Step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return not_found;
  return ReadUser(*statement);
}

void BindOptional(Statement& statement, int index, const std::optional<std::string>& text) {
  if (text) {
    statement.BindText(index, *text);
  } else {
    statement.BindNull(index);
  }
}

// A LIKE pattern (with ESCAPE '\') that matches any text containing `text` literally.
std::string LikeContaining(std::string_view text) {
  std::string pattern = "%";
  for (const char c : text) {
    if (c == '\\' || c == '%' || c == '_') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  return pattern;
}

// Inserts a session family and its first token. REQUIRES: a write transaction is open.
Status InsertSession(Database& db, const RefreshToken& token) {
  Result<Statement> family = db.Prepare(kInsertFamily);
  if (!family.ok()) return std::move(family).error();
  Status inserted = family->BindText(1, token.family_id)
                        .BindText(2, token.user_id)
                        .BindInt(3, token.issued_at)
                        .BindInt(4, token.expires_at)
                        .BindInt(5, token.mfa ? 1 : 0)
                        .BindText(6, token.user_agent)
                        .Run();
  if (!inserted.ok()) return inserted;
  Result<Statement> insert_token = db.Prepare(kInsertToken);
  if (!insert_token.ok()) return std::move(insert_token).error();
  return insert_token->BindText(1, token.token_hash)
      .BindText(2, token.family_id)
      .BindInt(3, token.issued_at)
      .BindInt(4, token.expires_at)
      .Run();
}

// Runs a statement with one text parameter and ignores its rows.
Status RunWithText(Database& db, std::string_view sql, std::string_view text) {
  Result<Statement> statement = db.Prepare(sql);
  if (!statement.ok()) return std::move(statement).error();
  return statement->BindText(1, text).Run();
}

// Revokes every family of `user_id` but `keep_family`. REQUIRES: a write transaction is open.
Status RevokeFamiliesOf(Database& db, std::string_view user_id, std::string_view keep_family) {
  Result<Statement> revoke = db.Prepare(kRevokeUserFamilies);
  if (!revoke.ok()) return std::move(revoke).error();
  // A default-constructed string_view has no data pointer, and SQLite binds that as NULL, which
  // `family_id <> NULL` would turn into "revoke nothing". Bind a real empty string instead.
  if (keep_family.empty()) keep_family = "";
  return revoke->BindText(1, user_id).BindText(2, keep_family).Run();
}

// The rotation itself. REQUIRES: an IMMEDIATE transaction is open on `db`.
Result<RotateResult> Rotate(Database& db, std::string_view old_hash, const RefreshToken& next,
                            int64_t now) {
  std::string family_id;
  RotateResult result;
  bool used = false;
  bool usable = false;
  {
    Result<Statement> lookup = db.Prepare(kTokenForRotation);
    if (!lookup.ok()) return std::move(lookup).error();
    lookup->BindText(1, old_hash);
    Result<bool> row = lookup->Step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return RotateResult{};  // unknown token
    family_id = lookup->ColumnString(0);
    const int64_t expires_at = lookup->ColumnInt(1);
    used = lookup->ColumnInt(2) != 0;
    result.user_id = lookup->ColumnString(3);
    const bool revoked = lookup->ColumnInt(4) != 0;
    result.mfa = lookup->ColumnInt(5) != 0;
    const bool disabled = lookup->ColumnInt(6) != 0;
    usable = now < expires_at && !revoked && !disabled;
  }
  if (used) {
    // Someone holds a token that was already exchanged: the token leaked, or a client raced
    // itself. Either way the whole sign-in is ended, for good.
    if (Status s = RunWithText(db, kRevokeFamily, family_id); !s.ok()) return std::move(s).error();
    return RotateResult{RotateOutcome::kReused, std::move(result.user_id), false};
  }
  if (!usable) return RotateResult{};
  if (Status s = CheckRotationTarget(next, family_id, result.user_id); !s.ok()) {
    return std::move(s).error();
  }

  Result<Statement> mark = db.Prepare(kMarkTokenUsed);
  if (!mark.ok()) return std::move(mark).error();
  if (Status s = mark->BindText(1, old_hash).BindInt(2, now).Run(); !s.ok()) {
    return std::move(s).error();
  }
  Result<Statement> insert = db.Prepare(kInsertToken);
  if (!insert.ok()) return std::move(insert).error();
  Status inserted = insert->BindText(1, next.token_hash)
                        .BindText(2, family_id)
                        .BindInt(3, next.issued_at)
                        .BindInt(4, next.expires_at)
                        .Run();
  if (!inserted.ok()) {
    if (inserted.error().code == ErrorCode::kConflict) {
      return Error::Conflict("the refresh token exists already");  // rolled back by the caller
    }
    return std::move(inserted).error();
  }
  Result<Statement> touch = db.Prepare(kTouchFamily);
  if (!touch.ok()) return std::move(touch).error();
  if (Status s = touch->BindText(1, family_id).BindInt(2, now).BindInt(3, next.expires_at).Run();
      !s.ok()) {
    return std::move(s).error();
  }
  result.outcome = RotateOutcome::kRotated;
  return result;
}

// Replaces the user's recovery codes. REQUIRES: a write transaction is open.
Status ReplaceRecoveryCodes(Database& db, std::string_view user_id,
                            const std::vector<std::string>& code_hashes) {
  if (Status s = RunWithText(db, kDeleteRecoveryCodes, user_id); !s.ok()) return s;
  for (const std::string& code_hash : code_hashes) {
    Result<Statement> insert = db.Prepare(kInsertRecoveryCode);
    if (!insert.ok()) return std::move(insert).error();
    if (Status s = insert->BindText(1, user_id).BindText(2, code_hash).Run(); !s.ok()) return s;
  }
  return Status::Ok();
}

// For a conditional UPDATE/DELETE … RETURNING 1 on one user: true when it changed the row, false
// when the condition did not hold, kNotFound when there is no such user.
Result<bool> ConditionalChange(Database& db, Statement& statement, std::string_view user_id) {
  Result<int> changed = CountRows(statement);
  if (!changed.ok()) return std::move(changed).error();
  if (*changed == 1) return true;
  if (Status s = RequireUser(db, user_id); !s.ok()) return std::move(s).error();
  return false;
}

}  // namespace

Result<std::unique_ptr<SqliteUserStore>> SqliteUserStore::Open(
    const std::filesystem::path& db_file) {
  return Open(db_file, Options{});
}

Result<std::unique_ptr<SqliteUserStore>> SqliteUserStore::Open(const std::filesystem::path& db_file,
                                                               const Options& options) {
  Result<std::unique_ptr<Database>> writer = OpenMigratedWriter(db_file, options.busy_timeout);
  if (!writer.ok()) return std::move(writer).error();

  std::unique_ptr<SqliteUserStore> store(
      new SqliteUserStore(std::move(writer).value(), db_file, options));
  // Read through one reader now, so that a file readers cannot open fails at start-up, not on a
  // request.
  if (Result<int64_t> count = store->CountUsers(); !count.ok()) return std::move(count).error();
  return store;
}

SqliteUserStore::SqliteUserStore(std::unique_ptr<Database> writer,
                                 const std::filesystem::path& db_file, const Options& options)
    : writer_(std::move(writer)),
      readers_(
          db_file,
          DatabaseOptions{.busy_timeout = options.busy_timeout, .read_only = true, .create = false},
          options.max_readers) {}

template <class Work>
auto SqliteUserStore::Write(Work&& work) {
  using Outcome = std::invoke_result_t<Work&, Database&>;  // Status or Result<T>
  std::lock_guard lock(writer_mutex_);
  Result<Transaction> transaction = writer_->Begin(TransactionMode::kImmediate);
  if (!transaction.ok()) return Outcome(std::move(transaction).error());
  Outcome outcome = work(*writer_);
  if (!outcome.ok()) return outcome;  // the transaction rolls back
  if (Status s = transaction->Commit(); !s.ok()) return Outcome(std::move(s).error());
  return outcome;
}

Result<domain::User> SqliteUserStore::CreateUser(const NewUser& user) {
  if (Status s = CheckNewUser(user); !s.ok()) return std::move(s).error();
  const std::string email_normalized = domain::NormalizeEmail(user.email);
  return Write([&](Database& db) -> Result<domain::User> {
    // Checked first so that each clash has its own message; the UNIQUE constraints still guard
    // the insert.
    Result<bool> taken = HasRow(db, kEmailExists, email_normalized);
    if (!taken.ok()) return std::move(taken).error();
    if (*taken) return EmailTaken();
    Result<bool> id_taken = HasRow(db, kUserExists, user.id);
    if (!id_taken.ok()) return std::move(id_taken).error();
    if (*id_taken) return Error::Conflict("the user id is taken");

    Result<Statement> insert = db.Prepare(kInsertUser);
    if (!insert.ok()) return std::move(insert).error();
    Status inserted = insert->BindText(1, user.id)
                          .BindText(2, user.email)
                          .BindText(3, email_normalized)
                          .BindText(4, user.display_name)
                          .BindText(5, domain::ToString(user.role))
                          .BindText(6, user.time_zone)
                          .BindText(7, user.password_hash)
                          .BindInt(8, user.created_at)
                          .Run();
    if (!inserted.ok()) return std::move(inserted).error();
    return SelectUser(db, kUserById, user.id, Error::Internal("the new user was not stored"));
  });
}

Result<domain::User> SqliteUserStore::GetUser(std::string_view id) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  return SelectUser(**db, kUserById, id, UserNotFound(id));
}

Result<domain::User> SqliteUserStore::FindUserByEmail(std::string_view email) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  return SelectUser(**db, kUserByEmail, domain::NormalizeEmail(email),
                    Error::NotFound("no user has this email address"));
}

Result<std::string> SqliteUserStore::GetPasswordHash(std::string_view user_id) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Statement> statement = (*db)->Prepare(kPasswordHash);
  if (!statement.ok()) return std::move(statement).error();
  statement->BindText(1, user_id);
  Result<bool> row = statement->Step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return UserNotFound(user_id);
  return statement->ColumnString(0);
}

Status SqliteUserStore::SetPasswordHash(std::string_view user_id, std::string_view hash) {
  if (hash.empty()) {
    return Error::Invalid("the password hash is empty", {{"password_hash", "must not be empty"}});
  }
  return Write([&](Database& db) -> Status {
    Result<Statement> update = db.Prepare(kSetPasswordHash);
    if (!update.ok()) return std::move(update).error();
    update->BindText(1, user_id).BindText(2, hash);
    return RunOnUser(*update, user_id);
  });
}

Result<domain::User> SqliteUserStore::UpdateUser(std::string_view user_id,
                                                 const UserChanges& changes) {
  return Write([&](Database& db) -> Result<domain::User> {
    Result<domain::User> updated = [&]() -> Result<domain::User> {
      Result<Statement> update = db.Prepare(kUpdateUser);
      if (!update.ok()) return std::move(update).error();
      update->BindText(1, user_id);
      BindOptional(*update, 2, changes.display_name);
      BindOptional(*update, 3, changes.time_zone);
      if (changes.role) {
        update->BindText(4, domain::ToString(*changes.role));
      } else {
        update->BindNull(4);
      }
      if (changes.disabled) {
        update->BindInt(5, *changes.disabled ? 1 : 0);
      } else {
        update->BindNull(5);
      }
      Result<bool> row = update->Step();
      if (!row.ok()) return std::move(row).error();
      if (!*row) return UserNotFound(user_id);
      return ReadUser(*update);
    }();
    if (!updated.ok()) return updated;
    // A disabled user is signed out everywhere, in the same transaction as the flag.
    if (changes.disabled.value_or(false)) {
      if (Status s = RevokeFamiliesOf(db, user_id, {}); !s.ok()) return std::move(s).error();
    }
    return updated;
  });
}

Status SqliteUserStore::RecordLogin(std::string_view user_id, int64_t at) {
  return Write([&](Database& db) -> Status {
    Result<Statement> update = db.Prepare(kRecordLogin);
    if (!update.ok()) return std::move(update).error();
    update->BindText(1, user_id).BindInt(2, at);
    return RunOnUser(*update, user_id);
  });
}

Result<UserPage> SqliteUserStore::ListUsers(std::string_view query, std::string_view cursor,
                                            int limit) {
  if (Status s = CheckUserPageLimit(limit); !s.ok()) return std::move(s).error();
  Result<std::string> after = DecodeUserCursor(cursor);
  if (!after.ok()) return std::move(after).error();

  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Statement> list = (*db)->Prepare(kListUsers);
  if (!list.ok()) return std::move(list).error();
  // One row more than the page: its presence says whether there is a next page.
  list->BindText(1, *after).BindText(2, LikeContaining(FoldUserQuery(query))).BindInt(3, limit + 1);
  UserPage page;
  std::string last_listed;
  while (true) {
    Result<bool> row = list->Step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) break;
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = EncodeUserCursor(last_listed);
      break;
    }
    Result<domain::User> user = ReadUser(*list);
    if (!user.ok()) return std::move(user).error();
    page.items.push_back(std::move(user).value());
    last_listed = list->ColumnString(9);
  }
  return page;
}

Status SqliteUserStore::DeleteUser(std::string_view user_id) {
  // ON DELETE CASCADE removes the user's session families, their tokens and the recovery codes.
  return Write([&](Database& db) -> Status {
    Result<Statement> remove = db.Prepare(kDeleteUser);
    if (!remove.ok()) return std::move(remove).error();
    remove->BindText(1, user_id);
    return RunOnUser(*remove, user_id);
  });
}

Result<int64_t> SqliteUserStore::CountUsers() {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Statement> count = (*db)->Prepare(kCountUsers);
  if (!count.ok()) return std::move(count).error();
  Result<bool> row = count->Step();
  if (!row.ok()) return std::move(row).error();
  return count->ColumnInt(0);
}

Status SqliteUserStore::Ping() {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  return (*db)->Execute("SELECT 1 FROM users LIMIT 1");
}

Status SqliteUserStore::AddRefreshToken(const RefreshToken& token) {
  if (Status s = CheckRefreshToken(token); !s.ok()) return s;
  return Write([&](Database& db) -> Status {
    if (Status s = RequireUser(db, token.user_id); !s.ok()) return s;
    Result<bool> family_exists = HasRow(db, kFamilyExists, token.family_id);
    if (!family_exists.ok()) return std::move(family_exists).error();
    if (*family_exists) return Error::Conflict("the session family exists already");
    Status inserted = InsertSession(db, token);
    if (!inserted.ok() && inserted.error().code == ErrorCode::kConflict) {
      return Error::Conflict("the refresh token exists already");
    }
    return inserted;
  });
}

Result<RotateResult> SqliteUserStore::RotateRefreshToken(std::string_view old_hash,
                                                         const RefreshToken& next, int64_t now) {
  return Write([&](Database& db) { return Rotate(db, old_hash, next, now); });
}

Result<std::optional<std::string>> SqliteUserStore::FamilyOf(std::string_view token_hash) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Statement> statement = (*db)->Prepare(kFamilyOf);
  if (!statement.ok()) return std::move(statement).error();
  statement->BindText(1, token_hash);
  Result<bool> row = statement->Step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(statement->ColumnString(0));
}

Status SqliteUserStore::RevokeFamily(std::string_view family_id) {
  return Write([&](Database& db) { return RunWithText(db, kRevokeFamily, family_id); });
}

Status SqliteUserStore::RevokeUserSessions(std::string_view user_id, std::string_view keep_family) {
  return Write([&](Database& db) -> Status {
    if (Status s = RequireUser(db, user_id); !s.ok()) return s;
    return RevokeFamiliesOf(db, user_id, keep_family);
  });
}

Result<std::vector<SessionInfo>> SqliteUserStore::ListSessions(std::string_view user_id) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Transaction> snapshot = (*db)->Begin(TransactionMode::kDeferred);
  if (!snapshot.ok()) return std::move(snapshot).error();
  if (Status s = RequireUser(**db, user_id); !s.ok()) return std::move(s).error();
  Result<Statement> list = (*db)->Prepare(kListSessions);
  if (!list.ok()) return std::move(list).error();
  list->BindText(1, user_id);
  std::vector<SessionInfo> sessions;
  while (true) {
    Result<bool> row = list->Step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return sessions;
    sessions.push_back({list->ColumnString(0), list->ColumnInt(1), list->ColumnInt(2),
                        list->ColumnInt(3), list->ColumnString(4), list->ColumnInt(5) != 0});
  }
}

Result<TotpState> SqliteUserStore::GetTotp(std::string_view user_id) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  // One statement, one snapshot: the secrets and the code count agree.
  Result<Statement> statement = (*db)->Prepare(kTotpState);
  if (!statement.ok()) return std::move(statement).error();
  statement->BindText(1, user_id);
  Result<bool> row = statement->Step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return UserNotFound(user_id);
  return TotpState{statement->ColumnString(0), statement->ColumnString(1), statement->ColumnInt(2),
                   static_cast<int>(statement->ColumnInt(3))};
}

Status SqliteUserStore::SetPendingTotp(std::string_view user_id, std::string_view sealed_secret) {
  if (sealed_secret.empty()) {
    return Error::Invalid("the sealed secret is empty", {{"sealed_secret", "must not be empty"}});
  }
  return Write([&](Database& db) -> Status {
    Result<Statement> update = db.Prepare(kSetPendingTotp);
    if (!update.ok()) return std::move(update).error();
    update->BindText(1, user_id).BindText(2, sealed_secret);
    return RunOnUser(*update, user_id);
  });
}

Status SqliteUserStore::EnableTotp(std::string_view user_id, int64_t step,
                                   const std::vector<std::string>& recovery_code_hashes) {
  if (Status s = CheckRecoveryCodeHashes(recovery_code_hashes); !s.ok()) return s;
  return Write([&](Database& db) -> Status {
    {
      Result<Statement> pending = db.Prepare(kHasPendingTotp);
      if (!pending.ok()) return std::move(pending).error();
      pending->BindText(1, user_id);
      Result<bool> row = pending->Step();
      if (!row.ok()) return std::move(row).error();
      if (!*row) return UserNotFound(user_id);
      if (pending->ColumnInt(0) == 0) {
        return Error::Conflict("there is no second factor being enrolled");
      }
    }
    Result<Statement> enable = db.Prepare(kEnableTotp);
    if (!enable.ok()) return std::move(enable).error();
    if (Status s = enable->BindText(1, user_id).BindInt(2, step).Run(); !s.ok()) return s;
    return ReplaceRecoveryCodes(db, user_id, recovery_code_hashes);
  });
}

Status SqliteUserStore::DisableTotp(std::string_view user_id) {
  return Write([&](Database& db) -> Status {
    Result<Statement> disable = db.Prepare(kDisableTotp);
    if (!disable.ok()) return std::move(disable).error();
    disable->BindText(1, user_id);
    if (Status s = RunOnUser(*disable, user_id); !s.ok()) return s;
    return RunWithText(db, kDeleteRecoveryCodes, user_id);
  });
}

Result<bool> SqliteUserStore::UseTotpStep(std::string_view user_id, int64_t step) {
  return Write([&](Database& db) -> Result<bool> {
    Result<Statement> use = db.Prepare(kUseTotpStep);
    if (!use.ok()) return std::move(use).error();
    use->BindText(1, user_id).BindInt(2, step);
    return ConditionalChange(db, *use, user_id);
  });
}

Result<bool> SqliteUserStore::UseRecoveryCode(std::string_view user_id,
                                              std::string_view code_hash) {
  return Write([&](Database& db) -> Result<bool> {
    Result<Statement> use = db.Prepare(kUseRecoveryCode);
    if (!use.ok()) return std::move(use).error();
    use->BindText(1, user_id).BindText(2, code_hash);
    return ConditionalChange(db, *use, user_id);
  });
}

}  // namespace practica::store::sqlite
