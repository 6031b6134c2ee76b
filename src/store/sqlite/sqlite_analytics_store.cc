#include "store/sqlite/sqlite_analytics_store.h"

#include <algorithm>
#include <boost/json.hpp>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/calendar.h"
#include "store/analytics_checks.h"
#include "store/sqlite/migrations.h"

namespace practica::store::sqlite {
namespace {

namespace json = boost::json;

// Version 1. Times are Unix seconds; time_taken_ms is NULL when not known. Events are never
// updated except by ForgetLearner, which rewrites user_id (and blanks answers).
constexpr std::string_view kEventTables = R"sql(
CREATE TABLE attempt_events (
  event_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  course TEXT NOT NULL,
  lesson TEXT NOT NULL,
  exercise TEXT NOT NULL,
  exercise_version TEXT NOT NULL,
  attempt_number INTEGER NOT NULL,
  score REAL NOT NULL,
  correct INTEGER NOT NULL,
  answer TEXT NOT NULL,
  time_taken_ms INTEGER,
  occurred_at INTEGER NOT NULL
);
CREATE INDEX attempt_events_by_course ON attempt_events (course, occurred_at);
CREATE INDEX attempt_events_by_user ON attempt_events (user_id);
CREATE TABLE activity_events (
  event_id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('signup', 'login', 'enrolment', 'lesson_view')),
  user_id TEXT NOT NULL,
  course TEXT NOT NULL,
  lesson TEXT NOT NULL,
  occurred_at INTEGER NOT NULL
);
CREATE INDEX activity_events_by_course ON activity_events (course, occurred_at);
CREATE INDEX activity_events_by_kind ON activity_events (kind, user_id);
CREATE INDEX activity_events_by_user ON activity_events (user_id);
)sql";

constexpr Migration kMigrations[] = {{1, "analytics events", kEventTables}};

// Epoch day and week of a time column, in SQL (times are never negative here).
constexpr std::string_view kDaySql = "(occurred_at / 86400)";
constexpr std::string_view kWeekSql = "(occurred_at / 86400 - (occurred_at / 86400 + 3) % 7)";
constexpr std::string_view kMonthSql =
    "CAST(julianday(date(occurred_at, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER)";

std::string JsonList(const std::vector<std::string>& values) {
  json::array list;
  for (const std::string& value : values) list.emplace_back(value);
  return json::serialize(list);
}

// [[lesson, exercise], …] for every exercise of every lesson.
std::string LessonMap(const std::vector<LessonExercises>& lessons) {
  json::array map;
  for (const LessonExercises& lesson : lessons) {
    for (const std::string& exercise : lesson.exercises) {
      map.push_back(json::array{json::string(lesson.lesson), json::string(exercise)});
    }
  }
  return json::serialize(map);
}

// Runs `sql` with `bind` and calls `row` for each result row.
template <class Bind, class Row>
Status Query(Database& db, std::string_view sql, Bind bind, Row row) {
  Result<Statement> statement = db.Prepare(sql);
  if (!statement.ok()) return std::move(statement).error();
  bind(*statement);
  while (true) {
    Result<bool> stepped = statement->Step();
    if (!stepped.ok()) return std::move(stepped).error();
    if (!*stepped) return Status::Ok();
    row(*statement);
  }
}

}  // namespace

std::span<const Migration> AnalyticsMigrations() { return kMigrations; }

SqliteAnalyticsStore::SqliteAnalyticsStore(std::unique_ptr<Database> writer,
                                           const std::filesystem::path& file)
    : writer_(std::move(writer)), readers_(file, DatabaseOptions{.read_only = true}, 4) {}

Result<std::unique_ptr<SqliteAnalyticsStore>> SqliteAnalyticsStore::Open(
    const std::filesystem::path& db_file) {
  Result<std::unique_ptr<Database>> writer = Database::Open(db_file);
  if (!writer.ok()) return std::move(writer).error();
  Result<MigrationReport> migrated = Migrate(**writer, AnalyticsMigrations());
  if (!migrated.ok()) return std::move(migrated).error();
  return std::unique_ptr<SqliteAnalyticsStore>(
      new SqliteAnalyticsStore(std::move(writer).value(), db_file));
}

