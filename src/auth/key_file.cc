#include "auth/key_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cerrno>
#include <cstring>
#include <optional>
#include <set>

#include "auth/crypto.h"
#include "auth/random.h"
#include "auth/sodium_init.h"
#include "common/text.h"

namespace practica::auth {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

constexpr size_t kKeyBytes = 32;
constexpr size_t kMaxKeyFileBytes = 64 * 1024;  // a few keys take a few hundred bytes
constexpr size_t kMaxKidLength = 64;

// Owns a file descriptor.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now, reporting the error close() may return (it can be where a write fails).
  bool Close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

// Key material leaves memory when the buffer holding it goes away.
class WipedString {
 public:
  WipedString() = default;
  explicit WipedString(std::string text) : text_(std::move(text)) {}
  WipedString(const WipedString&) = delete;
  WipedString& operator=(const WipedString&) = delete;
  ~WipedString() { sodium_memzero(text_.data(), text_.size()); }
  std::string& get() { return text_; }

 private:
  std::string text_;
};

std::string Named(const fs::path& path) { return "key file " + path.string(); }

// `what` names the source: "key file …", "the key secret".
Error MalformedIn(std::string_view what, std::string_view problem) {
  return Error::Invalid(std::string(what) + ": " + std::string(problem));
}

Error Malformed(const fs::path& path, std::string_view problem) {
  return MalformedIn(Named(path), problem);
}

Error SystemError(const fs::path& path, std::string_view action, int error_number) {
  return Error::Internal("cannot " + std::string(action) + " " + Named(path) + ": " +
                         std::strerror(error_number));
}

bool IsValidKid(std::string_view kid) {
  if (kid.empty() || kid.size() > kMaxKidLength) return false;
  for (char c : kid) {
    const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!allowed) return false;
  }
  return true;
}

// 8 random base64url characters (48 bits): unique enough within one ring, and they say nothing.
std::string NewKid() { return RandomToken(6); }

SigningKey NewSigningKey(const NodeKeys& existing) {
  SigningKey key{NewKid(), RandomBytes(kKeyBytes)};
  for (const SigningKey& other : existing.signing_keys) {
    if (other.kid == key.kid) return NewSigningKey(existing);
  }
  return key;
}

