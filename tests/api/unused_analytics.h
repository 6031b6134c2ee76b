// An AnalyticsStore for API tests that do not read analytics: every call answers an error, so a
// test that reaches one fails loudly. Tests that watch what is recorded override Record.
#pragma once

#include <string>
#include <vector>

#include "store/analytics_store.h"

namespace practica::api::testing {

class UnusedAnalytics : public store::AnalyticsStore {
 public:
  Status Record(const store::EventBatch&) override { return Unused(); }
  Result<std::vector<store::ItemMoments>> ItemStatistics(std::string_view,
                                                         const std::vector<std::string>&,
                                                         store::DayRange) override {
    return Unused();
  }
  Result<std::vector<store::FunnelStep>> Funnel(std::string_view,
                                                const std::vector<store::LessonExercises>&,
                                                store::DayRange) override {
    return Unused();
  }
  Result<store::CompletionSeries> Completions(std::string_view, const std::vector<std::string>&,
                                              store::DayRange) override {
    return Unused();
  }
  Result<std::vector<store::DayCount>> ActiveLearners(std::string_view, store::Interval,
                                                      store::DayRange) override {
    return Unused();
  }
  Result<std::vector<store::Cohort>> Retention(std::string_view, store::DayRange) override {
    return Unused();
  }
  Status ForgetLearner(std::string_view) override { return Unused(); }
  Status Ping() override { return Unused(); }

 private:
  static Error Unused() { return Error::Internal("not used by this test"); }
};

}  // namespace practica::api::testing
