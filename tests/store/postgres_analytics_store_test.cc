#include "store/postgres/postgres_analytics_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <pqxx/result>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "analytics_store_contract.h"
#include "common/calendar.h"
#include "postgres_test_database.h"
#include "store/postgres/migrations.h"
#include "store/sqlite/sqlite_analytics_store.h"
#include "temp_dir.h"

namespace practica::store::postgres {
namespace {

using testing::AnalyticsStoreAdapter;
using testing::AnalyticsStoreContractTest;
using testing::AnalyticsStoreHarness;
using testing::TempDir;
using testing::TestSchema;

// A migrated schema of its own and a store on it.
class PostgresAnalyticsHarness : public AnalyticsStoreHarness {
 public:
  PostgresAnalyticsHarness() {
    Result<MigrationReport> migrated = MigratePostgres(schema_.url());
    if (!migrated.ok()) {
      ADD_FAILURE() << migrated.error().message;
      return;
    }
    Result<std::unique_ptr<PostgresAnalyticsStore>> opened =
        PostgresAnalyticsStore::Open(schema_.url());
    if (opened.ok()) {
      store_ = std::move(opened).value();
    } else {
      ADD_FAILURE() << opened.error().message;
    }
  }
  PostgresAnalyticsStore& store() override { return *store_; }
  const TestSchema& schema() const { return schema_; }
  bool ok() const { return store_ != nullptr; }

 private:
  TestSchema schema_;  // declared first: dropped after the store has closed its connections
  std::unique_ptr<PostgresAnalyticsStore> store_;
};

std::unique_ptr<AnalyticsStoreHarness> MakePostgresAnalyticsHarness() {
  auto harness = std::make_unique<PostgresAnalyticsHarness>();
  if (!harness->ok()) return nullptr;
  return harness;
}

INSTANTIATE_TEST_SUITE_P(Postgres, AnalyticsStoreContractTest,
                         ::testing::Values(AnalyticsStoreAdapter{"postgres",
                                                                 MakePostgresAnalyticsHarness}),
                         testing::AnalyticsAdapterName);

constexpr int64_t D = testing::kFirstDay;

int64_t At(int64_t day, int hour) { return day * 86400 + hour * 3600; }

AttemptEvent Attempt(const std::string& id, const std::string& user, const std::string& exercise,
                     int number, bool correct, const std::string& answer, int64_t at) {
  AttemptEvent event;
  event.event_id = id;
  event.user_id = user;
  event.course = "algebra";
  event.lesson = "one";
  event.exercise = exercise;
  event.exercise_version = "v1";
  event.attempt_number = number;
  event.score = correct ? 1.0 : 0.0;
  event.correct = correct;
  event.answer = answer;
  event.time_taken_ms = 1000;
  event.occurred_at = at;
  return event;
}

// Answers travel to the server inside array literals built by hand (statements.h): every byte
// must come back, and ties must be broken in byte order although the test cluster collates with
// ICU en-US (where "a" sorts before "B").
TEST(PostgresAnalyticsStore, AnswersKeepEveryByteAndTieInByteOrder) {
  PostgresAnalyticsHarness harness;
  ASSERT_TRUE(harness.ok());
  const std::vector<std::string> answers = {
      "a",    "B",   "\"quoted\"", "back\\slash", "{braces}", "comma, and space",
      "NULL", "é ü", "tab\there",  "new\nline",   " ",        "'single'"};
  EventBatch batch;
  int id = 0;
  for (const std::string& answer : answers) {
    batch.attempts.push_back(Attempt("a" + std::to_string(id), "u" + std::to_string(id), "e1", 1,
                                     false, answer, At(D, 9)));
    ++id;
  }
  ASSERT_TRUE(harness.store().Record(batch).ok());

  // One exercise per answer would be simpler to read, but ties are what is being tested: all
  // twelve answers are counted once, so the top three are the three smallest in byte order.
  Result<std::vector<ItemMoments>> items =
      harness.store().ItemStatistics("algebra", {"e1"}, {D, D});
  ASSERT_TRUE(items.ok()) << items.error().message;
  std::vector<std::string> sorted = answers;
  std::sort(sorted.begin(), sorted.end());
  ASSERT_EQ((*items)[0].wrong_answers.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*items)[0].wrong_answers[i], (AnswerCount{sorted[i], 1}));
  }
  const pqxx::result stored =
      harness.schema().Exec("SELECT answer FROM attempt_events ORDER BY answer COLLATE \"C\"");
  std::vector<std::string> round_trip;
  for (const pqxx::row& row : stored) round_trip.push_back(row[0].as<std::string>());
  EXPECT_EQ(round_trip, sorted);
}