// The file's text, nullopt when it does not exist, or why it is refused.
Result<std::optional<std::string>> ReadKeyFile(const fs::path& path) {
  // O_NOFOLLOW: a symbolic link planted in the data directory must not redirect us.
  FileDescriptor file(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (file.get() < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    if (errno == ELOOP) return Malformed(path, "is a symbolic link; it must be a regular file");
    return SystemError(path, "open", errno);
  }
  struct stat info {};
  if (::fstat(file.get(), &info) != 0) return SystemError(path, "inspect", errno);
  if (!S_ISREG(info.st_mode)) return Malformed(path, "is not a regular file");
  if ((info.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
    return Malformed(path, std::string("is accessible to group or others (mode ") + mode +
                               "); it holds secret keys, so only its owner may read it "
                               "(chmod 600)");
  }
  if (static_cast<size_t>(info.st_size) > kMaxKeyFileBytes) {
    return Malformed(path, "is too large to be a key file");
  }
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t count = ::read(file.get(), buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) return SystemError(path, "read", errno);
    if (count == 0) break;
    text.append(buffer, static_cast<size_t>(count));
    if (text.size() > kMaxKeyFileBytes) return Malformed(path, "is too large to be a key file");
  }
  sodium_memzero(buffer, sizeof buffer);
  return std::optional<std::string>(std::move(text));
}

// A 32-byte key from a base64url field; the messages name the field, never its value.
std::optional<std::string> DecodeKey(const json::value* field) {
  if (field == nullptr || !field->is_string()) return std::nullopt;
  const json::string& text = field->get_string();
  std::optional<std::string> key = Base64UrlDecode({text.data(), text.size()});
  if (!key || key->size() != kKeyBytes) return std::nullopt;
  return key;
}

// `what` names the source in messages ("key file …", "the key secret").
Result<NodeKeys> ParseKeys(std::string_view what, std::string_view text) {
  boost::system::error_code ec;
  const json::value document = json::parse(text, ec);
  if (ec) return MalformedIn(what, "is not valid JSON");
  const json::object* root = document.if_object();
  if (root == nullptr) return MalformedIn(what, "must hold a JSON object");

  NodeKeys keys;
  const json::value* list = root->if_contains("signing_keys");
  if (list == nullptr || !list->is_array() || list->get_array().empty()) {
    return MalformedIn(what, "\"signing_keys\" must be a non-empty array");
  }
  std::set<std::string, std::less<>> kids;
  for (size_t i = 0; i < list->get_array().size(); ++i) {
    const std::string field = "\"signing_keys\"[" + std::to_string(i) + "]";
    const json::object* entry = list->get_array()[i].if_object();
    if (entry == nullptr) return MalformedIn(what, field + " must be an object");
    const json::value* kid = entry->if_contains("kid");
    if (kid == nullptr || !kid->is_string() ||
        !IsValidKid({kid->get_string().data(), kid->get_string().size()})) {
      return MalformedIn(what, field + ".kid must be 1 to 64 of A-Z a-z 0-9 - _ .");
    }
    std::string kid_text(kid->get_string().data(), kid->get_string().size());
    if (!kids.insert(kid_text).second) return MalformedIn(what, field + ".kid is used twice");
    std::optional<std::string> seed = DecodeKey(entry->if_contains("seed"));
    if (!seed) return MalformedIn(what, field + ".seed must be 32 bytes in unpadded base64url");
    keys.signing_keys.push_back({std::move(kid_text), std::move(*seed)});
  }
  std::optional<std::string> data_key = DecodeKey(root->if_contains("data_key"));
  if (!data_key) return MalformedIn(what, "\"data_key\" must be 32 bytes in unpadded base64url");
  keys.data_key = std::move(*data_key);
  return keys;
}

std::string SerializeKeys(const NodeKeys& keys) {
  json::array list;
  for (const SigningKey& key : keys.signing_keys) {
    list.push_back(json::object{{"kid", key.kid}, {"seed", Base64UrlEncode(key.seed)}});
  }
  json::object root{{"signing_keys", std::move(list)},
                    {"data_key", Base64UrlEncode(keys.data_key)}};
  return json::serialize(root) + "\n";
}

// Writes `text` to a new file at `path` (O_EXCL: never an existing one) with mode 0600 and
// flushes it to disk.
Status WriteNewFile(const fs::path& path, std::string_view text) {
  FileDescriptor file(
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (file.get() < 0) return SystemError(path, "create", errno);
  while (!text.empty()) {
    const ssize_t count = ::write(file.get(), text.data(), text.size());
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) return SystemError(path, "write", errno);
    text.remove_prefix(static_cast<size_t>(count));
  }
  if (::fsync(file.get()) != 0) return SystemError(path, "flush", errno);
  if (!file.Close()) return SystemError(path, "close", errno);
  return Status::Ok();
}

// Makes a new or renamed directory entry durable.
Status SyncDirectory(const fs::path& path) {
  const fs::path directory = path.has_parent_path() ? path.parent_path() : fs::path(".");
  FileDescriptor dir(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0 || ::fsync(dir.get()) != 0)
    return SystemError(path, "sync the folder of", errno);
  return Status::Ok();
}

// A sibling of `path` to write into before linking or renaming it into place, so that `path` is
// only ever absent or complete, even if the process dies while writing.
fs::path TemporarySibling(const fs::path& path) {
  fs::path temporary = path;
  temporary += ".tmp-" + NewKid();
  return temporary;
}

// Creates `path` holding `keys` unless it exists: link() fails with EEXIST instead of replacing a
// file that another process created meanwhile. False when it already existed.
Result<bool> CreateKeyFile(const fs::path& path, const NodeKeys& keys) {
  const fs::path temporary = TemporarySibling(path);
  WipedString text(SerializeKeys(keys));
  if (Status written = WriteNewFile(temporary, text.get()); !written.ok()) {
    ::unlink(temporary.c_str());
    return std::move(written).error();
  }
  const bool linked = ::link(temporary.c_str(), path.c_str()) == 0;
  const int link_errno = errno;
  ::unlink(temporary.c_str());
  if (!linked && link_errno == EEXIST) return false;
  if (!linked) return SystemError(path, "create", link_errno);
  if (Status synced = SyncDirectory(path); !synced.ok()) return std::move(synced).error();
  return true;
}

// Replaces `path` atomically with a file holding `keys`.
Status ReplaceKeyFile(const fs::path& path, const NodeKeys& keys) {
  const fs::path temporary = TemporarySibling(path);
  WipedString text(SerializeKeys(keys));
  if (Status written = WriteNewFile(temporary, text.get()); !written.ok()) {
    ::unlink(temporary.c_str());
    return written;
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int rename_errno = errno;
    ::unlink(temporary.c_str());
    return SystemError(path, "replace", rename_errno);
  }
  return SyncDirectory(path);
}

Result<std::optional<NodeKeys>> LoadKeys(const fs::path& path) {
  Result<std::optional<std::string>> text = ReadKeyFile(path);
  if (!text.ok()) return std::move(text).error();
  if (!text->has_value()) return std::optional<NodeKeys>();
  WipedString wiped(std::move(**text));
  Result<NodeKeys> keys = ParseKeys(Named(path), wiped.get());
  if (!keys.ok()) return std::move(keys).error();
  return std::optional<NodeKeys>(std::move(keys).value());
}

}  // namespace

