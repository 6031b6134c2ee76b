#include "store/analytics_recorder.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_analytics_store.h"
#include "temp_dir.h"

namespace practica::store {
namespace {

using namespace std::chrono_literals;

// The real SQLite store behind a switch that makes Record fail, and a count of Record calls.
class FlakyStore final : public AnalyticsStore {
 public:
  explicit FlakyStore(AnalyticsStore& real) : real_(real) {}
  std::atomic<bool> failing{false};
  std::atomic<int> records{0};

  Status Record(const EventBatch& batch) override {
    ++records;
    if (failing) return Error::Unavailable("the store is down");
    return real_.Record(batch);
  }
  Result<std::vector<ItemMoments>> ItemStatistics(std::string_view c,
                                                  const std::vector<std::string>& e,
                                                  DayRange r) override {
    return real_.ItemStatistics(c, e, r);
  }
  Result<std::vector<FunnelStep>> Funnel(std::string_view c, const std::vector<LessonExercises>& l,
                                         DayRange r) override {
    return real_.Funnel(c, l, r);
  }
  Result<CompletionSeries> Completions(std::string_view c, const std::vector<std::string>& e,
                                       DayRange r) override {
    return real_.Completions(c, e, r);
  }
  Result<std::vector<DayCount>> ActiveLearners(std::string_view c, Interval i,
                                               DayRange r) override {
    return real_.ActiveLearners(c, i, r);
  }
  Result<std::vector<Cohort>> Retention(std::string_view c, DayRange r) override {
    return real_.Retention(c, r);
  }
  Status ForgetLearner(std::string_view u) override { return real_.ForgetLearner(u); }
  Status Ping() override { return real_.Ping(); }

 private:
  AnalyticsStore& real_;
};

class AnalyticsRecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = sqlite::SqliteAnalyticsStore::Open(dir_.path() / "analytics.db");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    real_ = std::move(opened).value();
    flaky_ = std::make_unique<FlakyStore>(*real_);
  }

  static EventBatch View(const std::string& id, const std::string& user, int64_t day) {
    EventBatch batch;
    batch.activity.push_back(
        {id, ActivityKind::kLessonView, user, "algebra", "one", day * 86400 + 3600});
    return batch;
  }

  int64_t ActiveOn(int64_t day) {
    auto counts = real_->ActiveLearners("algebra", Interval::kDay, {day, day});
    EXPECT_TRUE(counts.ok());
    return counts.ok() && !counts->empty() ? counts->front().count : 0;
  }

  testing::TempDir dir_;
  std::unique_ptr<sqlite::SqliteAnalyticsStore> real_;
  std::unique_ptr<FlakyStore> flaky_;
};

TEST_F(AnalyticsRecorderTest, FlushWritesEverythingAddedBeforeIt) {
  AnalyticsRecorder recorder(*flaky_, {.flush_every = 10s, .max_batch = 1000, .max_queued = 10000});
  for (int i = 0; i < 250; ++i)
    recorder.Add(View("v" + std::to_string(i), "u" + std::to_string(i), 100));
  ASSERT_TRUE(recorder.Flush().ok());
  EXPECT_EQ(ActiveOn(100), 250);
  EXPECT_EQ(recorder.stats().written, 250);
  EXPECT_LE(flaky_->records.load(), 2);  // batched, not one write per event
}

