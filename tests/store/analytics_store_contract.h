// The AnalyticsStore contract: one parameterised suite every adapter must pass.
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, AnalyticsStoreContractTest,
//                            ::testing::Values(AnalyticsStoreAdapter{"sqlite", MakeHarness}),
//                            AnalyticsAdapterName);
//
// The expected values are worked out by hand in analytics_store_contract.cc from a small data set
// (five learners, three exercises in two lessons, events inside and around a two-week range).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "store/analytics_store.h"

namespace practica::store {

void PrintTo(const AnswerCount& answer, std::ostream* os);
void PrintTo(const FunnelStep& step, std::ostream* os);
void PrintTo(const DayCount& count, std::ostream* os);
void PrintTo(const Cohort& cohort, std::ostream* os);

namespace testing {

class AnalyticsStoreHarness {
 public:
  virtual ~AnalyticsStoreHarness() = default;
  virtual AnalyticsStore& store() = 0;
};

struct AnalyticsStoreAdapter {
  std::string name;  // [A-Za-z0-9_]+
  std::function<std::unique_ptr<AnalyticsStoreHarness>()> make_empty;
};

void PrintTo(const AnalyticsStoreAdapter& adapter, std::ostream* os);
std::string AnalyticsAdapterName(const ::testing::TestParamInfo<AnalyticsStoreAdapter>& info);

// The data set of the suite, for adapter tests too: course "algebra" with lessons "one" (e1, e2)
// and "two" (e3); the range is kFirstDay (a Monday) to kFirstDay + 13.
inline constexpr int64_t kFirstDay = 19996;  // 2024-09-30
EventBatch SampleEvents();

class AnalyticsStoreContractTest : public ::testing::TestWithParam<AnalyticsStoreAdapter> {
 protected:
  void SetUp() override;
  AnalyticsStore& store() { return harness_->store(); }

 private:
  std::unique_ptr<AnalyticsStoreHarness> harness_;
};

}  // namespace testing
}  // namespace practica::store
