// UserStore in memory: the fake for fast tests of code above the port (auth/, api/). It passes the
// same contract suite as the real adapters (tests/store/user_store_contract.h), so it keeps the
// same invariants: rotation with reuse detection, replay refusal for TOTP steps, single use of
// recovery codes, cascades on delete.
//
// Thread-safe: every method may be called from any thread. One mutex guards all state, so every
// method is one atomic step (what the SQLite adapter gets from one IMMEDIATE transaction).
// Nothing survives the object.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/user_store.h"

namespace practica::store::memory {

class MemoryUserStore final : public UserStore {
 public:
  MemoryUserStore() = default;

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
  Status Ping() override { return Status::Ok(); }

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
  struct Account {
    domain::User user;  // totp_enabled is derived from totp_secret when read
    std::string email_normalized;
    std::string password_hash;
    std::string totp_secret;
    std::string totp_pending_secret;
    int64_t totp_last_step = 0;
    std::set<std::string, std::less<>> recovery_codes;
  };
  struct Family {
    std::string user_id;
    int64_t created_at = 0;
    int64_t last_used_at = 0;
    int64_t expires_at = 0;
    bool mfa = false;
    std::string user_agent;
    bool revoked = false;
  };
  struct Token {
    std::string family_id;
    int64_t expires_at = 0;
    bool used = false;
  };

  static domain::User View(const Account& account);
  // REQUIRES: mutex_ is held.
  Account* Find(std::string_view user_id);
  // Revokes every family of `user_id` except `keep_family`. REQUIRES: mutex_ is held.
  void RevokeFamiliesOf(std::string_view user_id, std::string_view keep_family);

  std::mutex mutex_;
  std::map<std::string, Account, std::less<>> accounts_;          // GUARDED_BY(mutex_), by id
  std::map<std::string, std::string, std::less<>> ids_by_email_;  // GUARDED_BY(mutex_)
  std::map<std::string, Family, std::less<>> families_;           // GUARDED_BY(mutex_)
  std::map<std::string, Token, std::less<>> tokens_;              // GUARDED_BY(mutex_)
};

}  // namespace practica::store::memory
