#include "analytics_store_contract.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/calendar.h"

namespace practica::store {

void PrintTo(const AnswerCount& answer, std::ostream* os) {
  *os << "{" << answer.answer << " ×" << answer.count << "}";
}
void PrintTo(const FunnelStep& step, std::ostream* os) {
  *os << "{" << step.lesson << ": viewed " << step.viewed << ", attempted " << step.attempted
      << ", completed " << step.completed << "}";
}
void PrintTo(const DayCount& count, std::ostream* os) {
  *os << "{" << FormatDay(count.day) << ": " << count.count << "}";
}
void PrintTo(const Cohort& cohort, std::ostream* os) {
  *os << "{" << FormatDay(cohort.week) << ", " << cohort.learners << " learners, retained";
  for (int64_t n : cohort.retained) *os << " " << n;
  *os << "}";
}

namespace testing {
namespace {

constexpr int64_t D = kFirstDay;
const DayRange kRange{D, D + 13};

int64_t At(int64_t day, int hour) { return day * 86400 + hour * 3600; }

AttemptEvent Attempt(const std::string& id, const std::string& user, const std::string& exercise,
                     int number, double score, bool correct, const std::string& answer,
                     int64_t time_ms, int64_t at) {
  AttemptEvent event;
  event.event_id = id;
  event.user_id = user;
  event.course = "algebra";
  event.lesson = exercise == "e3" ? "two" : "one";
  event.exercise = exercise;
  event.exercise_version = "v1";
  event.attempt_number = number;
  event.score = score;
  event.correct = correct;
  event.answer = answer;
  event.time_taken_ms = time_ms;
  event.occurred_at = at;
  return event;
}

ActivityEvent Activity(const std::string& id, ActivityKind kind, const std::string& user,
                       const std::string& course, const std::string& lesson, int64_t at) {
  return ActivityEvent{id, kind, user, course, lesson, at};
}

const std::vector<std::string> kExercises{"e1", "e2", "e3"};
const std::vector<LessonExercises> kLessons{{"one", {"e1", "e2"}}, {"two", {"e3"}}};

}  // namespace

void PrintTo(const AnalyticsStoreAdapter& adapter, std::ostream* os) { *os << adapter.name; }

std::string AnalyticsAdapterName(const ::testing::TestParamInfo<AnalyticsStoreAdapter>& info) {
  return info.param.name;
}

EventBatch SampleEvents() {
  using K = ActivityKind;
  EventBatch batch;
  batch.activity = {
      Activity("s1", K::kSignUp, "u1", "", "", At(D - 1, 9)),
      Activity("s2", K::kSignUp, "u2", "", "", At(D, 8)),
      Activity("s3", K::kSignUp, "u3", "", "", At(D, 8)),
      Activity("s4", K::kSignUp, "u4", "", "", At(D, 8)),
      Activity("s5", K::kSignUp, "u5", "", "", At(D - 10, 8)),
      Activity("l4", K::kLogin, "u4", "", "", At(D + 10, 9)),
      Activity("v1", K::kLessonView, "u1", "algebra", "one", At(D, 10)),
      Activity("v2", K::kLessonView, "u2", "algebra", "one", At(D, 10)),
      Activity("v3", K::kLessonView, "u3", "algebra", "one", At(D, 10)),
      Activity("v4", K::kLessonView, "u4", "algebra", "one", At(D, 10)),
      Activity("v5", K::kLessonView, "u1", "algebra", "two", At(D + 1, 12)),
      Activity("v6", K::kLessonView, "u5", "algebra", "one", At(D - 5, 9)),
      Activity("v7", K::kLessonView, "u6", "algebra", "two", At(D + 9, 9)),
      Activity("v8", K::kLessonView, "u1", "other", "x", At(D + 3, 9)),
      Activity(EnrolmentEventId("u4", "algebra"), K::kEnrolment, "u4", "algebra", "", At(D, 10)),
      // The same enrolment again, later: the first one stands.
      Activity(EnrolmentEventId("u4", "algebra"), K::kEnrolment, "u4", "algebra", "",
               At(D + 3, 10)),
  };
  batch.attempts = {
      Attempt("a1", "u1", "e1", 1, 1.0, true, "\"a\"", 4000, At(D + 1, 10)),
      Attempt("a2", "u1", "e2", 1, 1.0, true, "\"a\"", 3000, At(D + 1, 11)),
      Attempt("a3", "u1", "e3", 1, 1.0, true, "\"a\"", 9000, At(D + 1, 12)),
      Attempt("a4", "u2", "e1", 1, 1.0, true, "\"a\"", 6000, At(D + 2, 9)),
      Attempt("a5", "u2", "e2", 1, 0.0, false, "\"b\"", 5000, At(D + 2, 10)),
      Attempt("a6", "u2", "e2", 2, 0.8, true, "\"a\"", 2000, At(D + 2, 11)),
      Attempt("a7", "u3", "e1", 1, 0.0, false, "\"b\"", -1, At(D + 8, 9)),
      Attempt("a8", "u3", "e2", 1, 0.0, false, "\"c\"", 7000, At(D + 8, 10)),
      Attempt("a9", "u3", "e3", 1, 0.5, false, "\"x\"", 8000, At(D + 8, 11)),
      Attempt("a10", "u5", "e1", 1, 1.0, true, "\"a\"", 1000, At(D - 5, 10)),
      Attempt("a11", "u5", "e2", 1, 1.0, true, "\"a\"", 1000, At(D - 5, 11)),
      Attempt("a12", "u5", "e3", 1, 1.0, true, "\"a\"", 1000, At(D - 5, 12)),
      Attempt("a13", "u1", "e1", 2, 1.0, true, "\"a\"", 1000, At(D + 20, 9)),
  };
  return batch;
}

void AnalyticsStoreContractTest::SetUp() {
  harness_ = GetParam().make_empty();
  ASSERT_NE(harness_, nullptr) << "the adapter could not make an empty store";
}

namespace {

// Checks the moments worked out by hand for the sample data. With wrong_answers_of_u3 false,
// u3's answers are gone (ForgetLearner).
void ExpectSampleItems(AnalyticsStore& store, bool u3_answers_kept = true) {
  Result<std::vector<ItemMoments>> items = store.ItemStatistics("algebra", kExercises, kRange);
  ASSERT_TRUE(items.ok()) << items.error().message;
  ASSERT_EQ(items->size(), 3u);
  EXPECT_EQ((*items)[0].exercise, "e1");
  EXPECT_EQ((*items)[1].exercise, "e2");
  EXPECT_EQ((*items)[2].exercise, "e3");

  // e1: first attempts u1 1, u2 1, u3 0; rest of the course u1 2, u2 0, u3 0.5.
  const ItemMoments& e1 = (*items)[0];
  EXPECT_EQ(e1.attempts, 3);  // a13 is after the range, a10 before it
  EXPECT_EQ(e1.learners, 3);
  EXPECT_EQ(e1.first_attempts, 3);
  EXPECT_DOUBLE_EQ(e1.sum_x, 2.0);
  EXPECT_DOUBLE_EQ(e1.sum_xx, 2.0);
  EXPECT_DOUBLE_EQ(e1.sum_y, 2.5);
  EXPECT_DOUBLE_EQ(e1.sum_yy, 4.25);
  EXPECT_DOUBLE_EQ(e1.sum_xy, 2.0);
  EXPECT_EQ(e1.median_time_ms, 4000);  // of 4000 and 6000 (a7's time is not known)
  if (u3_answers_kept) {
    EXPECT_EQ(e1.wrong_answers, (std::vector<AnswerCount>{{"\"b\"", 1}}));
  } else {
    EXPECT_TRUE(e1.wrong_answers.empty());
  }

  // e2: first attempts u1 1, u2 0, u3 0; rest u1 2, u2 1, u3 0.5; a6 is a second attempt.
  const ItemMoments& e2 = (*items)[1];
  EXPECT_EQ(e2.attempts, 4);
  EXPECT_EQ(e2.learners, 3);
  EXPECT_EQ(e2.first_attempts, 3);
  EXPECT_DOUBLE_EQ(e2.sum_x, 1.0);
  EXPECT_DOUBLE_EQ(e2.sum_xx, 1.0);
  EXPECT_DOUBLE_EQ(e2.sum_y, 3.5);
  EXPECT_DOUBLE_EQ(e2.sum_yy, 5.25);
  EXPECT_DOUBLE_EQ(e2.sum_xy, 2.0);
  EXPECT_EQ(e2.median_time_ms, 3000);  // 2000 3000 5000 7000: the lower middle
  if (u3_answers_kept) {
    EXPECT_EQ(e2.wrong_answers, (std::vector<AnswerCount>{{"\"b\"", 1}, {"\"c\"", 1}}));
  } else {
    EXPECT_EQ(e2.wrong_answers, (std::vector<AnswerCount>{{"\"b\"", 1}}));
  }

  // e3: first attempts u1 1, u3 0.5; rest u1 2, u3 0.
  const ItemMoments& e3 = (*items)[2];
  EXPECT_EQ(e3.attempts, 2);
  EXPECT_EQ(e3.learners, 2);
  EXPECT_EQ(e3.first_attempts, 2);
  EXPECT_DOUBLE_EQ(e3.sum_x, 1.5);
  EXPECT_DOUBLE_EQ(e3.sum_xx, 1.25);
  EXPECT_DOUBLE_EQ(e3.sum_y, 2.0);
  EXPECT_DOUBLE_EQ(e3.sum_yy, 4.0);
  EXPECT_DOUBLE_EQ(e3.sum_xy, 2.0);
  EXPECT_EQ(e3.median_time_ms, 8000);
  EXPECT_EQ(e3.wrong_answers.size(), u3_answers_kept ? 1u : 0u);
}

void ExpectSampleActivity(AnalyticsStore& store) {
  Result<std::vector<DayCount>> daily = store.ActiveLearners("algebra", Interval::kDay, kRange);
  ASSERT_TRUE(daily.ok()) << daily.error().message;
  EXPECT_EQ(*daily,
            (std::vector<DayCount>{{D, 4}, {D + 1, 1}, {D + 2, 1}, {D + 8, 1}, {D + 9, 1}}));
  Result<std::vector<DayCount>> weekly = store.ActiveLearners("algebra", Interval::kWeek, kRange);
  ASSERT_TRUE(weekly.ok()) << weekly.error().message;
  EXPECT_EQ(*weekly, (std::vector<DayCount>{{D, 4}, {D + 7, 2}}));
  Result<std::vector<DayCount>> monthly = store.ActiveLearners("algebra", Interval::kMonth, kRange);
  ASSERT_TRUE(monthly.ok()) << monthly.error().message;
  // September holds only the range's first day (u5's events of the 25th are outside it).
  EXPECT_EQ(*monthly,
            (std::vector<DayCount>{{*ParseDay("2024-09-01"), 4}, {*ParseDay("2024-10-01"), 4}}));
}

void ExpectSampleRetention(AnalyticsStore& store) {
  Result<std::vector<Cohort>> cohorts = store.Retention("algebra", kRange);
  ASSERT_TRUE(cohorts.ok()) << cohorts.error().message;
  // u1 signed up the week before, u5 ten days before: not in the range. u6 never signed up
  // (say, before analytics existed): grouped by the first thing done in the course.
  EXPECT_EQ(*cohorts, (std::vector<Cohort>{{D, 3, {3, 1}}, {D + 7, 1, {1}}}));
}

}  // namespace

TEST_P(AnalyticsStoreContractTest, ItemMomentsCountFirstAttemptsInTheRange) {
  ASSERT_TRUE(store().Record(SampleEvents()).ok());
  ExpectSampleItems(store());
}

TEST_P(AnalyticsStoreContractTest, FunnelCountsDistinctLearnersPerLesson) {
  ASSERT_TRUE(store().Record(SampleEvents()).ok());
  Result<std::vector<FunnelStep>> funnel = store().Funnel("algebra", kLessons, kRange);
  ASSERT_TRUE(funnel.ok()) << funnel.error().message;
  EXPECT_EQ(*funnel, (std::vector<FunnelStep>{{"one", 4, 3, 2}, {"two", 2, 2, 1}}));
}

TEST_P(AnalyticsStoreContractTest, ALessonWithoutExercisesIsCompletedByViewingIt) {
  ASSERT_TRUE(store().Record(SampleEvents()).ok());
  Result<std::vector<FunnelStep>> funnel =
      store().Funnel("algebra", {{"two", {}}, {"three", {}}}, kRange);
  ASSERT_TRUE(funnel.ok()) << funnel.error().message;
  EXPECT_EQ(*funnel, (std::vector<FunnelStep>{{"two", 2, 0, 2}, {"three", 0, 0, 0}}));
}

TEST_P(AnalyticsStoreContractTest, CompletionsCountTheLastFirstCorrectAttempt) {
  ASSERT_TRUE(store().Record(SampleEvents()).ok());
  Result<CompletionSeries> series = store().Completions("algebra", kExercises, kRange);
  ASSERT_TRUE(series.ok()) << series.error().message;
  EXPECT_EQ(series->before, 1);                                    // u5
  EXPECT_EQ(series->by_day, (std::vector<DayCount>{{D + 1, 1}}));  // u1; u2 has not done e3

  Result<CompletionSeries> later = store().Completions("algebra", kExercises, {D + 2, D + 30});
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->before, 2);
  EXPECT_TRUE(later->by_day.empty());
}

TEST_P(AnalyticsStoreContractTest, ActiveLearnersPerDayWeekAndMonth) {
  ASSERT_TRUE(store().Record(SampleEvents()).ok());
  ExpectSampleActivity(store());
}

TEST_P(AnalyticsStoreContractTest, RetentionBySignUpWeek) {
  ASSERT_TRUE(store().Record(SampleEvents()).ok());
  ExpectSampleRetention(store());
}

TEST_P(AnalyticsStoreContractTest, RecordingTwiceChangesNothing) {
  ASSERT_TRUE(store().Record(SampleEvents()).ok());
  ASSERT_TRUE(store().Record(SampleEvents()).ok());
  EventBatch doubled = SampleEvents();
  doubled.attempts.push_back(doubled.attempts.front());
  doubled.activity.push_back(doubled.activity.back());
  ASSERT_TRUE(store().Record(doubled).ok());
  ExpectSampleItems(store());
  ExpectSampleActivity(store());
  ExpectSampleRetention(store());
}

TEST_P(AnalyticsStoreContractTest, ABadEventWritesNothingOfItsBatch) {
  ASSERT_TRUE(store().Record(SampleEvents()).ok());
  EventBatch batch;
  batch.activity.push_back(
      Activity("v9", ActivityKind::kLessonView, "u7", "algebra", "one", At(D + 4, 9)));
  batch.attempts.push_back(Attempt("", "u7", "e1", 1, 1.0, true, "\"a\"", 100, At(D + 4, 10)));
  Status recorded = store().Record(batch);
  ASSERT_FALSE(recorded.ok());
  EXPECT_EQ(recorded.error().code, ErrorCode::kInvalid);
  ExpectSampleActivity(store());  // no learner on D + 4
}

TEST_P(AnalyticsStoreContractTest, AnEmptyCourseHasZerosNotErrors) {
  ASSERT_TRUE(store().Record(SampleEvents()).ok());
  Result<std::vector<ItemMoments>> items = store().ItemStatistics("empty", {"q1", "q2"}, kRange);
  ASSERT_TRUE(items.ok()) << items.error().message;
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ((*items)[1].exercise, "q2");
  EXPECT_EQ((*items)[1].attempts, 0);
  EXPECT_EQ((*items)[1].first_attempts, 0);
  EXPECT_FALSE((*items)[1].median_time_ms.has_value());
  EXPECT_TRUE((*items)[1].wrong_answers.empty());

  Result<std::vector<FunnelStep>> funnel = store().Funnel("empty", {{"l", {"q1"}}}, kRange);
  ASSERT_TRUE(funnel.ok());
  EXPECT_EQ(*funnel, (std::vector<FunnelStep>{{"l", 0, 0, 0}}));
  Result<CompletionSeries> completions = store().Completions("empty", {"q1"}, kRange);
  ASSERT_TRUE(completions.ok());
  EXPECT_EQ(completions->before, 0);
  EXPECT_TRUE(completions->by_day.empty());
  Result<std::vector<DayCount>> active = store().ActiveLearners("empty", Interval::kWeek, kRange);
  ASSERT_TRUE(active.ok());
  EXPECT_TRUE(active->empty());
  Result<std::vector<Cohort>> cohorts = store().Retention("empty", kRange);
  ASSERT_TRUE(cohorts.ok());
  EXPECT_TRUE(cohorts->empty());
  // A course whose content has no exercises at all.
  Result<CompletionSeries> none = store().Completions("algebra", {}, kRange);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->before, 0);
  EXPECT_TRUE(none->by_day.empty());
}

