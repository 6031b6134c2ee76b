// AnalyticsStore on PostgreSQL (RDS in the AWS deployments), beside the users in the same
// database and the same list of migrations.
//
// Layout (migrations.cc, versions 2 to 4; docs/DATA.md says why): the events as they came,
// attempt_events and activity_events (one row per event_id, times in bigint Unix seconds, ids
// COLLATE "C"), and four rollups by epoch day that Record keeps with them: learner_days (text
// ids), and learner_exercise_days, exercise_days and wrong_answer_days, keyed by integers that
// Record hands out (analytics_courses, analytics_exercises: an exercise's number in its course,
// analytics_learners). The store never migrates: Open refuses a database that MigratePostgres
// (`practica migrate`) has not brought to this build's version.
//
// Behaviour beyond the port's contract:
//   - Record checks the batch first (store/analytics_checks.h: kInvalid, nothing written), then
//     writes it in one READ COMMITTED transaction: the attempts' learner ids and exercise numbers
//     first (added for those that have none), then one statement per kind of event, whatever the
//     batch's size: the events travel as arrays that unnest() turns into rows, ON CONFLICT
//     (event_id) DO NOTHING skips what is stored already, and only the events that were new feed
//     the rollups, so a replay changes nothing. Within a batch the first event of an id stands
//     (the later ones are dropped before sending); ids, events and rollup rows are written in key
//     order, so concurrent batches that share them wait for each other rather than deadlock (and
//     the pool retries the deadlocks that remain, connection_pool.h).
//   - Every query reads one snapshot: a read-only REPEATABLE READ transaction that first sets,
//     for itself only, custom plans, SSD page costs, 32 MB of work_mem and no JIT (kQuerySettings
//     in the .cc says why), then looks up the course's exercise numbers and reads the rollups by
//     them; the events only for the median time and the lesson views. The .cc names the index
//     each part reads. The funnel's lessons are matched in C++ against what the learners of the
//     range tried and solved (bit strings of exercise numbers, grouped in SQL).
//   - ListAttemptEvents is one statement (one snapshot per page); pages follow each other by
//     position, so events recorded between two pages appear if they sort after the position.
//   - ForgetLearner rewrites the learner's rows in the event tables and learner_days, and their
//     analytics_learners row, in one transaction (a fresh anonymous id from NewAnonymousLearnerId
//     per call; answers set to '' and taken out of wrong_answer_days). The integer-keyed rollups
//     keep the learner's id, which then names the anonymous id.
//   - Errors (postgres_error.h): kUnavailable when the server is unreachable or refuses the
//     credentials, a connection breaks during COMMIT, or no pooled connection frees up within
//     PoolOptions::acquire_timeout, or Record could not give a batch's learners ids (only if
//     ForgetLearner renames one of them again and again meanwhile); kInvalid for text PostgreSQL
//     cannot store (not UTF-8, NUL bytes); kInternal for a bug or an unmigrated database.
//
// Thread model: every method may be called from any thread, concurrently; each call borrows one
// pooled connection (connection_pool.h) for its duration. Calls block on the network, so they
// belong on worker threads, not I/O threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/analytics_store.h"
#include "store/postgres/connection_source.h"
#include "store/postgres/pool_options.h"

namespace practica::store::postgres {

class ConnectionPool;

class PostgresAnalyticsStore final : public AnalyticsStore {
 public:
  // Connects (each new connection's string from `source`, read again once when the server
  // refuses the credentials: connection_source.h) and checks the schema version, so that a wrong
  // address, a refused password or an unmigrated database stops start-up: kUnavailable when the
  // server cannot be reached, kConflict when the schema is not at LatestSchemaVersion(),
  // kInvalid for options out of range.
  static Result<std::unique_ptr<PostgresAnalyticsStore>> Open(ConnectionSource source,
                                                              const PoolOptions& options);
  // The same with a fixed connection string (a postgresql:// URL or libpq key=value string).
  static Result<std::unique_ptr<PostgresAnalyticsStore>> Open(const std::string& connection_string,
                                                              const PoolOptions& options = {});

  PostgresAnalyticsStore(const PostgresAnalyticsStore&) = delete;
  PostgresAnalyticsStore& operator=(const PostgresAnalyticsStore&) = delete;
  // REQUIRES: no call is in progress.
  ~PostgresAnalyticsStore() override;

  Status Record(const EventBatch& batch) override;
  Result<std::vector<ItemMoments>> ItemStatistics(std::string_view course,
                                                  const std::vector<std::string>& exercises,
                                                  DayRange range) override;
  Result<std::vector<FunnelStep>> Funnel(std::string_view course,
                                         const std::vector<LessonExercises>& lessons,
                                         DayRange range) override;
  Result<CompletionSeries> Completions(std::string_view course,
                                       const std::vector<std::string>& exercises,
                                       DayRange range) override;
  Result<std::vector<DayCount>> ActiveLearners(std::string_view course, Interval interval,
                                               DayRange range) override;
  Result<std::vector<Cohort>> Retention(std::string_view course, DayRange range) override;
  Result<std::vector<AttemptEvent>> ListAttemptEvents(std::string_view course, int64_t before,
                                                      const std::optional<EventPosition>& after,
                                                      int limit) override;
  Status ForgetLearner(std::string_view user_id) override;
  Status Ping() override;

 private:
  explicit PostgresAnalyticsStore(std::unique_ptr<ConnectionPool> pool);

  // Hidden behind a pointer so that this header does not include libpqxx.
  std::unique_ptr<ConnectionPool> pool_;
};

}  // namespace practica::store::postgres
