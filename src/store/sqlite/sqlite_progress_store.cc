#include "store/sqlite/sqlite_progress_store.h"

#include <optional>
#include <utility>

#include "store/progress_checks.h"
#include "store/sqlite/migrations.h"

namespace practica::store::sqlite {
namespace {

// The SQL, in one place. Every statement is prepared once per connection and cached.

// The state columns are listed in the order ReadState reads them and BindState binds them.
constexpr std::string_view kSelectState = R"sql(
SELECT attempts, best_score, solved, hints_used, has_card, stability, difficulty, due,
  last_review, reps, lapses
FROM exercise_progress WHERE user_id = ?1 AND course = ?2 AND exercise = ?3)sql";
// ?1..?4 the row's key and lesson, ?5..?15 the state.
constexpr std::string_view kUpsertState = R"sql(
INSERT INTO exercise_progress (user_id, course, exercise, lesson, attempts, best_score, solved,
  hints_used, has_card, stability, difficulty, due, last_review, reps, lapses)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
ON CONFLICT (user_id, course, exercise) DO UPDATE SET lesson = excluded.lesson,
  attempts = excluded.attempts, best_score = excluded.best_score, solved = excluded.solved,
  hints_used = excluded.hints_used, has_card = excluded.has_card, stability = excluded.stability,
  difficulty = excluded.difficulty, due = excluded.due, last_review = excluded.last_review,
  reps = excluded.reps, lapses = excluded.lapses)sql";
constexpr std::string_view kCourseProgress = R"sql(
SELECT lesson, exercise, attempts, best_score, solved, hints_used, has_card, stability,
  difficulty, due, last_review, reps, lapses
FROM exercise_progress WHERE user_id = ?1 AND course = ?2 ORDER BY exercise)sql";

constexpr std::string_view kRecordHint = R"sql(
INSERT INTO exercise_progress (user_id, course, exercise, lesson, hints_used)
VALUES (?1, ?2, ?3, ?4, 1)
ON CONFLICT (user_id, course, exercise) DO UPDATE SET lesson = excluded.lesson,
  hints_used = hints_used + 1
  WHERE exercise_progress.hints_used < ?5
RETURNING hints_used)sql";
constexpr std::string_view kListCourses =
    "SELECT DISTINCT course FROM exercise_progress WHERE user_id = ?1 ORDER BY course";
// Served by exercise_progress_due; a WITHOUT ROWID table's index ends with the primary key
// (user_id, course, exercise), so the tie-break needs no sort either.
constexpr std::string_view kDueCards = R"sql(
SELECT course, lesson, exercise, stability, difficulty, due, last_review, reps, lapses
FROM exercise_progress WHERE user_id = ?1 AND has_card = 1 AND due <= ?2
ORDER BY due, course, exercise LIMIT ?3)sql";
constexpr std::string_view kSaveCard = R"sql(
UPDATE exercise_progress SET stability = ?4, difficulty = ?5, due = ?6, last_review = ?7,
  reps = ?8, lapses = ?9
WHERE user_id = ?1 AND course = ?2 AND exercise = ?3 AND has_card = 1 RETURNING 1)sql";

// The key, its request hash and the rendered response are NULL for an attempt without a key.
constexpr std::string_view kInsertAttempt = R"sql(
INSERT INTO attempts (attempt_id, user_id, course, lesson, exercise, attempt_number, raw_score,
  score, correct, answer_json, created_at, idempotency_key, request_hash, response_json,
  exercise_version, time_taken_ms)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16))sql";
// rowid breaks ties in created_at: the order in which the writer inserted the attempts. The
// learner's rows come from attempts_by_learner; a learner's export is rare enough to sort them.
constexpr std::string_view kListAttempts = R"sql(
SELECT attempt_id, attempt_number, raw_score, score, correct, answer_json, created_at,
  exercise_version, time_taken_ms
FROM attempts WHERE user_id = ?1 AND course = ?2 ORDER BY created_at, rowid)sql";

