#include "store/user_checks.h"

#include <set>
#include <utility>

#include "common/text.h"
#include "domain/user.h"

namespace practica::store {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";

int HexValue(char c) {
  const size_t at = kHexDigits.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

}  // namespace

Status CheckNewUser(const NewUser& user) {
  std::vector<FieldError> errors;
  if (user.id.empty()) errors.push_back({"id", "must not be empty"});
  if (domain::NormalizeEmail(user.email).empty()) errors.push_back({"email", "must not be empty"});
  if (user.password_hash.empty()) errors.push_back({"password_hash", "must not be empty"});
  if (errors.empty()) return Status::Ok();
  return Error::Invalid("the new user is incomplete", std::move(errors));
}

Status CheckRefreshToken(const RefreshToken& token) {
  std::vector<FieldError> errors;
  if (token.token_hash.empty()) errors.push_back({"token_hash", "must not be empty"});
  if (token.family_id.empty()) errors.push_back({"family_id", "must not be empty"});
  if (token.user_id.empty()) errors.push_back({"user_id", "must not be empty"});
  if (errors.empty()) return Status::Ok();
  return Error::Invalid("the refresh token is incomplete", std::move(errors));
}

Status CheckRotationTarget(const RefreshToken& next, std::string_view family_id,
                           std::string_view user_id) {
  if (next.token_hash.empty()) {
    return Error::Invalid("the new refresh token has no hash",
                          {{"token_hash", "must not be empty"}});
  }
  if (!next.family_id.empty() && next.family_id != family_id) {
    return Error::Invalid("the new refresh token belongs to another session family",
                          {{"family_id", "must be the old token's family"}});
  }
  if (!next.user_id.empty() && next.user_id != user_id) {
    return Error::Invalid("the new refresh token belongs to another user",
                          {{"user_id", "must be the old token's user"}});
  }
  return Status::Ok();
}

Status CheckRecoveryCodeHashes(const std::vector<std::string>& code_hashes) {
  std::set<std::string_view> seen;
  for (size_t i = 0; i < code_hashes.size(); ++i) {
    const std::string field = "recovery_code_hashes[" + std::to_string(i) + "]";
    if (code_hashes[i].empty()) {
      return Error::Invalid("a recovery code hash is empty", {{field, "must not be empty"}});
    }
    if (!seen.insert(code_hashes[i]).second) {
      return Error::Invalid("a recovery code hash appears twice", {{field, "is a duplicate"}});
    }
  }
  return Status::Ok();
}

Status CheckUserPageLimit(int limit) {
  if (limit >= 1 && limit <= kMaxUserPageSize) return Status::Ok();
  return Error::Invalid("limit must be between 1 and " + std::to_string(kMaxUserPageSize),
                        {{"limit", "must be between 1 and " + std::to_string(kMaxUserPageSize)}});
}

std::string EncodeUserCursor(std::string_view email_normalized) {
  std::string cursor;
  cursor.reserve(email_normalized.size() * 2);
  for (const char c : email_normalized) {
    const auto byte = static_cast<unsigned char>(c);
    cursor += kHexDigits[byte >> 4];
    cursor += kHexDigits[byte & 0x0f];
  }
  return cursor;
}

Result<std::string> DecodeUserCursor(std::string_view cursor) {
  const Error malformed = Error::Invalid("the cursor is not one a page of users produced",
                                         {{"cursor", "is malformed"}});
  if (cursor.size() % 2 != 0) return malformed;
  std::string decoded;
  decoded.reserve(cursor.size() / 2);
  for (size_t i = 0; i < cursor.size(); i += 2) {
    const int high = HexValue(cursor[i]);
    const int low = HexValue(cursor[i + 1]);
    if (high < 0 || low < 0) return malformed;
    decoded += static_cast<char>((high << 4) | low);
  }
  return decoded;
}

std::string FoldUserQuery(std::string_view query) { return AsciiLower(query); }

Error UserNotFound(std::string_view user_id) {
  std::string message = "user \"";
  message += user_id;
  message += "\" not found";
  return Error::NotFound(std::move(message));
}

Error EmailTaken() { return Error::Conflict("the email address is already registered"); }

}  // namespace practica::store
