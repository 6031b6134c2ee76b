#include "store/postgres/postgres_analytics_store.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <limits>
#include <map>
#include <optional>
#include <pqxx/result>
#include <pqxx/row>
#include <set>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/calendar.h"
#include "store/analytics_checks.h"
#include "store/postgres/connection_pool.h"
#include "store/postgres/schema.h"
#include "store/postgres/statements.h"

namespace practica::store::postgres {
namespace {

namespace json = boost::json;
using Transaction = pqxx::transaction_base;

// The SQL, in one place; every connection prepares all of it (kStatements). Ranges are
// [$begin, $end) in Unix seconds (DayRange::Begin and End) or [$first_day, $last_day] in epoch
// days; lists travel as arrays. The comment over each query names the index it reads
// (migrations.cc, version 2).

// A batch per table: parallel arrays, one element per event. The events that were new feed the
// rollups (migrations.cc, version 2): course events only, as sign-ups and logins have no course.
constexpr PreparedStatement kInsertAttempts{"insert_attempt_events", R"sql(
WITH inserted AS (
  INSERT INTO attempt_events (event_id, user_id, course, lesson, exercise, exercise_version,
    attempt_number, score, correct, answer, time_taken_ms, occurred_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
    $7::integer[], $8::double precision[], $9::boolean[], $10::text[], $11::bigint[],
    $12::bigint[])
  ON CONFLICT (event_id) DO NOTHING
  RETURNING course, user_id, exercise, attempt_number, score, correct, time_taken_ms,
    analytics_day(occurred_at) AS day),
active AS (
  INSERT INTO learner_days (course, day, user_id)
  SELECT DISTINCT course, day, user_id FROM inserted ORDER BY 1, 2, 3
  ON CONFLICT DO NOTHING),
exercises AS (
  INSERT INTO exercise_days AS t (course, exercise, day, attempts, timed, first_attempts,
    first_scores, first_squares)
  SELECT course, exercise, day, count(*), count(time_taken_ms),
    count(*) FILTER (WHERE attempt_number = 1),
    coalesce(sum(score) FILTER (WHERE attempt_number = 1), 0),
    coalesce(sum(score * score) FILTER (WHERE attempt_number = 1), 0)
  FROM inserted GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (course, exercise, day) DO UPDATE SET
    attempts = t.attempts + EXCLUDED.attempts, timed = t.timed + EXCLUDED.timed,
    first_attempts = t.first_attempts + EXCLUDED.first_attempts,
    first_scores = t.first_scores + EXCLUDED.first_scores,
    first_squares = t.first_squares + EXCLUDED.first_squares)
INSERT INTO learner_exercise_days AS t (course, user_id, exercise, day, solved, first_attempts,
  first_scores)
SELECT course, user_id, exercise, day, bool_or(correct),
  count(*) FILTER (WHERE attempt_number = 1),
  coalesce(sum(score) FILTER (WHERE attempt_number = 1), 0)
FROM inserted GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
ON CONFLICT (course, user_id, exercise, day) DO UPDATE SET
  solved = t.solved OR EXCLUDED.solved, first_attempts = t.first_attempts + EXCLUDED.first_attempts,
  first_scores = t.first_scores + EXCLUDED.first_scores)sql"};
constexpr PreparedStatement kInsertActivity{"insert_activity_events", R"sql(
WITH inserted AS (
  INSERT INTO activity_events (event_id, kind, user_id, course, lesson, occurred_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
    $6::bigint[])
  ON CONFLICT (event_id) DO NOTHING
  RETURNING course, occurred_at, user_id)
INSERT INTO learner_days (course, day, user_id)
SELECT DISTINCT course, analytics_day(occurred_at), user_id FROM inserted WHERE course <> ''
ORDER BY 1, 2, 3
ON CONFLICT DO NOTHING)sql"};

// Before each query, for its transaction only:
//   plan_cache_mode  plans made for the actual parameters: a generic plan cannot hash the
//                    `= ANY ($list)` filters and scans the list for every row (4x slower on a
//                    course of 60 exercises);
//   random_page_cost 1.1, as on SSD storage (RDS): at the default 4 the planner prefers a
//                    sequential scan and a hash aggregate over all courses to the course's
//                    index range read in the order of the grouping, which measured twice as slow;
//   work_mem         room for the hashes of a year of a big course;
//   jit              off: a course about four times the bench's biggest would cost the planner
//                    more than jit_above_cost (ItemStatistics over its year costs 27,000 now),
//                    and twenty times more than the optimising and inlining thresholds; then
//                    compiling with LLVM would take longer than running (ItemStatistics with
//                    JIT forced on: 7 ms more CPU, 280 ms more with optimisation and inlining).
constexpr PreparedStatement kQuerySettings{"analytics_query_settings", R"sql(
SELECT set_config('plan_cache_mode', 'force_custom_plan', true),
  set_config('random_page_cost', '1.1', true), set_config('work_mem', '32MB', true),
  set_config('jit', 'off', true))sql"};

// $1 course, $2 first day, $3 last day, $4 the exercises, $5 begin, $6 end, $7 kTopWrongAnswers.
// One row per exercise with attempts in the range: attempts, learners, the median time (NULL
// without a known time), the moments of the first attempts, the most common wrong answers and
// their counts (a JSON array of [answer, count], most common first; NULL without any: JSON rather
// than two arrays because libpqxx 6's array parser takes an element that starts with ' for a
// quoted string, and answers are anything).
//   sums     exercise_days: attempts, known times, and n, Σx, Σx² of the first attempts;
//   coupled  one pass over learner_exercise_days in its key's order (learner, exercise, day),
//            with one window per learner over rows that come sorted already: T, the learner's
//            total of first scores, and whether a row starts a new exercise (learners). With
//            y = T - x for each first attempt, Σy = Σ nT - Σx, Σxy = Σ xT - Σx² and
//            Σy² = Σ nT² - 2 Σ xT + Σx², where a row holds n first attempts of score sum x:
//            three sums per row, the fewest that give every moment (each costs here);
//   median   the lower middle, row (timed + 1) / 2 of the exercise's known times in the range,
//            read in order from attempt_events_times;
//   wrong    attempt_events_wrong_answers, in (exercise, answer) order.
constexpr PreparedStatement kItemMoments{"analytics_item_moments", R"sql(
WITH sums AS (
  SELECT exercise, sum(attempts)::bigint AS attempts, sum(timed)::bigint AS timed,
    sum(first_attempts)::bigint AS n, sum(first_scores) AS sx, sum(first_squares) AS sxx
  FROM exercise_days
  WHERE course = $1 AND day >= $2 AND day <= $3 AND exercise = ANY ($4::text[])
  GROUP BY exercise),
totals AS (
  SELECT exercise, first_attempts, first_scores, sum(first_scores) OVER learner AS total,
    lag(exercise) OVER learner IS DISTINCT FROM exercise AS new_learner
  FROM learner_exercise_days
  WHERE course = $1 AND day >= $2 AND day <= $3 AND exercise = ANY ($4::text[])
  WINDOW learner AS (PARTITION BY user_id ORDER BY exercise, day
    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)),
coupled AS (
  SELECT exercise, count(*) FILTER (WHERE new_learner) AS learners,
    sum(first_attempts * total) AS nt, sum(first_attempts * total * total) AS ntt,
    sum(first_scores * total) AS xt
  FROM totals GROUP BY exercise),
wrong AS (
  SELECT exercise, answer, count(*) AS n,
    row_number() OVER (PARTITION BY exercise ORDER BY count(*) DESC, answer) AS place
  FROM attempt_events
  WHERE course = $1 AND NOT correct AND answer <> '' AND occurred_at >= $5 AND occurred_at < $6
    AND exercise = ANY ($4::text[])
  GROUP BY exercise, answer),
top AS (
  SELECT exercise, json_agg(json_build_array(answer, n) ORDER BY place) AS answers
  FROM wrong WHERE place <= $7 GROUP BY exercise)
SELECT s.exercise, s.attempts, c.learners,
  CASE WHEN s.timed > 0 THEN (
    SELECT a.time_taken_ms FROM attempt_events a
    WHERE a.course = $1 AND a.exercise = s.exercise AND a.time_taken_ms IS NOT NULL
      AND a.occurred_at >= $5 AND a.occurred_at < $6
    ORDER BY a.time_taken_ms OFFSET (s.timed - 1) / 2 LIMIT 1) END,
  s.n, s.sx, s.sxx, c.nt - s.sx, c.ntt - 2 * c.xt + s.sxx, c.xt - s.sxx, t.answers
FROM sums s JOIN coupled c USING (exercise) LEFT JOIN top t USING (exercise))sql"};

// $1 course, $2 first day, $3 last day, $4 begin, $5 end, $6 and $7 the lesson of each exercise
// (parallel arrays, no pair twice), $8 and $9 each of those lessons and its number of exercises.
// One row per lesson with a view or an attempt: viewed, attempted, completed (all of its
// exercises answered correctly).
//   tried    learner_exercise_days in (user_id, exercise) order: one group per learner and
//            exercise without a sort;
//   viewed   activity_events_lesson_views, in (lesson, user_id) order.
constexpr PreparedStatement kFunnel{"analytics_funnel", R"sql(
WITH map AS (
  SELECT lesson, exercise FROM unnest($6::text[], $7::text[]) AS m(lesson, exercise)),
sizes AS (
  SELECT lesson, size FROM unnest($8::text[], $9::bigint[]) AS s(lesson, size)),
tried AS (
  SELECT user_id, exercise, bool_or(solved) AS solved FROM learner_exercise_days
  WHERE course = $1 AND day >= $2 AND day <= $3
  GROUP BY user_id, exercise),
per_learner AS (
  SELECT m.lesson, count(*) FILTER (WHERE t.solved) AS solved
  FROM tried t JOIN map m USING (exercise) GROUP BY m.lesson, t.user_id),
attempted AS (
  SELECT lesson, count(*) AS attempted, count(*) FILTER (WHERE p.solved = s.size) AS completed
  FROM per_learner p JOIN sizes s USING (lesson) GROUP BY lesson),
viewed AS (
  SELECT lesson, count(DISTINCT user_id) AS viewed FROM activity_events
  WHERE course = $1 AND kind = 'lesson_view' AND occurred_at >= $4 AND occurred_at < $5
  GROUP BY lesson)
SELECT lesson, coalesce(v.viewed, 0), coalesce(a.attempted, 0), coalesce(a.completed, 0)
FROM viewed v FULL JOIN attempted a USING (lesson))sql"};

// $1 course, $2 the range's last day, $3 the exercises, $4 how many distinct ones. Completions
// per epoch day up to the range's end: a learner completes when every exercise has a correct
// attempt, on the day of the latest of those first correct attempts. learner_exercise_days in
// (user_id, exercise) order: both groupings stream without a sort.
constexpr PreparedStatement kCompletions{"analytics_completions", R"sql(
WITH firsts AS (
  SELECT user_id, exercise, min(day) AS solved_on FROM learner_exercise_days
  WHERE course = $1 AND solved AND day <= $2 AND exercise = ANY ($3::text[])
  GROUP BY user_id, exercise),
done AS (
  SELECT max(solved_on) AS day FROM firsts GROUP BY user_id HAVING count(*) = $4)
SELECT day, count(*) FROM done GROUP BY day ORDER BY day)sql"};

// $1 course, $2 first day, $3 last day, $4 'day', 'week' or 'month'. Distinct learners per
// period, from the rollup (its primary key, in day order).
constexpr PreparedStatement kActiveLearners{"analytics_active_learners", R"sql(
SELECT CASE $4 WHEN 'week' THEN analytics_week(day) WHEN 'month' THEN analytics_month(day)
  ELSE day END AS period, count(DISTINCT user_id)
FROM learner_days WHERE course = $1 AND day >= $2 AND day <= $3
GROUP BY period ORDER BY period)sql"};

// $1 course, $2 the Monday of the range's first week, $3 of its last week, $4 the range's last
// day. Each learner of the course with their cohort week (of the sign-up, from
// activity_events_signups, else of the first day in the course), then rows (cohort week, -1,
// learners) and (cohort week, k, retained in week k), from the rollup.
constexpr PreparedStatement kRetention{"analytics_retention", R"sql(
WITH active AS (
  SELECT DISTINCT user_id, analytics_week(day) AS week FROM learner_days
  WHERE course = $1 AND day <= $4),
learners AS (
  SELECT a.user_id, coalesce(analytics_week(analytics_day(min(s.occurred_at))), min(a.week))
    AS cohort
  FROM active a LEFT JOIN activity_events s ON s.user_id = a.user_id AND s.kind = 'signup'
  GROUP BY a.user_id),
cohorts AS (
  SELECT user_id, cohort FROM learners WHERE cohort >= $2 AND cohort <= $3)
SELECT cohort, -1 AS k, count(*) FROM cohorts GROUP BY cohort
UNION ALL
SELECT c.cohort, (a.week - c.cohort) / 7, count(*)
FROM cohorts c JOIN active a USING (user_id) WHERE a.week >= c.cohort
GROUP BY c.cohort, a.week
ORDER BY 1, 2)sql"};

// $1 course, $2 before, $3 and $4 the position to start after (occurred_at, event_id), $5 the
// page size. A range read of attempt_events_by_course (migrations.cc, version 3) from the
// position's time on (the planner takes occurred_at >= $3 from the row comparison, which then
// filters out what the previous page held), in time order; an incremental sort puts each
// second's events in event_id order, and the LIMIT stops the read.
constexpr PreparedStatement kListAttempts{"list_attempt_events", R"sql(
SELECT event_id, user_id, lesson, exercise, exercise_version, attempt_number, score, correct,
  answer, time_taken_ms, occurred_at
FROM attempt_events
WHERE course = $1 AND occurred_at < $2 AND (occurred_at, event_id) > ($3, $4)
ORDER BY occurred_at, event_id LIMIT $5)sql"};

constexpr PreparedStatement kForgetAttempts{
    "forget_attempt_events",
    "UPDATE attempt_events SET user_id = $2, answer = '' WHERE user_id = $1"};
constexpr PreparedStatement kForgetActivity{
    "forget_activity_events", "UPDATE activity_events SET user_id = $2 WHERE user_id = $1"};
constexpr PreparedStatement kForgetLearnerDays{
    "forget_learner_days", "UPDATE learner_days SET user_id = $2 WHERE user_id = $1"};
constexpr PreparedStatement kForgetLearnerExerciseDays{
    "forget_learner_exercise_days",
    "UPDATE learner_exercise_days SET user_id = $2 WHERE user_id = $1"};
constexpr PreparedStatement kPing{"ping", "SELECT 1"};

constexpr std::array kStatements = {
    kInsertAttempts,
    kInsertActivity,
    kQuerySettings,
    kItemMoments,
    kFunnel,
    kCompletions,
    kActiveLearners,
    kRetention,
    kListAttempts,
    kForgetAttempts,
    kForgetActivity,
    kForgetLearnerDays,
    kForgetLearnerExerciseDays,
    kPing,
};

// The batch without repeated events (the first of an id stands, as if they had been recorded one
// after another), in event_id order: concurrent batches that share events then take their locks
// in one order.
template <class Event>
std::vector<const Event*> Distinct(const std::vector<Event>& events) {
  std::vector<const Event*> distinct;
  distinct.reserve(events.size());
  std::unordered_set<std::string_view> seen;
  for (const Event& event : events) {
    if (seen.insert(event.event_id).second) distinct.push_back(&event);
  }
  std::sort(distinct.begin(), distinct.end(),
            [](const Event* a, const Event* b) { return a->event_id < b->event_id; });
  return distinct;
}

void InsertAttempts(Transaction& transaction, const std::vector<AttemptEvent>& events) {
  if (events.empty()) return;
  std::array<ArrayLiteral, 12> columns;
  for (const AttemptEvent* event : Distinct(events)) {
    columns[0].AddText(event->event_id);
    columns[1].AddText(event->user_id);
    columns[2].AddText(event->course);
    columns[3].AddText(event->lesson);
    columns[4].AddText(event->exercise);
    columns[5].AddText(event->exercise_version);
    columns[6].AddInt(event->attempt_number);
    columns[7].AddDouble(event->score);
    columns[8].AddBool(event->correct);
    columns[9].AddText(event->answer);
    if (event->time_taken_ms >= 0) {
      columns[10].AddInt(event->time_taken_ms);
    } else {
      columns[10].AddNull();
    }
    columns[11].AddInt(event->occurred_at);
  }
  std::array<std::string, 12> arrays;
  for (size_t i = 0; i < columns.size(); ++i) arrays[i] = std::move(columns[i]).Take();
  Exec(transaction, kInsertAttempts, arrays[0], arrays[1], arrays[2], arrays[3], arrays[4],
       arrays[5], arrays[6], arrays[7], arrays[8], arrays[9], arrays[10], arrays[11]);
}

void InsertActivity(Transaction& transaction, const std::vector<ActivityEvent>& events) {
  if (events.empty()) return;
  std::array<ArrayLiteral, 6> columns;
  for (const ActivityEvent* event : Distinct(events)) {
    columns[0].AddText(event->event_id);
    columns[1].AddText(ToString(event->kind));
    columns[2].AddText(event->user_id);
    columns[3].AddText(event->course);
    columns[4].AddText(event->lesson);
    columns[5].AddInt(event->occurred_at);
  }
  std::array<std::string, 6> arrays;
  for (size_t i = 0; i < columns.size(); ++i) arrays[i] = std::move(columns[i]).Take();
  Exec(transaction, kInsertActivity, arrays[0], arrays[1], arrays[2], arrays[3], arrays[4],
       arrays[5]);
}

// The most common wrong answers from their JSON, [[answer, count], …]; none for NULL.
Result<std::vector<AnswerCount>> ReadWrongAnswers(const pqxx::field& field) {
  std::vector<AnswerCount> answers;
  if (field.is_null()) return answers;
  const Error malformed =
      Error::Internal("PostgreSQL answered wrong answers that are not [answer, count] pairs");
  boost::system::error_code error;
  const json::value parsed = json::parse(field.c_str(), error);
  if (error || !parsed.is_array()) return malformed;
  for (const json::value& entry : parsed.get_array()) {
    const json::array* pair = entry.if_array();
    if (pair == nullptr || pair->size() != 2 || !(*pair)[0].is_string() || !(*pair)[1].is_int64()) {
      return malformed;
    }
    answers.push_back({std::string((*pair)[0].get_string()), (*pair)[1].get_int64()});
  }
  return answers;
}

// The distinct exercises of `exercises`, as a text array, and how many there are.
std::pair<std::string, int64_t> DistinctExercises(const std::vector<std::string>& exercises) {
  std::vector<std::string> distinct = exercises;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  return {TextArray(distinct), static_cast<int64_t>(distinct.size())};
}

// Runs `read(transaction)` after kQuerySettings, in one transaction (the settings end with it).
template <class Read>
auto Query(ConnectionPool& pool, Read&& read) {
  return pool.Transact([&](Transaction& transaction) {
    Exec(transaction, kQuerySettings);
    return read(transaction);
  });
}

}  // namespace

Result<std::unique_ptr<PostgresAnalyticsStore>> PostgresAnalyticsStore::Open(
    const std::string& connection_string, const PoolOptions& options) {
  return Open(FixedConnectionString(connection_string), options);
}

Result<std::unique_ptr<PostgresAnalyticsStore>> PostgresAnalyticsStore::Open(
    ConnectionSource source, const PoolOptions& options) {
  Result<std::unique_ptr<ConnectionPool>> pool =
      OpenStorePool(std::move(source), options, kStatements);
  if (!pool.ok()) return std::move(pool).error();
  return std::unique_ptr<PostgresAnalyticsStore>(
      new PostgresAnalyticsStore(std::move(pool).value()));
}

PostgresAnalyticsStore::PostgresAnalyticsStore(std::unique_ptr<ConnectionPool> pool)
    : pool_(std::move(pool)) {}

PostgresAnalyticsStore::~PostgresAnalyticsStore() = default;

Status PostgresAnalyticsStore::Record(const EventBatch& batch) {
  if (Status checked = CheckEventBatch(batch); !checked.ok()) return checked;
  if (batch.empty()) return Status::Ok();
  return pool_->Transact([&](Transaction& transaction) -> Status {
    InsertAttempts(transaction, batch.attempts);
    InsertActivity(transaction, batch.activity);
    return Status::Ok();
  });
}

Result<std::vector<ItemMoments>> PostgresAnalyticsStore::ItemStatistics(
    std::string_view course, const std::vector<std::string>& exercises, DayRange range) {
  std::vector<ItemMoments> items(exercises.size());
  std::multimap<std::string, ItemMoments*, std::less<>> by_id;
  for (size_t i = 0; i < exercises.size(); ++i) {
    items[i].exercise = exercises[i];
    by_id.emplace(exercises[i], &items[i]);
  }
  if (exercises.empty()) return items;
  const std::string list = DistinctExercises(exercises).first;
  return Query(*pool_, [&](Transaction& transaction) -> Result<std::vector<ItemMoments>> {
    const pqxx::result rows =
        Exec(transaction, kItemMoments, course, range.first_day, range.last_day, list,
             range.Begin(), range.End(), kTopWrongAnswers);
    for (const pqxx::row& row : rows) {
      ItemMoments moments;
      moments.exercise = row[0].as<std::string>();
      moments.attempts = row[1].as<int64_t>();
      moments.learners = row[2].as<int64_t>();
      if (!row[3].is_null()) moments.median_time_ms = row[3].as<int64_t>();
      moments.first_attempts = row[4].as<int64_t>();
      moments.sum_x = row[5].as<double>();
      moments.sum_xx = row[6].as<double>();
      moments.sum_y = row[7].as<double>();
      moments.sum_yy = row[8].as<double>();
      moments.sum_xy = row[9].as<double>();
      Result<std::vector<AnswerCount>> wrong = ReadWrongAnswers(row[10]);
      if (!wrong.ok()) return std::move(wrong).error();
      moments.wrong_answers = std::move(wrong).value();
      const auto [first, last] = by_id.equal_range(moments.exercise);
      for (auto it = first; it != last; ++it) *it->second = moments;
    }
    return items;
  });
}

Result<std::vector<FunnelStep>> PostgresAnalyticsStore::Funnel(
    std::string_view course, const std::vector<LessonExercises>& lessons, DayRange range) {
  std::vector<FunnelStep> steps(lessons.size());
  // Each lesson's distinct exercises (a lesson named twice counts once, with both lists).
  std::map<std::string, std::set<std::string>, std::less<>> exercises_of;
  for (size_t i = 0; i < lessons.size(); ++i) {
    steps[i].lesson = lessons[i].lesson;
    exercises_of[lessons[i].lesson].insert(lessons[i].exercises.begin(),
                                           lessons[i].exercises.end());
  }
  ArrayLiteral map_lessons, map_exercises, lesson_names, lesson_sizes;
  for (const auto& [lesson, exercises] : exercises_of) {
    lesson_names.AddText(lesson);
    lesson_sizes.AddInt(static_cast<int64_t>(exercises.size()));
    for (const std::string& exercise : exercises) {
      map_lessons.AddText(lesson);
      map_exercises.AddText(exercise);
    }
  }
  const std::string map_lesson_list = std::move(map_lessons).Take();
  const std::string map_exercise_list = std::move(map_exercises).Take();
  const std::string lesson_list = std::move(lesson_names).Take();
  const std::string size_list = std::move(lesson_sizes).Take();
  return Query(*pool_, [&](Transaction& transaction) -> Result<std::vector<FunnelStep>> {
    const pqxx::result rows =
        Exec(transaction, kFunnel, course, range.first_day, range.last_day, range.Begin(),
             range.End(), map_lesson_list, map_exercise_list, lesson_list, size_list);
    std::map<std::string, FunnelStep, std::less<>> counted;
    for (const pqxx::row& row : rows) {
      auto lesson = row[0].as<std::string>();
      counted[lesson] = {lesson, row[1].as<int64_t>(), row[2].as<int64_t>(), row[3].as<int64_t>()};
    }
    std::vector<FunnelStep> result = steps;
    for (FunnelStep& step : result) {
      if (auto it = counted.find(step.lesson); it != counted.end()) step = it->second;
      // A lesson without exercises is completed by viewing it.
      if (exercises_of.find(step.lesson)->second.empty()) step.completed = step.viewed;
    }
    return result;
  });
}

Result<CompletionSeries> PostgresAnalyticsStore::Completions(
    std::string_view course, const std::vector<std::string>& exercises, DayRange range) {
  if (exercises.empty()) return CompletionSeries{};  // nothing to complete: no one completes
  const auto [list, needed] = DistinctExercises(exercises);
  return Query(*pool_, [&](Transaction& transaction) -> Result<CompletionSeries> {
    CompletionSeries series;
    for (const pqxx::row& row :
         Exec(transaction, kCompletions, course, range.last_day, list, needed)) {
      const auto day = row[0].as<int64_t>();
      const auto count = row[1].as<int64_t>();
      if (day < range.first_day) {
        series.before += count;
      } else {
        series.by_day.push_back({day, count});
      }
    }
    return series;
  });
}

Result<std::vector<DayCount>> PostgresAnalyticsStore::ActiveLearners(std::string_view course,
                                                                     Interval interval,
                                                                     DayRange range) {
  return Query(*pool_, [&](Transaction& transaction) -> Result<std::vector<DayCount>> {
    std::vector<DayCount> counts;
    for (const pqxx::row& row : Exec(transaction, kActiveLearners, course, range.first_day,
                                     range.last_day, ToString(interval))) {
      counts.push_back({row[0].as<int64_t>(), row[1].as<int64_t>()});
    }
    return counts;
  });
}

Result<std::vector<Cohort>> PostgresAnalyticsStore::Retention(std::string_view course,
                                                              DayRange range) {
  const int64_t first_week = WeekStart(range.first_day);
  const int64_t last_week = WeekStart(range.last_day);
  return Query(*pool_, [&](Transaction& transaction) -> Result<std::vector<Cohort>> {
    std::vector<Cohort> cohorts;
    for (const pqxx::row& row :
         Exec(transaction, kRetention, course, first_week, last_week, range.last_day)) {
      const auto week = row[0].as<int64_t>();
      const auto k = row[1].as<int64_t>();
      const auto count = row[2].as<int64_t>();
      if (k < 0) {  // the cohort's row comes first (ORDER BY week, k)
        Cohort cohort;
        cohort.week = week;
        cohort.learners = count;
        cohort.retained.assign(static_cast<size_t>((last_week - week) / 7 + 1), 0);
        cohorts.push_back(std::move(cohort));
      } else if (!cohorts.empty() && cohorts.back().week == week &&
                 k < static_cast<int64_t>(cohorts.back().retained.size())) {
        cohorts.back().retained[static_cast<size_t>(k)] = count;
      }
    }
    return cohorts;
  });
}

Result<std::vector<AttemptEvent>> PostgresAnalyticsStore::ListAttemptEvents(
    std::string_view course, int64_t before, const std::optional<EventPosition>& after, int limit) {
  if (limit < 1) return Error::Invalid("limit must be at least 1");
  // Without a position, from before the first event: every event_id sorts after ''.
  const int64_t after_time = after ? after->occurred_at : std::numeric_limits<int64_t>::min();
  const std::string after_id = after ? after->event_id : std::string();
  return pool_->Autocommit([&](Transaction& transaction) -> Result<std::vector<AttemptEvent>> {
    std::vector<AttemptEvent> events;
    const pqxx::result rows =
        Exec(transaction, kListAttempts, course, before, after_time, after_id, limit);
    events.reserve(rows.size());
    for (const pqxx::row& row : rows) {
      events.push_back(AttemptEvent{.event_id = row[0].as<std::string>(),
                                    .user_id = row[1].as<std::string>(),
                                    .course = std::string(course),
                                    .lesson = row[2].as<std::string>(),
                                    .exercise = row[3].as<std::string>(),
                                    .exercise_version = row[4].as<std::string>(),
                                    .attempt_number = row[5].as<int>(),
                                    .score = row[6].as<double>(),
                                    .correct = row[7].as<bool>(),
                                    .answer = row[8].as<std::string>(),
                                    .time_taken_ms = row[9].is_null() ? -1 : row[9].as<int64_t>(),
                                    .occurred_at = row[10].as<int64_t>()});
    }
    return events;
  });
}

Status PostgresAnalyticsStore::ForgetLearner(std::string_view user_id) {
  const std::string anonymous = NewAnonymousLearnerId();
  return pool_->Transact([&](Transaction& transaction) -> Status {
    Exec(transaction, kForgetAttempts, user_id, anonymous);
    Exec(transaction, kForgetActivity, user_id, anonymous);
    Exec(transaction, kForgetLearnerDays, user_id, anonymous);
    Exec(transaction, kForgetLearnerExerciseDays, user_id, anonymous);
    return Status::Ok();
  });
}

Status PostgresAnalyticsStore::Ping() {
  return pool_->Autocommit([](Transaction& transaction) -> Status {
    Exec(transaction, kPing);
    return Status::Ok();
  });
}

}  // namespace practica::store::postgres
