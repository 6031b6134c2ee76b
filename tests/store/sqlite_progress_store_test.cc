#include "store/sqlite/sqlite_progress_store.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "progress_store_contract.h"
#include "sqlite_raw.h"
#include "store/sqlite/database.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_content_store.h"
#include "store/sqlite/sqlite_user_store.h"
#include "temp_dir.h"

namespace practica::store::sqlite {
namespace {

using testing::AttemptSpec;
using testing::kDay;
using testing::kNow;
using testing::PlanFrom;
using testing::PlanOf;
using testing::ProgressStoreAdapter;
using testing::ProgressStoreContractTest;
using testing::ProgressStoreHarness;
using testing::RenderPlan;
using testing::Request;
using testing::SubmitAndWait;
using testing::TempDir;

class SqliteProgressHarness : public ProgressStoreHarness {
 public:
  explicit SqliteProgressHarness(const SqliteProgressStore::Options& options) {
    Result<std::unique_ptr<SqliteProgressStore>> opened =
        SqliteProgressStore::Open(dir_.path() / "practica.db", options);
    if (opened.ok()) {
      store_ = std::move(opened).value();
    } else {
      ADD_FAILURE() << opened.error().message;
    }
  }
  ProgressStore& store() override { return *store_; }
  bool ok() const { return store_ != nullptr; }

 private:
  TempDir dir_;  // declared first: destroyed after the store
  std::unique_ptr<SqliteProgressStore> store_;
};

std::unique_ptr<ProgressStoreHarness> MakeHarness(const SqliteProgressStore::Options& options) {
  auto harness = std::make_unique<SqliteProgressHarness>(options);
  if (!harness->ok()) return nullptr;
  return harness;
}

// The contract holds with group commit, and with one transaction per write (the naive writer).
INSTANTIATE_TEST_SUITE_P(
    Sqlite, ProgressStoreContractTest,
    ::testing::Values(ProgressStoreAdapter{"sqlite", [] { return MakeHarness({}); }},
                      ProgressStoreAdapter{"sqlite_commit_per_write",
                                           [] { return MakeHarness({.group_commit = false}); }}),
    testing::ProgressAdapterName);

using testing::Count;
using testing::OpenRaw;

AttemptSpec Spec(const std::string& attempt_id, double score = 1, int64_t at = kNow) {
  AttemptSpec spec;
  spec.attempt_id = attempt_id;
  spec.score = score;
  spec.at = at;
  return spec;
}

// Holds the writer thread inside a plan until released, so that a test can queue writes behind
// it and know that they form the next batch. Released at the latest when destroyed; declare it
// after the store, so that it is destroyed first and the store's writer can drain.
class WriterGate {
 public:
  WriterGate() = default;
  WriterGate(const WriterGate&) = delete;
  WriterGate& operator=(const WriterGate&) = delete;
  ~WriterGate() { Release(); }

  // A plan that holds the writer, then plans `spec`.
  PlanFn Plan(AttemptSpec spec) {
    return [state = state_, spec = std::move(spec)](
               const ExerciseState& before, const LearnerTotals& totals) -> Result<AttemptPlan> {
      std::unique_lock lock(state->mutex);
      state->held = true;
      state->changed.notify_all();
      state->changed.wait(lock, [&] { return state->released; });
      return PlanFrom(spec, before, totals);
    };
  }
  // Waits until the writer is inside the plan (the queue behind it is then empty).
  void WaitUntilHeld() {
    std::unique_lock lock(state_->mutex);
    state_->changed.wait(lock, [&] { return state_->held; });
  }
  void Release() {
    {
      std::lock_guard lock(state_->mutex);
      state_->released = true;
    }
    state_->changed.notify_all();
  }

 private:
  struct State {
    std::mutex mutex;
    std::condition_variable changed;
    bool held = false;
    bool released = false;
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

// Collects the outcomes of asynchronous submissions, by index.
class Outcomes {
 public:
  explicit Outcomes(int count) : state_(std::make_shared<State>()) {
    state_->results.resize(static_cast<size_t>(count));
  }