Result<MigrationReport> SqliteAnalyticsStore::MigrateFile(const std::filesystem::path& db_file) {
  Result<std::unique_ptr<Database>> database = Database::Open(db_file);
  if (!database.ok()) return std::move(database).error();
  return Migrate(**database, AnalyticsMigrations());
}

Status SqliteAnalyticsStore::Record(const EventBatch& batch) {
  if (Status checked = CheckEventBatch(batch); !checked.ok()) return checked;
  if (batch.empty()) return Status::Ok();
  std::lock_guard lock(write_mutex_);
  Result<Transaction> transaction = writer_->Begin(TransactionMode::kImmediate);
  if (!transaction.ok()) return std::move(transaction).error();
  for (const AttemptEvent& event : batch.attempts) {
    Result<Statement> insert = writer_->Prepare(
        "INSERT INTO attempt_events (event_id, user_id, course, lesson, exercise, "
        "exercise_version, attempt_number, score, correct, answer, time_taken_ms, occurred_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
        "ON CONFLICT (event_id) DO NOTHING");
    if (!insert.ok()) return std::move(insert).error();
    insert->BindText(1, event.event_id)
        .BindText(2, event.user_id)
        .BindText(3, event.course)
        .BindText(4, event.lesson)
        .BindText(5, event.exercise)
        .BindText(6, event.exercise_version)
        .BindInt(7, event.attempt_number)
        .BindDouble(8, event.score)
        .BindInt(9, event.correct ? 1 : 0)
        .BindText(10, event.answer)
        .BindInt(12, event.occurred_at);
    if (event.time_taken_ms >= 0) {
      insert->BindInt(11, event.time_taken_ms);
    } else {
      insert->BindNull(11);
    }
    if (Status run = insert->Run(); !run.ok()) return run;
  }
  for (const ActivityEvent& event : batch.activity) {
    Result<Statement> insert = writer_->Prepare(
        "INSERT INTO activity_events (event_id, kind, user_id, course, lesson, occurred_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (event_id) DO NOTHING");
    if (!insert.ok()) return std::move(insert).error();
    insert->BindText(1, event.event_id)
        .BindText(2, ToString(event.kind))
        .BindText(3, event.user_id)
        .BindText(4, event.course)
        .BindText(5, event.lesson)
        .BindInt(6, event.occurred_at);
    if (Status run = insert->Run(); !run.ok()) return run;
  }
  return transaction->Commit();
}

