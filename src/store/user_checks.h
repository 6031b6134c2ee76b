// Rules every UserStore adapter applies the same way, so all of them accept and refuse the same
// input with the same error (the contract suite in tests/store/user_store_contract.h checks it).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "store/user_store.h"

namespace practica::store {

// kInvalid unless the id, the normalised email and the password hash are non-empty.
Status CheckNewUser(const NewUser& user);

// kInvalid unless the token hash, family id and user id are non-empty.
Status CheckRefreshToken(const RefreshToken& token);

// kInvalid when `next` (a rotation's new token) has no hash, or names a family or user other
// than the old token's (empty means "the old token's").
Status CheckRotationTarget(const RefreshToken& next, std::string_view family_id,
                           std::string_view user_id);

// kInvalid when a hash is empty or appears twice.
Status CheckRecoveryCodeHashes(const std::vector<std::string>& code_hashes);

// kInvalid unless 1 <= limit <= kMaxUserPageSize.
Status CheckUserPageLimit(int limit);

// ListUsers cursors: the last listed user's normalised email, hex-encoded so that callers treat
// it as opaque and it survives URLs unescaped. Decoding "" gives "" (the first page); anything
// that is not an even-length lowercase hex string is kInvalid.
std::string EncodeUserCursor(std::string_view email_normalized);
Result<std::string> DecodeUserCursor(std::string_view cursor);

// The form of a ListUsers query that is matched against the normalised email and the ASCII-
// lowercased display name.
std::string FoldUserQuery(std::string_view query);

// Error helpers, so every adapter words them alike. Only ids appear in messages, never emails,
// hashes or secrets.
Error UserNotFound(std::string_view user_id);
Error EmailTaken();

}  // namespace practica::store
