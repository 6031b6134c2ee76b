// The feed between analytics and the LRS: statements for a batch, completions read from the
// progress store, the recorder's follower that queues them, and the direct delivery of AWS.
#include "xapi/feed.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <mutex>

#include "../aws/fixture_process.h"
#include "store/analytics_ingest.h"
#include "store/memory/memory_progress_store.h"
#include "store/sqlite/sqlite_analytics_store.h"

namespace practica::xapi {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr std::string_view kBase = "https://practica.example";

// Course "algebra": lesson "one" (e1, e2), lesson "two" (e3).
std::shared_ptr<const domain::Course> Algebra() {
  auto course = std::make_shared<domain::Course>();
  course->slug = "algebra";
  course->title = "Algebra";
  auto lesson = [](std::string slug, std::vector<std::string> ids) {
    domain::Lesson l;
    l.slug = slug;
    l.title = "Lesson " + slug;
    for (std::string& id : ids) {
      domain::Exercise e;
      e.id = std::move(id);
      e.prompt.markdown = "What is " + e.id + "?";
      e.spec = domain::Numeric{};
      l.exercises.push_back(std::move(e));
    }
    return l;
  };
  course->lessons = {lesson("one", {"e1", "e2"}), lesson("two", {"e3"})};
  return course;
}

// An LRS in memory: keeps what it is sent, or answers "not now".
class MemoryLrs final : public LrsClient {
 public:
  LrsAnswer Post(std::span<const Statement> statements) override {
    std::lock_guard lock(mutex_);
    LrsAnswer answer;
    if (down) {
      answer.kind = LrsAnswer::Kind::kRetry;
      answer.status = 503;
      answer.detail = "HTTP 503";
      return answer;
    }
    for (const Statement& statement : statements) received_.push_back(statement);
    answer.kind = LrsAnswer::Kind::kStored;
    answer.status = 200;
    return answer;
  }
  std::vector<Statement> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }
  bool down = false;

 private:
  std::mutex mutex_;
  std::vector<Statement> received_;
};

class FeedTest : public ::testing::Test {
 protected:
  FeedTest()
      : builder_(kBase),
        feed_(
            builder_,
            [this](std::string_view course) {
              return course == "algebra" ? algebra_ : std::shared_ptr<const domain::Course>();
            },
            &progress_) {}

  // The attempt as the progress store commits it and analytics receives it.
  store::EventBatch Attempt(const std::string& user, const std::string& exercise, bool correct,
                            int64_t at) {
    const std::string lesson = exercise == "e3" ? "two" : "one";
    const std::string id = "att_" + std::to_string(++attempts_);
    store::AttemptRequest request{user, "algebra", lesson, exercise, "", ""};
    store::AttemptRecord record;
    progress_.SubmitAttempt(
        request,
        [&](const store::ExerciseState& before,
            const store::LearnerTotals& totals) -> Result<store::AttemptPlan> {
          store::AttemptPlan plan;
          plan.attempt.attempt_id = id;
          plan.attempt.attempt_number = before.attempts + 1;
          plan.attempt.score = correct ? 1 : 0;
          plan.attempt.correct = correct;
          plan.attempt.answer_json = "1";
          plan.attempt.created_at = at;
          plan.after = before;
          plan.after.attempts = plan.attempt.attempt_number;
          plan.after.solved = before.solved || correct;
          plan.totals_after = totals;
          record = plan.attempt;
          return plan;
        },
        [](const store::AttemptPlan&) { return std::string("{}"); },
        [](Result<store::AttemptOutcome> outcome) { ASSERT_TRUE(outcome.ok()); });
    return store::IngestAttempt({user, "algebra", lesson, exercise, record});
  }

  static store::EventBatch Merge(std::vector<store::EventBatch> batches) {
    store::EventBatch all;
    for (store::EventBatch& batch : batches) {
      for (auto& attempt : batch.attempts) all.attempts.push_back(std::move(attempt));
      for (auto& activity : batch.activity) all.activity.push_back(std::move(activity));
    }
    return all;
  }

