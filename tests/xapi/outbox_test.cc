// The LRS client and the outbox against fake_lrs.py, a fake LRS that checks basic authentication,
// the version header and each statement's shape, and does what it is told: fail the next
// requests, refuse a statement for good, already hold one.
#include "xapi/outbox.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <thread>

#include "../aws/fixture_process.h"
#include "aws/http_client.h"
#include "store/sqlite/database.h"

namespace practica::xapi {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using aws::testing::FixtureProcess;
using aws::testing::TempDir;

constexpr std::string_view kUser = "practica";
constexpr std::string_view kPassword = "correct horse battery";

// A statement of the shape the builder makes, for learner `user`.
Statement MakeStatement(int n, const std::string& user = "usr_1") {
  store::AttemptEvent attempt;
  attempt.event_id = "att_" + std::to_string(n);
  attempt.user_id = user;
  attempt.course = "algebra";
  attempt.lesson = "one";
  attempt.exercise = "e" + std::to_string(n % 3);
  attempt.attempt_number = 1;
  attempt.score = 0.5;
  attempt.answer = "\"x\"";
  attempt.time_taken_ms = 1000 + n;
  attempt.occurred_at = 1'800'000'000 + n;
  return StatementBuilder("https://practica.example").Answered(attempt, nullptr);
}

std::vector<Statement> MakeStatements(int count, int first = 0) {
  std::vector<Statement> statements;
  for (int i = first; i < first + count; ++i) statements.push_back(MakeStatement(i));
  return statements;
}

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lrs_ = FixtureProcess::Start(
        {"python3", "-B", std::string(PRACTICA_SOURCE_DIR) + "/tests/xapi/fake_lrs.py",
         "--username", std::string(kUser), "--password", std::string(kPassword)});
    ASSERT_NE(lrs_, nullptr);
    const json::object announced = json::parse(lrs_->first_line()).as_object();
    endpoint_ = std::string(announced.at("endpoint").as_string());
    control_ = "http://127.0.0.1:" + std::to_string(announced.at("port").as_int64()) + "/control/";
    auto http = aws::HttpClient::Create();
    ASSERT_TRUE(http.ok());
    http_ = *http;
  }

  std::unique_ptr<LrsClient> Client(std::string password = std::string(kPassword)) {
    auto client = MakeHttpLrsClient({endpoint_, std::string(kUser), std::move(password), 2s});
    EXPECT_TRUE(client.ok());
    return client.ok() ? std::move(client).value() : nullptr;
  }

  std::unique_ptr<Outbox> Open(std::unique_ptr<LrsClient> client, size_t max_batch = 100) {
    auto outbox = Outbox::Open(
        dir_.path() / "xapi.db", std::move(client),
        {.max_batch = max_batch, .first_backoff = 50ms, .max_backoff = 200ms, .max_queued = 1000});
    EXPECT_TRUE(outbox.ok()) << outbox.error().message;
    return outbox.ok() ? std::move(outbox).value() : nullptr;
  }

  // Tells the fake LRS something (fail, refuse, store, reset).
  void Control(const std::string& what, const json::object& args = {}) {
    auto response = http_->Send({.method = "POST",
                                 .url = control_ + what,
                                 .headers = {{"Content-Type", "application/json"}},
                                 .body = json::serialize(args)});
    ASSERT_TRUE(response.ok());
    ASSERT_EQ(response->status, 204) << response->body;
  }

  json::object State() {
    auto response = http_->Send({.method = "GET", .url = control_ + "state"});
    EXPECT_TRUE(response.ok());
    return response.ok() ? json::parse(response->body).as_object() : json::object{};
  }

  std::vector<std::string> StoredIds() {
    std::vector<std::string> ids;
    const json::object state = State();
    for (const json::value& s : state.at("statements").as_array()) {
      ids.emplace_back(s.at("id").as_string());
    }
    return ids;
  }

  // Every request the LRS answered, as its status.
  std::vector<int64_t> Statuses() {
    std::vector<int64_t> statuses;
    const json::object state = State();
    for (const json::value& r : state.at("requests").as_array()) {
      EXPECT_TRUE(r.at("problems").as_array().empty()) << json::serialize(r);
      statuses.push_back(r.at("status").as_int64());
    }
    return statuses;
  }

  static std::vector<std::string> Ids(const std::vector<Statement>& statements) {
    std::vector<std::string> ids;
    for (const Statement& statement : statements) ids.push_back(statement.id);
    return ids;
  }

  TempDir dir_;
  std::unique_ptr<FixtureProcess> lrs_;
  std::string endpoint_;
  std::string control_;
  std::shared_ptr<aws::HttpClient> http_;
};

