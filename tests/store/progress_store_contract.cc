#include "progress_store_contract.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <latch>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace practica::store {

// Readable failure messages for the port's value types.
void PrintTo(const ExerciseState& state, std::ostream* os) {
  *os << "{attempts " << state.attempts << ", best " << state.best_score
      << (state.solved ? ", solved" : "") << ", hints " << state.hints_used;
  if (state.card) {
    *os << ", card {S " << state.card->stability << ", D " << state.card->difficulty << ", due "
        << state.card->due << ", last " << state.card->last_review << ", reps " << state.card->reps
        << ", lapses " << state.card->lapses << "}";
  }
  *os << "}";
}

void PrintTo(const LearnerTotals& totals, std::ostream* os) {
  *os << "{xp " << totals.xp << ", streak " << totals.streak.length << " to day "
      << totals.streak.last_day << "}";
}

void PrintTo(const AttemptRecord& attempt, std::ostream* os) {
  *os << "{" << attempt.attempt_id << " #" << attempt.attempt_number << ", raw "
      << attempt.raw_score << ", score " << attempt.score << (attempt.correct ? ", correct" : "")
      << ", answer " << attempt.answer_json << ", at " << attempt.created_at << ", version "
      << attempt.exercise_version << ", " << attempt.time_taken_ms << " ms}";
}

void PrintTo(const DueCard& card, std::ostream* os) {
  *os << "{" << card.course << "/" << card.lesson << "/" << card.exercise << " due "
      << card.card.due << "}";
}

void PrintTo(const ExerciseProgressRow& row, std::ostream* os) {
  *os << "{" << row.lesson << "/" << row.exercise << " ";
  PrintTo(row.state, os);
  *os << "}";
}

namespace testing {

AttemptPlan PlanFrom(const AttemptSpec& spec, const ExerciseState& before,
                     const LearnerTotals& totals) {
  AttemptPlan plan;
  const bool correct = spec.score >= 1;
  plan.attempt = AttemptRecord{.attempt_id = spec.attempt_id,
                               .attempt_number = before.attempts + 1,
                               .raw_score = spec.score,
                               .score = spec.score * 0.9,
                               .correct = correct,
                               .answer_json = spec.answer_json,
                               .created_at = spec.at,
                               .exercise_version = "v-" + spec.attempt_id,
                               .time_taken_ms = spec.score >= 1 ? 4200 : -1};
  plan.after = before;
  plan.after.attempts = before.attempts + 1;
  plan.after.best_score = std::max(before.best_score, plan.attempt.score);
  plan.after.solved = before.solved || correct;
  if (spec.due) {
    const domain::Card previous = before.card.value_or(domain::Card{});
    plan.after.card = domain::Card{.stability = 2.5 + before.attempts,
                                   .difficulty = 5.25,
                                   .due = *spec.due,
                                   .last_review = spec.at,
                                   .reps = previous.reps + 1,
                                   .lapses = previous.lapses + (correct ? 0 : 1)};
  } else {
    plan.after.card.reset();
  }
  plan.totals_after = totals;
  plan.totals_after.xp += static_cast<int64_t>(10 * spec.score);
  plan.totals_after.streak = {totals.streak.length + 1, spec.at / kDay};
  return plan;
}

PlanFn PlanOf(AttemptSpec spec) {
  return [spec = std::move(spec)](const ExerciseState& before,
                                  const LearnerTotals& totals) -> Result<AttemptPlan> {
    return PlanFrom(spec, before, totals);
  };
}

PlanFn LimitedPlan(AttemptSpec spec, int limit) {
  return [spec = std::move(spec), limit](const ExerciseState& before,
                                         const LearnerTotals& totals) -> Result<AttemptPlan> {
    if (before.attempts >= limit) {
      Error error = Error::Conflict("no attempts left");
      error.type = "no-attempts-left";
      return error;
    }
    return PlanFrom(spec, before, totals);
  };
}

std::string RenderPlan(const AttemptPlan& plan) {
  return R"({"attempt_id":")" + plan.attempt.attempt_id + R"(","number":)" +
         std::to_string(plan.attempt.attempt_number) + "}";
}

AttemptRequest Request(std::string user_id, std::string course, std::string lesson,
                       std::string exercise, std::string idempotency_key,
                       std::string request_hash) {
  return AttemptRequest{std::move(user_id),  std::move(course),          std::move(lesson),
                        std::move(exercise), std::move(idempotency_key), std::move(request_hash)};
}

Result<AttemptOutcome> SubmitAndWait(ProgressStore& store, AttemptRequest request, PlanFn plan,
                                     RenderFn render) {
  auto promise = std::make_shared<std::promise<Result<AttemptOutcome>>>();
  std::future<Result<AttemptOutcome>> outcome = promise->get_future();
  store.SubmitAttempt(
      std::move(request), std::move(plan), std::move(render),
      [promise](Result<AttemptOutcome> result) { promise->set_value(std::move(result)); });
  // A `done` that is never called fails the test instead of hanging it.
  if (outcome.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    return Error::Internal("done was not called within 60 s");
  }
  return outcome.get();
}

void PrintTo(const ProgressStoreAdapter& adapter, std::ostream* os) { *os << adapter.name; }

std::string ProgressAdapterName(const ::testing::TestParamInfo<ProgressStoreAdapter>& info) {
  return info.param.name;
}

void ProgressStoreContractTest::SetUp() {
  harness_ = GetParam().make_empty();
  ASSERT_NE(harness_, nullptr) << "the " << GetParam().name << " harness could not be built";
}

namespace {

// Ids that no other submission of the test uses.
std::string NextAttemptId() {
  static std::atomic<int> counter{0};
  return "att_" + std::to_string(++counter);
}

AttemptSpec Spec(double score = 1, int64_t at = kNow) {
  AttemptSpec spec;
  spec.attempt_id = NextAttemptId();
  spec.score = score;
  spec.at = at;
  return spec;
}

// Submits a plain attempt and expects it to succeed; gives the plan it was built from.
AttemptPlan Attempt(ProgressStore& store, const AttemptRequest& request, const AttemptSpec& spec) {
  std::optional<AttemptPlan> planned;
  Result<AttemptOutcome> outcome = SubmitAndWait(
      store, request,
      [&](const ExerciseState& before, const LearnerTotals& totals) -> Result<AttemptPlan> {
        planned = PlanFrom(spec, before, totals);
        return *planned;
      });
  EXPECT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_TRUE(planned.has_value());
  return planned.value_or(AttemptPlan{});
}

// A plan that records what it was shown and how often it ran.
struct Recorder {
  std::mutex mutex;
  int calls = 0;
  std::vector<ExerciseState> before;
  std::vector<LearnerTotals> totals;