TEST(PostgresAnalyticsStore, TextPostgresCannotStoreIsInvalidAndWritesNothing) {
  PostgresAnalyticsHarness harness;
  ASSERT_TRUE(harness.ok());
  for (const std::string& answer : {std::string("nul\0byte", 8), std::string("\xff\xfe")}) {
    EventBatch batch;
    batch.activity.push_back({"v1", ActivityKind::kLessonView, "u1", "algebra", "one", At(D, 8)});
    batch.attempts.push_back(Attempt("a1", "u1", "e1", 1, false, answer, At(D, 9)));
    Status recorded = harness.store().Record(batch);
    ASSERT_FALSE(recorded.ok());
    EXPECT_EQ(recorded.error().code, ErrorCode::kInvalid) << recorded.error().message;
  }
  for (const char* table : {"attempt_events", "activity_events", "learner_days",
                            "learner_exercise_days", "exercise_days", "wrong_answer_days",
                            "analytics_courses", "analytics_exercises", "analytics_learners"}) {
    EXPECT_EQ(harness.schema().Exec(std::string("SELECT count(*) FROM ") + table)[0][0].as<int>(),
              0)
        << table;
  }
}

// Batches that share events, recorded at once from several threads (a retried stream batch
// overlapping the next one): each event counts once, and no batch fails (they insert in one
// order, so they wait for each other instead of deadlocking).
TEST(PostgresAnalyticsStore, ConcurrentOverlappingBatchesCountEachEventOnce) {
  PostgresAnalyticsHarness harness;
  ASSERT_TRUE(harness.ok());
  constexpr int kThreads = 4;
  constexpr int kEvents = 400;
  std::vector<EventBatch> batches(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    // Thread t records events [t * 100, t * 100 + 400): most of them also another thread's.
    for (int i = t * 100; i < t * 100 + kEvents; ++i) {
      batches[t].attempts.push_back(Attempt("a" + std::to_string(i), "u" + std::to_string(i % 37),
                                            "e" + std::to_string(i % 5), 1 + i / 185, i % 3 == 0,
                                            "\"x\"", At(D + i % 7, 9)));
      batches[t].activity.push_back({"v" + std::to_string(i), ActivityKind::kLessonView,
                                     "u" + std::to_string(i % 37), "algebra", "one",
                                     At(D + i % 7, 8)});
    }
    std::shuffle(batches[t].attempts.begin(), batches[t].attempts.end(), std::mt19937(t));
  }
  std::vector<std::thread> threads;
  std::vector<Status> results(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] { results[t] = harness.store().Record(batches[t]); });
  }
  for (std::thread& thread : threads) thread.join();
  for (const Status& result : results) EXPECT_TRUE(result.ok()) << result.error().message;

  const int distinct = (kThreads - 1) * 100 + kEvents;
  Result<std::vector<ItemMoments>> items =
      harness.store().ItemStatistics("algebra", {"e0", "e1", "e2", "e3", "e4"}, {D, D + 6});
  ASSERT_TRUE(items.ok()) << items.error().message;
  int64_t attempts = 0;
  for (const ItemMoments& item : *items) attempts += item.attempts;
  EXPECT_EQ(attempts, distinct);
  EXPECT_EQ(harness.schema().Exec("SELECT sum(attempts) FROM exercise_days")[0][0].as<int64_t>(),
            distinct);
  // Every batch met the five exercises and 37 learners for the first time: each has one id,
  // and no two exercises share a number.
  EXPECT_EQ(harness.schema()
                .Exec("SELECT count(DISTINCT exercise) || ' ' || count(DISTINCT number) "
                      "FROM analytics_exercises")[0][0]
                .as<std::string>(),
            "5 5");
  EXPECT_EQ(harness.schema().Exec("SELECT count(*) FROM analytics_learners")[0][0].as<int>(), 37);
}

