// The node's secret keys when no secrets manager is in use: a file in the data directory with the
// token signing keys and the data key for SecretBox. Created with mode 0600 on first start.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "auth/token.h"
#include "common/error.h"

namespace practica::auth {

struct NodeKeys {
  std::vector<SigningKey> signing_keys;  // newest first
  std::string data_key;                  // 32 bytes
};

// The file is JSON: {"signing_keys":[{"kid":"…","seed":"…"}, …],"data_key":"…"}, seeds and the
// data key as unpadded base64url of 32 bytes, kids 1–64 of A-Z a-z 0-9 - _ . (new ones are 8
// random base64url characters). Unknown fields are ignored.
//
// Reads `path`, or creates it (one signing key, one data key) when it does not exist. A new file
// is written beside it with O_CREAT|O_EXCL and mode 0600, flushed, then linked into place, so the
// path is never seen half-written and a file another process created meanwhile is used rather than
// overwritten. A file that is malformed, a symbolic link, or accessible to group or others is
// refused with kInvalid naming the problem (never the key material); I/O failures are kInternal.
Result<NodeKeys> LoadOrCreateNodeKeys(const std::filesystem::path& path);

// Adds a new signing key in front (rotation); the old keys stay for verification until an
// operator removes them from the file. The file is replaced atomically (write beside, rename).
// kNotFound when the file does not exist. Two rotations at the same moment may lose one of the new
// keys: rotation is an operator's command, not something servers do concurrently.
Result<NodeKeys> RotateSigningKey(const std::filesystem::path& path);

}  // namespace practica::auth