  // "user verb object-path timestamp" per statement.
  static std::vector<std::string> Summary(const std::vector<Statement>& statements) {
    std::vector<std::string> lines;
    for (const Statement& statement : statements) {
      const json::object s = json::parse(statement.json).as_object();
      std::string object(s.at("object").at("id").as_string());
      lines.push_back(statement.user_id + " " +
                      std::string(s.at("verb").at("display").at("en-US").as_string()) + " " +
                      object.substr(kBase.size()) + " " +
                      std::string(s.at("timestamp").as_string()).substr(11, 8));
    }
    return lines;
  }

  std::shared_ptr<const domain::Course> algebra_ = Algebra();
  store::memory::MemoryProgressStore progress_;
  StatementBuilder builder_;
  Feed feed_;
  int attempts_ = 0;
};

constexpr int64_t T = 1'800'000'000;  // 08:00:00

TEST_F(FeedTest, EachAttemptIsAnsweredAndCompletionsFollowTheLastSolve) {
  EXPECT_EQ(Summary(feed_.StatementsFor(Attempt("u1", "e1", true, T))),
            (std::vector<std::string>{"u1 answered /courses/algebra/exercises/e1 08:00:00"}));
  EXPECT_EQ(Summary(feed_.StatementsFor(Attempt("u1", "e2", false, T + 60))),
            (std::vector<std::string>{"u1 answered /courses/algebra/exercises/e2 08:01:00"}));
  EXPECT_EQ(Summary(feed_.StatementsFor(Attempt("u1", "e2", true, T + 120))),
            (std::vector<std::string>{"u1 answered /courses/algebra/exercises/e2 08:02:00",
                                      "u1 completed /courses/algebra/lessons/one 08:02:00"}));
  // Solving again completes nothing new.
  EXPECT_EQ(Summary(feed_.StatementsFor(Attempt("u1", "e1", true, T + 180))).size(), 1u);
  EXPECT_EQ(Summary(feed_.StatementsFor(Attempt("u1", "e3", true, T + 240))),
            (std::vector<std::string>{"u1 answered /courses/algebra/exercises/e3 08:04:00",
                                      "u1 completed /courses/algebra/lessons/two 08:04:00",
                                      "u1 completed /courses/algebra 08:04:00"}));
}

TEST_F(FeedTest, TwoLastSolvesInOneBatchCompleteAtTheLaterOne) {
  const store::EventBatch batch =
      Merge({Attempt("u2", "e1", true, T), Attempt("u2", "e3", true, T + 30),
             Attempt("u2", "e2", true, T + 60)});
  EXPECT_EQ(Summary(feed_.StatementsFor(batch)),
            (std::vector<std::string>{"u2 answered /courses/algebra/exercises/e1 08:00:00",
                                      "u2 answered /courses/algebra/exercises/e3 08:00:30",
                                      "u2 answered /courses/algebra/exercises/e2 08:01:00",
                                      "u2 completed /courses/algebra/lessons/one 08:01:00",
                                      "u2 completed /courses/algebra/lessons/two 08:00:30",
                                      "u2 completed /courses/algebra 08:01:00"}));
}

// A Streams batch repeats an attempt in each record of its exercise item.
TEST_F(FeedTest, AnAttemptTheBatchRepeatsIsOneStatement) {
  const store::EventBatch once = Attempt("u8", "e1", false, T);
  const std::vector<Statement> statements = feed_.StatementsFor(Merge({once, once}));
  ASSERT_EQ(statements.size(), 1u);
  EXPECT_EQ(statements[0], feed_.StatementsFor(once)[0]);
}

