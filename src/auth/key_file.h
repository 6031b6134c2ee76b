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

// Reads `path`, or creates it (one signing key, one data key) when it does not exist. A file that
// is malformed, or readable by group or others, is refused with kInvalid naming the problem (never
// the key material).
Result<NodeKeys> LoadOrCreateNodeKeys(const std::filesystem::path& path);

// Adds a new signing key in front (rotation); the old keys stay for verification.
Result<NodeKeys> RotateSigningKey(const std::filesystem::path& path);

}  // namespace practica::auth