  PlanFn Plan(AttemptSpec spec) {
    return [this, spec = std::move(spec)](const ExerciseState& state,
                                          const LearnerTotals& learner) -> Result<AttemptPlan> {
      std::lock_guard lock(mutex);
      ++calls;
      before.push_back(state);
      totals.push_back(learner);
      return PlanFrom(spec, state, learner);
    };
  }
};

// The whole visible footprint of one learner, to compare before and after a call.
struct Footprint {
  std::vector<std::string> courses;
  std::vector<ExerciseProgressRow> progress;
  std::vector<AttemptRecord> attempts;
  LearnerTotals totals;
  friend bool operator==(const Footprint&, const Footprint&) = default;
};

Footprint FootprintOf(ProgressStore& store, const std::string& user_id) {
  Footprint footprint;
  footprint.courses = store.ListCourses(user_id).value();
  for (const std::string& course : footprint.courses) {
    const std::vector<ExerciseProgressRow> rows = store.GetCourseProgress(user_id, course).value();
    footprint.progress.insert(footprint.progress.end(), rows.begin(), rows.end());
    const std::vector<AttemptRecord> attempts = store.ListAttempts(user_id, course).value();
    footprint.attempts.insert(footprint.attempts.end(), attempts.begin(), attempts.end());
  }
  footprint.totals = store.GetTotals(user_id).value();
  return footprint;
}

// SubmitAttempt -------------------------------------------------------------------------------

TEST_P(ProgressStoreContractTest, TheFirstPlanSeesTheZeroStateAndTotals) {
  Recorder recorder;
  Result<AttemptOutcome> outcome =
      SubmitAndWait(store(), Request("usr_ada", "algebra", "intro", "ex1"), recorder.Plan(Spec()));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  ASSERT_EQ(recorder.calls, 1);
  EXPECT_EQ(recorder.before[0], ExerciseState{});
  EXPECT_EQ(recorder.totals[0], LearnerTotals{});
  EXPECT_EQ(recorder.totals[0].streak.last_day, -1);
}

TEST_P(ProgressStoreContractTest, EachPlanSeesTheStateTheLastAttemptLeft) {
  const AttemptRequest request = Request("usr_ada", "algebra", "intro", "ex1");
  const AttemptPlan first = Attempt(store(), request, Spec(0.5));
  ASSERT_TRUE(store().RecordHint("usr_ada", "algebra", "intro", "ex1", 10).ok());
  Recorder recorder;
  ASSERT_TRUE(SubmitAndWait(store(), request, recorder.Plan(Spec(1, kNow + 60))).ok());
  ASSERT_EQ(recorder.calls, 1);
  ExerciseState expected = first.after;
  expected.hints_used = 1;
  EXPECT_EQ(recorder.before[0], expected);
  EXPECT_EQ(recorder.totals[0], first.totals_after);

  // Totals are the learner's, across exercises and courses.
  Recorder elsewhere;
  ASSERT_TRUE(SubmitAndWait(store(), Request("usr_ada", "geometry", "angles", "ex9"),
                            elsewhere.Plan(Spec()))
                  .ok());
  EXPECT_EQ(elsewhere.before[0], ExerciseState{});
  EXPECT_EQ(elsewhere.totals[0].xp, first.totals_after.xp + 10);
}

TEST_P(ProgressStoreContractTest, TheAttemptStateAndTotalsAreStoredAsPlanned) {
  const AttemptRequest request = Request("usr_ada", "algebra", "intro", "ex1");
  AttemptSpec wrong = Spec(0.25, kNow);
  wrong.answer_json = R"({"x":[1,2]})";
  const AttemptPlan first = Attempt(store(), request, wrong);
  const AttemptPlan second = Attempt(store(), request, Spec(1, kNow + 30));

  EXPECT_EQ(*store().ListAttempts("usr_ada", "algebra"),
            (std::vector<AttemptRecord>{first.attempt, second.attempt}));
  EXPECT_EQ(second.attempt.attempt_number, 2);
  EXPECT_EQ(*store().GetExerciseState("usr_ada", "algebra", "ex1"), second.after);
  EXPECT_TRUE(second.after.card.has_value());
  EXPECT_EQ(second.after.card->stability, 3.5);  // exact, not rounded
  EXPECT_EQ(*store().GetTotals("usr_ada"), second.totals_after);
  EXPECT_EQ(store().GetTotals("usr_ada")->xp, 12);
}

TEST_P(ProgressStoreContractTest, ACardlessStateStaysCardless) {
  AttemptSpec spec = Spec(0);
  spec.due.reset();
  const AttemptPlan plan = Attempt(store(), Request("usr_ada", "algebra", "intro", "ex1"), spec);
  Result<ExerciseState> state = store().GetExerciseState("usr_ada", "algebra", "ex1");
  ASSERT_TRUE(state.ok()) << state.error().message;
  EXPECT_EQ(*state, plan.after);
  EXPECT_FALSE(state->card.has_value());
}

TEST_P(ProgressStoreContractTest, TheOutcomeCarriesTheRenderedResponse) {
  AttemptSpec spec = Spec();
  Result<AttemptOutcome> outcome =
      SubmitAndWait(store(), Request("usr_ada", "algebra", "intro", "ex1"), PlanOf(spec));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_FALSE(outcome->replayed);
  EXPECT_EQ(outcome->response_json, R"({"attempt_id":")" + spec.attempt_id + R"(","number":1})");
}

TEST_P(ProgressStoreContractTest, UntouchedThingsReadAsZero) {
  EXPECT_EQ(*store().GetExerciseState("usr_nobody", "algebra", "ex1"), ExerciseState{});
  EXPECT_EQ(*store().GetTotals("usr_nobody"), LearnerTotals{});
  EXPECT_TRUE(store().ListCourses("usr_nobody")->empty());
  EXPECT_TRUE(store().GetCourseProgress("usr_nobody", "algebra")->empty());
  EXPECT_TRUE(store().ListAttempts("usr_nobody", "algebra")->empty());
  EXPECT_TRUE(store().DueCards("usr_nobody", kNow, 10)->empty());
}

// Idempotency ---------------------------------------------------------------------------------

TEST_P(ProgressStoreContractTest, AReplayedKeyReturnsTheStoredResponseAndWritesNothing) {
  const AttemptRequest request = Request("usr_ada", "algebra", "intro", "ex1", "key-1", "hash-A");
  Result<AttemptOutcome> first = SubmitAndWait(store(), request, PlanOf(Spec()));
  ASSERT_TRUE(first.ok()) << first.error().message;
  const Footprint after_first = FootprintOf(store(), "usr_ada");

  Recorder recorder;
  Result<AttemptOutcome> replay =
      SubmitAndWait(store(), request, recorder.Plan(Spec()),
                    [](const AttemptPlan&) { return std::string(R"({"rendered":"again"})"); });
  ASSERT_TRUE(replay.ok()) << replay.error().message;
  EXPECT_TRUE(replay->replayed);
  EXPECT_EQ(replay->response_json, first->response_json);
  EXPECT_EQ(recorder.calls, 0);
  EXPECT_EQ(FootprintOf(store(), "usr_ada"), after_first);
  EXPECT_EQ(store().ListAttempts("usr_ada", "algebra")->size(), 1u);
}

TEST_P(ProgressStoreContractTest, AKeyReusedForAnotherRequestIsAConflict) {
  ASSERT_TRUE(SubmitAndWait(store(), Request("usr_ada", "algebra", "intro", "ex1", "key-1", "A"),
                            PlanOf(Spec()))
                  .ok());
  const Footprint before = FootprintOf(store(), "usr_ada");
  Recorder recorder;
  Result<AttemptOutcome> reused = SubmitAndWait(
      store(), Request("usr_ada", "algebra", "intro", "ex1", "key-1", "B"), recorder.Plan(Spec()));
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(reused.error().type, kIdempotencyKeyReused);
  EXPECT_EQ(recorder.calls, 0);
  EXPECT_EQ(FootprintOf(store(), "usr_ada"), before);
}

TEST_P(ProgressStoreContractTest, KeysBelongToOneLearner) {
  ASSERT_TRUE(SubmitAndWait(store(), Request("usr_ada", "algebra", "intro", "ex1", "key-1", "A"),
                            PlanOf(Spec()))
                  .ok());
  Result<AttemptOutcome> other = SubmitAndWait(
      store(), Request("usr_bob", "algebra", "intro", "ex1", "key-1", "A"), PlanOf(Spec()));
  ASSERT_TRUE(other.ok()) << other.error().message;
  EXPECT_FALSE(other->replayed);
  EXPECT_EQ(store().ListAttempts("usr_bob", "algebra")->size(), 1u);
}

TEST_P(ProgressStoreContractTest, WithoutAKeyEverySubmissionIsANewAttempt) {
  const AttemptRequest request = Request("usr_ada", "algebra", "intro", "ex1", "", "A");
  ASSERT_TRUE(SubmitAndWait(store(), request, PlanOf(Spec())).ok());
  Result<AttemptOutcome> second = SubmitAndWait(store(), request, PlanOf(Spec()));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_FALSE(second->replayed);
  EXPECT_EQ(store().GetExerciseState("usr_ada", "algebra", "ex1")->attempts, 2);
}

// Refusals ------------------------------------------------------------------------------------

TEST_P(ProgressStoreContractTest, APlanErrorWritesNothingAndReachesDoneUnchanged) {
  const AttemptRequest first = Request("usr_ada", "algebra", "intro", "ex1");
  ASSERT_TRUE(SubmitAndWait(store(), first, PlanOf(Spec())).ok());
  const Footprint before = FootprintOf(store(), "usr_ada");

  const AttemptRequest keyed = Request("usr_ada", "algebra", "intro", "ex1", "key-1", "A");
  bool rendered = false;
  Result<AttemptOutcome> refused =
      SubmitAndWait(store(), keyed, LimitedPlan(Spec(), 1), [&](const AttemptPlan& plan) {
        rendered = true;
        return RenderPlan(plan);
      });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(refused.error().type, "no-attempts-left");
  EXPECT_EQ(refused.error().message, "no attempts left");
  EXPECT_FALSE(rendered);
  EXPECT_EQ(FootprintOf(store(), "usr_ada"), before);

  // The refused attempt's key was not stored: the same key is usable for the retry.
  Result<AttemptOutcome> retried = SubmitAndWait(store(), keyed, LimitedPlan(Spec(), 2));
  ASSERT_TRUE(retried.ok()) << retried.error().message;
  EXPECT_FALSE(retried->replayed);
}

TEST_P(ProgressStoreContractTest, ATakenAttemptIdIsAConflictAndWritesNothing) {
  if (!GetParam().refuses_taken_attempt_ids) {
    GTEST_SKIP() << GetParam().name << " leaves unique attempt ids to the caller";
  }
  AttemptSpec spec = Spec();
  ASSERT_TRUE(
      SubmitAndWait(store(), Request("usr_ada", "algebra", "intro", "ex1"), PlanOf(spec)).ok());
  const Footprint ada = FootprintOf(store(), "usr_ada");
  spec.at = kNow + 5;
  Result<AttemptOutcome> again = SubmitAndWait(
      store(), Request("usr_bob", "geometry", "angles", "ex2", "key-1", "A"), PlanOf(spec));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(FootprintOf(store(), "usr_bob"), Footprint{});
  EXPECT_EQ(FootprintOf(store(), "usr_ada"), ada);
  // Nor was the key kept.
  Result<AttemptOutcome> retried = SubmitAndWait(
      store(), Request("usr_bob", "geometry", "angles", "ex2", "key-1", "A"), PlanOf(Spec()));
  ASSERT_TRUE(retried.ok()) << retried.error().message;
  EXPECT_FALSE(retried->replayed);
}

// Concurrency ---------------------------------------------------------------------------------

// Starts `threads` threads that each call `submit(i, done)` at once, and waits until every done
// has been called.
void SubmitConcurrently(int threads,
                        const std::function<void(int, std::function<void()>)>& submit) {
  std::latch start(threads);
  std::latch finished(threads);
  std::vector<std::thread> workers;
  workers.reserve(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back([&, i] {
      start.arrive_and_wait();
      submit(i, [&finished] { finished.count_down(); });
    });
  }
  finished.wait();
  for (std::thread& worker : workers) worker.join();
}

TEST_P(ProgressStoreContractTest, OneTryLeftIsTakenByExactlyOneOfFiftyConcurrentSubmissions) {
  constexpr int kThreads = 50;
  std::atomic<int> succeeded{0};
  std::atomic<int> refused{0};
  std::atomic<int> other{0};
  SubmitConcurrently(kThreads, [&](int, std::function<void()> finished) {
    store().SubmitAttempt(Request("usr_ada", "algebra", "intro", "ex1"), LimitedPlan(Spec(), 1),
                          RenderPlan, [&, finished](Result<AttemptOutcome> outcome) {
                            if (outcome.ok()) {
                              ++succeeded;
                            } else if (outcome.error().type == "no-attempts-left") {
                              ++refused;
                            } else {
                              ++other;
                            }
                            finished();
                          });
  });
  EXPECT_EQ(succeeded.load(), 1);
  EXPECT_EQ(refused.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(store().ListAttempts("usr_ada", "algebra")->size(), 1u);
  EXPECT_EQ(store().GetExerciseState("usr_ada", "algebra", "ex1")->attempts, 1);
}

TEST_P(ProgressStoreContractTest, ConcurrentAttemptsOnOneExerciseAreSequential) {
  constexpr int kThreads = 20;
  constexpr int kLimit = 3;
  std::atomic<int> succeeded{0};
  SubmitConcurrently(kThreads, [&](int, std::function<void()> finished) {
    store().SubmitAttempt(Request("usr_ada", "algebra", "intro", "ex1"),
                          LimitedPlan(Spec(), kLimit), RenderPlan,
                          [&, finished](Result<AttemptOutcome> outcome) {
                            if (outcome.ok()) ++succeeded;
                            finished();
                          });
  });
  EXPECT_EQ(succeeded.load(), kLimit);
  std::vector<int> numbers;
  const std::vector<AttemptRecord> attempts = store().ListAttempts("usr_ada", "algebra").value();
  for (const AttemptRecord& attempt : attempts) {
    numbers.push_back(attempt.attempt_number);
  }
  std::sort(numbers.begin(), numbers.end());
  EXPECT_EQ(numbers, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(store().GetTotals("usr_ada")->xp, 10 * kLimit);  // no lost update
}

TEST_P(ProgressStoreContractTest, FiftyLearnersSubmittingAtOnceAllSucceed) {
  constexpr int kThreads = 50;
  std::atomic<int> succeeded{0};
  SubmitConcurrently(kThreads, [&](int i, std::function<void()> finished) {
    store().SubmitAttempt(Request("usr_" + std::to_string(i), "algebra", "intro", "ex1",
                                  "key-" + std::to_string(i), "A"),
                          LimitedPlan(Spec(), 1), RenderPlan,
                          [&, finished](Result<AttemptOutcome> outcome) {
                            if (outcome.ok() && !outcome->replayed) ++succeeded;
                            finished();
                          });
  });
  EXPECT_EQ(succeeded.load(), kThreads);
  for (int i = 0; i < kThreads; ++i) {
    const std::string user_id = "usr_" + std::to_string(i);
    EXPECT_EQ(store().ListAttempts(user_id, "algebra")->size(), 1u) << user_id;
    EXPECT_EQ(store().GetTotals(user_id)->xp, 10) << user_id;
  }
}

// Hints, progress, courses --------------------------------------------------------------------

TEST_P(ProgressStoreContractTest, HintsAreCountedPerLearnerAndExercise) {
  EXPECT_EQ(*store().RecordHint("usr_ada", "algebra", "intro", "ex1", 10), 1);
  EXPECT_EQ(*store().RecordHint("usr_ada", "algebra", "intro", "ex1", 10), 2);
  EXPECT_EQ(*store().RecordHint("usr_ada", "algebra", "intro", "ex2", 10), 1);
  EXPECT_EQ(*store().RecordHint("usr_bob", "algebra", "intro", "ex1", 10), 1);
  EXPECT_EQ(*store().RecordHint("usr_ada", "algebra", "intro", "ex1", 10), 3);
  ExerciseState expected;
  expected.hints_used = 3;
  EXPECT_EQ(*store().GetExerciseState("usr_ada", "algebra", "ex1"), expected);

  // The count survives an attempt (the plan keeps it) and goes on from there.
  Recorder recorder;
  ASSERT_TRUE(
      SubmitAndWait(store(), Request("usr_ada", "algebra", "intro", "ex1"), recorder.Plan(Spec()))
          .ok());
  EXPECT_EQ(recorder.before.at(0).hints_used, 3);
  EXPECT_EQ(*store().RecordHint("usr_ada", "algebra", "intro", "ex1", 10), 4);
  EXPECT_EQ(store().GetExerciseState("usr_ada", "algebra", "ex1")->attempts, 1);
}

// Parallel hint requests each pass the API's own check; the store's count must stop at the
// exercise's hints anyway.
TEST_P(ProgressStoreContractTest, HintsStopAtTheExercisesCountEvenInParallel) {
  EXPECT_EQ(*store().RecordHint("usr_ada", "algebra", "intro", "ex1", 1), 1);
  const Result<int> refused = store().RecordHint("usr_ada", "algebra", "intro", "ex1", 1);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(refused.error().type, "no-more-hints");
  EXPECT_FALSE(store().RecordHint("usr_ada", "algebra", "intro", "ex2", 0).ok());
  EXPECT_EQ(store().GetExerciseState("usr_ada", "algebra", "ex2")->hints_used, 0);

  constexpr int kRequests = 8;
  std::atomic<int> counted{0};
  std::latch start(kRequests);
  std::vector<std::thread> workers;
  for (int i = 0; i < kRequests; ++i) {
    workers.emplace_back([&] {
      start.arrive_and_wait();
      if (store().RecordHint("usr_bob", "algebra", "intro", "ex1", 2).ok()) ++counted;
    });
  }
  for (std::thread& worker : workers) worker.join();
  EXPECT_EQ(counted.load(), 2);
  EXPECT_EQ(store().GetExerciseState("usr_bob", "algebra", "ex1")->hints_used, 2);
}

TEST_P(ProgressStoreContractTest, CourseProgressListsTheTouchedExercisesInIdOrder) {
  const AttemptPlan b = Attempt(store(), Request("usr_ada", "algebra", "lesson-2", "b"), Spec());
  ASSERT_TRUE(store().RecordHint("usr_ada", "algebra", "lesson-1", "a", 10).ok());
  const AttemptPlan c = Attempt(store(), Request("usr_ada", "algebra", "lesson-1", "c"), Spec(0));
  Attempt(store(), Request("usr_ada", "geometry", "angles", "a"), Spec());   // another course
  Attempt(store(), Request("usr_bob", "algebra", "lesson-1", "d"), Spec());  // another learner

  ExerciseState hinted;
  hinted.hints_used = 1;
  EXPECT_EQ(
      *store().GetCourseProgress("usr_ada", "algebra"),
      (std::vector<ExerciseProgressRow>{
          {"lesson-1", "a", hinted}, {"lesson-2", "b", b.after}, {"lesson-1", "c", c.after}}));
  EXPECT_TRUE(store().GetCourseProgress("usr_ada", "algebr")->empty());
}

TEST_P(ProgressStoreContractTest, CoursesAreListedOnceEachInSlugOrder) {
  Attempt(store(), Request("usr_ada", "zoology", "l", "e1"), Spec());
  Attempt(store(), Request("usr_ada", "algebra", "l", "e1"), Spec());
  Attempt(store(), Request("usr_ada", "algebra", "l", "e2"), Spec());
  ASSERT_TRUE(store().RecordHint("usr_ada", "geometry", "l", "e1", 10).ok());
  Attempt(store(), Request("usr_bob", "botany", "l", "e1"), Spec());
  EXPECT_EQ(*store().ListCourses("usr_ada"),
            (std::vector<std::string>{"algebra", "geometry", "zoology"}));
  EXPECT_EQ(*store().ListCourses("usr_bob"), (std::vector<std::string>{"botany"}));
}

TEST_P(ProgressStoreContractTest, AttemptsAreListedOldestFirstPerCourse) {
  const AttemptRequest one = Request("usr_ada", "algebra", "l", "e1");
  const AttemptRequest two = Request("usr_ada", "algebra", "l", "e2");
  const AttemptPlan late = Attempt(store(), one, Spec(1, kNow + 100));
  const AttemptPlan early = Attempt(store(), two, Spec(1, kNow + 10));
  const AttemptPlan tie_first = Attempt(store(), two, Spec(0, kNow + 50));
  const AttemptPlan tie_second = Attempt(store(), one, Spec(0, kNow + 50));
  Attempt(store(), Request("usr_ada", "geometry", "l", "e1"), Spec());
  EXPECT_EQ(*store().ListAttempts("usr_ada", "algebra"),
            (std::vector<AttemptRecord>{early.attempt, tie_first.attempt, tie_second.attempt,
                                        late.attempt}));
  EXPECT_EQ(store().ListAttempts("usr_ada", "geometry")->size(), 1u);
}

// Review cards --------------------------------------------------------------------------------

// Gives the learner a card due at `due` on `exercise` of `course`.
void CardDueAt(ProgressStore& store, const std::string& user_id, const std::string& course,
               const std::string& exercise, int64_t due) {
  AttemptSpec spec = Spec();
  spec.due = due;
  Attempt(store, Request(user_id, course, "lesson-" + exercise, exercise), spec);
}

std::vector<std::string> DueExercises(const Result<std::vector<DueCard>>& cards) {
  EXPECT_TRUE(cards.ok()) << cards.error().message;
  std::vector<std::string> names;
  if (!cards.ok()) return names;
  for (const DueCard& card : *cards) names.push_back(card.course + "/" + card.exercise);
  return names;
}

TEST_P(ProgressStoreContractTest, DueCardsComeMostOverdueFirstUpToTheLimit) {
  CardDueAt(store(), "usr_ada", "algebra", "e1", kNow - 10);
  CardDueAt(store(), "usr_ada", "algebra", "e2", kNow - 3 * kDay);
  CardDueAt(store(), "usr_ada", "algebra", "e3", kNow + 1);  // not due yet
  CardDueAt(store(), "usr_ada", "geometry", "e1", kNow);     // due exactly now
  CardDueAt(store(), "usr_ada", "botany", "e9", kNow - 10);  // ties with algebra/e1
  CardDueAt(store(), "usr_bob", "algebra", "e1", kNow - 5 * kDay);
  AttemptSpec cardless = Spec(0);
  cardless.due.reset();
  Attempt(store(), Request("usr_ada", "algebra", "l", "e4"), cardless);

  EXPECT_EQ(DueExercises(store().DueCards("usr_ada", kNow, 10)),
            (std::vector<std::string>{"algebra/e2", "algebra/e1", "botany/e9", "geometry/e1"}));
  EXPECT_EQ(DueExercises(store().DueCards("usr_ada", kNow, 2)),
            (std::vector<std::string>{"algebra/e2", "algebra/e1"}));
  EXPECT_EQ(DueExercises(store().DueCards("usr_ada", kNow + 1, 10)).size(), 5u);

  Result<std::vector<DueCard>> one = store().DueCards("usr_ada", kNow, 1);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(one->at(0).lesson, "lesson-e2");
  EXPECT_EQ(one->at(0).card, store().GetExerciseState("usr_ada", "algebra", "e2")->card.value());

  for (const int limit : {0, -1}) {
    Result<std::vector<DueCard>> refused = store().DueCards("usr_ada", kNow, limit);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalid);
  }
}

TEST_P(ProgressStoreContractTest, SaveCardReplacesTheCardOnly) {
  CardDueAt(store(), "usr_ada", "algebra", "e1", kNow - 10);
  CardDueAt(store(), "usr_bob", "algebra", "e1", kNow - 10);
  const ExerciseState before = *store().GetExerciseState("usr_ada", "algebra", "e1");
  const domain::Card reviewed{7.75, 4.5, kNow + 8 * kDay, kNow, 2, 1};
  ASSERT_TRUE(store().SaveCard("usr_ada", "algebra", "e1", reviewed).ok());

  ExerciseState expected = before;
  expected.card = reviewed;
  EXPECT_EQ(*store().GetExerciseState("usr_ada", "algebra", "e1"), expected);
  EXPECT_TRUE(store().DueCards("usr_ada", kNow, 10)->empty());
  EXPECT_EQ(store().DueCards("usr_bob", kNow, 10)->size(), 1u);
  // The next attempt's plan sees the saved card.
  Recorder recorder;
  ASSERT_TRUE(SubmitAndWait(store(), Request("usr_ada", "algebra", "lesson-e1", "e1"),
                            recorder.Plan(Spec()))
                  .ok());
  EXPECT_EQ(recorder.before.at(0).card, reviewed);
}

TEST_P(ProgressStoreContractTest, SaveCardWithoutACardIsNotFound) {
  const domain::Card card{1, 5, kNow, kNow, 1, 0};
  Status no_row = store().SaveCard("usr_ada", "algebra", "e1", card);
  ASSERT_FALSE(no_row.ok());
  EXPECT_EQ(no_row.error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(store().RecordHint("usr_ada", "algebra", "l", "e1", 10).ok());  // touched, no card
  Status no_card = store().SaveCard("usr_ada", "algebra", "e1", card);
  ASSERT_FALSE(no_card.ok());
  EXPECT_EQ(no_card.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(store().GetExerciseState("usr_ada", "algebra", "e1")->card.has_value());
}

// Privacy and housekeeping --------------------------------------------------------------------

TEST_P(ProgressStoreContractTest, DeleteLearnerRemovesThatLearnersRowsOnly) {
  for (const std::string user_id : {"usr_ada", "usr_bob"}) {
    ASSERT_TRUE(
        SubmitAndWait(store(), Request(user_id, "algebra", "l", "e1", "key-1", "A"), PlanOf(Spec()))
            .ok());
    CardDueAt(store(), user_id, "geometry", "e2", kNow - 10);
    ASSERT_TRUE(store().RecordHint(user_id, "botany", "l", "e3", 10).ok());
  }
  const Footprint bob = FootprintOf(store(), "usr_bob");
  ASSERT_EQ(bob.courses.size(), 3u);

  ASSERT_TRUE(store().DeleteLearner("usr_ada").ok());
  EXPECT_EQ(FootprintOf(store(), "usr_ada"), Footprint{});
  EXPECT_TRUE(store().DueCards("usr_ada", kNow, 10)->empty());
  EXPECT_EQ(FootprintOf(store(), "usr_bob"), bob);
  EXPECT_EQ(store().DueCards("usr_bob", kNow, 10)->size(), 1u);

  // Ada's key went too: the same key now makes a new attempt. Bob's is still there.
  Result<AttemptOutcome> ada = SubmitAndWait(
      store(), Request("usr_ada", "algebra", "l", "e1", "key-1", "A"), PlanOf(Spec()));
  ASSERT_TRUE(ada.ok()) << ada.error().message;
  EXPECT_FALSE(ada->replayed);
  Result<AttemptOutcome> bob_again = SubmitAndWait(
      store(), Request("usr_bob", "algebra", "l", "e1", "key-1", "A"), PlanOf(Spec()));
  ASSERT_TRUE(bob_again.ok()) << bob_again.error().message;
  EXPECT_TRUE(bob_again->replayed);

  EXPECT_TRUE(store().DeleteLearner("usr_nobody").ok());
}

TEST_P(ProgressStoreContractTest, ForgettingKeysForgetsTheOldOnesOnly) {
  const AttemptRequest old_key = Request("usr_ada", "algebra", "l", "e1", "old", "A");
  const AttemptRequest new_key = Request("usr_bob", "algebra", "l", "e1", "new", "A");
  ASSERT_TRUE(SubmitAndWait(store(), old_key, PlanOf(Spec(1, kNow - 2 * kDay))).ok());
  ASSERT_TRUE(SubmitAndWait(store(), new_key, PlanOf(Spec(1, kNow - kDay))).ok());

  ASSERT_TRUE(store().ForgetIdempotencyKeys(kNow - kDay).ok());  // "older than": strictly

  Result<AttemptOutcome> old_again = SubmitAndWait(store(), old_key, PlanOf(Spec()));
  ASSERT_TRUE(old_again.ok()) << old_again.error().message;
  EXPECT_FALSE(old_again->replayed);
  EXPECT_EQ(store().ListAttempts("usr_ada", "algebra")->size(), 2u);
  Result<AttemptOutcome> new_again = SubmitAndWait(store(), new_key, PlanOf(Spec()));
  ASSERT_TRUE(new_again.ok()) << new_again.error().message;
  EXPECT_TRUE(new_again->replayed);
  EXPECT_EQ(store().ListAttempts("usr_bob", "algebra")->size(), 1u);
  // Forgetting a key keeps what the attempt wrote.
  EXPECT_EQ(store().GetExerciseState("usr_ada", "algebra", "e1")->attempts, 2);
}

}  // namespace
}  // namespace testing
}  // namespace practica::store
