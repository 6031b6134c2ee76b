// ProgressStore on the SQLite file that also holds the content and the users (practica.db): the
// embedded default.
//
// Layout (migrations.cc, versions 3 and 4): exercise_progress, attempts (which hold the
// idempotency keys), learner_totals; the comments there explain each table. The stores share the
// file and its one list of migrations, so opening any of them first brings the file to the newest
// schema.
//
// Writes go through a BatchWriter (batch_writer.h): one writer thread, the one writer connection,
// group commit. SubmitAttempt queues the attempt and returns at once. In the writer's batch
// transaction, under the job's own savepoint, the attempt:
//   1. looks its idempotency key up (when it has one): the same request_hash replays the stored
//      response (replayed = true, nothing written); another one is kConflict with type
//      kIdempotencyKeyReused;
//   2. reads the learner's ExerciseState and LearnerTotals, which include every earlier job's
//      writes, of this batch too: attempts on one learner's exercise are strictly sequential;
//   3. calls PlanFn; an error rolls back to the savepoint and becomes the job's outcome;
//   4. calls RenderFn, inserts the attempt row with its key, request hash and rendered response
//      (a taken attempt_id is kConflict), and upserts exercise_progress with plan.after and
//      learner_totals with plan.totals_after;
// and `done` runs on the writer thread once the batch's COMMIT has returned (synchronous=FULL:
// the WAL is fsync'ed). A batch whose COMMIT fails writes nothing and fails every attempt in it
// with kUnavailable. RecordHint, SaveCard, DeleteLearner and
// ForgetIdempotencyKeys are writer jobs too; their caller waits for the commit (they are rare).
//
// Thread model: every method may be called from any thread, concurrently.
//   - The writer thread runs PlanFn, RenderFn and `done`. From there the blocking writes
//     (RecordHint, SaveCard, DeleteLearner, ForgetIdempotencyKeys) fail with kInternal instead of
//     waiting for themselves; reads and SubmitAttempt work.
//   - Reads lease a connection from a pool of at most Options::max_readers reader connections
//     (query_only); WAL lets them read while the writer writes. Each read is one statement, so it
//     sees one snapshot.
//   - The destructor drains the queue (every queued attempt is written and its `done` called),
//     then joins the writer thread. REQUIRES: no other call is in progress or follows.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/progress_store.h"
#include "store/sqlite/batch_writer.h"
#include "store/sqlite/connection_pool.h"
#include "store/sqlite/database.h"

namespace practica::store::sqlite {

class SqliteProgressStore final : public ProgressStore {
 public:
  struct Options {
    int max_readers = 8;  // reader connections kept open; about the number of server threads
    std::chrono::milliseconds busy_timeout{5000};
    // false: one transaction, and one fsync, per write (the benchmark's naive comparison).
    bool group_commit = true;
    int max_batch = 256;     // writes per transaction at most
    int max_queued = 16384;  // writes waiting at most; more are refused with kUnavailable
  };

  // Opens (creating) the SQLite file, migrates it to the newest schema (migrations.h: a file from
  // a newer practica is refused with kConflict) and starts the writer thread. The caller creates
  // the directory.
  static Result<std::unique_ptr<SqliteProgressStore>> Open(const std::filesystem::path& db_file);
  static Result<std::unique_ptr<SqliteProgressStore>> Open(const std::filesystem::path& db_file,
                                                           const Options& options);

  SqliteProgressStore(const SqliteProgressStore&) = delete;
  SqliteProgressStore& operator=(const SqliteProgressStore&) = delete;
  ~SqliteProgressStore() override = default;  // writer_ drains and joins first (declared last)

  void SubmitAttempt(AttemptRequest request, PlanFn plan, RenderFn render,
                     AttemptDone done) override;
  Result<int> RecordHint(std::string_view user_id, std::string_view course, std::string_view lesson,
                         std::string_view exercise, int hint_count) override;
  Result<ExerciseState> GetExerciseState(std::string_view user_id, std::string_view course,
                                         std::string_view exercise) override;
  Result<std::vector<ExerciseProgressRow>> GetCourseProgress(std::string_view user_id,
                                                             std::string_view course) override;
  Result<std::vector<std::string>> ListCourses(std::string_view user_id) override;
  Result<LearnerTotals> GetTotals(std::string_view user_id) override;
  Result<std::vector<DueCard>> DueCards(std::string_view user_id, int64_t now, int limit) override;
  Status SaveCard(std::string_view user_id, std::string_view course, std::string_view exercise,
                  const domain::Card& card) override;
  Result<std::vector<AttemptRecord>> ListAttempts(std::string_view user_id,
                                                  std::string_view course) override;
  Status DeleteLearner(std::string_view user_id) override;
  Status ForgetIdempotencyKeys(int64_t before) override;
  Status Ping() override;

  // Instrumentation: commits, jobs per commit (group commit at work), failed batches.
  BatchWriter::Stats writer_stats() const { return writer_.stats(); }

 private:
  SqliteProgressStore(std::unique_ptr<Database> writer, const std::filesystem::path& db_file,
                      const Options& options);

  ConnectionPool readers_;
  BatchWriter writer_;  // last: destroyed first, so queued jobs finish while the readers exist
};

}  // namespace practica::store::sqlite