TEST_F(AnalyticsRecorderTest, AnOutageDelaysEventsWithoutLosingThem) {
  AnalyticsRecorder recorder(*flaky_, {.flush_every = 5ms, .max_batch = 1000, .max_queued = 10000});
  flaky_->failing = true;
  recorder.Add(View("v1", "u1", 200));
  Status during = recorder.Flush();
  ASSERT_FALSE(during.ok());
  EXPECT_EQ(during.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(ActiveOn(200), 0);
  flaky_->failing = false;
  recorder.Add(View("v2", "u2", 200));
  ASSERT_TRUE(recorder.Flush().ok());
  EXPECT_EQ(ActiveOn(200), 2);
  EXPECT_GE(recorder.stats().failures, 1);
}

// A failed Flush has had its answer: the writer backs off instead of retrying at once for ever.
TEST_F(AnalyticsRecorderTest, AFailedFlushDoesNotMakeTheWriterSpin) {
  AnalyticsRecorder recorder(*flaky_, {.flush_every = 5ms, .max_batch = 1000, .max_queued = 10000});
  flaky_->failing = true;
  recorder.Add(View("v1", "u1", 250));
  ASSERT_FALSE(recorder.Flush().ok());
  std::this_thread::sleep_for(200ms);
  EXPECT_LE(flaky_->records.load(), 2);  // the failed write, perhaps one retry after 500 ms
  flaky_->failing = false;
  ASSERT_TRUE(recorder.Flush().ok());  // a new Flush retries at once
  EXPECT_EQ(ActiveOn(250), 1);
}

TEST_F(AnalyticsRecorderTest, AFullQueueDropsAndCountsRatherThanBlock) {
  flaky_->failing = true;
  AnalyticsRecorder recorder(*flaky_, {.flush_every = 1h, .max_batch = 1000, .max_queued = 3});
  for (int i = 0; i < 5; ++i) recorder.Add(View("v" + std::to_string(i), "u", 300));
  EXPECT_EQ(recorder.stats().dropped, 2);
  flaky_->failing = false;
  ASSERT_TRUE(recorder.Flush().ok());
  EXPECT_EQ(recorder.stats().written, 3);
}

TEST_F(AnalyticsRecorderTest, AnInvalidEventIsDroppedNotRetriedForEver) {
  AnalyticsRecorder recorder(*flaky_, {.flush_every = 1h, .max_batch = 1000, .max_queued = 100});
  EventBatch bad;
  bad.activity.push_back({"", ActivityKind::kLogin, "u", {}, {}, 1});
  recorder.Add(std::move(bad));
  ASSERT_TRUE(recorder.Flush().ok());
  EXPECT_EQ(recorder.stats().dropped, 1);
  recorder.Add(View("v1", "u1", 400));
  ASSERT_TRUE(recorder.Flush().ok());
  EXPECT_EQ(ActiveOn(400), 1);
}

TEST_F(AnalyticsRecorderTest, EnrolmentIsQueuedOncePerLearnerAndCourse) {
  AnalyticsRecorder recorder(*flaky_, {.flush_every = 1h, .max_batch = 1000, .max_queued = 100});
  for (int i = 0; i < 3; ++i) recorder.Enrol("u1", "algebra", 500 * 86400 + i);
  recorder.Enrol("u1", "other", 500 * 86400);
  ASSERT_TRUE(recorder.Flush().ok());
  EXPECT_EQ(recorder.stats().written, 2);
  EXPECT_EQ(ActiveOn(500), 1);
}

TEST_F(AnalyticsRecorderTest, ForgettingFlushesFirst) {
  AnalyticsRecorder recorder(*flaky_, {.flush_every = 1h, .max_batch = 1000, .max_queued = 100});
  EventBatch attempt;
  attempt.attempts.push_back(
      {"a1", "u9", "algebra", "one", "e1", "v1", 1, 0.0, false, "\"typed\"", -1, 600 * 86400});
  recorder.Add(std::move(attempt));
  ASSERT_TRUE(recorder.ForgetLearner("u9").ok());
  auto items = real_->ItemStatistics("algebra", {"e1"}, {600, 600});
  ASSERT_TRUE(items.ok());
  EXPECT_EQ(items->front().attempts, 1);
  EXPECT_TRUE(items->front().wrong_answers.empty());  // the typed answer is gone
}

// A follower that keeps what it is told.
class Follower final : public RecordedEventsFollower {
 public:
  Status Recorded(const EventBatch& batch) override {
    std::lock_guard lock(mutex);
    if (failing) return Error::Unavailable("the follower's database is full");
    for (const AttemptEvent& attempt : batch.attempts) seen.push_back(attempt.event_id);
    for (const ActivityEvent& activity : batch.activity) seen.push_back(activity.event_id);
    return Status::Ok();
  }
  Status ForgetLearner(std::string_view user_id) override {
    std::lock_guard lock(mutex);
    seen.push_back("forget " + std::string(user_id));
    return Status::Ok();
  }
  std::vector<std::string> Seen() {
    std::lock_guard lock(mutex);
    return seen;
  }

  std::mutex mutex;
  std::vector<std::string> seen;
  bool failing = false;  // GUARDED_BY(mutex)
};

TEST_F(AnalyticsRecorderTest, AFollowerGetsEachWrittenBatchBeforeFlushReturns) {
  Follower follower;
  AnalyticsRecorder recorder(*flaky_, {.flush_every = 5ms, .max_batch = 1000, .max_queued = 100},
                             &follower);
  flaky_->failing = true;
  recorder.Add(View("v1", "u1", 800));
  ASSERT_FALSE(recorder.Flush().ok());
  EXPECT_TRUE(follower.Seen().empty());  // not written, so not followed
  flaky_->failing = false;
  recorder.Add(View("v2", "u2", 800));
  ASSERT_TRUE(recorder.Flush().ok());
  EXPECT_EQ(follower.Seen(), (std::vector<std::string>{"v1", "v2"}));
  ASSERT_TRUE(recorder.ForgetLearner("u2").ok());
  EXPECT_EQ(follower.Seen().back(), "forget u2");
}

// xapi.db on a full disk: the store took the batch but the follower could not. The batch must
// come back to the follower (and again to the store, which takes it as a no-op), not be lost.
TEST_F(AnalyticsRecorderTest, ABatchTheFollowerCouldNotTakeIsTriedAgain) {
  Follower follower;
  AnalyticsRecorder recorder(*flaky_, {.flush_every = 5ms, .max_batch = 1000, .max_queued = 100},
                             &follower);
  {
    std::lock_guard lock(follower.mutex);
    follower.failing = true;
  }
  recorder.Add(View("v1", "u1", 900));
  EXPECT_FALSE(recorder.Flush().ok());
  EXPECT_TRUE(recorder.Pending());
  EXPECT_EQ(recorder.stats().written, 0);
  {
    std::lock_guard lock(follower.mutex);
    follower.failing = false;
  }
  ASSERT_TRUE(recorder.Flush().ok());
  EXPECT_EQ(follower.Seen(), (std::vector<std::string>{"v1"}));
  EXPECT_EQ(ActiveOn(900), 1);  // recorded twice by the store, counted once
  EXPECT_EQ(recorder.stats().written, 1);
}

TEST_F(AnalyticsRecorderTest, TheDestructorWritesWhatIsQueued) {
  {
    AnalyticsRecorder recorder(*flaky_, {.flush_every = 1h, .max_batch = 1000, .max_queued = 100});
    recorder.Add(View("v1", "u1", 700));
  }
  EXPECT_EQ(ActiveOn(700), 1);
}

}  // namespace
}  // namespace practica::store
