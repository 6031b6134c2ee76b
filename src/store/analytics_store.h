// AnalyticsStore: what learners did, kept as events, and the questions instructors ask of them.
//
// Adapters: store/sqlite (the same file as the other stores), store/postgres (RDS in AWS).
// Every method is thread-safe. Times are Unix seconds; days are whole days since 1970-01-01 UTC
// ("epoch days"), and every bucket below is in UTC.
//
// Events are written idempotently: an event whose event_id is already stored changes nothing, so
// a replayed DynamoDB Streams record or a retried batch is harmless. An attempt's event_id is its
// attempt id; an enrolment's is derived from the learner and the course (EnrolmentEventId), so a
// learner is enrolled in a course once however often it is recorded.
//
// Queries answer from the events alone; what they need of the course (which exercises a lesson
// holds) is passed in by the caller, who has the content. A course without events answers with
// zero counts and empty lists, never an error. The statistics themselves (facility,
// discrimination, …) are computed from the moments returned here by domain/item_statistics.h, one
// formula for every adapter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace practica::store {

// One graded attempt, as the progress store stored it.
struct AttemptEvent {
  std::string event_id;  // the attempt id
  std::string user_id;
  std::string course;
  std::string lesson;
  std::string exercise;
  std::string exercise_version;  // fingerprint of the exercise's definition when answered
  int attempt_number = 0;        // 1-based, per learner and exercise
  double score = 0;              // 0..1, after the retry penalty
  bool correct = false;
  std::string answer;          // the answer as submitted (JSON), for the most common wrong answers
  int64_t time_taken_ms = -1;  // -1: not known
  int64_t occurred_at = 0;
  friend bool operator==(const AttemptEvent&, const AttemptEvent&) = default;
};

enum class ActivityKind { kSignUp, kLogin, kEnrolment, kLessonView };
std::string_view ToString(ActivityKind kind);  // "signup", "login", "enrolment", "lesson_view"
std::optional<ActivityKind> ParseActivityKind(std::string_view name);

// Everything else a learner does that analytics counts. `course` is empty for sign-ups and
// logins; `lesson` is set for lesson views only.
struct ActivityEvent {
  std::string event_id;
  ActivityKind kind = ActivityKind::kLogin;
  std::string user_id;
  std::string course;
  std::string lesson;
  int64_t occurred_at = 0;
  friend bool operator==(const ActivityEvent&, const ActivityEvent&) = default;
};

// The Error::type of AnalyticsStore::ListAttemptEvents on an adapter that cannot list events.
inline constexpr std::string_view kListingUnsupported = "analytics-listing-unsupported";

// The id that makes an enrolment idempotent.
std::string EnrolmentEventId(std::string_view user_id, std::string_view course);

struct EventBatch {
  std::vector<AttemptEvent> attempts;
  std::vector<ActivityEvent> activity;
  bool empty() const { return attempts.empty() && activity.empty(); }
};

// Epoch days, both ends included: first_day <= last_day.
struct DayRange {
  int64_t first_day = 0;
  int64_t last_day = 0;
  int64_t Begin() const { return first_day * 86400; }     // first second in range
  int64_t End() const { return (last_day + 1) * 86400; }  // first second after it
};

struct AnswerCount {
  std::string answer;
  int64_t count = 0;
  friend bool operator==(const AnswerCount&, const AnswerCount&) = default;
};

// What the item statistics of one exercise are computed from, over the attempts in the range.
// The "first attempts" are those with attempt_number 1 made in the range: one per learner. For
// each, x is its score and y the same learner's first-attempt scores on the course's other
// exercises, summed (an exercise without a first attempt in the range adds 0), as Moodle's quiz
// statistics take the rest of the test.
struct ItemMoments {
  std::string exercise;
  int64_t attempts = 0;  // every attempt
  int64_t learners = 0;  // distinct learners with an attempt
  int64_t first_attempts = 0;
  double sum_x = 0, sum_xx = 0, sum_y = 0, sum_yy = 0, sum_xy = 0;
  std::optional<int64_t> median_time_ms;   // over attempts with a known time; the lower middle
  std::vector<AnswerCount> wrong_answers;  // incorrect attempts' answers, most common first
                                           // (ties by answer), at most kTopWrongAnswers
};
inline constexpr int kTopWrongAnswers = 3;

