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

// Version 2: accounts (store/sqlite/sqlite_user_store.h says how they are used).
//   users            one row per account. email_normalized (domain::NormalizeEmail) is UNIQUE, and
//                    its index serves sign-in lookups and the keyset order of the admin list.
//                    Second factor: totp_secret (sealed; '' = off), totp_pending_secret (sealed,
//                    being enrolled), totp_last_step (the replay guard).
//   session_families one row per sign-in: who, when, the user agent, whether it passed a second
//                    factor, and `revoked`, which is never cleared.
//   refresh_tokens   every token a family has had: its hash, expiry and used_at (NULL for the
//                    family's current token). A token reaches its user through its family, so
//                    the user is recorded once and cannot disagree.
//   recovery_codes   one row per unused code hash.
// Deleting a user cascades to families, their tokens and the recovery codes. Every foreign key
// is the first column of an index, so cascades and per-user lookups never scan a table.
constexpr std::string_view kUserTables = R"sql(
CREATE TABLE users (
  id TEXT NOT NULL PRIMARY KEY,
  email TEXT NOT NULL,
  email_normalized TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('learner', 'instructor', 'admin')),
  time_zone TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_login_at INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  totp_secret TEXT NOT NULL DEFAULT '',
  totp_pending_secret TEXT NOT NULL DEFAULT '',
  totp_last_step INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE session_families (
  family_id TEXT NOT NULL PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  mfa INTEGER NOT NULL CHECK (mfa IN (0, 1)),
  user_agent TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
) STRICT;
CREATE INDEX session_families_by_user ON session_families (user_id, created_at);

CREATE TABLE refresh_tokens (
  token_hash TEXT NOT NULL PRIMARY KEY,
  family_id TEXT NOT NULL REFERENCES session_families (family_id) ON DELETE CASCADE,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
) STRICT;
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);

CREATE TABLE recovery_codes (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  PRIMARY KEY (user_id, code_hash)
) STRICT, WITHOUT ROWID;
)sql";

// Version 3: learners' progress (store/sqlite/sqlite_progress_store.h says how it is written).
//   exercise_progress one row per learner and touched exercise: attempts, best score, solved,
//                     hints used, and the FSRS review card (has_card = 0: none yet, the card
//                     columns are then 0). Its index serves DueCards in due order.
//   attempts          every graded attempt, as the caller planned it; the answer as JSON.
//   learner_totals    XP and the daily streak.
//   idempotency_keys  the stored 201 body of each attempt submitted with an Idempotency-Key, and
//                     the hash of its request; created_at (the attempt's time) ages keys out.
// No foreign key points at users: the progress and user stores are separate ports (a later
// deployment keeps progress in DynamoDB and users in PostgreSQL), so deleting a learner's
// progress is ProgressStore::DeleteLearner's job. Every per-learner lookup and delete starts
// with user_id on an index.
constexpr std::string_view kProgressTables = R"sql(
CREATE TABLE exercise_progress (
  user_id TEXT NOT NULL,
  course TEXT NOT NULL,
  exercise TEXT NOT NULL,
  lesson TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  best_score REAL NOT NULL DEFAULT 0,
  solved INTEGER NOT NULL DEFAULT 0 CHECK (solved IN (0, 1)),
  hints_used INTEGER NOT NULL DEFAULT 0,
  has_card INTEGER NOT NULL DEFAULT 0 CHECK (has_card IN (0, 1)),
  stability REAL NOT NULL DEFAULT 0,
  difficulty REAL NOT NULL DEFAULT 0,
  due INTEGER NOT NULL DEFAULT 0,
  last_review INTEGER NOT NULL DEFAULT 0,
  reps INTEGER NOT NULL DEFAULT 0,
  lapses INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, course, exercise)
) STRICT, WITHOUT ROWID;
CREATE INDEX exercise_progress_due ON exercise_progress (user_id, has_card, due);

CREATE TABLE attempts (
  attempt_id TEXT NOT NULL PRIMARY KEY,
  user_id TEXT NOT NULL,
  course TEXT NOT NULL,
  lesson TEXT NOT NULL,
  exercise TEXT NOT NULL,
  attempt_number INTEGER NOT NULL,
  raw_score REAL NOT NULL,
  score REAL NOT NULL,
  correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
  answer_json TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX attempts_by_exercise ON attempts (user_id, course, exercise);

CREATE TABLE learner_totals (
  user_id TEXT NOT NULL PRIMARY KEY,
  xp INTEGER NOT NULL,
  streak_length INTEGER NOT NULL,
  streak_last_day INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE idempotency_keys (
  user_id TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  response_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
)sql";

// Version 4: an attempt and its idempotency key in one row. Version 3 wrote each keyed attempt
// into two tables whose keys start with user_id: every attempt of a batch dirtied a page of each
// (idempotency_keys and attempts_by_exercise), and WAL writes and checkpoints of those pages were
// most of a commit's cost. Now the attempt row carries the key, the request hash and the stored
// response; attempts_by_learner (user_id, idempotency_key) finds a key, and serves the per-learner
// reads that attempts_by_exercise served; attempts_replayable orders the rows that still hold a
// response by age, so ForgetIdempotencyKeys (which clears the three columns) reads no others.
// Keys stored by version 3 move into their attempt's row: the stored 201 body names its attempt.
constexpr std::string_view kAttemptKeys = R"sql(
ALTER TABLE attempts ADD COLUMN idempotency_key TEXT;
ALTER TABLE attempts ADD COLUMN request_hash TEXT;
ALTER TABLE attempts ADD COLUMN response_json TEXT;
UPDATE attempts SET idempotency_key = k.key, request_hash = k.request_hash,
  response_json = k.response_json
FROM idempotency_keys AS k
WHERE k.user_id = attempts.user_id
  AND json_valid(k.response_json) AND attempts.attempt_id = k.response_json ->> '$.attempt_id';
DROP TABLE idempotency_keys;
DROP INDEX attempts_by_exercise;
CREATE UNIQUE INDEX attempts_by_learner ON attempts (user_id, idempotency_key);
CREATE INDEX attempts_replayable ON attempts (created_at) WHERE response_json IS NOT NULL;
)sql";

// Version 5: what analytics needs of an attempt (store/analytics_store.h): the version of the
// exercise it answered (empty for older attempts) and the time the learner took (NULL: unknown).
constexpr std::string_view kAttemptAnalytics = R"sql(
ALTER TABLE attempts ADD COLUMN exercise_version TEXT NOT NULL DEFAULT '';
ALTER TABLE attempts ADD COLUMN time_taken_ms INTEGER;
)sql";

