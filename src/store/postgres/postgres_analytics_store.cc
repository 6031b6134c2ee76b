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
// (migrations.cc: the events and learner_days from version 2, the integer ids and the rollups
// that use them from version 4).

// Record, before it writes the attempts: the integer ids (migrations.cc, version 4) of their
// learners and exercises, which the rollups hold instead of the text ones.
//
// Before them, for the transaction: custom plans. A plan cached while analytics_learners was small
// scans it (a fresh database: the first batches of a stream), and kept after it grew, 20,000
// learners later, that made kLearnerIds 10 ms per batch instead of 0.8; planned for each batch,
// the lookups read the unique indexes.
constexpr PreparedStatement kRecordSettings{
    "analytics_record_settings", "SELECT set_config('plan_cache_mode', 'force_custom_plan', true)"};

// $1 user ids, each once. Adds those without an id and answers (user_id, id) for every one this
// statement can see: one a concurrent batch has just added, or one renamed by ForgetLearner
// meanwhile, is missing from the answer, and the next statement (a new snapshot) finds or adds
// it (FindLearners asks again for what is missing). Only new learners take ids from the sequence.
constexpr PreparedStatement kLearnerIds{"analytics_learner_ids", R"sql(
WITH added AS (
  INSERT INTO analytics_learners (user_id)
  SELECT u FROM unnest($1::text[]) AS u
  WHERE NOT EXISTS (SELECT FROM analytics_learners l WHERE l.user_id = u)
  ORDER BY u
  ON CONFLICT (user_id) DO NOTHING
  RETURNING user_id, id)
SELECT user_id, id FROM added
UNION ALL
SELECT user_id, id FROM analytics_learners WHERE user_id = ANY ($1::text[]))sql"};

// $1 courses and $2 exercises (parallel arrays): (course, exercise, course id, number) for those
// that have a number.
constexpr PreparedStatement kExerciseNumbers{"analytics_exercise_numbers", R"sql(
SELECT k.course, e.exercise, k.id, e.number
FROM unnest($1::text[], $2::text[]) AS w(course, exercise)
JOIN analytics_courses k ON k.course = w.course
JOIN analytics_exercises e ON e.course_id = k.id AND e.exercise = w.exercise)sql"};

// $1 courses and $2 exercises (parallel arrays, each pair once) that have no number yet. Each
// course hands out a block of numbers from its counter, whose row (locked by the upsert, in
// course order) serialises concurrent batches, so blocks never overlap; an exercise that a
// concurrent batch numbered first keeps that number, and the one given here is left unused.
constexpr PreparedStatement kAddExercises{"analytics_add_exercises", R"sql(
WITH wanted AS (
  SELECT * FROM unnest($1::text[], $2::text[]) AS w(course, exercise)),
counts AS (
  SELECT course, count(*)::integer AS n FROM wanted GROUP BY course),
blocks AS (
  INSERT INTO analytics_courses AS k (course, exercises)
  SELECT course, n FROM counts ORDER BY course
  ON CONFLICT (course) DO UPDATE SET exercises = k.exercises + EXCLUDED.exercises
  RETURNING k.id, k.course, k.exercises)
INSERT INTO analytics_exercises (course_id, exercise, number)
SELECT b.id, w.exercise,
  b.exercises - c.n + row_number() OVER (PARTITION BY w.course ORDER BY w.exercise) - 1
FROM wanted w JOIN blocks b USING (course) JOIN counts c USING (course)
ON CONFLICT (course_id, exercise) DO NOTHING)sql"};

// A batch per table: parallel arrays, one element per event. The events that were new feed the
// rollups: course events only, as sign-ups and logins have no course. Attempts carry their
// course id, exercise number and learner id ($13 to $15), which the rollups are keyed by.
constexpr PreparedStatement kInsertAttempts{"insert_attempt_events", R"sql(
WITH batch AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
    $7::integer[], $8::double precision[], $9::boolean[], $10::text[], $11::bigint[],
    $12::bigint[], $13::integer[], $14::integer[], $15::integer[])
    AS b(event_id, user_id, course, lesson, exercise, exercise_version, attempt_number, score,
      correct, answer, time_taken_ms, occurred_at, course_id, number, learner)),