Result<NodeKeys> LoadOrCreateNodeKeys(const fs::path& path) {
  Result<std::optional<NodeKeys>> existing = LoadKeys(path);
  if (!existing.ok()) return std::move(existing).error();
  if (existing->has_value()) return std::move(**existing);

  NodeKeys keys;
  keys.signing_keys.push_back(NewSigningKey(keys));
  keys.data_key = RandomBytes(kKeyBytes);
  Result<bool> created = CreateKeyFile(path, keys);
  if (!created.ok()) return std::move(created).error();
  if (*created) return keys;
  // Another process created the file between our read and our link: use its keys.
  existing = LoadKeys(path);
  if (!existing.ok()) return std::move(existing).error();
  if (!existing->has_value()) return Error::Internal(Named(path) + " vanished while starting");
  return std::move(**existing);
}

Result<NodeKeys> RotateSigningKey(const fs::path& path) {
  Result<std::optional<NodeKeys>> existing = LoadKeys(path);
  if (!existing.ok()) return std::move(existing).error();
  if (!existing->has_value()) return Error::NotFound(Named(path) + " does not exist");
  NodeKeys keys = std::move(**existing);
  keys.signing_keys.insert(keys.signing_keys.begin(), NewSigningKey(keys));
  if (Status replaced = ReplaceKeyFile(path, keys); !replaced.ok()) {
    return std::move(replaced).error();
  }
  return keys;
}

Result<NodeKeys> ParseKeySecret(std::string_view text) {
  constexpr std::string_view kWhat = "the key secret";
  const std::string_view trimmed = TrimWhitespace(text);
  if (!trimmed.empty() && trimmed.front() == '{') return ParseKeys(kWhat, trimmed);
  if (trimmed.size() < kMinKeyPassphraseBytes) {
    return MalformedIn(kWhat, "must be a key ring (a JSON object) or a passphrase of at least " +
                                  std::to_string(kMinKeyPassphraseBytes) + " characters");
  }
  EnsureSodiumInitialized();
  // One master key from the passphrase, then a subkey for each use, so that neither key says
  // anything about the other.
  unsigned char master[crypto_kdf_KEYBYTES];
  crypto_generichash(master, sizeof master, reinterpret_cast<const unsigned char*>(trimmed.data()),
                     trimmed.size(), nullptr, 0);
  const auto subkey = [&master](uint64_t id) {
    std::string key(kKeyBytes, '\0');
    crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(key.data()), key.size(), id,
                               "practica", master);
    return key;
  };
  NodeKeys keys;
  keys.signing_keys.push_back({std::string(kPassphraseKid), subkey(1)});
  keys.data_key = subkey(2);
  sodium_memzero(master, sizeof master);
  return keys;
}

std::string FormatNodeKeys(const NodeKeys& keys) { return SerializeKeys(keys); }

void AddSigningKey(NodeKeys& keys, bool signing) {
  const auto position = keys.signing_keys.begin() + (signing ? 0 : 1);
  keys.signing_keys.insert(position, NewSigningKey(keys));
}

Status PromoteSigningKey(NodeKeys& keys) {
  if (keys.signing_keys.size() < 2) {
    return Error::Invalid("the key ring holds one key: there is none to promote");
  }
  std::swap(keys.signing_keys[0], keys.signing_keys[1]);
  return Status::Ok();
}

}  // namespace practica::auth