constexpr std::string_view kSelectTotals =
    "SELECT xp, streak_length, streak_last_day FROM learner_totals WHERE user_id = ?1";
constexpr std::string_view kUpsertTotals = R"sql(
INSERT INTO learner_totals (user_id, xp, streak_length, streak_last_day) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (user_id) DO UPDATE SET xp = excluded.xp, streak_length = excluded.streak_length,
  streak_last_day = excluded.streak_last_day)sql";

// A forgotten key has response_json NULL too, so it is never replayed.
constexpr std::string_view kSelectKey = R"sql(
SELECT request_hash, response_json FROM attempts
WHERE user_id = ?1 AND idempotency_key = ?2 AND response_json IS NOT NULL)sql";
// Served by attempts_replayable, whose rows are exactly those holding a response.
constexpr std::string_view kForgetKeys = R"sql(
UPDATE attempts SET idempotency_key = NULL, request_hash = NULL, response_json = NULL
WHERE response_json IS NOT NULL AND created_at < ?1)sql";

constexpr std::string_view kDeleteLearner[] = {
    "DELETE FROM exercise_progress WHERE user_id = ?1",
    "DELETE FROM attempts WHERE user_id = ?1",
    "DELETE FROM learner_totals WHERE user_id = ?1",
};

// Reads the state columns first..first+10 of the current row.
ExerciseState ReadState(const Statement& row, int first) {
  ExerciseState state;
  state.attempts = static_cast<int>(row.ColumnInt(first));
  state.best_score = row.ColumnDouble(first + 1);
  state.solved = row.ColumnInt(first + 2) != 0;
  state.hints_used = static_cast<int>(row.ColumnInt(first + 3));
  if (row.ColumnInt(first + 4) != 0) {
    state.card = domain::Card{row.ColumnDouble(first + 5),
                              row.ColumnDouble(first + 6),
                              row.ColumnInt(first + 7),
                              row.ColumnInt(first + 8),
                              static_cast<int>(row.ColumnInt(first + 9)),
                              static_cast<int>(row.ColumnInt(first + 10))};
  }
  return state;
}

// Binds the state to parameters first..first+10 (a missing card as has_card 0 and zeros).
void BindState(Statement& statement, int first, const ExerciseState& state) {
  const domain::Card card = state.card.value_or(domain::Card{});
  statement.BindInt(first, state.attempts)
      .BindDouble(first + 1, state.best_score)
      .BindInt(first + 2, state.solved ? 1 : 0)
      .BindInt(first + 3, state.hints_used)
      .BindInt(first + 4, state.card ? 1 : 0)
      .BindDouble(first + 5, card.stability)
      .BindDouble(first + 6, card.difficulty)
      .BindInt(first + 7, card.due)
      .BindInt(first + 8, card.last_review)
      .BindInt(first + 9, card.reps)
      .BindInt(first + 10, card.lapses);
}

Result<ExerciseState> SelectState(Database& db, std::string_view user_id, std::string_view course,
                                  std::string_view exercise) {
  Result<Statement> select = db.Prepare(kSelectState);
  if (!select.ok()) return std::move(select).error();
  select->BindText(1, user_id).BindText(2, course).BindText(3, exercise);
  Result<bool> row = select->Step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return ExerciseState{};
  return ReadState(*select, 0);
}

Result<LearnerTotals> SelectTotals(Database& db, std::string_view user_id) {
  Result<Statement> select = db.Prepare(kSelectTotals);
  if (!select.ok()) return std::move(select).error();
  select->BindText(1, user_id);
  Result<bool> row = select->Step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return LearnerTotals{};
  return LearnerTotals{select->ColumnInt(0), domain::Streak{static_cast<int>(select->ColumnInt(1)),
                                                            select->ColumnInt(2)}};
}

