// UserStore on PostgreSQL (RDS in the AWS deployments): every server process of a fleet shares
// one database, so unlike the SQLite adapter nothing here may rely on being the only writer.
//
// Layout (migrations.cc, version 1): users, session_families, refresh_tokens, recovery_codes, the
// SQLite adapter's tables in PostgreSQL's types; docs/DATA.md explains each choice. The store never
// migrates: Open refuses a database that MigratePostgres (`practica migrate`) has not brought to
// this build's version.
//
// Behaviour beyond the port's contract:
//   - Reads, and writes that only set a value (RecordLogin, SetPasswordHash, SetPendingTotp,
//     RevokeFamily), are one statement without a transaction (one round trip, one snapshot); every
//     other write runs in one READ COMMITTED transaction whose check-then-write steps hold row
//     locks:
//       RotateRefreshToken locks the token's family row (SELECT … FOR UPDATE) before it reads the
//         token, so of concurrent rotations of one token exactly one sees it unused, and every
//         later one sees it used (kReused); a family row is the lock for all of its tokens;
//       UseTotpStep, UseRecoveryCode and EnableTotp are conditional UPDATE/DELETE statements,
//         which PostgreSQL re-checks against the newest row after waiting for a concurrent writer,
//         so exactly one of concurrent uses wins;
//       CreateUser and AddRefreshToken insert with ON CONFLICT DO NOTHING, so the UNIQUE indexes
//         decide races between concurrent sign-ups; AddRefreshToken holds its user row
//         (FOR KEY SHARE) so that the user cannot be deleted under it;
//       UpdateUser's disable and the revocation of the user's sessions commit together.
//     These hold across processes: there is no in-process lock.
//   - Emails: email_normalized (domain::NormalizeEmail, computed here as in every adapter) is
//     UNIQUE with the "C" collation (byte order, whatever the database's collation); ListUsers
//     is keyset pagination on that index, and its query is a plain substring (strpos, no
//     wildcards) of email_normalized or lower(display_name COLLATE "C"), which folds ASCII only,
//     as the port asks.
//   - Errors (postgres_error.h): kUnavailable when the server is unreachable or refuses the
//     credentials (after one re-read of them, connection_pool.h), a connection breaks during
//     COMMIT, or no pooled connection frees up within PoolOptions::acquire_timeout;
//     kInvalid for text PostgreSQL cannot store (not UTF-8, NUL bytes); kInternal when a stored
//     row is not what the schema promises. Messages carry ids, never emails, hashes, sealed
//     secrets or the database password.
//
// Thread model: every method may be called from any thread, concurrently; each call borrows one
// pooled connection (connection_pool.h) for its duration. Calls block on the network, so they
// belong on worker threads, not I/O threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/postgres/connection_source.h"
#include "store/postgres/pool_options.h"
#include "store/user_store.h"

namespace practica::store::postgres {

class ConnectionPool;

class PostgresUserStore final : public UserStore {
 public:
  // Connects to `connection_string` (a postgresql:// URL or libpq key=value string; put
  // connect_timeout, sslmode and the like in it) and checks the schema version, so that a wrong
  // address, a refused password or an unmigrated database stops start-up rather than the first
  // request: kUnavailable when the server cannot be reached, kConflict when the schema is not at
  // LatestSchemaVersion(), kInvalid for options out of range.
  static Result<std::unique_ptr<PostgresUserStore>> Open(const std::string& connection_string);
  static Result<std::unique_ptr<PostgresUserStore>> Open(const std::string& connection_string,
                                                         const PoolOptions& options);
  // The same, with each new connection's string from `source` (connection_source.h), which the
  // store asks again when the server refuses the credentials: a rotated password is picked up
  // without a restart. Open itself makes the first connection, so a source that cannot answer,
  // or credentials refused even after a re-read, stop start-up as kUnavailable.
  static Result<std::unique_ptr<PostgresUserStore>> Open(ConnectionSource source,
                                                         const PoolOptions& options);

  PostgresUserStore(const PostgresUserStore&) = delete;
  PostgresUserStore& operator=(const PostgresUserStore&) = delete;
  // REQUIRES: no call is in progress.
  ~PostgresUserStore() override;

  Result<domain::User> CreateUser(const NewUser& user) override;
  Result<domain::User> GetUser(std::string_view id) override;
  Result<domain::User> FindUserByEmail(std::string_view email) override;
  Result<std::string> GetPasswordHash(std::string_view user_id) override;
  Status SetPasswordHash(std::string_view user_id, std::string_view hash) override;
  Result<domain::User> UpdateUser(std::string_view user_id, const UserChanges& changes) override;
  Status RecordLogin(std::string_view user_id, int64_t at) override;
  Result<UserPage> ListUsers(std::string_view query, std::string_view cursor, int limit) override;
  Status DeleteUser(std::string_view user_id) override;
  Result<int64_t> CountUsers() override;
  Status Ping() override;

  Status AddRefreshToken(const RefreshToken& token) override;
  Result<RotateResult> RotateRefreshToken(std::string_view old_hash, const RefreshToken& next,
                                          int64_t now) override;
  Result<std::optional<std::string>> FamilyOf(std::string_view token_hash) override;
  Status RevokeFamily(std::string_view family_id) override;
  Status RevokeUserSessions(std::string_view user_id, std::string_view keep_family) override;
  Result<std::vector<SessionInfo>> ListSessions(std::string_view user_id) override;

  Result<TotpState> GetTotp(std::string_view user_id) override;
  Status SetPendingTotp(std::string_view user_id, std::string_view sealed_secret) override;
  Status EnableTotp(std::string_view user_id, int64_t step,
                    const std::vector<std::string>& recovery_code_hashes) override;
  Status DisableTotp(std::string_view user_id) override;
  Result<bool> UseTotpStep(std::string_view user_id, int64_t step) override;
  Result<bool> UseRecoveryCode(std::string_view user_id, std::string_view code_hash) override;

 private:
  explicit PostgresUserStore(std::unique_ptr<ConnectionPool> pool);

  // Hidden behind a pointer so that this header does not include libpqxx.
  std::unique_ptr<ConnectionPool> pool_;
};

}  // namespace practica::store::postgres