TEST(PostgresAnalyticsStore, ForgettingLeavesNoTraceAndUsesANewIdEachTime) {
  PostgresAnalyticsHarness harness;
  ASSERT_TRUE(harness.ok());
  ASSERT_TRUE(harness.store().Record(testing::SampleEvents()).ok());
  ASSERT_TRUE(harness.store().ForgetLearner("u3").ok());
  ASSERT_TRUE(harness.store().ForgetLearner("u1").ok());
  // The rollups keep integer learner ids; their names in analytics_learners are anonymous too.
  for (const char* table :
       {"attempt_events", "activity_events", "learner_days", "analytics_learners"}) {
    EXPECT_EQ(harness.schema()
                  .Exec(std::string("SELECT count(*) FROM ") + table +
                        " WHERE user_id IN ('u1', 'u3')")[0][0]
                  .as<int>(),
              0)
        << table;
  }
  // u3's three attempts and u1's four, under two different anonymous ids, without answers.
  const pqxx::result forgotten = harness.schema().Exec(
      "SELECT count(*), count(*) FILTER (WHERE answer = '') FROM attempt_events "
      "WHERE user_id LIKE 'anon\\_%' GROUP BY user_id ORDER BY 1");
  ASSERT_EQ(forgotten.size(), 2u);
  EXPECT_EQ(forgotten[0][0].as<int>(), 3);
  EXPECT_EQ(forgotten[0][1].as<int>(), 3);
  EXPECT_EQ(forgotten[1][0].as<int>(), 4);
  EXPECT_EQ(forgotten[1][1].as<int>(), 4);
  // Each anonymous id names the integer id that the learner's rollup rows hold.
  EXPECT_EQ(harness.schema()
                .Exec("SELECT count(DISTINCT d.learner) FROM learner_exercise_days d "
                      "JOIN analytics_learners l ON l.id = d.learner "
                      "WHERE l.user_id LIKE 'anon\\_%'")[0][0]
                .as<int>(),
            2);
  // u3's wrong answers are gone from the rollup, not left at zero.
  EXPECT_EQ(harness.schema()
                .Exec("SELECT count(*) FROM wrong_answer_days WHERE wrong <= 0")[0][0]
                .as<int>(),
            0);
}

// The SQL that buckets days must agree with common/calendar.h, before 1970 too.
TEST(PostgresAnalyticsStore, TheCalendarInSqlAgreesWithCommonCalendar) {
  PostgresAnalyticsHarness harness;
  ASSERT_TRUE(harness.ok());
  const pqxx::result rows = harness.schema().Exec(
      "SELECT s, analytics_day(s), analytics_week(analytics_day(s)), "
      "analytics_month(analytics_day(s)) "
      "FROM generate_series(-90000000::bigint, 90000000::bigint, 43201) AS s");
  ASSERT_GT(rows.size(), 4000u);
  for (const pqxx::row& row : rows) {
    const auto seconds = row[0].as<int64_t>();
    const int64_t day = EpochDay(seconds);
    ASSERT_EQ(row[1].as<int64_t>(), day) << seconds;
    ASSERT_EQ(row[2].as<int64_t>(), WeekStart(day)) << FormatDay(day);
    ASSERT_EQ(row[3].as<int64_t>(), MonthStart(day)) << FormatDay(day);
  }
}

TEST(PostgresAnalyticsStore, OpenRefusesAnUnmigratedDatabase) {
  TestSchema schema;
  Result<std::unique_ptr<PostgresAnalyticsStore>> opened =
      PostgresAnalyticsStore::Open(schema.url());
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kConflict);
  EXPECT_NE(opened.error().message.find("practica migrate"), std::string::npos);
}

// Random events, recorded out of order, in overlapping batches, some twice, with learners
// forgotten on the way: every query must answer what the SQLite adapter answers, which reads the
// events themselves where this adapter reads its rollups.
class RandomEvents {
 public:
  // Learners try each of `exercises` exercises ("e1", "e2", …) with chance `tries`.
  explicit RandomEvents(uint32_t seed, int exercises = 5, double tries = 0.7)
      : random_(seed), exercises_(exercises), tries_(tries) {}