Result<std::vector<ItemMoments>> SqliteAnalyticsStore::ItemStatistics(
    std::string_view course, const std::vector<std::string>& exercises, DayRange range) {
  std::vector<ItemMoments> items(exercises.size());
  std::map<std::string, ItemMoments*, std::less<>> by_id;
  for (size_t i = 0; i < exercises.size(); ++i) {
    items[i].exercise = exercises[i];
    by_id[exercises[i]] = &items[i];
  }
  auto item = [&](const Statement& row) -> ItemMoments* {
    auto it = by_id.find(row.ColumnText(0));
    return it == by_id.end() ? nullptr : it->second;
  };
  const std::string list = JsonList(exercises);
  auto bind = [&](Statement& s) {
    s.BindText(1, course).BindInt(2, range.Begin()).BindInt(3, range.End()).BindText(4, list);
  };

  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Transaction> snapshot = (*db)->Begin(TransactionMode::kDeferred);
  if (!snapshot.ok()) return std::move(snapshot).error();

  Status counted = Query(**db,
                         "SELECT exercise, count(*), count(DISTINCT user_id) FROM attempt_events "
                         "WHERE course = ?1 AND occurred_at >= ?2 AND occurred_at < ?3 "
                         "AND exercise IN (SELECT value FROM json_each(?4)) GROUP BY exercise",
                         bind, [&](const Statement& row) {
                           if (ItemMoments* m = item(row)) {
                             m->attempts = row.ColumnInt(1);
                             m->learners = row.ColumnInt(2);
                           }
                         });
  if (!counted.ok()) return std::move(counted).error();

  Status moments =
      Query(**db,
            "WITH firsts AS (SELECT user_id, exercise, score FROM attempt_events "
            "  WHERE course = ?1 AND occurred_at >= ?2 AND occurred_at < ?3 AND attempt_number = 1 "
            "  AND exercise IN (SELECT value FROM json_each(?4))), "
            "totals AS (SELECT user_id, sum(score) AS total FROM firsts GROUP BY user_id) "
            "SELECT f.exercise, count(*), sum(f.score), sum(f.score * f.score), "
            "  sum(t.total - f.score), sum((t.total - f.score) * (t.total - f.score)), "
            "  sum(f.score * (t.total - f.score)) "
            "FROM firsts f JOIN totals t ON t.user_id = f.user_id GROUP BY f.exercise",
            bind, [&](const Statement& row) {
              if (ItemMoments* m = item(row)) {
                m->first_attempts = row.ColumnInt(1);
                m->sum_x = row.ColumnDouble(2);
                m->sum_xx = row.ColumnDouble(3);
                m->sum_y = row.ColumnDouble(4);
                m->sum_yy = row.ColumnDouble(5);
                m->sum_xy = row.ColumnDouble(6);
              }
            });
  if (!moments.ok()) return std::move(moments).error();

  // The lower middle: row (n + 1) / 2 of the times in order.
  Status medians =
      Query(**db,
            "SELECT exercise, time_taken_ms FROM (SELECT exercise, time_taken_ms, "
            "  row_number() OVER (PARTITION BY exercise ORDER BY time_taken_ms) AS k, "
            "  count(*) OVER (PARTITION BY exercise) AS n FROM attempt_events "
            "  WHERE course = ?1 AND occurred_at >= ?2 AND occurred_at < ?3 "
            "  AND time_taken_ms IS NOT NULL AND exercise IN (SELECT value FROM json_each(?4))) "
            "WHERE k = (n + 1) / 2",
            bind, [&](const Statement& row) {
              if (ItemMoments* m = item(row)) m->median_time_ms = row.ColumnInt(1);
            });
  if (!medians.ok()) return std::move(medians).error();

  Status wrong = Query(
      **db,
      "SELECT exercise, answer, c FROM (SELECT exercise, answer, c, row_number() OVER "
      "  (PARTITION BY exercise ORDER BY c DESC, answer) AS k FROM (SELECT exercise, answer, "
      "  count(*) AS c FROM attempt_events WHERE course = ?1 AND occurred_at >= ?2 "
      "  AND occurred_at < ?3 AND correct = 0 AND answer <> '' "
      "  AND exercise IN (SELECT value FROM json_each(?4)) GROUP BY exercise, answer)) "
      "WHERE k <= ?5 ORDER BY exercise, k",
      [&](Statement& s) {
        bind(s);
        s.BindInt(5, kTopWrongAnswers);
      },
      [&](const Statement& row) {
        if (ItemMoments* m = item(row)) {
          m->wrong_answers.push_back({row.ColumnString(1), row.ColumnInt(2)});
        }
      });
  if (!wrong.ok()) return std::move(wrong).error();
  return items;
}

