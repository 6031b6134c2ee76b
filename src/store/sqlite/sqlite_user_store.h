// UserStore on the SQLite file that also holds the content (practica.db): the embedded default.
//
// Layout (migrations.cc, version 2): users, session_families, refresh_tokens, recovery_codes; the
// comment there explains each table. The two stores share the file and its one list of
// migrations, so opening either store first brings the file to the newest schema.
//
// Behaviour beyond the port's contract:
//   - Each write runs in ONE IMMEDIATE transaction (the write lock is taken at BEGIN), so its
//     reads and writes see no other writer in between: RotateRefreshToken's check-then-update,
//     EnableTotp's pending → enabled move with the replacement of the recovery codes, UpdateUser's
//     disable together with the revocation of the user's sessions, DeleteUser's cascade (foreign
//     keys ON DELETE CASCADE). UseTotpStep and UseRecoveryCode are one conditional UPDATE or
//     DELETE whose row count says whether this call won. Every commit is fsync'ed before the call
//     returns (synchronous=FULL).
//   - ListUsers is keyset pagination on the UNIQUE index of email_normalized; the query is matched
//     with LIKE against email_normalized and lower(display_name) (SQLite's lower() folds ASCII
//     only, as the port asks), with '\', '%' and '_' escaped.
//   - Errors: kUnavailable for a full disk, I/O errors, or a write lock held by another connection
//     (the content store's writer, `practica import`) longer than the busy timeout; kInternal when
//     a stored row is not what the schema promises (an unknown role). Messages carry ids, never
//     emails, hashes or sealed secrets.
//
// Thread model: every method may be called from any thread, concurrently.
//   - Writes are serialised by writer_mutex_ on a single writer connection. (No group commit yet:
//     sign-ins and refreshes are far rarer than attempts; a batching writer can replace the mutex
//     without changing this class's contract.)
//   - Reads lease a connection from a pool of at most Options::max_readers reader connections
//     (query_only); a read of several statements runs in one read transaction (one snapshot).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/connection_pool.h"
#include "store/sqlite/database.h"
#include "store/user_store.h"

namespace practica::store::sqlite {

class SqliteUserStore final : public UserStore {
 public:
  struct Options {
    int max_readers = 4;  // reader connections kept open; user reads are few and short
    std::chrono::milliseconds busy_timeout{5000};
  };

  // Opens (creating) the SQLite file and migrates it to the newest schema (migrations.h: a file
  // from a newer practica is refused with kConflict). The caller creates the directory.
  static Result<std::unique_ptr<SqliteUserStore>> Open(const std::filesystem::path& db_file);
  static Result<std::unique_ptr<SqliteUserStore>> Open(const std::filesystem::path& db_file,
                                                       const Options& options);

  SqliteUserStore(const SqliteUserStore&) = delete;
  SqliteUserStore& operator=(const SqliteUserStore&) = delete;
  // REQUIRES: no call is in progress.
  ~SqliteUserStore() override = default;

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
  SqliteUserStore(std::unique_ptr<Database> writer, const std::filesystem::path& db_file,
                  const Options& options);

  // Runs `work(Database&)` in one IMMEDIATE transaction on the writer connection and commits when
  // it returns success; on an error the transaction rolls back. Returns what `work` returned.
  template <class Work>
  auto Write(Work&& work);

  std::mutex writer_mutex_;
  std::unique_ptr<Database> writer_;  // GUARDED_BY(writer_mutex_)
  ConnectionPool readers_;
};

}  // namespace practica::store::sqlite