// The stored response for the learner's key, if the key is known; kConflict (key reused) when it
// was stored for another request.
Result<std::optional<std::string>> StoredResponse(Database& db, const AttemptRequest& request) {
  Result<Statement> select = db.Prepare(kSelectKey);
  if (!select.ok()) return std::move(select).error();
  select->BindText(1, request.user_id).BindText(2, request.idempotency_key);
  Result<bool> row = select->Step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return std::optional<std::string>();
  if (select->ColumnText(0) != request.request_hash) return IdempotencyKeyReused();
  return std::optional<std::string>(select->ColumnString(1));
}

// `response` is stored with the key when the request has one.
Status InsertAttempt(Database& db, const AttemptRequest& request, const AttemptRecord& attempt,
                     std::string_view response) {
  Result<Statement> insert = db.Prepare(kInsertAttempt);
  if (!insert.ok()) return std::move(insert).error();
  insert->BindText(1, attempt.attempt_id)
      .BindText(2, request.user_id)
      .BindText(3, request.course)
      .BindText(4, request.lesson)
      .BindText(5, request.exercise)
      .BindInt(6, attempt.attempt_number)
      .BindDouble(7, attempt.raw_score)
      .BindDouble(8, attempt.score)
      .BindInt(9, attempt.correct ? 1 : 0)
      .BindText(10, attempt.answer_json)
      .BindInt(11, attempt.created_at)
      .BindText(15, attempt.exercise_version);
  if (attempt.time_taken_ms >= 0) {
    insert->BindInt(16, attempt.time_taken_ms);
  } else {
    insert->BindNull(16);
  }
  if (request.idempotency_key.empty()) {
    insert->BindNull(12).BindNull(13).BindNull(14);
  } else {
    insert->BindText(12, request.idempotency_key)
        .BindText(13, request.request_hash)
        .BindText(14, response);
  }
  Status inserted = insert->Run();
  // The key was looked up in this transaction, so the only key a row can collide on is the
  // attempt id (the primary key).
  if (!inserted.ok() && inserted.error().code == ErrorCode::kConflict) {
    return AttemptIdTaken(attempt.attempt_id);
  }
  return inserted;
}

Status UpsertState(Database& db, const AttemptRequest& request, const ExerciseState& state) {
  Result<Statement> upsert = db.Prepare(kUpsertState);
  if (!upsert.ok()) return std::move(upsert).error();
  upsert->BindText(1, request.user_id)
      .BindText(2, request.course)
      .BindText(3, request.exercise)
      .BindText(4, request.lesson);
  BindState(*upsert, 5, state);
  return upsert->Run();
}

Status UpsertTotals(Database& db, std::string_view user_id, const LearnerTotals& totals) {
  Result<Statement> upsert = db.Prepare(kUpsertTotals);
  if (!upsert.ok()) return std::move(upsert).error();
  return upsert->BindText(1, user_id)
      .BindInt(2, totals.xp)
      .BindInt(3, totals.streak.length)
      .BindInt(4, totals.streak.last_day)
      .Run();
}

// One SubmitAttempt, as a writer job (the steps of the header comment).
class AttemptJob final : public WriteJob {
 public:
  AttemptJob(AttemptRequest request, PlanFn plan, RenderFn render, AttemptDone done)
      : request_(std::move(request)),
        plan_(std::move(plan)),
        render_(std::move(render)),
        done_(std::move(done)) {}

  Status Apply(Database& db) override {
    const bool keyed = !request_.idempotency_key.empty();
    if (keyed) {
      Result<std::optional<std::string>> stored = StoredResponse(db, request_);
      if (!stored.ok()) return std::move(stored).error();
      if (*stored) {
        outcome_ = AttemptOutcome{true, std::move(**stored)};
        return Status::Ok();
      }
    }
    Result<ExerciseState> before =
        SelectState(db, request_.user_id, request_.course, request_.exercise);
    if (!before.ok()) return std::move(before).error();
    Result<LearnerTotals> totals = SelectTotals(db, request_.user_id);
    if (!totals.ok()) return std::move(totals).error();

    Result<AttemptPlan> plan = plan_(*before, *totals);
    if (!plan.ok()) return std::move(plan).error();
    std::string response = render_(*plan);
    if (Status s = InsertAttempt(db, request_, plan->attempt, response); !s.ok()) return s;
    if (Status s = UpsertState(db, request_, plan->after); !s.ok()) return s;
    if (Status s = UpsertTotals(db, request_.user_id, plan->totals_after); !s.ok()) return s;
    outcome_ = AttemptOutcome{false, std::move(response)};
    return Status::Ok();
  }