TEST_F(OutboxTest, TheLrsAcceptsWhatTheClientSends) {
  std::unique_ptr<LrsClient> client = Client();
  const std::vector<Statement> statements = MakeStatements(3);
  const LrsAnswer answer = client->Post(statements);
  EXPECT_EQ(answer.kind, LrsAnswer::Kind::kStored) << answer.detail;
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(StoredIds(), Ids(statements));
  EXPECT_EQ(Statuses(), (std::vector<int64_t>{200}));  // and the fake found nothing wrong
}

TEST_F(OutboxTest, AWrongPasswordIsRetriedNotDroppedAndNeverQuoted) {
  std::unique_ptr<LrsClient> client = Client("wrong");
  const LrsAnswer answer = client->Post(MakeStatements(1));
  EXPECT_EQ(answer.kind, LrsAnswer::Kind::kRetry);
  EXPECT_EQ(answer.status, 401);
  EXPECT_EQ(answer.detail.find("wrong"), std::string::npos);

  std::unique_ptr<Outbox> outbox = Open(Client("wrong"));
  ASSERT_TRUE(outbox->Enqueue(MakeStatements(2)).ok());
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(outbox->stats().queued, 2);
  EXPECT_EQ(outbox->stats().refused, 0);
  EXPECT_GE(outbox->stats().failures, 2);  // tried again, with back-off
}

TEST_F(OutboxTest, DeliversInBatchesInQueueOrder) {
  std::unique_ptr<Outbox> outbox = Open(Client(), /*max_batch=*/4);
  const std::vector<Statement> statements = MakeStatements(10);
  ASSERT_TRUE(outbox->Enqueue(statements).ok());
  ASSERT_TRUE(outbox->Enqueue(std::vector<Statement>{statements[0]}).ok());  // queued once
  ASSERT_TRUE(outbox->WaitUntilEmpty(10s));
  EXPECT_EQ(StoredIds(), Ids(statements));
  EXPECT_EQ(Statuses(), (std::vector<int64_t>{200, 200, 200}));
  EXPECT_EQ(outbox->stats().sent, 10);
  EXPECT_EQ(outbox->stats().queued, 0);
}

TEST_F(OutboxTest, WhatWasQueuedSurvivesARestart) {
  Control("fail", {{"status", 503}, {"count", 1000}});
  {
    std::unique_ptr<Outbox> outbox = Open(Client());
    ASSERT_TRUE(outbox->Enqueue(MakeStatements(5)).ok());
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(outbox->stats().queued, 5);
  }  // the process stops with the LRS still down
  {
    auto db = store::sqlite::Database::Open(dir_.path() / "xapi.db");
    ASSERT_TRUE(db.ok());
    auto rows = (*db)->Prepare("SELECT count(*) FROM outbox");
    ASSERT_TRUE(rows.ok() && *rows->Step());
    EXPECT_EQ(rows->ColumnInt(0), 5);
  }
  Control("reset");  // the LRS is back
  std::unique_ptr<Outbox> outbox = Open(Client());
  ASSERT_TRUE(outbox->WaitUntilEmpty(10s));
  EXPECT_EQ(StoredIds(), Ids(MakeStatements(5)));
}

TEST_F(OutboxTest, ServerErrorsAreRetriedWithBackOffAndRetryAfterIsHonoured) {
  Control("fail", {{"status", 503}, {"count", 2}});
  Control("fail", {{"status", 429}, {"count", 1}, {"retry_after", 1}});
  std::unique_ptr<Outbox> outbox = Open(Client());
  ASSERT_TRUE(outbox->Enqueue(MakeStatements(3)).ok());
  ASSERT_TRUE(outbox->WaitUntilEmpty(10s));
  EXPECT_EQ(StoredIds(), Ids(MakeStatements(3)));
  EXPECT_EQ(Statuses(), (std::vector<int64_t>{503, 503, 429, 200}));
  EXPECT_EQ(outbox->stats().failures, 3);
  const json::array requests = State().at("requests").as_array();
  const double asked =
      requests[3].at("at").to_number<double>() - requests[2].at("at").to_number<double>();
  EXPECT_GE(asked, 0.95);  // Retry-After: 1, where the back-off alone is at most 0.2 s
}