  AttemptDone Done(int index) {
    return [state = state_, index](Result<AttemptOutcome> outcome) {
      std::lock_guard lock(state->mutex);
      state->results[static_cast<size_t>(index)].emplace(std::move(outcome));
      ++state->arrived;
      state->changed.notify_all();
    };
  }
  // Waits (60 s at most) until every submission has its outcome.
  bool WaitForAll() {
    std::unique_lock lock(state_->mutex);
    return state_->changed.wait_for(lock, std::chrono::seconds(60),
                                    [&] { return state_->arrived == state_->results.size(); });
  }
  size_t arrived() const {
    std::lock_guard lock(state_->mutex);
    return state_->arrived;
  }
  // REQUIRES: WaitForAll returned true.
  const Result<AttemptOutcome>& at(int index) const {
    return *state_->results[static_cast<size_t>(index)];
  }

 private:
  struct State {
    mutable std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::optional<Result<AttemptOutcome>>> results;
    size_t arrived = 0;
  };
  std::shared_ptr<State> state_;
};

class SqliteProgressStoreTest : public ::testing::Test {
 protected:
  std::filesystem::path file() const { return dir_.path() / "practica.db"; }

  std::unique_ptr<SqliteProgressStore> Open(const SqliteProgressStore::Options& options = {}) {
    Result<std::unique_ptr<SqliteProgressStore>> store = SqliteProgressStore::Open(file(), options);
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(store).value() : nullptr;
  }

  bool HasAttempt(const std::string& attempt_id) {
    auto raw = OpenRaw(file());
    Result<Statement> select = raw->Prepare("SELECT 1 FROM attempts WHERE attempt_id = ?1");
    EXPECT_TRUE(select.ok()) << select.error().message;
    Result<bool> row = select->BindText(1, attempt_id).Step();
    EXPECT_TRUE(row.ok()) << row.error().message;
    return row.ok() && *row;
  }

  TempDir dir_;
};

TEST_F(SqliteProgressStoreTest, RowsAreOnDiskAfterReopening) {
  ExerciseState state;
  LearnerTotals totals;
  std::vector<AttemptRecord> attempts;
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(SubmitAndWait(*store, Request("usr_ada", "algebra", "l", "e1", "key-1", "A"),
                              PlanOf(Spec("att_1", 0.5)))
                    .ok());
    ASSERT_TRUE(store->RecordHint("usr_ada", "algebra", "l", "e1", 10).ok());
    ASSERT_TRUE(SubmitAndWait(*store, Request("usr_ada", "algebra", "l", "e1"),
                              PlanOf(Spec("att_2", 1, kNow + 60)))
                    .ok());
    ASSERT_TRUE(
        store->SaveCard("usr_ada", "algebra", "e1", {9.5, 3.25, kNow - 1, kNow, 3, 1}).ok());
    state = *store->GetExerciseState("usr_ada", "algebra", "e1");
    totals = *store->GetTotals("usr_ada");
    attempts = *store->ListAttempts("usr_ada", "algebra");
  }
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->GetExerciseState("usr_ada", "algebra", "e1"), state);
  EXPECT_EQ(state.attempts, 2);
  EXPECT_EQ(state.hints_used, 1);
  EXPECT_EQ(state.card->stability, 9.5);
  EXPECT_EQ(*store->GetTotals("usr_ada"), totals);
  EXPECT_EQ(*store->ListAttempts("usr_ada", "algebra"), attempts);
  EXPECT_EQ(attempts.size(), 2u);
  EXPECT_EQ(store->DueCards("usr_ada", kNow, 5)->size(), 1u);
  Result<AttemptOutcome> replay = SubmitAndWait(
      *store, Request("usr_ada", "algebra", "l", "e1", "key-1", "A"), PlanOf(Spec("att_3")));
  ASSERT_TRUE(replay.ok()) << replay.error().message;
  EXPECT_TRUE(replay->replayed);
}

TEST_F(SqliteProgressStoreTest, DoneRunsOnlyOnceTheAttemptIsCommitted) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const std::filesystem::path db_file = file();
  std::optional<int64_t> rows_seen;
  Result<AttemptOutcome> outcome = SubmitAndWait(*store, Request("usr_ada", "algebra", "l", "e1"),
                                                 PlanOf(Spec("att_1")), RenderPlan);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  // Another connection (another process, in effect) sees the row from inside `done`.
  Outcomes outcomes(1);
  AttemptDone record = outcomes.Done(0);
  store->SubmitAttempt(Request("usr_ada", "algebra", "l", "e1"), PlanOf(Spec("att_2")), RenderPlan,
                       [&, record](Result<AttemptOutcome> result) {
                         auto raw = OpenRaw(db_file);
                         if (raw != nullptr) rows_seen = Count(*raw, "attempts");
                         record(std::move(result));
                       });
  ASSERT_TRUE(outcomes.WaitForAll());
  ASSERT_TRUE(outcomes.at(0).ok()) << outcomes.at(0).error().message;
  EXPECT_EQ(rows_seen, 2);
}

TEST_F(SqliteProgressStoreTest, ConcurrentSubmissionsShareCommits) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  constexpr int kJobs = kThreads * kPerThread;
  Outcomes outcomes(kJobs);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int index = t * kPerThread + i;
        store->SubmitAttempt(
            Request("usr_" + std::to_string(t), "algebra", "l", "e" + std::to_string(i % 5)),
            PlanOf(Spec("att_" + std::to_string(index))), RenderPlan, outcomes.Done(index));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_TRUE(outcomes.WaitForAll());
  for (int i = 0; i < kJobs; ++i) {
    EXPECT_TRUE(outcomes.at(i).ok()) << i << ": " << outcomes.at(i).error().message;
  }
  const BatchWriter::Stats stats = store->writer_stats();
  EXPECT_LT(stats.commits, kJobs);
  EXPECT_GT(stats.largest_batch, 1);
  EXPECT_EQ(stats.committed_jobs, kJobs);
  EXPECT_EQ(stats.failed_batches, 0);
  RecordProperty("jobs_per_commit",
                 std::to_string(static_cast<double>(kJobs) / static_cast<double>(stats.commits)));
  EXPECT_EQ(Count(*OpenRaw(file()), "attempts"), kJobs);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(store->GetTotals("usr_" + std::to_string(t))->xp, 10 * kPerThread);
  }
}