Result<std::vector<FunnelStep>> SqliteAnalyticsStore::Funnel(
    std::string_view course, const std::vector<LessonExercises>& lessons, DayRange range) {
  std::vector<FunnelStep> steps(lessons.size());
  std::map<std::string, FunnelStep*, std::less<>> by_lesson;
  for (size_t i = 0; i < lessons.size(); ++i) {
    steps[i].lesson = lessons[i].lesson;
    by_lesson[lessons[i].lesson] = &steps[i];
  }
  auto step = [&](const Statement& row) -> FunnelStep* {
    auto it = by_lesson.find(row.ColumnText(0));
    return it == by_lesson.end() ? nullptr : it->second;
  };
  const std::string map = LessonMap(lessons);
  auto bind = [&](Statement& s) {
    s.BindText(1, course).BindInt(2, range.Begin()).BindInt(3, range.End()).BindText(4, map);
  };
  constexpr std::string_view kMapSql =
      "WITH map AS (SELECT json_extract(value, '$[0]') AS lesson, "
      "  json_extract(value, '$[1]') AS exercise FROM json_each(?4)) ";

  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Result<Transaction> snapshot = (*db)->Begin(TransactionMode::kDeferred);
  if (!snapshot.ok()) return std::move(snapshot).error();

  Status viewed = Query(
      **db,
      "SELECT lesson, count(DISTINCT user_id) FROM activity_events WHERE course = ?1 "
      "AND occurred_at >= ?2 AND occurred_at < ?3 AND kind = 'lesson_view' GROUP BY lesson",
      [&](Statement& s) {
        s.BindText(1, course).BindInt(2, range.Begin()).BindInt(3, range.End());
      },
      [&](const Statement& row) {
        if (FunnelStep* f = step(row)) f->viewed = row.ColumnInt(1);
      });
  if (!viewed.ok()) return std::move(viewed).error();

  Status attempted =
      Query(**db,
            std::string(kMapSql) +
                "SELECT m.lesson, count(DISTINCT a.user_id) FROM attempt_events a "
                "JOIN map m ON m.exercise = a.exercise WHERE a.course = ?1 AND a.occurred_at >= ?2 "
                "AND a.occurred_at < ?3 GROUP BY m.lesson",
            bind, [&](const Statement& row) {
              if (FunnelStep* f = step(row)) f->attempted = row.ColumnInt(1);
            });
  if (!attempted.ok()) return std::move(attempted).error();

  Status completed = Query(
      **db,
      std::string(kMapSql) +
          ", sizes AS (SELECT lesson, count(DISTINCT exercise) AS size FROM map GROUP BY lesson), "
          "solved AS (SELECT m.lesson, a.user_id, count(DISTINCT a.exercise) AS n "
          "  FROM attempt_events a JOIN map m ON m.exercise = a.exercise WHERE a.course = ?1 "
          "  AND a.occurred_at >= ?2 AND a.occurred_at < ?3 AND a.correct = 1 "
          "  GROUP BY m.lesson, a.user_id) "
          "SELECT s.lesson, count(*) FROM solved s JOIN sizes z ON z.lesson = s.lesson "
          "WHERE s.n = z.size GROUP BY s.lesson",
      bind, [&](const Statement& row) {
        if (FunnelStep* f = step(row)) f->completed = row.ColumnInt(1);
      });
  if (!completed.ok()) return std::move(completed).error();

  for (size_t i = 0; i < lessons.size(); ++i) {
    if (lessons[i].exercises.empty()) steps[i].completed = steps[i].viewed;
  }
  return steps;
}

Result<CompletionSeries> SqliteAnalyticsStore::Completions(
    std::string_view course, const std::vector<std::string>& exercises, DayRange range) {
  CompletionSeries series;
  if (exercises.empty()) return series;
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  const std::string list = JsonList(exercises);
  std::vector<std::string> distinct = exercises;
  std::sort(distinct.begin(), distinct.end());
  const auto needed =
      static_cast<int64_t>(std::unique(distinct.begin(), distinct.end()) - distinct.begin());
  Status done = Query(
      **db,
      "WITH firsts AS (SELECT user_id, exercise, min(occurred_at) AS t FROM attempt_events "
      "  WHERE course = ?1 AND correct = 1 AND occurred_at < ?3 "
      "  AND exercise IN (SELECT value FROM json_each(?4)) GROUP BY user_id, exercise), "
      "done AS (SELECT user_id, max(t) AS t FROM firsts GROUP BY user_id HAVING count(*) = ?5) "
      "SELECT t / 86400 AS day, count(*) FROM done GROUP BY day ORDER BY day",
      [&](Statement& s) {
        s.BindText(1, course).BindInt(3, range.End()).BindText(4, list).BindInt(5, needed);
      },
      [&](const Statement& row) {
        const int64_t day = row.ColumnInt(0);
        if (day < range.first_day) {
          series.before += row.ColumnInt(1);
        } else {
          series.by_day.push_back({day, row.ColumnInt(1)});
        }
      });
  if (!done.ok()) return std::move(done).error();
  return series;
}