  void Finish(Status status) override {
    if (status.ok()) {
      done_(std::move(outcome_));
    } else {
      done_(std::move(status).error());
    }
  }

 private:
  AttemptRequest request_;
  PlanFn plan_;
  RenderFn render_;
  AttemptDone done_;
  AttemptOutcome outcome_;
};

}  // namespace

Result<std::unique_ptr<SqliteProgressStore>> SqliteProgressStore::Open(
    const std::filesystem::path& db_file) {
  return Open(db_file, Options{});
}

Result<std::unique_ptr<SqliteProgressStore>> SqliteProgressStore::Open(
    const std::filesystem::path& db_file, const Options& options) {
  Result<std::unique_ptr<Database>> writer = OpenMigratedWriter(db_file, options.busy_timeout);
  if (!writer.ok()) return std::move(writer).error();

  std::unique_ptr<SqliteProgressStore> store(
      new SqliteProgressStore(std::move(writer).value(), db_file, options));
  // Read through one reader now, so that a file readers cannot open fails at start-up, not on a
  // request.
  if (Result<LearnerTotals> totals = store->GetTotals(""); !totals.ok()) {
    return std::move(totals).error();
  }
  return store;
}

SqliteProgressStore::SqliteProgressStore(std::unique_ptr<Database> writer,
                                         const std::filesystem::path& db_file,
                                         const Options& options)
    : readers_(
          db_file,
          DatabaseOptions{.busy_timeout = options.busy_timeout, .read_only = true, .create = false},
          options.max_readers),
      writer_(std::move(writer), BatchWriter::Options{.group_commit = options.group_commit,
                                                      .max_batch = options.max_batch,
                                                      .max_queued = options.max_queued}) {}

void SqliteProgressStore::SubmitAttempt(AttemptRequest request, PlanFn plan, RenderFn render,
                                        AttemptDone done) {
  writer_.Submit(std::make_unique<AttemptJob>(std::move(request), std::move(plan),
                                              std::move(render), std::move(done)));
}

Result<int> SqliteProgressStore::RecordHint(std::string_view user_id, std::string_view course,
                                            std::string_view lesson, std::string_view exercise,
                                            int hint_count) {
  if (hint_count < 1) return NoMoreHints();
  return writer_.Call([&](Database& db) -> Result<int> {
    Result<Statement> record = db.Prepare(kRecordHint);
    if (!record.ok()) return std::move(record).error();
    record->BindText(1, user_id).BindText(2, course).BindText(3, exercise).BindText(4, lesson);
    record->BindInt(5, hint_count);
    Result<bool> row = record->Step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return NoMoreHints();  // the update's WHERE held it back: all are counted
    return static_cast<int>(record->ColumnInt(0));
  });
}

Result<ExerciseState> SqliteProgressStore::GetExerciseState(std::string_view user_id,
                                                            std::string_view course,
                                                            std::string_view exercise) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  return SelectState(**db, user_id, course, exercise);
}

Result<std::vector<ExerciseProgressRow>> SqliteProgressStore::GetCourseProgress(
    std::string_view user_id, std::string_view course) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Statement> select = (*db)->Prepare(kCourseProgress);
  if (!select.ok()) return std::move(select).error();
  select->BindText(1, user_id).BindText(2, course);
  std::vector<ExerciseProgressRow> rows;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return rows;
    rows.push_back({select->ColumnString(0), select->ColumnString(1), ReadState(*select, 2)});
  }
}

