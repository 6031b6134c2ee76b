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

// Version 2: analytics events (store/postgres/postgres_analytics_store.h says how they are used;
// docs/DATA.md why they look like this, and what bench/analytics.sh measured).
//   attempt_events         one row per graded attempt (event_id = the attempt id); time_taken_ms is
//                          NULL when not known.
//   activity_events        sign-ups, logins, enrolments and lesson views; course and lesson are ''
//                          where the kind has none.
// Three rollups that Record keeps in the same transaction, from the events that were new (so a
// replayed event changes none), because the queries cannot afford to read every attempt of a
// big course's year (a million attempts, 40% of them in one course: docs/PERFORMANCE.md):
//   learner_days           who did anything in which course on which epoch day: the active
//                          learners and the retention cohorts (a tenth of the events' rows);
//   learner_exercise_days  per learner, exercise and epoch day: whether an attempt was correct,
//                          and the count and score sum of attempts number 1. Learners per
//                          exercise, the first attempts' coupling to the rest of the course (each
//                          learner's total), the funnel and the completions: one index-only pass
//                          over its primary key, in learner order, which holds the counters
//                          (INCLUDE), without a sort;
//   exercise_days          per exercise and epoch day, what adds up: attempts, attempts with a
//                          known time, and the first attempts' count, sum and sum of squares.
// The raw attempts keep an index for the median time (in time order) and one for the wrong
// answers; the *_by_user indexes serve ForgetLearner.
// Ids, courses, lessons, exercises and answers are COLLATE "C", as in version 1: compared byte by
// byte (the most common wrong answers tie by answer in byte order, as in every adapter), and
// indexed independently of the operating system's collation. Times are Unix seconds (bigint).
// analytics_day, analytics_week and analytics_month turn seconds into epoch days and days into
// the first day of their week (Monday) or month, in UTC; SQL functions of one expression, which
// the planner inlines.
constexpr std::string_view kAnalyticsTables = R"sql(
CREATE TABLE attempt_events (
  event_id text COLLATE "C" PRIMARY KEY,
  user_id text COLLATE "C" NOT NULL,
  course text COLLATE "C" NOT NULL,
  lesson text COLLATE "C" NOT NULL,
  exercise text COLLATE "C" NOT NULL,
  exercise_version text COLLATE "C" NOT NULL,
  attempt_number integer NOT NULL,
  score double precision NOT NULL CHECK (score >= 0 AND score <= 1),
  correct boolean NOT NULL,
  answer text COLLATE "C" NOT NULL,
  time_taken_ms bigint,
  occurred_at bigint NOT NULL
);
CREATE INDEX attempt_events_by_user ON attempt_events (user_id);
CREATE INDEX attempt_events_times ON attempt_events (course, exercise, time_taken_ms)
  INCLUDE (occurred_at) WHERE time_taken_ms IS NOT NULL;
CREATE INDEX attempt_events_wrong_answers ON attempt_events (course, exercise, answer)
  INCLUDE (occurred_at) WHERE NOT correct AND answer <> '';

CREATE TABLE activity_events (
  event_id text COLLATE "C" PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('signup', 'login', 'enrolment', 'lesson_view')),
  user_id text COLLATE "C" NOT NULL,
  course text COLLATE "C" NOT NULL,
  lesson text COLLATE "C" NOT NULL,
  occurred_at bigint NOT NULL
);
CREATE INDEX activity_events_by_user ON activity_events (user_id);
CREATE INDEX activity_events_lesson_views ON activity_events (course, lesson, user_id)
  INCLUDE (occurred_at) WHERE kind = 'lesson_view';
CREATE INDEX activity_events_signups ON activity_events (user_id) INCLUDE (occurred_at)
  WHERE kind = 'signup';

CREATE TABLE learner_days (
  course text COLLATE "C" NOT NULL,
  day bigint NOT NULL,
  user_id text COLLATE "C" NOT NULL,
  PRIMARY KEY (course, day, user_id)
);
CREATE INDEX learner_days_by_user ON learner_days (user_id);