TEST_P(AnalyticsStoreContractTest, ForgettingALearnerKeepsTheAggregates) {
  ASSERT_TRUE(store().Record(SampleEvents()).ok());
  ASSERT_TRUE(store().ForgetLearner("u3").ok());
  ExpectSampleItems(store(), /*u3_answers_kept=*/false);
  ExpectSampleActivity(store());
  ExpectSampleRetention(store());
  Result<std::vector<FunnelStep>> funnel = store().Funnel("algebra", kLessons, kRange);
  ASSERT_TRUE(funnel.ok());
  EXPECT_EQ(*funnel, (std::vector<FunnelStep>{{"one", 4, 3, 2}, {"two", 2, 2, 1}}));
  // Forgetting someone without events is not an error.
  EXPECT_TRUE(store().ForgetLearner("nobody").ok());
}

// Pages of the course's attempts, every field as recorded; none of another course or from
// `before` on; ties in time in event id order.
TEST_P(AnalyticsStoreContractTest, ListAttemptEventsPagesThroughACourseInTimeOrder) {
  EventBatch batch = SampleEvents();
  AttemptEvent tie = Attempt("b1", "u2", "e3", 1, 0.25, false, "[1, 2]", -1, At(D + 1, 10));
  AttemptEvent elsewhere = Attempt("c1", "u1", "e1", 1, 1.0, true, "\"a\"", 10, At(D + 1, 10));
  elsewhere.course = "other";
  batch.attempts.push_back(tie);
  batch.attempts.push_back(elsewhere);
  ASSERT_TRUE(store().Record(batch).ok());

  std::vector<AttemptEvent> listed;
  std::optional<EventPosition> after;
  int pages = 0;
  while (true) {
    Result<std::vector<AttemptEvent>> page =
        store().ListAttemptEvents("algebra", At(D + 20, 9), after, 4);
    ASSERT_TRUE(page.ok()) << page.error().message;
    ASSERT_LE(page->size(), 4u);
    if (page->empty()) break;
    ++pages;
    listed.insert(listed.end(), page->begin(), page->end());
    after = EventPosition{page->back().occurred_at, page->back().event_id};
  }
  EXPECT_EQ(pages, 4);  // 13 events of the course before a13, four to a page
  std::vector<std::string> ids;
  for (const AttemptEvent& event : listed) ids.push_back(event.event_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"a10", "a11", "a12", "a1", "b1", "a2", "a3", "a4", "a5",
                                           "a6", "a7", "a8", "a9"}));
  std::map<std::string, AttemptEvent> recorded;
  for (const AttemptEvent& event : batch.attempts) recorded[event.event_id] = event;
  for (const AttemptEvent& event : listed) EXPECT_EQ(event, recorded[event.event_id]);
}

TEST_P(AnalyticsStoreContractTest, ListAttemptEventsRefusesAnEmptyPage) {
  Result<std::vector<AttemptEvent>> page = store().ListAttemptEvents("algebra", 0, {}, 0);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.error().code, ErrorCode::kInvalid);
}

TEST_P(AnalyticsStoreContractTest, PingAnswers) { EXPECT_TRUE(store().Ping().ok()); }

}  // namespace testing
}  // namespace practica::store