// Version 6: authoring (store/authoring_store.h; store/sqlite/sqlite_authoring_store.h says how
// it is used).
//   authored_courses   one row per course its authors manage: the draft (a whole course,
//                      exercise_codec.h EncodeCourse) and its revision, the newest and the live
//                      version (NULL: unpublished), and the draft revision last published.
//   course_owners      the owners' user ids; indexed by user for "my courses". No foreign key to
//                      users: a UserStore may live in another database (PostgreSQL).
//   course_versions    every published version's document, who published it, when and how.
//   exercise_versions  every exercise definition a version published, by its fingerprint.
// History is never rewritten: triggers refuse any UPDATE or DELETE of a version or exercise
// version, and the foreign keys (without cascade) refuse deleting a course that has history.
constexpr std::string_view kAuthoringTables = R"sql(
CREATE TABLE authored_courses (
  slug TEXT NOT NULL PRIMARY KEY,
  title TEXT NOT NULL,
  revision INTEGER NOT NULL CHECK (revision >= 1),
  draft TEXT NOT NULL,
  latest_version INTEGER NOT NULL DEFAULT 0,
  live_version INTEGER CHECK (live_version BETWEEN 1 AND latest_version),
  published_revision INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE course_owners (
  course TEXT NOT NULL REFERENCES authored_courses (slug) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  PRIMARY KEY (course, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX course_owners_by_user ON course_owners (user_id, course);

CREATE TABLE course_versions (
  course TEXT NOT NULL REFERENCES authored_courses (slug),
  version INTEGER NOT NULL CHECK (version >= 1),
  document TEXT NOT NULL,
  published_by TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  source TEXT NOT NULL,
  draft_revision INTEGER NOT NULL,
  title TEXT NOT NULL,
  lesson_count INTEGER NOT NULL,
  exercise_count INTEGER NOT NULL,
  PRIMARY KEY (course, version)
) STRICT;

CREATE TABLE exercise_versions (
  course TEXT NOT NULL REFERENCES authored_courses (slug),
  fingerprint TEXT NOT NULL,
  exercise TEXT NOT NULL,
  definition TEXT NOT NULL,
  first_version INTEGER NOT NULL,
  published_at INTEGER NOT NULL,
  PRIMARY KEY (course, fingerprint)
) STRICT;

CREATE TRIGGER course_versions_are_history BEFORE UPDATE ON course_versions
BEGIN SELECT RAISE(ABORT, 'published versions are never rewritten'); END;
CREATE TRIGGER course_versions_stay BEFORE DELETE ON course_versions
BEGIN SELECT RAISE(ABORT, 'published versions are never deleted'); END;
CREATE TRIGGER exercise_versions_are_history BEFORE UPDATE ON exercise_versions
BEGIN SELECT RAISE(ABORT, 'published exercise versions are never rewritten'); END;
CREATE TRIGGER exercise_versions_stay BEFORE DELETE ON exercise_versions
BEGIN SELECT RAISE(ABORT, 'published exercise versions are never deleted'); END;
)sql";

constexpr std::array kMigrations = {
    Migration{1, "content tables", kContentTables},
    Migration{2, "user tables", kUserTables},
    Migration{3, "progress tables", kProgressTables},
    Migration{4, "idempotency keys in the attempt row", kAttemptKeys},
    Migration{5, "exercise version and time taken of attempts", kAttemptAnalytics},
    Migration{6, "authoring: drafts, owners, versions", kAuthoringTables},
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

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

int LatestSchemaVersion() { return kMigrations.back().version; }

Result<MigrationReport> Migrate(Database& database) { return Migrate(database, Migrations()); }

Result<MigrationReport> Migrate(Database& database, std::span<const Migration> migrations) {
  if (Status s = CheckMigrationList(migrations); !s.ok()) return std::move(s).error();
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

Result<std::unique_ptr<Database>> OpenMigratedWriter(const std::filesystem::path& db_file,
                                                     std::chrono::milliseconds busy_timeout) {
  DatabaseOptions options;
  options.busy_timeout = busy_timeout;
  Result<std::unique_ptr<Database>> writer = Database::Open(db_file, options);
  if (!writer.ok()) return std::move(writer).error();
  Result<MigrationReport> migrated = Migrate(**writer);
  if (!migrated.ok()) return std::move(migrated).error();
  return writer;
}

}  // namespace practica::store::sqlite