CREATE TABLE learner_exercise_days (
  course text COLLATE "C" NOT NULL,
  user_id text COLLATE "C" NOT NULL,
  exercise text COLLATE "C" NOT NULL,
  day bigint NOT NULL,
  solved boolean NOT NULL,
  first_attempts bigint NOT NULL,
  first_scores double precision NOT NULL,
  PRIMARY KEY (course, user_id, exercise, day) INCLUDE (solved, first_attempts, first_scores)
);
CREATE INDEX learner_exercise_days_by_user ON learner_exercise_days (user_id);
-- One row per learner and exercise, mostly: without this the planner takes the (user_id,
-- exercise) groups for a few and hashes the whole table instead of reading the course's rows in
-- key order.
CREATE STATISTICS learner_exercise_days_pairs (ndistinct)
  ON course, user_id, exercise FROM learner_exercise_days;

CREATE TABLE exercise_days (
  course text COLLATE "C" NOT NULL,
  exercise text COLLATE "C" NOT NULL,
  day bigint NOT NULL,
  attempts bigint NOT NULL,
  timed bigint NOT NULL,
  first_attempts bigint NOT NULL,
  first_scores double precision NOT NULL,
  first_squares double precision NOT NULL,
  PRIMARY KEY (course, exercise, day)
);

CREATE FUNCTION analytics_day(seconds bigint) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (seconds - ((seconds % 86400) + 86400) % 86400) / 86400;
CREATE FUNCTION analytics_week(day bigint) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN day - ((day + 3) % 7 + 7) % 7;
CREATE FUNCTION analytics_month(day bigint) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN day + 1 - extract(day FROM date '1970-01-01' + day::integer)::bigint;
)sql";

// Version 3: a course's attempt events in time order, for PostgresAnalyticsStore::
// ListAttemptEvents (pages that start after the previous page's last event: a range read of this
// index from that event's time, the events of one second then put in event_id order). Without
// event_id the index is half the size (40 MB for the bench's million attempts, built at once) and
// cheaper for Record to keep. Building it reads attempt_events once and blocks writes to it
// meanwhile (a deploy step, like every migration).
constexpr std::string_view kAttemptListing = R"sql(
CREATE INDEX attempt_events_by_course ON attempt_events (course, occurred_at);
)sql";

// Version 4: integer ids in the rollups the slowest queries read (docs/PERFORMANCE.md,
// "Analytics": ItemStatistics and Funnel over a year of a big course). Comparing, hashing and
// carrying a text learner id in every row of learner_exercise_days cost a third of those queries;
// an integer costs a fraction of that. Record assigns the ids (postgres_analytics_store.cc):
//   analytics_courses      one row per course with attempts: its id, and how many exercise
//                          numbers it has handed out (the next exercise gets that number);
//   analytics_exercises    an exercise's number in its course: 0, 1, 2, … in order of first
//                          attempt (a gap only where two batches numbered the same new exercise
//                          at once), so a learner's exercises fit a short bit string;
//   analytics_learners     a learner's id. ForgetLearner rewrites the row's user_id to the
//                          anonymous id it gives the learner's events, so the rollups keep the
//                          integer and nothing in them leads back to the account.
// learner_exercise_days and exercise_days are rebuilt with (course_id, learner, exercise, day)
// integers from the version 2 tables, and wrong_answer_days replaces the wrong-answer index on
// attempt_events: per exercise, day and answer, how many incorrect attempts gave it (the most
// common wrong answers read a third of the rows; ForgetLearner subtracts the answers it drops).
// No foreign keys, as in version 2: a check per inserted row would cost Record more than the
// guarantee is worth for tables that only Record writes.
constexpr std::string_view kAnalyticsIds = R"sql(
CREATE TABLE analytics_courses (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  course text COLLATE "C" NOT NULL UNIQUE,
  exercises integer NOT NULL
);
CREATE TABLE analytics_exercises (
  course_id integer NOT NULL,
  exercise text COLLATE "C" NOT NULL,
  number integer NOT NULL,
  PRIMARY KEY (course_id, exercise),
  UNIQUE (course_id, number)
);
CREATE TABLE analytics_learners (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id text COLLATE "C" NOT NULL UNIQUE
);