inserted AS (
  INSERT INTO attempt_events (event_id, user_id, course, lesson, exercise, exercise_version,
    attempt_number, score, correct, answer, time_taken_ms, occurred_at)
  SELECT event_id, user_id, course, lesson, exercise, exercise_version, attempt_number, score,
    correct, answer, time_taken_ms, occurred_at
  FROM batch
  ON CONFLICT (event_id) DO NOTHING
  RETURNING event_id),
new AS (
  SELECT b.*, analytics_day(b.occurred_at)::integer AS day
  FROM batch b JOIN inserted USING (event_id)),
active AS (
  INSERT INTO learner_days (course, day, user_id)
  SELECT DISTINCT course, day, user_id FROM new ORDER BY 1, 2, 3
  ON CONFLICT DO NOTHING),
exercises AS (
  INSERT INTO exercise_days AS t (course_id, exercise, day, attempts, timed, first_attempts,
    first_scores, first_squares)
  SELECT course_id, number, day, count(*), count(time_taken_ms),
    count(*) FILTER (WHERE attempt_number = 1),
    coalesce(sum(score) FILTER (WHERE attempt_number = 1), 0),
    coalesce(sum(score * score) FILTER (WHERE attempt_number = 1), 0)
  FROM new GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (course_id, exercise, day) DO UPDATE SET
    attempts = t.attempts + EXCLUDED.attempts, timed = t.timed + EXCLUDED.timed,
    first_attempts = t.first_attempts + EXCLUDED.first_attempts,
    first_scores = t.first_scores + EXCLUDED.first_scores,
    first_squares = t.first_squares + EXCLUDED.first_squares),
wrong AS (
  INSERT INTO wrong_answer_days AS t (course_id, exercise, day, answer, wrong)
  SELECT course_id, number, day, answer, count(*)
  FROM new WHERE NOT correct AND answer <> '' GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (course_id, exercise, day, answer) DO UPDATE SET wrong = t.wrong + EXCLUDED.wrong)
INSERT INTO learner_exercise_days AS t (course_id, learner, exercise, day, solved, first_attempts,
  first_scores)
SELECT course_id, learner, number, day, bool_or(correct),
  count(*) FILTER (WHERE attempt_number = 1),
  coalesce(sum(score) FILTER (WHERE attempt_number = 1), 0)
FROM new GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
ON CONFLICT (course_id, learner, exercise, day) DO UPDATE SET
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

// $1 course: its id and its exercises' numbers (none without attempts; the number NULL for a
// course without exercises, which does not happen).
constexpr PreparedStatement kCourseExercises{"analytics_course_exercises", R"sql(
SELECT k.id, e.number, e.exercise
FROM analytics_courses k LEFT JOIN analytics_exercises e ON e.course_id = k.id
WHERE k.course = $1)sql"};

