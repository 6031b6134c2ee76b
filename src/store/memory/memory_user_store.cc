#include "store/memory/memory_user_store.h"

#include <algorithm>
#include <utility>

#include "common/text.h"
#include "domain/user.h"
#include "store/user_checks.h"

namespace practica::store::memory {

domain::User MemoryUserStore::View(const Account& account) {
  domain::User user = account.user;
  user.totp_enabled = !account.totp_secret.empty();
  return user;
}

MemoryUserStore::Account* MemoryUserStore::Find(std::string_view user_id) {
  const auto it = accounts_.find(user_id);
  return it == accounts_.end() ? nullptr : &it->second;
}

void MemoryUserStore::RevokeFamiliesOf(std::string_view user_id, std::string_view keep_family) {
  for (auto& [family_id, family] : families_) {
    if (family.user_id == user_id && family_id != keep_family) family.revoked = true;
  }
}

Result<domain::User> MemoryUserStore::CreateUser(const NewUser& user) {
  if (Status s = CheckNewUser(user); !s.ok()) return std::move(s).error();
  Account account;
  account.user.id = user.id;
  account.user.email = user.email;
  account.user.display_name = user.display_name;
  account.user.role = user.role;
  account.user.time_zone = user.time_zone;
  account.user.created_at = user.created_at;
  account.email_normalized = domain::NormalizeEmail(user.email);
  account.password_hash = user.password_hash;

  std::lock_guard lock(mutex_);
  if (ids_by_email_.contains(account.email_normalized)) return EmailTaken();
  if (accounts_.contains(user.id)) return Error::Conflict("the user id is taken");
  ids_by_email_.emplace(account.email_normalized, user.id);
  const auto inserted = accounts_.emplace(user.id, std::move(account)).first;
  return View(inserted->second);
}

Result<domain::User> MemoryUserStore::GetUser(std::string_view id) {
  std::lock_guard lock(mutex_);
  const Account* account = Find(id);
  if (account == nullptr) return UserNotFound(id);
  return View(*account);
}

Result<domain::User> MemoryUserStore::FindUserByEmail(std::string_view email) {
  const std::string normalized = domain::NormalizeEmail(email);
  std::lock_guard lock(mutex_);
  const auto it = ids_by_email_.find(normalized);
  if (it == ids_by_email_.end()) return Error::NotFound("no user has this email address");
  return View(accounts_.at(it->second));
}

Result<std::string> MemoryUserStore::GetPasswordHash(std::string_view user_id) {
  std::lock_guard lock(mutex_);
  const Account* account = Find(user_id);
  if (account == nullptr) return UserNotFound(user_id);
  return account->password_hash;
}

Status MemoryUserStore::SetPasswordHash(std::string_view user_id, std::string_view hash) {
  if (hash.empty()) {
    return Error::Invalid("the password hash is empty", {{"password_hash", "must not be empty"}});
  }
  std::lock_guard lock(mutex_);
  Account* account = Find(user_id);
  if (account == nullptr) return UserNotFound(user_id);
  account->password_hash = hash;
  return Status::Ok();
}

Result<domain::User> MemoryUserStore::UpdateUser(std::string_view user_id,
                                                 const UserChanges& changes) {
  std::lock_guard lock(mutex_);
  Account* account = Find(user_id);
  if (account == nullptr) return UserNotFound(user_id);
  domain::User& user = account->user;
  if (changes.display_name) user.display_name = *changes.display_name;
  if (changes.time_zone) user.time_zone = *changes.time_zone;
  if (changes.role) user.role = *changes.role;
  if (changes.disabled) user.disabled = *changes.disabled;
  if (changes.disabled.value_or(false)) RevokeFamiliesOf(user_id, {});
  return View(*account);
}

Status MemoryUserStore::RecordLogin(std::string_view user_id, int64_t at) {
  std::lock_guard lock(mutex_);
  Account* account = Find(user_id);
  if (account == nullptr) return UserNotFound(user_id);
  account->user.last_login_at = at;
  return Status::Ok();
}

Result<UserPage> MemoryUserStore::ListUsers(std::string_view query, std::string_view cursor,
                                            int limit) {
  if (Status s = CheckUserPageLimit(limit); !s.ok()) return std::move(s).error();
  Result<std::string> after = DecodeUserCursor(cursor);
  if (!after.ok()) return std::move(after).error();
  const std::string folded = FoldUserQuery(query);

  std::lock_guard lock(mutex_);
  UserPage page;
  std::string_view last_listed;  // the normalised email of the last user in `page`
  for (auto it = ids_by_email_.upper_bound(*after); it != ids_by_email_.end(); ++it) {
    const Account& account = accounts_.at(it->second);
    if (account.email_normalized.find(folded) == std::string::npos &&
        AsciiLower(account.user.display_name).find(folded) == std::string::npos) {
      continue;
    }
    if (static_cast<int>(page.items.size()) == limit) {  // one more matches: there is a next page
      page.next_cursor = EncodeUserCursor(last_listed);
      break;
    }
    page.items.push_back(View(account));
    last_listed = it->first;
  }
  return page;
}

Status MemoryUserStore::DeleteUser(std::string_view user_id) {
  std::lock_guard lock(mutex_);
  const auto account = accounts_.find(user_id);
  if (account == accounts_.end()) return UserNotFound(user_id);
  std::erase_if(tokens_, [&](const auto& token) {
    const auto family = families_.find(token.second.family_id);
    return family != families_.end() && family->second.user_id == user_id;
  });
  std::erase_if(families_, [&](const auto& family) { return family.second.user_id == user_id; });
  ids_by_email_.erase(account->second.email_normalized);
  accounts_.erase(account);  // with its second factor and recovery codes
  return Status::Ok();
}

Result<int64_t> MemoryUserStore::CountUsers() {
  std::lock_guard lock(mutex_);
  return static_cast<int64_t>(accounts_.size());
}

Status MemoryUserStore::AddRefreshToken(const RefreshToken& token) {
  if (Status s = CheckRefreshToken(token); !s.ok()) return s;
  std::lock_guard lock(mutex_);
  if (Find(token.user_id) == nullptr) return UserNotFound(token.user_id);
  if (families_.contains(token.family_id)) {
    return Error::Conflict("the session family exists already");
  }
  if (tokens_.contains(token.token_hash))
    return Error::Conflict("the refresh token exists already");
  families_.emplace(token.family_id, Family{.user_id = token.user_id,
                                            .created_at = token.issued_at,
                                            .last_used_at = token.issued_at,
                                            .expires_at = token.expires_at,
                                            .mfa = token.mfa,
                                            .user_agent = token.user_agent,
                                            .revoked = false});
  tokens_.emplace(
      token.token_hash,
      Token{.family_id = token.family_id, .expires_at = token.expires_at, .used = false});
  return Status::Ok();
}

Result<RotateResult> MemoryUserStore::RotateRefreshToken(std::string_view old_hash,
                                                         const RefreshToken& next, int64_t now) {
  std::lock_guard lock(mutex_);
  const auto old_token = tokens_.find(old_hash);
  if (old_token == tokens_.end()) return RotateResult{};
  Family& family = families_.at(old_token->second.family_id);
  if (old_token->second.used) {
    family.revoked = true;
    return RotateResult{RotateOutcome::kReused, family.user_id, false};
  }
  const Account* account = Find(family.user_id);
  if (now >= old_token->second.expires_at || family.revoked || account == nullptr ||
      account->user.disabled) {
    return RotateResult{};
  }
  if (Status s = CheckRotationTarget(next, old_token->second.family_id, family.user_id); !s.ok()) {
    return std::move(s).error();
  }
  if (tokens_.contains(next.token_hash)) return Error::Conflict("the refresh token exists already");
  old_token->second.used = true;
  tokens_.emplace(next.token_hash, Token{.family_id = old_token->second.family_id,
                                         .expires_at = next.expires_at,
                                         .used = false});
  family.last_used_at = now;
  family.expires_at = next.expires_at;
  return RotateResult{RotateOutcome::kRotated, family.user_id, family.mfa};
}

Result<std::optional<std::string>> MemoryUserStore::FamilyOf(std::string_view token_hash) {
  std::lock_guard lock(mutex_);
  const auto token = tokens_.find(token_hash);
  if (token == tokens_.end()) return std::optional<std::string>();
  return std::optional<std::string>(token->second.family_id);
}

Status MemoryUserStore::RevokeFamily(std::string_view family_id) {
  std::lock_guard lock(mutex_);
  const auto family = families_.find(family_id);
  if (family != families_.end()) family->second.revoked = true;
  return Status::Ok();
}

Status MemoryUserStore::RevokeUserSessions(std::string_view user_id, std::string_view keep_family) {
  std::lock_guard lock(mutex_);
  if (Find(user_id) == nullptr) return UserNotFound(user_id);
  RevokeFamiliesOf(user_id, keep_family);
  return Status::Ok();
}

Result<std::vector<SessionInfo>> MemoryUserStore::ListSessions(std::string_view user_id) {
  std::lock_guard lock(mutex_);
  if (Find(user_id) == nullptr) return UserNotFound(user_id);
  std::vector<SessionInfo> sessions;
  for (const auto& [family_id, family] : families_) {
    if (family.user_id != user_id) continue;
    sessions.push_back({family_id, family.created_at, family.last_used_at, family.expires_at,
                        family.user_agent, family.revoked});
  }
  // Newest first; ties broken by family id, descending, like the SQLite adapter's ORDER BY.
  std::sort(sessions.begin(), sessions.end(), [](const SessionInfo& a, const SessionInfo& b) {
    if (a.created_at != b.created_at) return a.created_at > b.created_at;
    return a.family_id > b.family_id;
  });
  return sessions;
}

Result<TotpState> MemoryUserStore::GetTotp(std::string_view user_id) {
  std::lock_guard lock(mutex_);
  const Account* account = Find(user_id);
  if (account == nullptr) return UserNotFound(user_id);
  return TotpState{account->totp_secret, account->totp_pending_secret, account->totp_last_step,
                   static_cast<int>(account->recovery_codes.size())};
}

Status MemoryUserStore::SetPendingTotp(std::string_view user_id, std::string_view sealed_secret) {
  if (sealed_secret.empty()) {
    return Error::Invalid("the sealed secret is empty", {{"sealed_secret", "must not be empty"}});
  }
  std::lock_guard lock(mutex_);
  Account* account = Find(user_id);
  if (account == nullptr) return UserNotFound(user_id);
  account->totp_pending_secret = sealed_secret;
  return Status::Ok();
}

Status MemoryUserStore::EnableTotp(std::string_view user_id, int64_t step,
                                   const std::vector<std::string>& recovery_code_hashes) {
  if (Status s = CheckRecoveryCodeHashes(recovery_code_hashes); !s.ok()) return s;
  std::lock_guard lock(mutex_);
  Account* account = Find(user_id);
  if (account == nullptr) return UserNotFound(user_id);
  if (account->totp_pending_secret.empty()) {
    return Error::Conflict("there is no second factor being enrolled");
  }
  account->totp_secret = std::exchange(account->totp_pending_secret, {});
  account->totp_last_step = std::max(account->totp_last_step, step);
  account->recovery_codes = {recovery_code_hashes.begin(), recovery_code_hashes.end()};
  return Status::Ok();
}

Status MemoryUserStore::DisableTotp(std::string_view user_id) {
  std::lock_guard lock(mutex_);
  Account* account = Find(user_id);
  if (account == nullptr) return UserNotFound(user_id);
  account->totp_secret.clear();
  account->totp_pending_secret.clear();
  account->recovery_codes.clear();
  return Status::Ok();
}

Result<bool> MemoryUserStore::UseTotpStep(std::string_view user_id, int64_t step) {
  std::lock_guard lock(mutex_);
  Account* account = Find(user_id);
  if (account == nullptr) return UserNotFound(user_id);
  if (step <= account->totp_last_step) return false;
  account->totp_last_step = step;
  return true;
}

Result<bool> MemoryUserStore::UseRecoveryCode(std::string_view user_id,
                                              std::string_view code_hash) {
  std::lock_guard lock(mutex_);
  Account* account = Find(user_id);
  if (account == nullptr) return UserNotFound(user_id);
  const auto code = account->recovery_codes.find(code_hash);
  if (code == account->recovery_codes.end()) return false;
  account->recovery_codes.erase(code);
  return true;
}

}  // namespace practica::store::memory