  EventBatch Make() {
    EventBatch all;
    for (int u = 0; u < 40; ++u) {
      const std::string user = "u" + std::to_string(u);
      const int64_t start = D + Uniform(0, 40);
      if (Chance(0.8)) {
        all.activity.push_back(
            {Id(), ActivityKind::kSignUp, user, "", "", At(start - Uniform(0, 20), 8)});
      }
      all.activity.push_back({Id(), ActivityKind::kLogin, user, "", "", At(start, 8)});
      all.activity.push_back({EnrolmentEventId(user, "algebra"), ActivityKind::kEnrolment, user,
                              "algebra", "", At(start, 9)});
      for (const char* lesson : {"one", "two", "three"}) {
        if (Chance(0.6)) {
          all.activity.push_back({Id(), ActivityKind::kLessonView, user, "algebra", lesson,
                                  At(start + Uniform(0, 10), 10)});
        }
      }
      for (int e = 1; e <= exercises_; ++e) {
        const std::string exercise = "e" + std::to_string(e);
        if (!Chance(tries_)) continue;
        int64_t day = start + Uniform(0, 12);
        const int64_t tries = Uniform(1, 4);
        for (int number = 1; number <= tries; ++number) {
          AttemptEvent attempt;
          attempt.event_id = Id();
          attempt.user_id = user;
          attempt.course = Chance(0.9) ? "algebra" : "other";
          attempt.lesson = "one";
          attempt.exercise = exercise;
          attempt.exercise_version = "v1";
          attempt.attempt_number = number;
          attempt.correct = Chance(0.5);
          attempt.score = attempt.correct ? 1.0 : 0.25 * static_cast<double>(Uniform(0, 3));
          attempt.answer = attempt.correct ? "\"ok\"" : kWrong[static_cast<size_t>(Uniform(0, 3))];
          attempt.time_taken_ms = Chance(0.1) ? -1 : Uniform(500, 90000);
          day += Chance(0.3) ? Uniform(1, 9) : 0;  // a retry on a later day, or a review
          attempt.occurred_at = At(day, static_cast<int>(Uniform(0, 23)));
          all.attempts.push_back(std::move(attempt));
        }
      }
    }
    return all;
  }

  // The events in a random order, in batches of random sizes; about one in ten events twice.
  std::vector<EventBatch> Batches(const EventBatch& all) {
    std::vector<AttemptEvent> attempts = all.attempts;
    std::vector<ActivityEvent> activity = all.activity;
    for (size_t i = 0; i < all.attempts.size() / 10; ++i) {
      attempts.push_back(all.attempts[static_cast<size_t>(
          Uniform(0, static_cast<int64_t>(all.attempts.size()) - 1))]);
    }
    std::shuffle(attempts.begin(), attempts.end(), random_);
    std::shuffle(activity.begin(), activity.end(), random_);
    std::vector<EventBatch> batches;
    size_t a = 0, b = 0;
    while (a < attempts.size() || b < activity.size()) {
      EventBatch batch;
      for (int64_t n = Uniform(1, 60); n > 0 && a < attempts.size(); --n) {
        batch.attempts.push_back(attempts[a++]);
      }
      for (int64_t n = Uniform(0, 20); n > 0 && b < activity.size(); --n) {
        batch.activity.push_back(activity[b++]);
      }
      batches.push_back(std::move(batch));
    }
    return batches;
  }

 private:
  static inline const std::string kWrong[] = {"\"b\"", "\"c\"", "\"B\"", ""};

  int64_t Uniform(int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(random_);
  }
  bool Chance(double p) { return std::bernoulli_distribution(p)(random_); }
  std::string Id() { return "ev" + std::to_string(next_id_++); }

  std::mt19937_64 random_;
  int exercises_;
  double tries_;
  int next_id_ = 0;
};

