// The node's secret keys when no secrets manager is in use: a file in the data directory with the
// token signing keys and the data key for SecretBox. Created with mode 0600 on first start.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
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

// The key ring of every server process of a deployment, read from a secret
// (PRACTICA_KEY_SECRET) instead of a file, so that a token one process signs verifies in every
// other. `text` is either
//   - a key ring: the key file's JSON above (signing keys newest first, and the data key), or
//   - a passphrase of at least kMinKeyPassphraseBytes characters that does not start with '{'
//     (what a generated secret holds before anyone rotates it): one signing key, kid
//     kPassphraseKid, and the data key, each derived from it (BLAKE2b, then libsodium's KDF).
// kInvalid names the problem, never the material.
inline constexpr size_t kMinKeyPassphraseBytes = 32;
inline constexpr std::string_view kPassphraseKid = "initial";
Result<NodeKeys> ParseKeySecret(std::string_view text);

// The key ring as JSON (the key file's format and ParseKeySecret's first form).
std::string FormatNodeKeys(const NodeKeys& keys);

// Adds a new random key. `signing`: in front, it signs from now on; else second, where it only
// verifies until PromoteSigningKey (the first step of a rotation that no process can get ahead
// of: every process knows the key before any signs with it). The others stay for verification.
void AddSigningKey(NodeKeys& keys, bool signing = true);

// Moves the second key in front: it signs from now on, the former first one only verifies.
// kInvalid when the ring holds a single key.
Status PromoteSigningKey(NodeKeys& keys);

}  // namespace practica::auth