// Queues `count` attempts (ids att_<first>…) behind a held writer, releases it, and waits.
void QueueBehindGate(SqliteProgressStore& store, int count, Outcomes& outcomes) {
  WriterGate gate;
  store.SubmitAttempt(
      Request("usr_gate", "algebra", "l", "e0"), gate.Plan(Spec("att_gate")), RenderPlan,
      [](Result<AttemptOutcome> outcome) { EXPECT_TRUE(outcome.ok()) << outcome.error().message; });
  gate.WaitUntilHeld();
  for (int i = 0; i < count; ++i) {
    store.SubmitAttempt(Request("usr_ada", "algebra", "l", "e" + std::to_string(i)),
                        PlanOf(Spec("att_" + std::to_string(i))), RenderPlan, outcomes.Done(i));
  }
  gate.Release();
  ASSERT_TRUE(outcomes.WaitForAll());
}

TEST_F(SqliteProgressStoreTest, WritesQueuedDuringACommitFormTheNextBatch) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Outcomes outcomes(10);
  ASSERT_NO_FATAL_FAILURE(QueueBehindGate(*store, 10, outcomes));
  EXPECT_EQ(store->writer_stats().commits, 2);  // the gate's, then all ten at once
  EXPECT_EQ(store->writer_stats().largest_batch, 10);
  EXPECT_EQ(store->GetTotals("usr_ada")->xp, 100);
}

TEST_F(SqliteProgressStoreTest, BatchesAreCutAtMaxBatch) {
  auto store = Open({.max_batch = 4});
  ASSERT_NE(store, nullptr);
  Outcomes outcomes(10);
  ASSERT_NO_FATAL_FAILURE(QueueBehindGate(*store, 10, outcomes));
  EXPECT_EQ(store->writer_stats().commits, 1 + 3);  // 4 + 4 + 2
  EXPECT_EQ(store->writer_stats().largest_batch, 4);
}

TEST_F(SqliteProgressStoreTest, WithoutGroupCommitEveryWriteCommitsAlone) {
  auto store = Open({.group_commit = false});
  ASSERT_NE(store, nullptr);
  Outcomes outcomes(10);
  ASSERT_NO_FATAL_FAILURE(QueueBehindGate(*store, 10, outcomes));
  EXPECT_EQ(store->writer_stats().commits, 11);
  EXPECT_EQ(store->writer_stats().largest_batch, 1);
}