void ExpectSameItems(const std::vector<ItemMoments>& actual,
                     const std::vector<ItemMoments>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    const ItemMoments& a = actual[i];
    const ItemMoments& e = expected[i];
    SCOPED_TRACE(e.exercise);
    EXPECT_EQ(a.exercise, e.exercise);
    EXPECT_EQ(a.attempts, e.attempts);
    EXPECT_EQ(a.learners, e.learners);
    EXPECT_EQ(a.first_attempts, e.first_attempts);
    // Sums of the same terms in another order: equal up to rounding.
    for (auto [x, y] : {std::pair{a.sum_x, e.sum_x},
                        {a.sum_xx, e.sum_xx},
                        {a.sum_y, e.sum_y},
                        {a.sum_yy, e.sum_yy},
                        {a.sum_xy, e.sum_xy}}) {
      EXPECT_NEAR(x, y, 1e-9 * std::max(1.0, std::abs(y)));
    }
    EXPECT_EQ(a.median_time_ms, e.median_time_ms);
    EXPECT_EQ(a.wrong_answers, e.wrong_answers);
  }
}

// Every query of `postgres`, for each exercise list and lesson map over ranges around kFirstDay,
// answers as `sqlite` (which reads the events themselves) does.
void ExpectSameAnswers(AnalyticsStore& postgres, AnalyticsStore& sqlite,
                       const std::vector<std::vector<std::string>>& lists,
                       const std::vector<std::vector<LessonExercises>>& lesson_maps) {
  const std::vector<DayRange> ranges = {
      {D - 30, D + 90}, {D + 10, D + 30}, {D + 25, D + 25}, {D + 3, D + 47}, {D - 60, D - 40}};
  for (const DayRange& range : ranges) {
    SCOPED_TRACE(FormatDay(range.first_day) + " to " + FormatDay(range.last_day));
    for (const std::vector<std::string>& list : lists) {
      Result<std::vector<ItemMoments>> items = postgres.ItemStatistics("algebra", list, range);
      Result<std::vector<ItemMoments>> expected_items =
          sqlite.ItemStatistics("algebra", list, range);
      ASSERT_TRUE(items.ok()) << items.error().message;
      ASSERT_TRUE(expected_items.ok());
      ExpectSameItems(*items, *expected_items);

      Result<CompletionSeries> completions = postgres.Completions("algebra", list, range);
      Result<CompletionSeries> expected_completions = sqlite.Completions("algebra", list, range);
      ASSERT_TRUE(completions.ok()) << completions.error().message;
      ASSERT_TRUE(expected_completions.ok());
      EXPECT_EQ(completions->before, expected_completions->before);
      EXPECT_EQ(completions->by_day, expected_completions->by_day);
    }
    for (const std::vector<LessonExercises>& lessons : lesson_maps) {
      Result<std::vector<FunnelStep>> funnel = postgres.Funnel("algebra", lessons, range);
      Result<std::vector<FunnelStep>> expected_funnel = sqlite.Funnel("algebra", lessons, range);
      ASSERT_TRUE(funnel.ok()) << funnel.error().message;
      ASSERT_TRUE(expected_funnel.ok());
      EXPECT_EQ(*funnel, *expected_funnel);
    }
    for (const Interval interval : {Interval::kDay, Interval::kWeek, Interval::kMonth}) {
      Result<std::vector<DayCount>> active = postgres.ActiveLearners("algebra", interval, range);
      Result<std::vector<DayCount>> expected_active =
          sqlite.ActiveLearners("algebra", interval, range);
      ASSERT_TRUE(active.ok()) << active.error().message;
      ASSERT_TRUE(expected_active.ok());
      EXPECT_EQ(*active, *expected_active) << ToString(interval);
    }
    Result<std::vector<Cohort>> cohorts = postgres.Retention("algebra", range);
    Result<std::vector<Cohort>> expected_cohorts = sqlite.Retention("algebra", range);
    ASSERT_TRUE(cohorts.ok()) << cohorts.error().message;
    ASSERT_TRUE(expected_cohorts.ok());
    EXPECT_EQ(*cohorts, *expected_cohorts);
  }
}