Result<std::vector<DayCount>> SqliteAnalyticsStore::ActiveLearners(std::string_view course,
                                                                   Interval interval,
                                                                   DayRange range) {
  const std::string_view period = interval == Interval::kDay    ? kDaySql
                                  : interval == Interval::kWeek ? kWeekSql
                                                                : kMonthSql;
  const std::string sql =
      "SELECT " + std::string(period) +
      " AS period, count(DISTINCT user_id) FROM (SELECT user_id, occurred_at FROM attempt_events "
      "WHERE course = ?1 AND occurred_at >= ?2 AND occurred_at < ?3 UNION ALL "
      "SELECT user_id, occurred_at FROM activity_events WHERE course = ?1 AND occurred_at >= ?2 "
      "AND occurred_at < ?3) GROUP BY period ORDER BY period";
  std::vector<DayCount> counts;
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Status queried = Query(
      **db, sql,
      [&](Statement& s) {
        s.BindText(1, course).BindInt(2, range.Begin()).BindInt(3, range.End());
      },
      [&](const Statement& row) {
        counts.push_back({row.ColumnInt(0), row.ColumnInt(1)});
      });
  if (!queried.ok()) return std::move(queried).error();
  return counts;
}

Result<std::vector<Cohort>> SqliteAnalyticsStore::Retention(std::string_view course,
                                                            DayRange range) {
  const int64_t first_week = WeekStart(range.first_day);
  const int64_t last_week = WeekStart(range.last_day);
  // Each learner of the course with their cohort week (of the sign-up, else of their first event
  // in the course), then the weeks they were active in the course, up to the range's end.
  const std::string sql =
      "WITH events AS (SELECT user_id, occurred_at FROM attempt_events WHERE course = ?1 "
      "  AND occurred_at < ?3 UNION ALL SELECT user_id, occurred_at FROM activity_events "
      "  WHERE course = ?1 AND occurred_at < ?3), "
      "learners AS (SELECT e.user_id, coalesce((SELECT min(s.occurred_at) FROM activity_events s "
      "  WHERE s.kind = 'signup' AND s.user_id = e.user_id), min(e.occurred_at)) AS joined "
      "  FROM events e GROUP BY e.user_id), "
      "cohorts AS (SELECT user_id, (joined / 86400 - (joined / 86400 + 3) % 7) AS week "
      "  FROM learners WHERE joined >= 0), "
      "active AS (SELECT DISTINCT user_id, " +
      std::string(kWeekSql) +
      " AS week FROM events) "
      "SELECT c.week, -1, count(*) FROM cohorts c WHERE c.week >= ?2 AND c.week <= ?4 "
      "GROUP BY c.week UNION ALL "
      "SELECT c.week, (a.week - c.week) / 7, count(*) FROM cohorts c JOIN active a "
      "  ON a.user_id = c.user_id WHERE c.week >= ?2 AND c.week <= ?4 AND a.week >= c.week "
      "GROUP BY c.week, a.week ORDER BY 1, 2";
  std::vector<Cohort> cohorts;
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  Status queried = Query(
      **db, sql,
      [&](Statement& s) {
        s.BindText(1, course).BindInt(2, first_week).BindInt(3, range.End()).BindInt(4, last_week);
      },
      [&](const Statement& row) {
        const int64_t week = row.ColumnInt(0);
        const int64_t k = row.ColumnInt(1);
        if (k < 0) {
          Cohort cohort;
          cohort.week = week;
          cohort.learners = row.ColumnInt(2);
          cohort.retained.assign(static_cast<size_t>((last_week - week) / 7 + 1), 0);
          cohorts.push_back(std::move(cohort));
        } else if (!cohorts.empty() && cohorts.back().week == week &&
                   k < static_cast<int64_t>(cohorts.back().retained.size())) {
          cohorts.back().retained[static_cast<size_t>(k)] = row.ColumnInt(2);
        }
      });
  if (!queried.ok()) return std::move(queried).error();
  return cohorts;
}