// Faults injected with triggers, in the middle of a batch.

TEST_F(SqliteProgressStoreTest, AFailingStatementFailsItsOwnAttemptOnly) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  // Fails the progress upsert, after the attempt row was inserted: the savepoint must undo it.
  ASSERT_TRUE(OpenRaw(file())
                  ->Execute("CREATE TRIGGER poison BEFORE INSERT ON exercise_progress "
                            "WHEN NEW.exercise = 'e1' BEGIN SELECT RAISE(ABORT, 'injected'); END")
                  .ok());
  Outcomes outcomes(3);
  ASSERT_NO_FATAL_FAILURE(QueueBehindGate(*store, 3, outcomes));
  EXPECT_TRUE(outcomes.at(0).ok());
  ASSERT_FALSE(outcomes.at(1).ok());
  EXPECT_NE(outcomes.at(1).error().message.find("injected"), std::string::npos);
  EXPECT_TRUE(outcomes.at(2).ok());
  EXPECT_EQ(store->writer_stats().commits, 2);
  EXPECT_TRUE(HasAttempt("att_0"));
  EXPECT_FALSE(HasAttempt("att_1"));
  EXPECT_TRUE(HasAttempt("att_2"));
  EXPECT_EQ(store->GetExerciseState("usr_ada", "algebra", "e1")->attempts, 0);
  EXPECT_EQ(store->GetTotals("usr_ada")->xp, 20);  // the failed attempt's totals were undone too
}

TEST_F(SqliteProgressStoreTest, AFailingCommitFailsEveryWriteOfTheBatch) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  // A deferred foreign key is checked at COMMIT: the commit itself fails, as on a full disk.
  ASSERT_TRUE(OpenRaw(file())
                  ->Execute(R"sql(
CREATE TABLE fault_parent (id INTEGER PRIMARY KEY);
CREATE TABLE fault_child (
  parent INTEGER REFERENCES fault_parent (id) DEFERRABLE INITIALLY DEFERRED);
CREATE TRIGGER fail_commit AFTER INSERT ON attempts WHEN NEW.attempt_id = 'att_2'
BEGIN INSERT INTO fault_child (parent) VALUES (42); END;)sql")
                  .ok());
  Outcomes outcomes(5);
  ASSERT_NO_FATAL_FAILURE(QueueBehindGate(*store, 5, outcomes));
  for (int i = 0; i < 5; ++i) {
    ASSERT_FALSE(outcomes.at(i).ok()) << i;
    EXPECT_EQ(outcomes.at(i).error().code, ErrorCode::kUnavailable) << i;
    EXPECT_FALSE(HasAttempt("att_" + std::to_string(i))) << i;
  }
  EXPECT_TRUE(HasAttempt("att_gate"));
  EXPECT_EQ(store->writer_stats().failed_batches, 1);
  EXPECT_TRUE(store->ListCourses("usr_ada")->empty());
  EXPECT_EQ(*store->GetTotals("usr_ada"), LearnerTotals{});

  // The writer goes on with the next batch.
  EXPECT_TRUE(
      SubmitAndWait(*store, Request("usr_ada", "algebra", "l", "e9"), PlanOf(Spec("att_9"))).ok());
  EXPECT_TRUE(HasAttempt("att_9"));
}

TEST_F(SqliteProgressStoreTest, ATransactionRolledBackMidBatchFailsEveryWriteOfTheBatch) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  // RAISE(ROLLBACK) ends the whole transaction, like SQLite does on some I/O errors.
  ASSERT_TRUE(OpenRaw(file())
                  ->Execute("CREATE TRIGGER fail_all AFTER INSERT ON attempts "
                            "WHEN NEW.attempt_id = 'att_2' "
                            "BEGIN SELECT RAISE(ROLLBACK, 'injected'); END")
                  .ok());
  Outcomes outcomes(4);
  ASSERT_NO_FATAL_FAILURE(QueueBehindGate(*store, 4, outcomes));
  for (int i = 0; i < 4; ++i) {
    ASSERT_FALSE(outcomes.at(i).ok()) << i;
    EXPECT_EQ(outcomes.at(i).error().code, ErrorCode::kUnavailable) << i;
    EXPECT_FALSE(HasAttempt("att_" + std::to_string(i))) << i;
  }
  EXPECT_EQ(store->writer_stats().failed_batches, 1);
  EXPECT_TRUE(
      SubmitAndWait(*store, Request("usr_ada", "algebra", "l", "e9"), PlanOf(Spec("att_9"))).ok());
}