TEST(PostgresAnalyticsStore, AnswersAsTheSqliteAdapterDoesOnRandomEvents) {
  for (uint32_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    PostgresAnalyticsHarness postgres;
    ASSERT_TRUE(postgres.ok());
    TempDir dir;
    Result<std::unique_ptr<sqlite::SqliteAnalyticsStore>> opened =
        sqlite::SqliteAnalyticsStore::Open(dir.path() / "analytics.db");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    AnalyticsStore& sqlite = **opened;

    RandomEvents random(seed);
    const EventBatch all = random.Make();
    const std::vector<EventBatch> batches = random.Batches(all);
    for (size_t i = 0; i < batches.size(); ++i) {
      ASSERT_TRUE(postgres.store().Record(batches[i]).ok());
      ASSERT_TRUE(sqlite.Record(batches[i]).ok());
      if (i == batches.size() / 2) {
        for (AnalyticsStore* store : {static_cast<AnalyticsStore*>(&postgres.store()), &sqlite}) {
          ASSERT_TRUE(store->ForgetLearner("u7").ok());
          ASSERT_TRUE(store->ForgetLearner("u8").ok());
        }
      }
    }

    ExpectSameAnswers(postgres.store(), sqlite,
                      {{"e1", "e2", "e3", "e4", "e5", "e9"}, {"e4", "e2"}, {}},
                      {{{"one", {"e1", "e2"}}, {"two", {"e3", "e4", "e5"}}, {"three", {}}},
                       {{"two", {"e5", "e5", "e1"}}, {"one", {"e2"}}, {"four", {"e3"}}}});
  }
}

// More exercises than a 64-bit word holds (the funnel's bit strings), lessons on both sides of
// bit 64, and exercises no one attempted.
TEST(PostgresAnalyticsStore, ACourseOfManyExercisesAnswersAsTheSqliteAdapterDoes) {
  PostgresAnalyticsHarness postgres;
  ASSERT_TRUE(postgres.ok());
  TempDir dir;
  Result<std::unique_ptr<sqlite::SqliteAnalyticsStore>> opened =
      sqlite::SqliteAnalyticsStore::Open(dir.path() / "analytics.db");
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  AnalyticsStore& sqlite = **opened;
  RandomEvents random(5, 130, 0.15);
  for (const EventBatch& batch : random.Batches(random.Make())) {
    ASSERT_TRUE(postgres.store().Record(batch).ok());
    ASSERT_TRUE(sqlite.Record(batch).ok());
  }
  auto names = [](int first, int last) {
    std::vector<std::string> exercises;
    for (int e = first; e <= last; ++e) exercises.push_back("e" + std::to_string(e));
    return exercises;
  };
  ExpectSameAnswers(postgres.store(), sqlite, {names(1, 130), names(60, 70), names(1, 140)},
                    {{{"one", names(1, 3)},
                      {"two", names(62, 67)},
                      {"three", names(120, 121)},
                      {"four", names(129, 131)}},
                     {{"all", names(1, 130)}, {"edge", {"e64", "e65"}}}});
}

