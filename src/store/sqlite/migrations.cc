#include "store/sqlite/migrations.h"

#include <array>
#include <string>
#include <utility>

namespace practica::store::sqlite {
namespace {

// Version 1: content. Tables are STRICT so a wrongly typed bind fails instead of being stored.
// Positions keep the author's order; slugs are the public ids (exercises.slug is Exercise::id).
// lessons/exercises reference their course with ON DELETE CASCADE, so deleting a course row
// deletes its content. Definitions and lesson bodies are exercise_codec JSON.
constexpr std::string_view kContentTables = R"sql(
CREATE TABLE content_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
) STRICT;
INSERT INTO content_version (id, version) VALUES (1, 0);

CREATE TABLE courses (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  language TEXT NOT NULL,
  tags TEXT NOT NULL
) STRICT;

CREATE TABLE lessons (
  id INTEGER PRIMARY KEY,
  course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  slug TEXT NOT NULL,
  title TEXT NOT NULL,
  file_name TEXT NOT NULL,
  blocks TEXT NOT NULL,
  UNIQUE (course_id, slug),
  UNIQUE (course_id, position)
) STRICT;

CREATE TABLE exercises (
  id INTEGER PRIMARY KEY,
  course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
  lesson_id INTEGER NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  slug TEXT NOT NULL,
  type TEXT NOT NULL,
  definition TEXT NOT NULL,
  UNIQUE (course_id, slug),
  UNIQUE (lesson_id, position)
) STRICT;
)sql";

constexpr std::array kMigrations = {
    Migration{1, "content tables", kContentTables},
};

Result<int> UserVersion(Database& database) {
  Result<int64_t> version = database.PragmaInt("user_version");
  if (!version.ok()) return std::move(version).error();
  return static_cast<int>(*version);
}

Error TooNew(const Database& database, int version, int latest) {
  return Error::Conflict("database " + database.file().string() + " has schema version " +
                         std::to_string(version) + ", newer than this build of practica knows (" +
                         std::to_string(latest) +
                         "); run a newer practica, or point it at another data directory");
}

Status CheckList(std::span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return Error::Internal("migration versions must be 1, 2, 3, … without gaps; found " +
                             std::to_string(migrations[i].version) + " at position " +
                             std::to_string(i + 1));
    }
  }
  return Status::Ok();
}

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

int LatestSchemaVersion() { return kMigrations.back().version; }

Result<MigrationReport> Migrate(Database& database) { return Migrate(database, Migrations()); }

Result<MigrationReport> Migrate(Database& database, std::span<const Migration> migrations) {
  if (Status s = CheckList(migrations); !s.ok()) return std::move(s).error();
  const int latest = static_cast<int>(migrations.size());
  Result<int> start = UserVersion(database);
  if (!start.ok()) return std::move(start).error();
  if (*start > latest) return TooNew(database, *start, latest);

  MigrationReport report{*start, *start};
  for (const Migration& migration : migrations) {
    if (migration.version <= report.to_version) continue;
    Result<Transaction> transaction = database.Begin(TransactionMode::kImmediate);
    if (!transaction.ok()) return std::move(transaction).error();
    // Another process may have migrated between our read and taking the write lock.
    Result<int> current = UserVersion(database);
    if (!current.ok()) return std::move(current).error();
    if (*current > latest) return TooNew(database, *current, latest);
    if (*current >= migration.version) {
      report.to_version = *current;
      continue;  // the transaction rolls back: it changed nothing
    }
    const std::string context =
        "migration " + std::to_string(migration.version) + " (" + std::string(migration.name) + ")";
    if (Status s = database.Execute(migration.sql); !s.ok()) {
      return Error{s.error().code, context + ": " + s.error().message, {}};
    }
    // PRAGMA values cannot be bound; the version is an int from this file, not data.
    if (Status s = database.Execute("PRAGMA user_version = " + std::to_string(migration.version));
        !s.ok()) {
      return Error{s.error().code, context + ": " + s.error().message, {}};
    }
    if (Status s = transaction->Commit(); !s.ok()) {
      return Error{s.error().code, context + ": " + s.error().message, {}};
    }
    report.to_version = migration.version;
  }
  return report;
}

Result<MigrationReport> MigrateFile(const std::filesystem::path& db_file) {
  Result<std::unique_ptr<Database>> database = Database::Open(db_file);
  if (!database.ok()) return std::move(database).error();
  return Migrate(**database);
}

}  // namespace practica::store::sqlite
