// DynamoDB Streams batches as `practica lambda` reads them (app/stream_ingest.h): records of the
// table's changed items, whose exercise items' logs become analytics events.
// Invariants: IngestStreamBatch refuses what is no Streams batch (or mixes in records of another
// source) as kInvalid of type Practica.UnknownEvent, recording nothing; an accepted batch answers
// Lambda's partial batch response with no failures, recorded in one call; ingesting the same batch
// again records the same events (replays are harmless only if they are identical).
#include <string>
#include <vector>

#include "app/stream_ingest.h"
#include "common/log.h"
#include "fuzz_check.h"
#include "lambda/http_event.h"

using practica::fuzz::AsText;
using practica::fuzz::Check;
namespace store = practica::store;

namespace {

// Keeps the batches it is given; answers nothing else (IngestStreamBatch only records).
class RecordingAnalytics final : public store::AnalyticsStore {
 public:
  std::vector<store::EventBatch> batches;

  practica::Status Record(const store::EventBatch& batch) override {
    batches.push_back(batch);
    return practica::Status::Ok();
  }
  practica::Result<std::vector<store::ItemMoments>> ItemStatistics(std::string_view,
                                                                   const std::vector<std::string>&,
                                                                   store::DayRange) override {
    return Unused();
  }
  practica::Result<std::vector<store::FunnelStep>> Funnel(
      std::string_view, const std::vector<store::LessonExercises>&, store::DayRange) override {
    return Unused();
  }
  practica::Result<store::CompletionSeries> Completions(std::string_view,
                                                        const std::vector<std::string>&,
                                                        store::DayRange) override {
    return Unused();
  }
  practica::Result<std::vector<store::DayCount>> ActiveLearners(std::string_view, store::Interval,
                                                                store::DayRange) override {
    return Unused();
  }
  practica::Result<std::vector<store::Cohort>> Retention(std::string_view,
                                                         store::DayRange) override {
    return Unused();
  }
  practica::Status ForgetLearner(std::string_view) override { return Unused(); }
  practica::Status Ping() override { return Unused(); }

 private:
  static practica::Error Unused() { return practica::Error::Internal("not used by the fuzzer"); }
};

bool SameBatch(const store::EventBatch& a, const store::EventBatch& b) {
  return a.attempts == b.attempts && a.activity == b.activity;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  practica::log::SetLevel(practica::log::Level::kError);  // one info line per batch otherwise
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view event = AsText(data, size);
  RecordingAnalytics analytics;
  auto answer = practica::app::IngestStreamBatch(event, analytics);
  if (!answer) {
    Check(answer.error().code == practica::ErrorCode::kInvalid &&
              answer.error().type == practica::lambda::kUnknownEventType,
          "a refused batch is kInvalid of type Practica.UnknownEvent");
    Check(analytics.batches.empty(), "a refused batch records nothing");
    return 0;
  }
  Check(*answer == R"({"batchItemFailures":[]})", "an ingested batch reports no failures");
  Check(analytics.batches.size() == 1, "a batch is recorded in one call");
  auto again = practica::app::IngestStreamBatch(event, analytics);
  Check(again.ok() && analytics.batches.size() == 2 &&
            SameBatch(analytics.batches[0], analytics.batches[1]),
        "a replayed batch records the same events");
  return 0;
}
