// ProgressStore in memory: the fake for fast tests of code above the port (api/). It passes the
// same contract suite as the real adapters (tests/store/progress_store_contract.h): idempotent
// replay and key-reuse refusal, nothing written when PlanFn refuses, attempts on one exercise
// strictly sequential, deletion of one learner's rows only.
//
// Thread-safe: every method may be called from any thread. One mutex guards all state and is
// held while SubmitAttempt reads, calls PlanFn and RenderFn, and writes, so each submission is
// one atomic step (what the SQLite adapter gets from its writer thread and savepoints). `done` is
// called on the calling thread, after the mutex is released and before SubmitAttempt returns.
// Nothing survives the object.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/progress_store.h"

namespace practica::store::memory {

class MemoryProgressStore final : public ProgressStore {
 public:
  MemoryProgressStore() = default;

  void SubmitAttempt(AttemptRequest request, PlanFn plan, RenderFn render,
                     AttemptDone done) override;
  Result<int> RecordHint(std::string_view user_id, std::string_view course, std::string_view lesson,
                         std::string_view exercise, int hint_count) override;
  Result<ExerciseState> GetExerciseState(std::string_view user_id, std::string_view course,
                                         std::string_view exercise) override;
  Result<std::vector<ExerciseProgressRow>> GetCourseProgress(std::string_view user_id,
                                                             std::string_view course) override;
  Result<std::vector<std::string>> ListCourses(std::string_view user_id) override;
  Result<LearnerTotals> GetTotals(std::string_view user_id) override;
  Result<std::vector<DueCard>> DueCards(std::string_view user_id, int64_t now, int limit) override;
  Status SaveCard(std::string_view user_id, std::string_view course, std::string_view exercise,
                  const domain::Card& card) override;
  Result<std::vector<AttemptRecord>> ListAttempts(std::string_view user_id,
                                                  std::string_view course) override;
  Status DeleteLearner(std::string_view user_id) override;
  Status ForgetIdempotencyKeys(int64_t before) override;
  Status Ping() override { return Status::Ok(); }

 private:
  // (course, exercise): the map's order is the course order, then the exercise order (bytewise,
  // as SQLite's BINARY collation).
  using ExerciseKey = std::pair<std::string, std::string>;
  struct Touched {
    std::string lesson;
    ExerciseState state;
  };
  struct StoredAttempt {
    std::string course;
    AttemptRecord record;
  };
  struct StoredKey {
    std::string request_hash;
    std::string response_json;
    int64_t created_at = 0;
  };
  struct Learner {
    std::map<ExerciseKey, Touched, std::less<>> exercises;
    std::vector<StoredAttempt> attempts;  // in submission order
    LearnerTotals totals;
    std::map<std::string, StoredKey, std::less<>> keys;
  };

  // The submission itself (see progress_store.h). REQUIRES: mutex_ is held.
  Result<AttemptOutcome> Submit(const AttemptRequest& request, const PlanFn& plan,
                                const RenderFn& render);
  // REQUIRES: mutex_ is held.
  const Learner* Find(std::string_view user_id) const;

  mutable std::mutex mutex_;
  std::map<std::string, Learner, std::less<>> learners_;  // GUARDED_BY(mutex_), by user id
  std::set<std::string, std::less<>> attempt_ids_;        // GUARDED_BY(mutex_): unique, as a key
};

}  // namespace practica::store::memory
