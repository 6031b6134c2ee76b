// Secrets Manager: the one call practica needs, GetSecretValue, and the secrets it reads.
//
// The PostgreSQL credentials (PRACTICA_USER_STORE=postgres:secret:ID) are an RDS secret: the JSON
// that RDS and Secrets Manager's rotation functions keep, {"username", "password", "host",
// "port", "dbname", "engine", ...}. CachedSecret keeps the last value read and reads it again when
// asked to (after the database refused the password: the secret was rotated), at most once per
// `min_refresh` so a wrong password cannot turn every request into a Secrets Manager call.
//
// No Error or log line ever contains a secret's value; errors name the secret id only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "aws/dynamodb.h"  // Reply, Transport: the JSON protocol's signed call
#include "common/error.h"

namespace practica::aws {

class SecretsManager {
 public:
  // `transport` sends "secretsmanager.GetSecretValue" as application/x-amz-json-1.1.
  explicit SecretsManager(dynamodb::Transport transport) : transport_(std::move(transport)) {}

  // The SecretString of the secret's version that holds `version_stage` (empty: AWSCURRENT).
  // kNotFound for an unknown secret or a stage no version holds (AWSPENDING outside a rotation);
  // kUnavailable when Secrets Manager cannot be reached or refuses (access, signature).
  Result<std::string> GetSecretString(std::string_view secret_id,
                                      std::string_view version_stage = {});

 private:
  dynamodb::Transport transport_;
};

// The fields of an RDS database secret that a connection needs.
struct DatabaseSecret {
  std::string username;
  std::string password;
  std::string host;
  int port = 5432;
  std::string dbname;
};

// kInvalid (naming the field, never its value) unless `json` is an object with string username,
// password and host; port may be a number or a numeric string (5432 when absent); dbname is
// optional ("postgres" when absent, as RDS does).
Result<DatabaseSecret> ParseDatabaseSecret(std::string_view json);

// postgresql://USER:PASSWORD@HOST:PORT/DBNAME with every part percent-encoded.
std::string PostgresUrl(const DatabaseSecret& secret);

// A secret read once and kept, read again on request. Thread-safe.
class CachedSecret {
 public:
  using Fetch = std::function<Result<std::string>()>;
  using Now = std::function<std::chrono::steady_clock::time_point()>;

  explicit CachedSecret(Fetch fetch,
                        std::chrono::milliseconds min_refresh = std::chrono::seconds(30),
                        Now now = std::chrono::steady_clock::now);

  // The cached value, fetched on first use.
  Result<std::string> Get();
  // Fetches again (a rotation is suspected) unless the last fetch was less than min_refresh ago;
  // returns the value to use now.
  Result<std::string> Refresh();

 private:
  Result<std::string> FetchLocked();

  Fetch fetch_;
  std::chrono::milliseconds min_refresh_;
  Now now_;
  std::mutex mutex_;
  std::optional<std::string> value_;
  std::optional<std::chrono::steady_clock::time_point> fetched_at_;
};

}  // namespace practica::aws