TEST_F(SqliteProgressStoreTest, AWriteLockHeldElsewhereIsUnavailableNotAHang) {
  auto store = Open({.busy_timeout = std::chrono::milliseconds(100)});
  ASSERT_NE(store, nullptr);
  auto raw = OpenRaw(file());
  ASSERT_NE(raw, nullptr);
  {
    Result<Transaction> held = raw->Begin(TransactionMode::kImmediate);  // e.g. practica import
    ASSERT_TRUE(held.ok()) << held.error().message;
    Result<AttemptOutcome> refused =
        SubmitAndWait(*store, Request("usr_ada", "algebra", "l", "e1"), PlanOf(Spec("att_1")));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable) << refused.error().message;
    Result<int> hint = store->RecordHint("usr_ada", "algebra", "l", "e1", 10);
    ASSERT_FALSE(hint.ok());
    EXPECT_EQ(hint.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(*store->GetTotals("usr_ada"), LearnerTotals{});  // reads go on meanwhile
  }
  EXPECT_TRUE(
      SubmitAndWait(*store, Request("usr_ada", "algebra", "l", "e1"), PlanOf(Spec("att_1"))).ok());
}

TEST_F(SqliteProgressStoreTest, ClosingTheStoreWritesEveryQueuedAttempt) {
  constexpr int kQueued = 20;
  Outcomes outcomes(kQueued);
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    WriterGate gate;
    store->SubmitAttempt(Request("usr_gate", "algebra", "l", "e0"), gate.Plan(Spec("att_gate")),
                         RenderPlan, [](Result<AttemptOutcome>) {});
    gate.WaitUntilHeld();
    for (int i = 0; i < kQueued; ++i) {
      store->SubmitAttempt(Request("usr_ada", "algebra", "l", "e" + std::to_string(i)),
                           PlanOf(Spec("att_" + std::to_string(i))), RenderPlan, outcomes.Done(i));
    }
    std::thread releaser([&gate] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      gate.Release();
    });
    store.reset();  // waits for the writer, which waits for the gate
    releaser.join();
    EXPECT_EQ(outcomes.arrived(), static_cast<size_t>(kQueued));
  }
  ASSERT_TRUE(outcomes.WaitForAll());
  for (int i = 0; i < kQueued; ++i) EXPECT_TRUE(outcomes.at(i).ok()) << i;
  EXPECT_EQ(Count(*OpenRaw(file()), "attempts"), kQueued + 1);
}

TEST_F(SqliteProgressStoreTest, AFullQueueRefusesMoreWrites) {
  auto store = Open({.max_queued = 3});
  ASSERT_NE(store, nullptr);
  WriterGate gate;
  Outcomes gated(1);
  store->SubmitAttempt(Request("usr_gate", "algebra", "l", "e0"), gate.Plan(Spec("att_gate")),
                       RenderPlan, gated.Done(0));
  gate.WaitUntilHeld();
  Outcomes outcomes(4);
  for (int i = 0; i < 4; ++i) {
    store->SubmitAttempt(Request("usr_ada", "algebra", "l", "e" + std::to_string(i)),
                         PlanOf(Spec("att_" + std::to_string(i))), RenderPlan, outcomes.Done(i));
  }
  EXPECT_EQ(outcomes.arrived(), 1u);  // the fourth, refused at once
  gate.Release();
  ASSERT_TRUE(outcomes.WaitForAll());
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(outcomes.at(i).ok()) << i;
  ASSERT_FALSE(outcomes.at(3).ok());
  EXPECT_EQ(outcomes.at(3).error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(HasAttempt("att_3"));
}

TEST_F(SqliteProgressStoreTest, CallbacksMayReadButABlockingWriteFromThemIsRefused) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->RecordHint("usr_ada", "algebra", "l", "e1", 10).ok());
  std::optional<Result<int>> hint;
  std::optional<Result<LearnerTotals>> totals;
  Result<AttemptOutcome> outcome = SubmitAndWait(
      *store, Request("usr_ada", "algebra", "l", "e1"),
      [&](const ExerciseState& before, const LearnerTotals& learner) -> Result<AttemptPlan> {
        hint.emplace(store->RecordHint("usr_ada", "algebra", "l", "e1", 10));  // would deadlock
        totals.emplace(store->GetTotals("usr_ada"));
        return PlanFrom(Spec("att_1"), before, learner);
      });
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  ASSERT_TRUE(hint.has_value());
  ASSERT_FALSE(hint->ok());
  EXPECT_EQ(hint->error().code, ErrorCode::kInternal);
  ASSERT_TRUE(totals.has_value() && totals->ok());
  EXPECT_EQ(store->GetExerciseState("usr_ada", "algebra", "e1")->hints_used, 1);
}

