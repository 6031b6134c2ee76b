#include "store/postgres/migrations.h"

#include <array>
#include <memory>
#include <optional>
#include <pqxx/transaction>
#include <utility>

#include "store/postgres/connect.h"
#include "store/postgres/postgres_error.h"
#include "store/postgres/schema.h"

namespace practica::store::postgres {
namespace {

// Version 1: accounts (store/postgres/postgres_user_store.h says how they are used; docs/DATA.md
// why they look like this). The tables mirror the SQLite adapter's, in PostgreSQL's types:
//   users            one row per account; email_normalized (domain::NormalizeEmail) is UNIQUE, and
//                    its index serves sign-in lookups and the keyset order of the admin list.
//   session_families one row per sign-in; `revoked` is never cleared. Its row is the lock that
//                    serialises the rotations of the family's tokens.
//   refresh_tokens   every token a family has had; used_at is NULL for the family's current one.
//   recovery_codes   one row per unused code hash.
// Ids, hashes and the normalised email are COLLATE "C": they are compared byte by byte, as every
// other adapter compares them (the admin list's order and cursors depend on it), and their indexes
// do not depend on the operating system's collation rules, whose changes corrupt text indexes.
// Times are Unix seconds (bigint), as the port passes them. Deleting a user cascades to its
// families, their tokens and its recovery codes; every foreign key leads an index.
constexpr std::string_view kUserTables = R"sql(
CREATE TABLE users (
  id text COLLATE "C" PRIMARY KEY,
  email text NOT NULL,
  email_normalized text COLLATE "C" NOT NULL UNIQUE,
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('learner', 'instructor', 'admin')),
  time_zone text NOT NULL,
  password_hash text NOT NULL,
  created_at bigint NOT NULL,
  last_login_at bigint NOT NULL DEFAULT 0,
  disabled boolean NOT NULL DEFAULT false,
  totp_secret text NOT NULL DEFAULT '',
  totp_pending_secret text NOT NULL DEFAULT '',
  totp_last_step bigint NOT NULL DEFAULT 0
);

CREATE TABLE session_families (
  family_id text COLLATE "C" PRIMARY KEY,
  user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at bigint NOT NULL,
  last_used_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  mfa boolean NOT NULL,
  user_agent text NOT NULL,
  revoked boolean NOT NULL DEFAULT false
);
CREATE INDEX session_families_by_user ON session_families (user_id, created_at);

CREATE TABLE refresh_tokens (
  token_hash text COLLATE "C" PRIMARY KEY,
  family_id text COLLATE "C" NOT NULL REFERENCES session_families (family_id) ON DELETE CASCADE,
  issued_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  used_at bigint
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);

CREATE TABLE recovery_codes (
  user_id text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash text COLLATE "C" NOT NULL,
  PRIMARY KEY (user_id, code_hash)
);
)sql";

constexpr std::array kMigrations = {
    Migration{1, "user tables", kUserTables},
};

// Every migration transaction starts here. The lock is per schema (its oid) and ends with the
// transaction; 1886545251 is "prac" in ASCII, a class of advisory locks no one else should use.
// client_min_messages hides the NOTICE that CREATE TABLE IF NOT EXISTS gives for an existing table.
constexpr std::string_view kBeginMigration = R"sql(
SET LOCAL client_min_messages = warning;
SELECT pg_advisory_xact_lock(1886545251,
  (SELECT oid::integer FROM pg_namespace WHERE nspname = current_schema()));
CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
)sql";

constexpr std::string_view kRecordMigration =
    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)";

Result<MigrationReport> Migrate(pqxx::connection_base& connection,
                                std::span<const Migration> migrations,
                                const std::string& connection_string) {
  const int latest = static_cast<int>(migrations.size());
  std::string context = "reading the schema version";
  try {
    std::optional<MigrationReport> report;
    while (true) {
      pqxx::work transaction(connection);
      transaction.exec(std::string(kBeginMigration));
      const int current = SchemaVersion(transaction);
      if (!report) report = MigrationReport{current, current};
      report->to_version = current;
      if (current > latest) return NewerSchema(current, latest);
      if (current == latest) {
        transaction.commit();  // nothing left to apply
        return *report;
      }
      const Migration& migration = migrations[current];
      context = "migration " + std::to_string(migration.version) + " (" +
                std::string(migration.name) + ")";
      transaction.exec(std::string(migration.sql));
      transaction.exec_params(std::string(kRecordMigration), migration.version,
                              std::string(migration.name));
      transaction.commit();
    }
  } catch (const std::exception& error) {
    return MapPostgresError(error, context, connection_string);
  }
}

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

int LatestSchemaVersion() { return kMigrations.back().version; }

Result<MigrationReport> MigratePostgres(const std::string& connection_string) {
  return MigratePostgres(connection_string, Migrations());
}

Result<MigrationReport> MigratePostgres(const std::string& connection_string,
                                        std::span<const Migration> migrations) {
  if (Status s = CheckMigrationList(migrations); !s.ok()) return std::move(s).error();
  Result<std::unique_ptr<Connection>> connection = Connect(connection_string, {});
  if (!connection.ok()) return std::move(connection).error();
  return Migrate(**connection, migrations, connection_string);
}

}  // namespace practica::store::postgres
