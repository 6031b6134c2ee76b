// The ProgressStore contract: one parameterised suite every adapter must pass.
//
// An adapter's test file instantiates it with a factory that builds a fresh, empty store:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, ProgressStoreContractTest,
//                            ::testing::Values(ProgressStoreAdapter{"sqlite", MakeSqliteHarness}),
//                            ProgressAdapterName);
//
// The suite checks only what progress_store.h promises (plus the shared rules of
// progress_checks.h), including that attempt limits hold under concurrent submissions; adapter-
// specific behaviour (durability, group commit) belongs in the adapter's own tests.
//
// The helpers below are shared with those tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "store/progress_store.h"

namespace practica::store {

// gtest prints these port values readably in failed expectations.
void PrintTo(const ExerciseState& state, std::ostream* os);
void PrintTo(const LearnerTotals& totals, std::ostream* os);
void PrintTo(const AttemptRecord& attempt, std::ostream* os);
void PrintTo(const DueCard& card, std::ostream* os);
void PrintTo(const ExerciseProgressRow& row, std::ostream* os);

namespace testing {

inline constexpr int64_t kNow = 1'700'000'000;
inline constexpr int64_t kDay = int64_t{24} * 60 * 60;

// What a test's PlanFn decides, besides what it derives from the state before.
struct AttemptSpec {
  std::string attempt_id;
  double score = 1;
  int64_t at = kNow;
  std::optional<int64_t> due = kNow + kDay;  // the card's due time; nullopt: no card
  std::string answer_json = R"("42")";
};

// A plan in the spirit of the real one: the attempt number, attempts and best score follow from
// `before`, XP grows by 10 × score and the streak by one; `spec` says the rest.
AttemptPlan PlanFrom(const AttemptSpec& spec, const ExerciseState& before,
                     const LearnerTotals& totals);
PlanFn PlanOf(AttemptSpec spec);
// A plan that refuses (kConflict, type "no-attempts-left") once `limit` attempts were made.
PlanFn LimitedPlan(AttemptSpec spec, int limit);
// {"attempt_id":…,"number":…}
std::string RenderPlan(const AttemptPlan& plan);

AttemptRequest Request(std::string user_id, std::string course, std::string lesson,
                       std::string exercise, std::string idempotency_key = "",
                       std::string request_hash = "");

// Submits and waits for `done`, wherever and whenever the adapter calls it.
Result<AttemptOutcome> SubmitAndWait(ProgressStore& store, AttemptRequest request, PlanFn plan,
                                     RenderFn render = RenderPlan);

// One store under test together with whatever keeps it alive, all released on destruction.
class ProgressStoreHarness {
 public:
  virtual ~ProgressStoreHarness() = default;
  virtual ProgressStore& store() = 0;
};

struct ProgressStoreAdapter {
  std::string name;  // [A-Za-z0-9_]+, becomes part of the test names
  std::function<std::unique_ptr<ProgressStoreHarness>()> make_empty;
  // Whether the adapter refuses an attempt id that any learner already used. The caller makes ids
  // from a time and 80 random bits; SQLite checks them for free (a primary key), DynamoDB would pay
  // a write.
  bool refuses_taken_attempt_ids = true;
};

// gtest prints the adapter's name instead of its bytes.
void PrintTo(const ProgressStoreAdapter& adapter, std::ostream* os);

std::string ProgressAdapterName(const ::testing::TestParamInfo<ProgressStoreAdapter>& info);

class ProgressStoreContractTest : public ::testing::TestWithParam<ProgressStoreAdapter> {
 protected:
  void SetUp() override;
  ProgressStore& store() { return harness_->store(); }

 private:
  std::unique_ptr<ProgressStoreHarness> harness_;
};

}  // namespace testing
}  // namespace practica::store