TEST_F(SqliteProgressStoreTest, AVersionTwoDatabaseKeepsItsUsersAndCoursesWhenMigrated) {
  {
    auto raw = OpenRaw(file());
    ASSERT_NE(raw, nullptr);
    Result<MigrationReport> v2 = Migrate(*raw, Migrations().first(2));
    ASSERT_TRUE(v2.ok()) << v2.error().message;
    ASSERT_TRUE(raw->Execute(R"sql(
INSERT INTO users (id, email, email_normalized, display_name, role, time_zone, password_hash,
  created_at)
VALUES ('usr_ada', 'Ada@example.com', 'ada@example.com', 'Ada', 'learner', 'Europe/London',
  '$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA', 1700000000);
INSERT INTO courses (slug, title, summary, language, tags)
VALUES ('legacy', 'Legacy', 'Kept across the migration', 'en', '[]');)sql")
                    .ok());
    EXPECT_FALSE(raw->Prepare("SELECT count(*) FROM attempts").ok());  // not there yet
  }
  auto progress = Open();
  ASSERT_NE(progress, nullptr);
  EXPECT_EQ(*OpenRaw(file())->PragmaInt("user_version"), LatestSchemaVersion());
  EXPECT_EQ(LatestSchemaVersion(), 6);
  ASSERT_TRUE(
      SubmitAndWait(*progress, Request("usr_ada", "legacy", "l", "e1"), PlanOf(Spec("att_1")))
          .ok());

  Result<std::unique_ptr<SqliteUserStore>> users = SqliteUserStore::Open(file());
  ASSERT_TRUE(users.ok()) << users.error().message;
  Result<domain::User> ada = (*users)->GetUser("usr_ada");
  ASSERT_TRUE(ada.ok()) << ada.error().message;
  EXPECT_EQ(ada->email, "Ada@example.com");
  Result<std::unique_ptr<SqliteContentStore>> content = SqliteContentStore::Open(file());
  ASSERT_TRUE(content.ok()) << content.error().message;
  Result<std::vector<CourseSummary>> courses = (*content)->ListCourses("", 10);
  ASSERT_TRUE(courses.ok()) << courses.error().message;
  ASSERT_EQ(courses->size(), 1u);
  EXPECT_EQ(courses->at(0).slug, "legacy");
}

// Version 4 moves each stored key into its attempt's row: a retry that reached a version-3 server
// is still answered with the stored response after the upgrade, and a key without its attempt
// (which version 3 never wrote) is dropped.
TEST_F(SqliteProgressStoreTest, KeysStoredByVersionThreeStillReplayAfterTheMigration) {
  {
    auto raw = OpenRaw(file());
    ASSERT_NE(raw, nullptr);
    ASSERT_TRUE(Migrate(*raw, Migrations().first(3)).ok());
    ASSERT_TRUE(raw->Execute(R"sql(
INSERT INTO attempts (attempt_id, user_id, course, lesson, exercise, attempt_number, raw_score,
  score, correct, answer_json, created_at)
VALUES ('att_old', 'usr_ada', 'algebra', 'l', 'e1', 1, 1, 1, 1, 'true', 1700000000),
       ('att_nokey', 'usr_ada', 'algebra', 'l', 'e2', 1, 0, 0, 0, 'false', 1700000001);
INSERT INTO idempotency_keys (user_id, key, request_hash, response_json, created_at)
VALUES ('usr_ada', 'key-old', 'hash-old', '{"attempt_id":"att_old","score":1}', 1700000000),
       ('usr_ada', 'key-lost', 'hash-lost', '{"attempt_id":"att_gone"}', 1700000000);)sql")
                    .ok());
  }
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Result<AttemptOutcome> replay = SubmitAndWait(
      *store, Request("usr_ada", "algebra", "l", "e1", "key-old", "hash-old"), PlanOf(Spec("x")));
  ASSERT_TRUE(replay.ok()) << replay.error().message;
  EXPECT_TRUE(replay->replayed);
  EXPECT_EQ(replay->response_json, R"({"attempt_id":"att_old","score":1})");
  Result<AttemptOutcome> other = SubmitAndWait(
      *store, Request("usr_ada", "algebra", "l", "e1", "key-old", "hash-new"), PlanOf(Spec("y")));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().type, kIdempotencyKeyReused);
  // The orphan key is gone: its request is now a new attempt.
  Result<AttemptOutcome> fresh = SubmitAndWait(
      *store, Request("usr_ada", "algebra", "l", "e1", "key-lost", "hash-lost"), PlanOf(Spec("z")));
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
  EXPECT_FALSE(fresh->replayed);
  auto raw = OpenRaw(file());
  EXPECT_FALSE(raw->Prepare("SELECT 1 FROM idempotency_keys").ok());
}