// What `practica migrate` does to a database that version 3 has filled: the integer ids and the
// rebuilt rollups answer every query as before, and recording goes on from there (new learners
// and exercises get ids after the ones the migration gave).
TEST(PostgresAnalyticsStore, MigratingFromVersion3KeepsEveryAnswer) {
  TestSchema schema;
  ASSERT_TRUE(MigratePostgres(schema.url(), Migrations().first(3)).ok());
  TempDir dir;
  Result<std::unique_ptr<sqlite::SqliteAnalyticsStore>> opened =
      sqlite::SqliteAnalyticsStore::Open(dir.path() / "analytics.db");
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  AnalyticsStore& sqlite = **opened;

  RandomEvents random(6, 80, 0.3);
  const EventBatch all = random.Make();
  EventBatch before, after;  // the events of the first 20 learners, and the rest
  for (const AttemptEvent& event : all.attempts) {
    (std::stoi(event.user_id.substr(1)) < 20 ? before : after).attempts.push_back(event);
  }
  for (const ActivityEvent& event : all.activity) {
    (std::stoi(event.user_id.substr(1)) < 20 ? before : after).activity.push_back(event);
  }
  // Version 3's tables, filled as its Record filled them, and u7 forgotten as it forgot.
  auto quote = [](const std::string& text) {
    std::string quoted = "'";
    for (const char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    return quoted + "'";
  };
  std::string sql;
  for (const AttemptEvent& a : before.attempts) {
    char score[32];
    std::snprintf(score, sizeof score, "%.17g", a.score);
    sql += "INSERT INTO attempt_events VALUES (" + quote(a.event_id) + ", " + quote(a.user_id) +
           ", " + quote(a.course) + ", " + quote(a.lesson) + ", " + quote(a.exercise) + ", " +
           quote(a.exercise_version) + ", " + std::to_string(a.attempt_number) + ", " + score +
           ", " + (a.correct ? "true" : "false") + ", " + quote(a.answer) + ", " +
           (a.time_taken_ms < 0 ? std::string("NULL") : std::to_string(a.time_taken_ms)) + ", " +
           std::to_string(a.occurred_at) + ");\n";
  }
  for (const ActivityEvent& a : before.activity) {
    sql += "INSERT INTO activity_events VALUES (" + quote(a.event_id) + ", " +
           quote(std::string(ToString(a.kind))) + ", " + quote(a.user_id) + ", " + quote(a.course) +
           ", " + quote(a.lesson) + ", " + std::to_string(a.occurred_at) + ");\n";
  }
  sql += R"sql(
INSERT INTO learner_days
SELECT DISTINCT course, analytics_day(occurred_at), user_id FROM (
  SELECT course, occurred_at, user_id FROM attempt_events
  UNION ALL SELECT course, occurred_at, user_id FROM activity_events WHERE course <> '') e;
INSERT INTO learner_exercise_days
SELECT course, user_id, exercise, analytics_day(occurred_at), bool_or(correct),
  count(*) FILTER (WHERE attempt_number = 1),
  coalesce(sum(score) FILTER (WHERE attempt_number = 1), 0)
FROM attempt_events GROUP BY 1, 2, 3, 4;
INSERT INTO exercise_days
SELECT course, exercise, analytics_day(occurred_at), count(*), count(time_taken_ms),
  count(*) FILTER (WHERE attempt_number = 1),
  coalesce(sum(score) FILTER (WHERE attempt_number = 1), 0),
  coalesce(sum(score * score) FILTER (WHERE attempt_number = 1), 0)
FROM attempt_events GROUP BY 1, 2, 3;
UPDATE attempt_events SET user_id = 'anon_u7', answer = '' WHERE user_id = 'u7';
UPDATE activity_events SET user_id = 'anon_u7' WHERE user_id = 'u7';
UPDATE learner_days SET user_id = 'anon_u7' WHERE user_id = 'u7';
UPDATE learner_exercise_days SET user_id = 'anon_u7' WHERE user_id = 'u7';
)sql";
  schema.Exec(sql);
  ASSERT_TRUE(sqlite.Record(before).ok());
  ASSERT_TRUE(sqlite.ForgetLearner("u7").ok());

  Result<MigrationReport> migrated = MigratePostgres(schema.url());
  ASSERT_TRUE(migrated.ok()) << migrated.error().message;
  EXPECT_EQ(migrated->to_version, 4);
  Result<std::unique_ptr<PostgresAnalyticsStore>> store =
      PostgresAnalyticsStore::Open(schema.url());
  ASSERT_TRUE(store.ok()) << store.error().message;
  const std::vector<std::vector<std::string>> lists = {{"e1", "e2", "e3", "e40", "e79", "e80"},
                                                       {"e5", "e3"}};
  const std::vector<std::vector<LessonExercises>> lessons = {
      {{"one", {"e1", "e2"}}, {"two", {"e3", "e4", "e5"}}, {"three", {}}},
      {{"late", {"e70", "e80"}}}};
  {
    SCOPED_TRACE("migrated");
    ExpectSameAnswers(**store, sqlite, lists, lessons);
  }
  for (const EventBatch& batch : random.Batches(after)) {
    ASSERT_TRUE((*store)->Record(batch).ok());
    ASSERT_TRUE(sqlite.Record(batch).ok());
  }
  SCOPED_TRACE("recorded after");
  ExpectSameAnswers(**store, sqlite, lists, lessons);
}

}  // namespace
}  // namespace practica::store::postgres