TEST_F(FeedTest, ACompletionIsSentOnceUntilTheLearnerIsForgotten) {
  (void)feed_.StatementsFor(Merge({Attempt("u3", "e1", true, T), Attempt("u3", "e2", true, T)}));
  // Progress says lesson one is complete, but it was reported: nothing again.
  EXPECT_EQ(feed_.StatementsFor(Attempt("u3", "e2", true, T + 10)).size(), 1u);
  feed_.ForgetLearner("u3");
  EXPECT_EQ(feed_.StatementsFor(Attempt("u3", "e2", true, T + 20)).size(), 2u);
}

TEST_F(FeedTest, AnUnknownCourseStillGivesAnswersButNoCompletions) {
  store::EventBatch batch = Attempt("u4", "e1", true, T);
  batch.attempts[0].course = "gone";
  const std::vector<Statement> statements = feed_.StatementsFor(batch);
  ASSERT_EQ(statements.size(), 1u);
  EXPECT_NE(statements[0].json.find("/courses/gone/exercises/e1"), std::string::npos);
  // Activity events alone make no statement.
  store::EventBatch views;
  views.activity.push_back({"v1", store::ActivityKind::kLessonView, "u4", "algebra", "one", T});
  EXPECT_TRUE(feed_.StatementsFor(views).empty());
}

// The single-node path end to end: attempts → the analytics recorder → its follower → the outbox
// → the LRS; and a forgotten learner's queued statements never leave.
TEST_F(FeedTest, TheRecordersFollowerQueuesTheStatementsInTheOutbox) {
  aws::testing::TempDir dir;
  auto analytics = store::sqlite::SqliteAnalyticsStore::Open(dir.path() / "analytics.db");
  ASSERT_TRUE(analytics.ok());
  auto lrs = std::make_unique<MemoryLrs>();
  MemoryLrs& seen = *lrs;
  auto outbox = Outbox::Open(dir.path() / "xapi.db", std::move(lrs),
                             {.max_batch = 100, .first_backoff = 20ms, .max_backoff = 50ms});
  ASSERT_TRUE(outbox.ok());
  OutboxFollower follower(feed_, **outbox);
  store::AnalyticsRecorder recorder(**analytics, {}, &follower);

  recorder.Add(Attempt("u5", "e1", true, T));
  recorder.Add(Attempt("u5", "e2", true, T + 5));
  ASSERT_TRUE(recorder.Flush().ok());
  ASSERT_TRUE((*outbox)->WaitUntilEmpty(5s));
  EXPECT_EQ(Summary(seen.received()),
            (std::vector<std::string>{"u5 answered /courses/algebra/exercises/e1 08:00:00",
                                      "u5 answered /courses/algebra/exercises/e2 08:00:05",
                                      "u5 completed /courses/algebra/lessons/one 08:00:05"}));

  seen.down = true;
  recorder.Add(Attempt("u6", "e1", true, T + 9));
  ASSERT_TRUE(recorder.ForgetLearner("u6").ok());
  EXPECT_EQ((*outbox)->stats().queued, 0);
  seen.down = false;
  recorder.Add(Attempt("u5", "e3", false, T + 20));
  ASSERT_TRUE(recorder.Flush().ok());
  ASSERT_TRUE((*outbox)->WaitUntilEmpty(5s));
  for (const Statement& statement : seen.received()) EXPECT_NE(statement.user_id, "u6");
  EXPECT_EQ(seen.received().size(), 4u);
}

TEST_F(FeedTest, DeliverNowFailsSoThatTheStreamBatchIsDeliveredAgain) {
  MemoryLrs lrs;
  lrs.down = true;
  const store::EventBatch batch = Attempt("u7", "e1", false, T);
  Status failed = DeliverNow(feed_, lrs, batch);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable);
  lrs.down = false;
  ASSERT_TRUE(DeliverNow(feed_, lrs, batch).ok());
  ASSERT_TRUE(DeliverNow(feed_, lrs, batch).ok());  // a replay: the same statement, same id
  ASSERT_EQ(lrs.received().size(), 2u);
  EXPECT_EQ(lrs.received()[0], lrs.received()[1]);
}

}  // namespace
}  // namespace practica::xapi
