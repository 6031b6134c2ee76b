// AnalyticsStore on an SQLite file of its own (DATA_DIR/analytics.db): the embedded default.
//
// Analytics has its own file, with its own list of migrations (AnalyticsMigrations), so that
// recording events never waits for, or holds up, the write lock of practica.db, whose one writer
// group-commits attempts. Layout (version 1):
//   attempt_events   one row per attempt (event_id = the attempt id), indexed by (course,
//                    occurred_at) for every course query and by user_id for ForgetLearner;
//   activity_events  sign-ups, logins, enrolments and lesson views, indexed the same way plus
//                    (kind, user_id) for the sign-up week of retention cohorts.
// Record runs under a mutex on the one writer connection, in one IMMEDIATE transaction; reads
// lease reader connections (WAL: they never wait for the writer) and run each query's statements
// in one read transaction, so a query sees one snapshot.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <span>

#include "store/analytics_store.h"
#include "store/migration.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/database.h"

namespace practica::store::sqlite {

std::span<const Migration> AnalyticsMigrations();

class SqliteAnalyticsStore final : public AnalyticsStore {
 public:
  // Opens (creating) the file and migrates it (a file from a newer practica is kConflict).
  static Result<std::unique_ptr<SqliteAnalyticsStore>> Open(const std::filesystem::path& db_file);
  // `practica migrate`: opens, migrates and closes the file.
  static Result<MigrationReport> MigrateFile(const std::filesystem::path& db_file);

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
  SqliteAnalyticsStore(std::unique_ptr<Database> writer, const std::filesystem::path& file);

  std::mutex write_mutex_;
  std::unique_ptr<Database> writer_;  // guarded by write_mutex_
  ConnectionPool readers_;
};

}  // namespace practica::store::sqlite