// Each keyed attempt writes one row and one index entry that a learner's key finds: no table of
// keys beside it (the cost that version 4 removed), and the key lookup uses the index.
TEST_F(SqliteProgressStoreTest, AKeyIsFoundThroughTheLearnersIndex) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto raw = OpenRaw(file());
  Result<Statement> plan = raw->Prepare(R"sql(
EXPLAIN QUERY PLAN
SELECT request_hash, response_json FROM attempts
WHERE user_id = ?1 AND idempotency_key = ?2 AND response_json IS NOT NULL)sql");
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  std::string details;
  while (*plan->Step()) details += plan->ColumnString(3) + "\n";
  EXPECT_NE(details.find("attempts_by_learner"), std::string::npos) << details;
  Result<Statement> forget = raw->Prepare(R"sql(
EXPLAIN QUERY PLAN
UPDATE attempts SET idempotency_key = NULL, request_hash = NULL, response_json = NULL
WHERE response_json IS NOT NULL AND created_at < ?1)sql");
  ASSERT_TRUE(forget.ok()) << forget.error().message;
  details.clear();
  while (*forget->Step()) details += forget->ColumnString(3) + "\n";
  EXPECT_NE(details.find("attempts_replayable"), std::string::npos) << details;
}

// The progress tables stand alone (the stores are separate ports): deleting a user row leaves
// progress alone, and a learner's progress needs no user row.
TEST_F(SqliteProgressStoreTest, ProgressTablesHaveNoForeignKeys) {
  ASSERT_TRUE(MigrateFile(file()).ok());
  auto raw = OpenRaw(file());
  ASSERT_NE(raw, nullptr);
  for (const std::string table : {"exercise_progress", "attempts", "learner_totals"}) {
    Result<Statement> keys = raw->Prepare("SELECT count(*) FROM pragma_foreign_key_list(?1)");
    ASSERT_TRUE(keys.ok()) << keys.error().message;
    keys->BindText(1, table);
    ASSERT_TRUE(*keys->Step());
    EXPECT_EQ(keys->ColumnInt(0), 0) << table;
  }
}

TEST_F(SqliteProgressStoreTest, DueCardsAreReadFromTheDueIndexWithoutASort) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto raw = OpenRaw(file());
  ASSERT_NE(raw, nullptr);
  // The query of sqlite_progress_store.cc, as SQLite plans it.
  Result<Statement> plan = raw->Prepare(R"sql(
EXPLAIN QUERY PLAN
SELECT course, lesson, exercise, stability, difficulty, due, last_review, reps, lapses
FROM exercise_progress WHERE user_id = ?1 AND has_card = 1 AND due <= ?2
ORDER BY due, course, exercise LIMIT ?3)sql");
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  std::string details;
  while (*plan->Step()) details += plan->ColumnString(3) + "\n";
  EXPECT_NE(details.find("exercise_progress_due"), std::string::npos) << details;
  EXPECT_EQ(details.find("TEMP B-TREE"), std::string::npos) << details;
}

}  // namespace
}  // namespace practica::store::sqlite