// $1 course id, $2 first day, $3 last day, $4 the numbers of the listed exercises (NULL when they
// are all the course has: no filter then, as the custom plan drops `NULL IS NULL OR …`), $5 and
// $6 the listed exercises the course has, names and numbers (parallel arrays), $7 course,
// $8 begin, $9 end, $10 kTopWrongAnswers. One row per listed exercise with attempts in the
// range: attempts, learners, the median time (NULL without a known time), the moments of the
// first attempts, the most common wrong answers and their counts (a JSON array of [answer,
// count], most common first; NULL without any: JSON rather than two arrays because libpqxx 6's
// array parser takes an element that starts with ' for a quoted string, and answers are
// anything).
//   sums     exercise_days: attempts, known times, and n, Σx, Σx² of the first attempts;
//   coupled  one pass over learner_exercise_days in its key's order (learner, exercise, day),
//            with one window per learner over rows that come sorted already: T, the learner's
//            total of first scores, and whether a row starts a new exercise (learners). With
//            y = T - x for each first attempt, Σy = Σ nT - Σx, Σxy = Σ xT - Σx² and
//            Σy² = Σ nT² - 2 Σ xT + Σx², where a row holds n first attempts of score sum x:
//            three sums per row, the fewest that give every moment (each costs here);
//   wrong    wrong_answer_days, summed per (exercise, answer);
//   median   the lower middle, row (timed + 1) / 2 of the exercise's known times in the range,
//            read in order from attempt_events_times.
constexpr PreparedStatement kItemMoments{"analytics_item_moments", R"sql(
WITH sums AS (
  SELECT exercise, sum(attempts)::bigint AS attempts, sum(timed)::bigint AS timed,
    sum(first_attempts)::bigint AS n, sum(first_scores) AS sx, sum(first_squares) AS sxx
  FROM exercise_days
  WHERE course_id = $1 AND day >= $2 AND day <= $3
    AND ($4::integer[] IS NULL OR exercise = ANY ($4::integer[]))
  GROUP BY exercise),
totals AS (
  SELECT exercise, first_attempts, first_scores, sum(first_scores) OVER learner AS total,
    lag(exercise) OVER learner IS DISTINCT FROM exercise AS new_learner
  FROM learner_exercise_days
  WHERE course_id = $1 AND day >= $2 AND day <= $3
    AND ($4::integer[] IS NULL OR exercise = ANY ($4::integer[]))
  WINDOW learner AS (PARTITION BY learner ORDER BY exercise, day
    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)),
coupled AS (
  SELECT exercise, count(*) FILTER (WHERE new_learner) AS learners,
    sum(first_attempts * total) AS nt, sum(first_attempts * total * total) AS ntt,
    sum(first_scores * total) AS xt
  FROM totals GROUP BY exercise),
wrong AS (
  SELECT exercise, answer, sum(wrong)::bigint AS n,
    row_number() OVER (PARTITION BY exercise ORDER BY sum(wrong) DESC, answer) AS place
  FROM wrong_answer_days
  WHERE course_id = $1 AND day >= $2 AND day <= $3
    AND ($4::integer[] IS NULL OR exercise = ANY ($4::integer[]))
  GROUP BY exercise, answer HAVING sum(wrong) > 0),
top AS (
  SELECT exercise, json_agg(json_build_array(answer, n) ORDER BY place) AS answers
  FROM wrong WHERE place <= $10 GROUP BY exercise),
listed AS (
  SELECT * FROM unnest($5::text[], $6::integer[]) AS l(name, exercise))
SELECT l.name, s.attempts, c.learners,
  CASE WHEN s.timed > 0 THEN (
    SELECT a.time_taken_ms FROM attempt_events a
    WHERE a.course = $7 AND a.exercise = l.name AND a.time_taken_ms IS NOT NULL
      AND a.occurred_at >= $8 AND a.occurred_at < $9
    ORDER BY a.time_taken_ms OFFSET (s.timed - 1) / 2 LIMIT 1) END,
  s.n, s.sx, s.sxx, c.nt - s.sx, c.ntt - 2 * c.xt + s.sxx, c.xt - s.sxx, t.answers
FROM listed l JOIN sums s USING (exercise) JOIN coupled c USING (exercise)
LEFT JOIN top t USING (exercise))sql"};

// $1 course id, $2 first day, $3 last day, $4 how many exercise numbers the course has handed
// out. The learners of the range grouped by what they did: the exercises each tried and those
// each answered correctly, as bit strings (bit n, from the left, for exercise number n; solved
// NULL for none), and how many learners did exactly that. One pass over learner_exercise_days in
// key order, one group per learner without a sort; the few thousand combinations that come out
// are matched against the lessons in C++ (Funnel), which also keeps the lessons out of the SQL.
constexpr PreparedStatement kFunnelLearners{"analytics_funnel_learners", R"sql(
WITH learners AS (
  SELECT bit_or(set_bit(repeat('0', $4)::varbit, exercise, 1)) AS tried,
    bit_or(set_bit(repeat('0', $4)::varbit, exercise, 1)) FILTER (WHERE solved) AS solved
  FROM learner_exercise_days
  WHERE course_id = $1 AND day >= $2 AND day <= $3
  GROUP BY learner)
SELECT tried, solved, count(*) FROM learners GROUP BY tried, solved)sql"};

