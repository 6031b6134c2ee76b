// ProgressStore: learners' attempts, per-exercise progress, XP, streaks and review cards.
//
// Adapters: store/sqlite (group commit through one writer thread), store/memory (tests); later
// store/dynamodb. Every method is thread-safe.
//
// SubmitAttempt is the hot write. It is asynchronous: the adapter reads the learner's state for
// the exercise, asks the caller's PlanFn what the attempt does (the caller grades and applies the
// domain rules; the store applies no rules of its own), writes the plan and the rendered response
// with the idempotency key in ONE transaction, and calls `done` only after that transaction is
// durable (synchronous=FULL). Concurrent submissions share a commit (group commit) but are
// serialised per learner and exercise, so an attempt limit holds under any concurrency: PlanFn
// always sees the state left by the previous attempt.
//
// Callbacks: PlanFn and RenderFn run inside the store's write (under its lock, on its writer
// thread, or on its worker between a read and a conditional write) and must not call the store.
// PlanFn must be a pure function of its arguments: an adapter with optimistic concurrency calls it
// again after losing a race, with the state the winner left. AttemptDone should only hand the
// result on (post it to the thread that answers the request). None of them may throw.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/scheduling.h"

namespace practica::store {

// Error::type of the kConflict SubmitAttempt reports when an idempotency key comes back with
// another request_hash.
inline constexpr std::string_view kIdempotencyKeyReused = "idempotency-key-reused";

// One learner's standing on one exercise.
struct ExerciseState {
  int attempts = 0;
  double best_score = 0;
  bool solved = false;
  int hints_used = 0;
  std::optional<domain::Card> card;  // after the first attempt
  friend bool operator==(const ExerciseState&, const ExerciseState&) = default;
};

// One learner's totals.
struct LearnerTotals {
  int64_t xp = 0;
  domain::Streak streak;
  friend bool operator==(const LearnerTotals&, const LearnerTotals&) = default;
};

struct AttemptRecord {
  std::string attempt_id;  // "att_…", made by the caller, unique (a time and 80 random bits);
                           // SQLite also refuses a taken one, the DynamoDB adapter does not look
  int attempt_number = 0;  // 1-based
  double raw_score = 0;
  double score = 0;  // after the retry penalty
  bool correct = false;
  std::string answer_json;       // the answer as submitted
  int64_t created_at = 0;        // Unix seconds
  std::string exercise_version;  // fingerprint of the exercise's definition it answered
  int64_t time_taken_ms = -1;    // from showing the exercise to submitting, as the client
                                 // measured it; -1 when not known
  friend bool operator==(const AttemptRecord&, const AttemptRecord&) = default;
};

// What PlanFn decides: the attempt, and the state and totals it leaves.
struct AttemptPlan {
  AttemptRecord attempt;
  ExerciseState after;
  LearnerTotals totals_after;
};

struct AttemptRequest {
  std::string user_id;
  std::string course;    // course slug
  std::string lesson;    // lesson slug
  std::string exercise;  // exercise id within the course
  // May be empty: no idempotency. Keys are scoped to the learner; only a successful attempt
  // stores its key (with plan.attempt.created_at as the key's age), so a refused attempt can be
  // retried with the same key.
  std::string idempotency_key;
  std::string request_hash;  // identifies the request body, for key reuse checks
};

struct AttemptOutcome {
  bool replayed = false;      // the key had been used with the same body: stored response
  std::string response_json;  // the body of the 201
};

// Decides the attempt from the state before it. An error aborts the attempt: nothing is written
// and `done` receives that error (e.g. kConflict when no attempts are left).
using PlanFn =
    std::function<Result<AttemptPlan>(const ExerciseState& before, const LearnerTotals& totals)>;
// Renders the response body from the plan; stored with the idempotency key.
using RenderFn = std::function<std::string(const AttemptPlan& plan)>;
using AttemptDone = std::function<void(Result<AttemptOutcome>)>;

// A due review card, with where it lives.
struct DueCard {
  std::string course;
  std::string lesson;
  std::string exercise;
  domain::Card card;
  friend bool operator==(const DueCard&, const DueCard&) = default;
};

struct ExerciseProgressRow {
  std::string lesson;
  std::string exercise;
  ExerciseState state;
  friend bool operator==(const ExerciseProgressRow&, const ExerciseProgressRow&) = default;
};

// What RecordHint answers once every hint of the exercise is counted.
inline Error NoMoreHints() {
  Error error = Error::Conflict("Every hint is already shown.");
  error.type = "no-more-hints";
  return error;
}

class ProgressStore {
 public:
  virtual ~ProgressStore() = default;

  // See the file comment. Errors passed to `done`: PlanFn's error; kConflict with type
  // "idempotency-key-reused" when the key was used with another request_hash; kUnavailable when
  // the disk is full or failing. `done` may run on another thread, and may run before
  // SubmitAttempt returns.
  virtual void SubmitAttempt(AttemptRequest request, PlanFn plan, RenderFn render,
                             AttemptDone done) = 0;

  // Counts a hint use (durably) while fewer than `hint_count` are counted, and returns the new
  // count for the exercise; with all of them counted already it changes nothing and answers
  // kConflict of type "no-more-hints". The check and the count are one step, so requests in
  // parallel never count more hints than the exercise has. The exercise then counts as touched
  // (GetCourseProgress, ListCourses).
  virtual Result<int> RecordHint(std::string_view user_id, std::string_view course,
                                 std::string_view lesson, std::string_view exercise,
                                 int hint_count) = 0;

  // An exercise the learner has not touched has the zero state (not kNotFound).
  virtual Result<ExerciseState> GetExerciseState(std::string_view user_id, std::string_view course,
                                                 std::string_view exercise) = 0;
  // Every exercise of the course the learner has touched (attempted or hinted), in exercise id
  // order (bytewise).
  virtual Result<std::vector<ExerciseProgressRow>> GetCourseProgress(std::string_view user_id,
                                                                     std::string_view course) = 0;
  // Slugs of the courses the learner has touched, in slug order.
  virtual Result<std::vector<std::string>> ListCourses(std::string_view user_id) = 0;
  // The zero totals (xp 0, streak {0, -1}) for a learner without any.
  virtual Result<LearnerTotals> GetTotals(std::string_view user_id) = 0;

  // Cards due at or before `now`, most overdue first (ties in course, then exercise order), at
  // most `limit`; kInvalid unless limit >= 1.
  virtual Result<std::vector<DueCard>> DueCards(std::string_view user_id, int64_t now,
                                                int limit) = 0;
  // Replaces an exercise's card (a review); kNotFound when the learner has no card for it.
  virtual Status SaveCard(std::string_view user_id, std::string_view course,
                          std::string_view exercise, const domain::Card& card) = 0;

  // Privacy: every attempt of the learner in the course (for the export), oldest first (created_at,
  // then submission order); and deletion of all their rows (progress, attempts, totals,
  // idempotency keys; a learner without rows is not an error).
  virtual Result<std::vector<AttemptRecord>> ListAttempts(std::string_view user_id,
                                                          std::string_view course) = 0;
  virtual Status DeleteLearner(std::string_view user_id) = 0;

  // Idempotency keys older than `before` (Unix seconds) may be forgotten; callers keep >= 24 h.
  virtual Status ForgetIdempotencyKeys(int64_t before) = 0;

  // A cheap round trip to the backing store, for /api/ready.
  virtual Status Ping() = 0;
};

}  // namespace practica::store