Result<std::vector<std::string>> SqliteProgressStore::ListCourses(std::string_view user_id) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Statement> select = (*db)->Prepare(kListCourses);
  if (!select.ok()) return std::move(select).error();
  select->BindText(1, user_id);
  std::vector<std::string> courses;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return courses;
    courses.push_back(select->ColumnString(0));
  }
}

Result<LearnerTotals> SqliteProgressStore::GetTotals(std::string_view user_id) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  return SelectTotals(**db, user_id);
}

Result<std::vector<DueCard>> SqliteProgressStore::DueCards(std::string_view user_id, int64_t now,
                                                           int limit) {
  if (Status s = CheckDueCardsLimit(limit); !s.ok()) return std::move(s).error();
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Statement> select = (*db)->Prepare(kDueCards);
  if (!select.ok()) return std::move(select).error();
  select->BindText(1, user_id).BindInt(2, now).BindInt(3, limit);
  std::vector<DueCard> cards;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return cards;
    cards.push_back(
        DueCard{select->ColumnString(0), select->ColumnString(1), select->ColumnString(2),
                domain::Card{select->ColumnDouble(3), select->ColumnDouble(4), select->ColumnInt(5),
                             select->ColumnInt(6), static_cast<int>(select->ColumnInt(7)),
                             static_cast<int>(select->ColumnInt(8))}});
  }
}

Status SqliteProgressStore::SaveCard(std::string_view user_id, std::string_view course,
                                     std::string_view exercise, const domain::Card& card) {
  return writer_.Call([&](Database& db) -> Status {
    Result<Statement> save = db.Prepare(kSaveCard);
    if (!save.ok()) return std::move(save).error();
    save->BindText(1, user_id)
        .BindText(2, course)
        .BindText(3, exercise)
        .BindDouble(4, card.stability)
        .BindDouble(5, card.difficulty)
        .BindInt(6, card.due)
        .BindInt(7, card.last_review)
        .BindInt(8, card.reps)
        .BindInt(9, card.lapses);
    Result<bool> row = save->Step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return NoCard(course, exercise);
    return Status::Ok();
  });
}

Result<std::vector<AttemptRecord>> SqliteProgressStore::ListAttempts(std::string_view user_id,
                                                                     std::string_view course) {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Statement> select = (*db)->Prepare(kListAttempts);
  if (!select.ok()) return std::move(select).error();
  select->BindText(1, user_id).BindText(2, course);
  std::vector<AttemptRecord> attempts;
  while (true) {
    Result<bool> row = select->Step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return attempts;
    attempts.push_back(
        AttemptRecord{select->ColumnString(0), static_cast<int>(select->ColumnInt(1)),
                      select->ColumnDouble(2), select->ColumnDouble(3), select->ColumnInt(4) != 0,
                      select->ColumnString(5), select->ColumnInt(6), select->ColumnString(7),
                      select->ColumnIsNull(8) ? -1 : select->ColumnInt(8)});
  }
}

Status SqliteProgressStore::DeleteLearner(std::string_view user_id) {
  return writer_.Call([&](Database& db) -> Status {
    for (const std::string_view sql : kDeleteLearner) {
      Result<Statement> remove = db.Prepare(sql);
      if (!remove.ok()) return std::move(remove).error();
      if (Status s = remove->BindText(1, user_id).Run(); !s.ok()) return s;
    }
    return Status::Ok();
  });
}

Status SqliteProgressStore::Ping() {
  Result<LearnerTotals> totals = GetTotals("");  // one indexed read through a reader connection
  if (!totals.ok()) return std::move(totals).error();
  return Status::Ok();
}

Status SqliteProgressStore::ForgetIdempotencyKeys(int64_t before) {
  return writer_.Call([&](Database& db) -> Status {
    Result<Statement> forget = db.Prepare(kForgetKeys);
    if (!forget.ok()) return std::move(forget).error();
    return forget->BindInt(1, before).Run();
  });
}

}  // namespace practica::store::sqlite