TEST_F(OutboxTest, AStatementRefusedForGoodIsDroppedWithoutBlockingTheOthers) {
  const std::vector<Statement> statements = MakeStatements(8);
  Control("refuse", {{"id", statements[5].id}, {"status", 400}});
  std::unique_ptr<Outbox> outbox = Open(Client());
  ASSERT_TRUE(outbox->Enqueue(statements).ok());
  ASSERT_TRUE(outbox->WaitUntilEmpty(10s));
  std::vector<std::string> expected = Ids(statements);
  expected.erase(expected.begin() + 5);
  EXPECT_EQ(StoredIds(), expected);
  EXPECT_EQ(outbox->stats().refused, 1);
  EXPECT_EQ(outbox->stats().sent, 7);
  // The batch was split until the refused statement stood alone: 8 → 4 + 4 → 2 + 2 → 1 + 1.
  const std::vector<int64_t> statuses = Statuses();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 400), 4);
  EXPECT_EQ(statuses.size(), 7u);

  // The queue goes on.
  ASSERT_TRUE(outbox->Enqueue(MakeStatements(1, 100)).ok());
  ASSERT_TRUE(outbox->WaitUntilEmpty(10s));
  EXPECT_EQ(StoredIds().size(), 8u);
}

TEST_F(OutboxTest, AConflictOnAnIdTheLrsHoldsCountsAsDelivered) {
  const std::vector<Statement> statements = MakeStatements(3);
  // The LRS holds statement 1 already, with other content (an earlier send, before an edit of the
  // course changed its title): 409 for any batch with it.
  json::object earlier = json::parse(statements[1].json).as_object();
  earlier["timestamp"] = "2020-01-01T00:00:00Z";
  Control("store", earlier);
  std::unique_ptr<Outbox> outbox = Open(Client());
  ASSERT_TRUE(outbox->Enqueue(statements).ok());
  ASSERT_TRUE(outbox->WaitUntilEmpty(10s));
  EXPECT_EQ(outbox->stats().sent, 3);
  EXPECT_EQ(outbox->stats().refused, 0);
  const std::vector<std::string> stored = StoredIds();
  EXPECT_EQ(std::set<std::string>(stored.begin(), stored.end()),
            std::set<std::string>({statements[0].id, statements[1].id, statements[2].id}));
  EXPECT_EQ(Statuses().front(), 409);
}

TEST_F(OutboxTest, ForgettingALearnerDeletesTheirQueuedStatements) {
  Control("fail", {{"status", 503}, {"count", 1000}});
  std::unique_ptr<Outbox> outbox = Open(Client());
  ASSERT_TRUE(
      outbox
          ->Enqueue(std::vector<Statement>{MakeStatement(1, "usr_a"), MakeStatement(2, "usr_b"),
                                           MakeStatement(3, "usr_a")})
          .ok());
  ASSERT_TRUE(outbox->ForgetLearner("usr_a").ok());
  EXPECT_EQ(outbox->stats().queued, 1);
  // A request in flight as the learner was forgotten could still carry their statements (beyond
  // recall, as outbox.h says): let two more fail, so that the next one is read after the deletion.
  const int64_t failures = outbox->stats().failures;
  for (int i = 0; i < 100 && outbox->stats().failures < failures + 2; ++i) {
    std::this_thread::sleep_for(20ms);
  }
  Control("reset");
  ASSERT_TRUE(outbox->WaitUntilEmpty(10s));
  EXPECT_EQ(StoredIds(), (std::vector<std::string>{MakeStatement(2, "usr_b").id}));
}

TEST_F(OutboxTest, AFullOutboxDropsAndCounts) {
  Control("fail", {{"status", 503}, {"count", 1000}});
  std::unique_ptr<Outbox> outbox = Open(Client());
  ASSERT_TRUE(outbox->Enqueue(MakeStatements(1200)).ok());
  EXPECT_EQ(outbox->stats().queued, 1000);
  EXPECT_EQ(outbox->stats().dropped, 200);
}

TEST(RetryAfterTest, SecondsAndHttpDates) {
  EXPECT_EQ(ParseRetryAfter("120", 0), 120s);
  EXPECT_EQ(ParseRetryAfter(" 0 ", 0), 0s);
  EXPECT_EQ(ParseRetryAfter("999999", 0), 1h);
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", 784111767), 10s);
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", 784111800), 0s);  // past
  EXPECT_FALSE(ParseRetryAfter("", 0));
  EXPECT_FALSE(ParseRetryAfter("-5", 0));
  EXPECT_FALSE(ParseRetryAfter("soon", 0));
  EXPECT_FALSE(ParseRetryAfter("Sun, 06 Foo 1994 08:49:37 GMT", 0));
}

}  // namespace
}  // namespace practica::xapi
