#include "app/key_expiry.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "store/memory/memory_progress_store.h"

namespace practica::app {
namespace {

// Submits an attempt with `key` made at `at`; true when the store answered with the response it
// kept for the key (it still knew the key).
bool Replayed(store::ProgressStore& progress, const std::string& key, int64_t at) {
  const auto submit = [&](const std::string& attempt_id) {
    store::AttemptRequest request{"usr_ada", "algebra", "l", "e1", key, "hash"};
    std::promise<Result<store::AttemptOutcome>> promise;
    progress.SubmitAttempt(
        request,
        [&](const store::ExerciseState& before,
            const store::LearnerTotals& totals) -> Result<store::AttemptPlan> {
          store::AttemptPlan plan;
          plan.attempt.attempt_id = attempt_id;
          plan.attempt.attempt_number = before.attempts + 1;
          plan.attempt.created_at = at;
          plan.after = before;
          plan.after.attempts = before.attempts + 1;
          plan.totals_after = totals;
          return plan;
        },
        [](const store::AttemptPlan&) { return std::string("{}"); },
        [&](Result<store::AttemptOutcome> outcome) { promise.set_value(std::move(outcome)); });
    return promise.get_future().get();
  };
  static int next_id = 0;
  Result<store::AttemptOutcome> outcome = submit("att_" + std::to_string(++next_id));
  EXPECT_TRUE(outcome.ok());
  return outcome.ok() && outcome->replayed;
}

TEST(KeyExpiry, ForgetsKeysOlderThanTwentyFiveHoursAtStartAndThenEveryInterval) {
  store::memory::MemoryProgressStore progress;
  FakeClock clock(1'800'000'000);
  ASSERT_FALSE(Replayed(progress, "old", clock.NowSeconds() - KeyExpiry::kKeepSeconds - 1));
  ASSERT_FALSE(Replayed(progress, "recent", clock.NowSeconds() - 24 * 3600));
  ASSERT_TRUE(Replayed(progress, "old", clock.NowSeconds()));  // known before the expiry runs
  {
    KeyExpiry expiry(progress, clock, std::chrono::milliseconds(5));
    while (expiry.rounds() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_FALSE(Replayed(progress, "old", clock.NowSeconds()));
  EXPECT_TRUE(Replayed(progress, "recent", clock.NowSeconds()));
}

TEST(KeyExpiry, StopsAtOnceWhenDestroyed) {
  store::memory::MemoryProgressStore progress;
  FakeClock clock;
  const auto start = std::chrono::steady_clock::now();
  { KeyExpiry expiry(progress, clock); }  // the default interval is an hour
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace practica::app