// $1 course, $2 begin, $3 end, $4 the lessons. Distinct learners who viewed each lesson, from
// activity_events_lesson_views in (lesson, user_id) order.
constexpr PreparedStatement kLessonViews{"analytics_lesson_views", R"sql(
SELECT lesson, count(DISTINCT user_id) FROM activity_events
WHERE course = $1 AND kind = 'lesson_view' AND occurred_at >= $2 AND occurred_at < $3
  AND lesson = ANY ($4::text[])
GROUP BY lesson)sql"};

// $1 course id, $2 last day, $3 the numbers of the listed exercises (NULL: all the course has),
// $4 how many. Completions per day, over all time up to the range's end: each learner's first
// correct day per exercise from learner_exercise_days in (learner, exercise) order, a learner
// completing on the latest of them once all $4 are there.
constexpr PreparedStatement kCompletions{"analytics_completions", R"sql(
WITH firsts AS (
  SELECT learner, exercise, min(day) AS solved_on FROM learner_exercise_days
  WHERE course_id = $1 AND solved AND day <= $2
    AND ($3::integer[] IS NULL OR exercise = ANY ($3::integer[]))
  GROUP BY learner, exercise),
done AS (
  SELECT max(solved_on) AS day FROM firsts GROUP BY learner HAVING count(*) = $4)
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

// ForgetLearner: $1 the learner, $2 their new anonymous id. The attempts lose their answers, and
// wrong_answer_days the incorrect ones among them (the self-join reads each row as it was).
constexpr PreparedStatement kForgetAttempts{"forget_attempt_events", R"sql(
WITH forgotten AS (
  UPDATE attempt_events a SET user_id = $2, answer = ''
  FROM attempt_events o
  WHERE a.user_id = $1 AND o.event_id = a.event_id
  RETURNING o.course, o.exercise, o.answer, o.correct, analytics_day(o.occurred_at) AS day),
dropped AS (
  SELECT e.course_id, e.number, f.day, f.answer, count(*) AS n
  FROM forgotten f
  JOIN analytics_courses k ON k.course = f.course
  JOIN analytics_exercises e ON e.course_id = k.id AND e.exercise = f.exercise
  WHERE NOT f.correct AND f.answer <> ''
  GROUP BY 1, 2, 3, 4)
UPDATE wrong_answer_days w SET wrong = w.wrong - d.n
FROM dropped d
WHERE w.course_id = d.course_id AND w.exercise = d.number AND w.day = d.day
  AND w.answer = d.answer)sql"};
// $1 the anonymous id: the answers that no attempt gives any more, on the days and exercises of
// that learner's incorrect attempts.
constexpr PreparedStatement kForgetWrongAnswers{"forget_wrong_answers", R"sql(
DELETE FROM wrong_answer_days w
USING (
  SELECT DISTINCT e.course_id, e.number, analytics_day(a.occurred_at) AS day
  FROM attempt_events a
  JOIN analytics_courses k ON k.course = a.course
  JOIN analytics_exercises e ON e.course_id = k.id AND e.exercise = a.exercise
  WHERE a.user_id = $1 AND NOT a.correct) d
WHERE w.course_id = d.course_id AND w.exercise = d.number AND w.day = d.day AND w.wrong = 0)sql"};
constexpr PreparedStatement kForgetActivity{
    "forget_activity_events", "UPDATE activity_events SET user_id = $2 WHERE user_id = $1"};
constexpr PreparedStatement kForgetLearnerDays{
    "forget_learner_days", "UPDATE learner_days SET user_id = $2 WHERE user_id = $1"};
// The rollups keep the learner's integer id, which now names the anonymous id.
constexpr PreparedStatement kForgetLearnerId{
    "forget_learner_id", "UPDATE analytics_learners SET user_id = $2 WHERE user_id = $1"};
constexpr PreparedStatement kPing{"ping", "SELECT 1"};

constexpr std::array kStatements = {
    kRecordSettings, kLearnerIds,         kExerciseNumbers, kAddExercises,      kInsertAttempts,
    kInsertActivity, kQuerySettings,      kCourseExercises, kItemMoments,       kFunnelLearners,
    kLessonViews,    kCompletions,        kActiveLearners,  kRetention,         kListAttempts,
    kForgetAttempts, kForgetWrongAnswers, kForgetActivity,  kForgetLearnerDays, kForgetLearnerId,
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

// How many times Record looks an id up before giving up: each round sees what concurrent batches
// and ForgetLearner committed before it, so a second round finds everything but in a race with
// another rename of the same learner.
constexpr int kIdRounds = 3;

// The integer ids of a batch's attempts (migrations.cc, version 4).
struct AttemptIds {
  std::map<std::string, int64_t, std::less<>> learners;  // by user id
  // (course id, number) by (course, exercise).
  std::map<std::pair<std::string, std::string>, std::pair<int64_t, int64_t>> exercises;
};

// The learners' ids, added for those who have none.
Status FindLearners(Transaction& transaction, const std::vector<const AttemptEvent*>& events,
                    AttemptIds& ids) {
  std::vector<std::string> missing;
  for (const AttemptEvent* event : events) missing.push_back(event->user_id);
  std::sort(missing.begin(), missing.end());
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
  for (int round = 0; round < kIdRounds && !missing.empty(); ++round) {
    for (const pqxx::row& row : Exec(transaction, kLearnerIds, TextArray(missing))) {
      ids.learners[row[0].as<std::string>()] = row[1].as<int64_t>();
    }
    std::erase_if(missing, [&](const std::string& user) { return ids.learners.contains(user); });
  }
  if (!missing.empty()) {
    return Error::Unavailable("The learners of an analytics batch could not be given ids; retry.");
  }
  return Status::Ok();
}

// The exercises' course ids and numbers, handed out to those that have none.
Status FindExercises(Transaction& transaction, const std::vector<const AttemptEvent*>& events,
                     AttemptIds& ids) {
  std::vector<std::pair<std::string, std::string>> missing;
  for (const AttemptEvent* event : events) missing.emplace_back(event->course, event->exercise);
  std::sort(missing.begin(), missing.end());
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
  for (int round = 0; round < kIdRounds && !missing.empty(); ++round) {
    if (round > 0) {  // what the lookup did not find gets numbers, then is looked up again
      ArrayLiteral courses, exercises;
      for (const auto& [course, exercise] : missing) {
        courses.AddText(course);
        exercises.AddText(exercise);
      }
      Exec(transaction, kAddExercises, std::move(courses).Take(), std::move(exercises).Take());
    }
    ArrayLiteral courses, exercises;
    for (const auto& [course, exercise] : missing) {
      courses.AddText(course);
      exercises.AddText(exercise);
    }
    for (const pqxx::row& row : Exec(transaction, kExerciseNumbers, std::move(courses).Take(),
                                     std::move(exercises).Take())) {
      ids.exercises[{row[0].as<std::string>(), row[1].as<std::string>()}] = {row[2].as<int64_t>(),
                                                                             row[3].as<int64_t>()};
    }
    std::erase_if(missing, [&](const auto& pair) { return ids.exercises.contains(pair); });
  }
  if (!missing.empty()) {
    return Error::Unavailable("The exercises of an analytics batch could not be numbered; retry.");
  }
  return Status::Ok();
}

// `events` (distinct, in event_id order) with their ids.
Status InsertAttempts(Transaction& transaction, const std::vector<const AttemptEvent*>& events) {
  if (events.empty()) return Status::Ok();
  Exec(transaction, kRecordSettings);
  AttemptIds ids;
  if (Status found = FindLearners(transaction, events, ids); !found.ok()) return found;
  if (Status found = FindExercises(transaction, events, ids); !found.ok()) return found;
  std::array<ArrayLiteral, 15> columns;
  for (const AttemptEvent* event : events) {
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
    const auto [course_id, number] = ids.exercises.at({event->course, event->exercise});
    columns[12].AddInt(course_id);
    columns[13].AddInt(number);
    columns[14].AddInt(ids.learners.find(event->user_id)->second);
  }
  std::array<std::string, 15> arrays;
  for (size_t i = 0; i < columns.size(); ++i) arrays[i] = std::move(columns[i]).Take();
  Exec(transaction, kInsertAttempts, arrays[0], arrays[1], arrays[2], arrays[3], arrays[4],
       arrays[5], arrays[6], arrays[7], arrays[8], arrays[9], arrays[10], arrays[11], arrays[12],
       arrays[13], arrays[14]);
  return Status::Ok();
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

// A course's exercise numbers, as the query's snapshot has them.
struct CourseExercises {
  std::optional<int64_t> id;  // none: the course has no attempts
  std::map<std::string, int64_t, std::less<>> numbers;
  int64_t bits = 0;  // one more than the highest number: the length of kFunnelLearners' strings
};

CourseExercises ReadCourseExercises(Transaction& transaction, std::string_view course) {
  CourseExercises known;
  for (const pqxx::row& row : Exec(transaction, kCourseExercises, course)) {
    known.id = row[0].as<int64_t>();
    if (row[1].is_null()) continue;
    const auto number = row[1].as<int64_t>();
    known.numbers[row[2].as<std::string>()] = number;
    known.bits = std::max(known.bits, number + 1);
  }
  return known;
}

// The distinct exercises of a caller's list that the course has numbers for.
struct Listed {
  std::string names;    // text array
  std::string numbers;  // integer array, parallel to `names`
  // The numbers again, or NULL when they are all the course has (the queries then filter nothing).
  std::optional<std::string> filter;
  int64_t count = 0;       // exercises with a number
  int64_t unnumbered = 0;  // exercises without: never attempted
};

Listed List(const CourseExercises& known, const std::vector<std::string>& exercises) {
  const std::set<std::string_view> distinct(exercises.begin(), exercises.end());
  Listed listed;
  ArrayLiteral names, numbers;
  for (const std::string_view exercise : distinct) {
    const auto it = known.numbers.find(exercise);
    if (it == known.numbers.end()) {
      ++listed.unnumbered;
      continue;
    }
    names.AddText(exercise);
    numbers.AddInt(it->second);
    ++listed.count;
  }
  listed.names = std::move(names).Take();
  listed.numbers = std::move(numbers).Take();
  if (listed.count < static_cast<int64_t>(known.numbers.size())) listed.filter = listed.numbers;
  return listed;
}

// Runs `read(transaction)` after kQuerySettings, in one read-only REPEATABLE READ transaction:
// the settings end with it, and its statements read one snapshot (the exercise numbers a query
// looks up first and the rollups it then reads agree).
template <class Read>
auto Query(ConnectionPool& pool, Read&& read) {
  return pool.Snapshot([&](Transaction& transaction) {
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
    if (Status inserted = InsertAttempts(transaction, Distinct(batch.attempts)); !inserted.ok()) {
      return inserted;
    }
    InsertActivity(transaction, batch.activity);
    return Status::Ok();
  });
}

Result<std::vector<ItemMoments>> PostgresAnalyticsStore::ItemStatistics(
    std::string_view course, const std::vector<std::string>& exercises, DayRange range) {
  std::vector<ItemMoments> zeros(exercises.size());
  for (size_t i = 0; i < exercises.size(); ++i) zeros[i].exercise = exercises[i];
  if (exercises.empty()) return zeros;
  return Query(*pool_, [&](Transaction& transaction) -> Result<std::vector<ItemMoments>> {
    std::vector<ItemMoments> items = zeros;
    const CourseExercises known = ReadCourseExercises(transaction, course);
    const Listed listed = List(known, exercises);
    if (listed.count == 0) return items;  // none of them has ever been attempted
    std::multimap<std::string, ItemMoments*, std::less<>> by_id;
    for (ItemMoments& item : items) by_id.emplace(item.exercise, &item);
    const pqxx::result rows =
        Exec(transaction, kItemMoments, *known.id, range.first_day, range.last_day, listed.filter,
             listed.names, listed.numbers, course, range.Begin(), range.End(), kTopWrongAnswers);
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
  // Each lesson's distinct exercises (a lesson named twice counts once, with both lists).
  std::map<std::string, std::set<std::string>, std::less<>> exercises_of;
  for (const LessonExercises& lesson : lessons) {
    exercises_of[lesson.lesson].insert(lesson.exercises.begin(), lesson.exercises.end());
  }
  ArrayLiteral lesson_names;
  for (const auto& entry : exercises_of) lesson_names.AddText(entry.first);
  const std::string lesson_list = std::move(lesson_names).Take();
  return Query(*pool_, [&](Transaction& transaction) -> Result<std::vector<FunnelStep>> {
    std::map<std::string, FunnelStep, std::less<>> counted;
    for (const auto& entry : exercises_of) counted[entry.first].lesson = entry.first;
    for (const pqxx::row& row :
         Exec(transaction, kLessonViews, course, range.Begin(), range.End(), lesson_list)) {
      counted[row[0].as<std::string>()].viewed = row[1].as<int64_t>();
    }
    const CourseExercises known = ReadCourseExercises(transaction, course);
    // Each lesson's exercise numbers; a lesson with an exercise that was never attempted cannot
    // be completed.
    struct Bits {
      FunnelStep* step;
      std::vector<int64_t> numbers;
      bool completable;
    };
    std::vector<Bits> bits;
    for (const auto& [lesson, exercises] : exercises_of) {
      if (exercises.empty()) continue;
      Bits entry{&counted[lesson], {}, true};
      for (const std::string& exercise : exercises) {
        const auto it = known.numbers.find(exercise);
        if (it == known.numbers.end()) {
          entry.completable = false;
        } else {
          entry.numbers.push_back(it->second);
        }
      }
      bits.push_back(std::move(entry));
    }
    if (known.id && known.bits > 0 && !bits.empty()) {
      for (const pqxx::row& row : Exec(transaction, kFunnelLearners, *known.id, range.first_day,
                                       range.last_day, known.bits)) {
        const std::string_view tried = row[0].c_str();
        const std::string_view solved = row[1].is_null() ? "" : row[1].c_str();
        const auto learners = row[2].as<int64_t>();
        auto set = [](std::string_view string, int64_t n) {
          return n < static_cast<int64_t>(string.size()) && string[static_cast<size_t>(n)] == '1';
        };
        for (const Bits& lesson : bits) {
          if (std::any_of(lesson.numbers.begin(), lesson.numbers.end(),
                          [&](int64_t n) { return set(tried, n); })) {
            lesson.step->attempted += learners;
          }
          if (lesson.completable && std::all_of(lesson.numbers.begin(), lesson.numbers.end(),
                                                [&](int64_t n) { return set(solved, n); })) {
            lesson.step->completed += learners;
          }
        }
      }
    }
    std::vector<FunnelStep> steps;
    steps.reserve(lessons.size());
    for (const LessonExercises& lesson : lessons) {
      FunnelStep step = counted.find(lesson.lesson)->second;
      // A lesson without exercises is completed by viewing it.
      if (exercises_of.find(lesson.lesson)->second.empty()) step.completed = step.viewed;
      steps.push_back(std::move(step));
    }
    return steps;
  });
}

Result<CompletionSeries> PostgresAnalyticsStore::Completions(
    std::string_view course, const std::vector<std::string>& exercises, DayRange range) {
  if (exercises.empty()) return CompletionSeries{};  // nothing to complete: no one completes
  return Query(*pool_, [&](Transaction& transaction) -> Result<CompletionSeries> {
    CompletionSeries series;
    const CourseExercises known = ReadCourseExercises(transaction, course);
    const Listed listed = List(known, exercises);
    if (listed.unnumbered > 0) return series;  // an exercise no one has attempted
    for (const pqxx::row& row :
         Exec(transaction, kCompletions, *known.id, range.last_day, listed.filter, listed.count)) {
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
    Exec(transaction, kForgetWrongAnswers, anonymous);
    Exec(transaction, kForgetActivity, user_id, anonymous);
    Exec(transaction, kForgetLearnerDays, user_id, anonymous);
    Exec(transaction, kForgetLearnerId, user_id, anonymous);
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
