#include "store/memory/memory_progress_store.h"

#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "progress_store_contract.h"

namespace practica::store::memory {
namespace {

using testing::ProgressStoreContractTest;

class MemoryProgressHarness : public testing::ProgressStoreHarness {
 public:
  ProgressStore& store() override { return store_; }

 private:
  MemoryProgressStore store_;
};

INSTANTIATE_TEST_SUITE_P(Memory, ProgressStoreContractTest,
                         ::testing::Values(testing::ProgressStoreAdapter{
                             "memory", [] { return std::make_unique<MemoryProgressHarness>(); }}),
                         testing::ProgressAdapterName);

// The fake's own promise: `done` runs on the calling thread before SubmitAttempt returns, and
// after the store's lock is released, so it may use the store.
TEST(MemoryProgressStoreTest, DoneRunsBeforeSubmitReturnsAndMayUseTheStore) {
  MemoryProgressStore store;
  const std::thread::id caller = std::this_thread::get_id();
  bool called = false;
  store.SubmitAttempt(testing::Request("usr_ada", "algebra", "l", "e1"),
                      testing::PlanOf({.attempt_id = "att_1"}), testing::RenderPlan,
                      [&](Result<AttemptOutcome> outcome) {
                        ASSERT_TRUE(outcome.ok()) << outcome.error().message;
                        EXPECT_EQ(std::this_thread::get_id(), caller);
                        EXPECT_EQ(store.GetExerciseState("usr_ada", "algebra", "e1")->attempts, 1);
                        called = true;
                      });
  EXPECT_TRUE(called);
}

}  // namespace
}  // namespace practica::store::memory