struct LessonExercises {
  std::string lesson;
  std::vector<std::string> exercises;
};

// Distinct learners per lesson, from the events in the range: viewed it; attempted one of its
// exercises; answered each of its exercises correctly at least once (a lesson without exercises
// is completed by viewing it).
struct FunnelStep {
  std::string lesson;
  int64_t viewed = 0;
  int64_t attempted = 0;
  int64_t completed = 0;
  friend bool operator==(const FunnelStep&, const FunnelStep&) = default;
};

struct DayCount {
  int64_t day = 0;  // epoch day: the day, or the first day of the week or month
  int64_t count = 0;
  friend bool operator==(const DayCount&, const DayCount&) = default;
};

// A learner completes the course when each of its exercises has had a correct attempt; the
// completion time is the latest of those first correct attempts (over all time, not the range).
struct CompletionSeries {
  int64_t before = 0;            // learners who completed before the range
  std::vector<DayCount> by_day;  // completions per day in the range, days without any left out
};

enum class Interval { kDay, kWeek, kMonth };  // weeks start on Monday
std::string_view ToString(Interval interval);
std::optional<Interval> ParseInterval(std::string_view name);
// The first day of the period that holds `day`.
int64_t PeriodStart(Interval interval, int64_t day);

// Learners of a course are grouped by the week they signed up (a learner without a sign-up event
// is grouped by the week of their first event in the course); a cohort's learner counts as
// retained in week k if they did anything in the course (attempt, lesson view, enrolment) during
// week k after their cohort's week (k = 0 is the sign-up week itself).
struct Cohort {
  int64_t week = 0;               // epoch day of the cohort week's Monday
  int64_t learners = 0;           // who have done anything in the course
  std::vector<int64_t> retained;  // [k]: retained in week k, for every week up to the range end
  friend bool operator==(const Cohort&, const Cohort&) = default;
};

// Where a page of ListAttemptEvents ended: the last event it held.
struct EventPosition {
  int64_t occurred_at = 0;
  std::string event_id;
};

class AnalyticsStore {
 public:
  virtual ~AnalyticsStore() = default;

  // Writes the batch in one transaction: all of it or none of it (kUnavailable). Events whose
  // event_id is stored already are skipped; a batch may hold the same event twice.
  virtual Status Record(const EventBatch& batch) = 0;

  // One entry per exercise in `exercises` (the course's, in that order), zeros for those without
  // attempts in the range.
  virtual Result<std::vector<ItemMoments>> ItemStatistics(std::string_view course,
                                                          const std::vector<std::string>& exercises,
                                                          DayRange range) = 0;
  // One step per lesson in `lessons`, in that order.
  virtual Result<std::vector<FunnelStep>> Funnel(std::string_view course,
                                                 const std::vector<LessonExercises>& lessons,
                                                 DayRange range) = 0;
  virtual Result<CompletionSeries> Completions(std::string_view course,
                                               const std::vector<std::string>& exercises,
                                               DayRange range) = 0;
  // Distinct learners active in the course per period (any event in the course), for the
  // periods that meet the range (the first and last may be cut by it), periods without any left
  // out.
  virtual Result<std::vector<DayCount>> ActiveLearners(std::string_view course, Interval interval,
                                                       DayRange range) = 0;
  // Cohorts whose week meets the range, oldest first; `retained` runs to the week holding
  // range.last_day.
  virtual Result<std::vector<Cohort>> Retention(std::string_view course, DayRange range) = 0;

  // The course's attempt events that occurred before `before` (Unix seconds), in (occurred_at,
  // event_id) order, at most `limit` (>= 1, else kInvalid), starting after `after` (the last event
  // of the previous page; none: from the first). For exports that replay a course's history (the
  // xAPI download). Every adapter lists (the contract suite requires it); the default, for test
  // doubles, answers kUnavailable with type kListingUnsupported.
  virtual Result<std::vector<AttemptEvent>> ListAttemptEvents(
      std::string_view course, int64_t before, const std::optional<EventPosition>& after,
      int limit);

  // Privacy: the learner's events lose their link to the account (their user id becomes a
  // random one, the same for all of them, and attempt answers are dropped), so the course's
  // aggregates stay true without anything leading back to the person.
  virtual Status ForgetLearner(std::string_view user_id) = 0;

  // A cheap round trip, for /api/ready.
  virtual Status Ping() = 0;
};

}  // namespace practica::store
