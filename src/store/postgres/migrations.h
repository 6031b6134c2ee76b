// The schema of Practica's PostgreSQL database, as an ordered list of migrations kept in code.
//
// The database's schema version is the highest `version` in its table schema_migrations (one row
// per applied migration, with its name and when it was applied); 0 when the table is missing.
// Tables live in the connection's current schema (the first of its search_path that exists), so
// one database can hold several independent Practica schemas (the tests use one per case).
// A store that needs tables appends a migration here, and never edits one that has shipped.
//
// Guarantees of MigratePostgres:
//   - each migration runs in its own transaction together with its schema_migrations row (DDL is
//     transactional in PostgreSQL), so a failed migration leaves the previous version with
//     nothing half-applied;
//   - every transaction first takes a transaction-scoped advisory lock for the schema, so two
//     processes migrating at once (two containers starting, a deploy job) apply each migration
//     exactly once: the second waits, then reads the version the first committed;
//   - idempotent: at the latest version it changes nothing;
//   - a database whose version is NEWER than this build knows is refused with kConflict and
//     nothing is touched: an older binary must not write a newer schema.
// The stores never migrate: PostgresUserStore::Open refuses a database that is not at exactly
// LatestSchemaVersion() (kConflict, saying to run `practica migrate`), so that a fleet of servers
// does not race to change a shared schema at start-up, and a deploy migrates in one step.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/error.h"
#include "store/migration.h"

namespace practica::store::postgres {

using store::Migration;        // store/migration.h
using store::MigrationReport;  // store/migration.h

// Practica's migrations, oldest first.
std::span<const Migration> Migrations();

// The newest schema version this build knows (Migrations().back().version).
int LatestSchemaVersion();

// The entry point for `practica migrate`: connects to `connection_string` (a postgresql:// URL or
// libpq key=value string), brings the database to the newest version of `migrations` (default:
// Practica's list) and disconnects. Errors: kUnavailable when the server cannot be reached,
// kConflict for a newer schema, kInternal for a migration the server rejects (the message names
// it); never the password.
Result<MigrationReport> MigratePostgres(const std::string& connection_string);
Result<MigrationReport> MigratePostgres(const std::string& connection_string,
                                        std::span<const Migration> migrations);

}  // namespace practica::store::postgres