INSERT INTO analytics_courses (course, exercises)
SELECT course, count(DISTINCT exercise) FROM exercise_days GROUP BY course ORDER BY course;
INSERT INTO analytics_exercises (course_id, exercise, number)
SELECT k.id, e.exercise, row_number() OVER (PARTITION BY k.id ORDER BY e.exercise) - 1
FROM (SELECT DISTINCT course, exercise FROM exercise_days) e JOIN analytics_courses k USING (course);
INSERT INTO analytics_learners (user_id)
SELECT DISTINCT user_id FROM learner_exercise_days ORDER BY user_id;

ALTER TABLE learner_exercise_days RENAME TO learner_exercise_days_2;
ALTER INDEX learner_exercise_days_pkey RENAME TO learner_exercise_days_2_pkey;
DROP INDEX learner_exercise_days_by_user;
DROP STATISTICS learner_exercise_days_pairs;
CREATE TABLE learner_exercise_days (
  course_id integer NOT NULL,
  learner integer NOT NULL,
  exercise integer NOT NULL,
  day integer NOT NULL,
  solved boolean NOT NULL,
  first_attempts integer NOT NULL,
  first_scores double precision NOT NULL,
  PRIMARY KEY (course_id, learner, exercise, day) INCLUDE (solved, first_attempts, first_scores)
);
-- One row per learner and exercise, mostly: without this the planner takes the (learner,
-- exercise) groups for a few and hashes the whole table instead of reading the course's rows in
-- key order.
CREATE STATISTICS learner_exercise_days_pairs (ndistinct)
  ON course_id, learner, exercise FROM learner_exercise_days;
INSERT INTO learner_exercise_days
SELECT e.course_id, l.id, e.number, o.day, o.solved, o.first_attempts, o.first_scores
FROM learner_exercise_days_2 o
JOIN analytics_courses k ON k.course = o.course
JOIN analytics_exercises e ON e.course_id = k.id AND e.exercise = o.exercise
JOIN analytics_learners l ON l.user_id = o.user_id
ORDER BY 1, 2, 3, 4;
DROP TABLE learner_exercise_days_2;

ALTER TABLE exercise_days RENAME TO exercise_days_2;
ALTER INDEX exercise_days_pkey RENAME TO exercise_days_2_pkey;
CREATE TABLE exercise_days (
  course_id integer NOT NULL,
  exercise integer NOT NULL,
  day integer NOT NULL,
  attempts bigint NOT NULL,
  timed bigint NOT NULL,
  first_attempts bigint NOT NULL,
  first_scores double precision NOT NULL,
  first_squares double precision NOT NULL,
  PRIMARY KEY (course_id, exercise, day)
);
INSERT INTO exercise_days
SELECT e.course_id, e.number, o.day, o.attempts, o.timed, o.first_attempts, o.first_scores,
  o.first_squares
FROM exercise_days_2 o
JOIN analytics_courses k ON k.course = o.course
JOIN analytics_exercises e ON e.course_id = k.id AND e.exercise = o.exercise
ORDER BY 1, 2, 3;
DROP TABLE exercise_days_2;

CREATE TABLE wrong_answer_days (
  course_id integer NOT NULL,
  exercise integer NOT NULL,
  day integer NOT NULL,
  answer text COLLATE "C" NOT NULL,
  wrong bigint NOT NULL,
  PRIMARY KEY (course_id, exercise, day, answer) INCLUDE (wrong)
);
INSERT INTO wrong_answer_days
SELECT e.course_id, e.number, analytics_day(a.occurred_at), a.answer, count(*)
FROM attempt_events a
JOIN analytics_courses k ON k.course = a.course
JOIN analytics_exercises e ON e.course_id = k.id AND e.exercise = a.exercise
WHERE NOT a.correct AND a.answer <> ''
GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
DROP INDEX attempt_events_wrong_answers;

ANALYZE analytics_courses, analytics_exercises, analytics_learners, learner_exercise_days,
  exercise_days, wrong_answer_days;
)sql";

constexpr std::array kMigrations = {
    Migration{1, "user tables", kUserTables},
    Migration{2, "analytics events", kAnalyticsTables},
    Migration{3, "attempt listing", kAttemptListing},
    Migration{4, "analytics integer ids", kAnalyticsIds},
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
