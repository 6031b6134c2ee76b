// The schema of Practica's SQLite file, as an ordered list of migrations kept in code.
//
// The file's schema version is PRAGMA user_version: 0 for a new file, N once migrations 1..N have
// been applied. One file holds every SQLite-backed store (DESIGN.md "Data"), so there is ONE list
// for the whole file; a store that needs tables appends a migration here, and never edits one
// that has shipped.
//
// Guarantees of Migrate:
//   - each migration runs in its own IMMEDIATE transaction together with the user_version bump,
//     so a failed migration leaves the file at the previous version with nothing half-applied;
//   - idempotent: at the latest version it does nothing; two processes migrating the same file
//     at once are safe (each re-reads the version under the write lock);
//   - a file whose version is NEWER than this build knows is refused with kConflict and a message
//     that says so, and nothing is touched: an older binary must not write a newer schema.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <span>
#include <string_view>

#include "common/error.h"
#include "store/migration.h"
#include "store/sqlite/database.h"

namespace practica::store::sqlite {

using store::Migration;        // store/migration.h
using store::MigrationReport;  // store/migration.h

// Practica's migrations, oldest first.
std::span<const Migration> Migrations();

// The newest schema version this build knows (Migrations().back().version).
int LatestSchemaVersion();

// Brings `database` to the newest version of `migrations` (default: Practica's list).
// REQUIRES: no transaction is open on `database`.
Result<MigrationReport> Migrate(Database& database);
Result<MigrationReport> Migrate(Database& database, std::span<const Migration> migrations);

// The entry point for `practica migrate`: opens (creating if needed) the file, migrates it and
// closes it. The directory must exist.
Result<MigrationReport> MigrateFile(const std::filesystem::path& db_file);

// The writer connection every SQLite store opens first: the file opened (created if needed) with
// `busy_timeout`, and migrated to the newest schema.
Result<std::unique_ptr<Database>> OpenMigratedWriter(const std::filesystem::path& db_file,
                                                     std::chrono::milliseconds busy_timeout);

}  // namespace practica::store::sqlite