Result<std::vector<AttemptEvent>> SqliteAnalyticsStore::ListAttemptEvents(
    std::string_view course, int64_t before, const std::optional<EventPosition>& after, int limit) {
  if (limit < 1) return Error::Invalid("limit must be at least 1");
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  std::vector<AttemptEvent> events;
  // The row value comparison walks attempt_events_by_course from the position on; event ids
  // break ties between events of the same second.
  Status listed = Query(
      **db,
      "SELECT event_id, user_id, lesson, exercise, exercise_version, attempt_number, score, "
      "correct, answer, time_taken_ms, occurred_at FROM attempt_events "
      "WHERE course = ?1 AND occurred_at < ?2 AND (occurred_at, event_id) > (?3, ?4) "
      "ORDER BY occurred_at, event_id LIMIT ?5",
      [&](Statement& s) {
        s.BindText(1, course).BindInt(2, before).BindInt(5, limit);
        if (after) {
          s.BindInt(3, after->occurred_at).BindText(4, after->event_id);
        } else {
          s.BindInt(3, std::numeric_limits<int64_t>::min()).BindText(4, "");
        }
      },
      [&](const Statement& row) {
        events.push_back(AttemptEvent{.event_id = row.ColumnString(0),
                                      .user_id = row.ColumnString(1),
                                      .course = std::string(course),
                                      .lesson = row.ColumnString(2),
                                      .exercise = row.ColumnString(3),
                                      .exercise_version = row.ColumnString(4),
                                      .attempt_number = static_cast<int>(row.ColumnInt(5)),
                                      .score = row.ColumnDouble(6),
                                      .correct = row.ColumnInt(7) != 0,
                                      .answer = row.ColumnString(8),
                                      .time_taken_ms = row.ColumnIsNull(9) ? -1 : row.ColumnInt(9),
                                      .occurred_at = row.ColumnInt(10)});
      });
  if (!listed.ok()) return std::move(listed).error();
  return events;
}

Status SqliteAnalyticsStore::ForgetLearner(std::string_view user_id) {
  const std::string anonymous = NewAnonymousLearnerId();
  std::lock_guard lock(write_mutex_);
  Result<Transaction> transaction = writer_->Begin(TransactionMode::kImmediate);
  if (!transaction.ok()) return std::move(transaction).error();
  for (std::string_view sql :
       {"UPDATE attempt_events SET user_id = ?2, answer = '' WHERE user_id = ?1",
        "UPDATE activity_events SET user_id = ?2 WHERE user_id = ?1"}) {
    Result<Statement> update = writer_->Prepare(sql);
    if (!update.ok()) return std::move(update).error();
    update->BindText(1, user_id).BindText(2, anonymous);
    if (Status run = update->Run(); !run.ok()) return run;
  }
  return transaction->Commit();
}

Status SqliteAnalyticsStore::Ping() {
  Result<ConnectionPool::Lease> db = readers_.Acquire();
  if (!db.ok()) return std::move(db).error();
  return Query(
      **db, "SELECT 1", [](Statement&) {}, [](const Statement&) {});
}

}  // namespace practica::store::sqlite
