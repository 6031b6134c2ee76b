// LearningApi over the in-memory stores with a clock the test moves.
#include "api/learning_api.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "store/memory/memory_content_store.h"
#include "store/memory/memory_progress_store.h"
#include "store/memory/memory_user_store.h"

namespace practica::api {
namespace {

class LearningApiTest : public ::testing::Test {
 protected:
  LearningApiTest() : api_(content_, progress_, users_, clock_) {
    domain::Exercise once;
    once.id = "once";
    once.prompt = {"2 + 3?", "<p>2 + 3?</p>"};
    once.max_attempts = 1;
    once.penalty = 0.5;
    once.explanation = {"Five.", "<p>Five.</p>"};
    domain::Numeric numeric;
    numeric.answers = {{5.0, {}, std::nullopt, 1, {}}};
    once.spec = numeric;
    domain::Exercise why;
    why.id = "why";
    why.prompt = {"Why?", "<p>Why?</p>"};
    why.explanation = {"Because.", "<p>Because.</p>"};
    why.spec = domain::Essay{};
    domain::Exercise pick;
    pick.id = "pick";
    pick.prompt = {"Which?", "<p>Which?</p>"};
    domain::ChoiceOption right, half;
    right.id = "a";
    right.correct = true;
    half.id = "b";
    half.score = 0.5;
    half.feedback = {"Close.", "<p>Close.</p>"};
    pick.spec = domain::SingleChoice{{right, half}, true};
    domain::Lesson lesson;
    lesson.slug = "basics";
    lesson.title = "Basics";
    lesson.file_name = "01-basics";
    lesson.blocks = {{domain::LessonBlock::Kind::kExercise, {}, "once"},
                     {domain::LessonBlock::Kind::kExercise, {}, "why"},
                     {domain::LessonBlock::Kind::kExercise, {}, "pick"}};
    lesson.exercises = {once, why, pick};
    domain::Course course;
    course.slug = "drills";
    course.title = "Drills";
    course.lessons = {lesson};
    EXPECT_TRUE(content_.PutCourse(course).ok());
  }

  // Submits and waits for the reply (the memory store answers at once).
  Result<http::Response> Answer(std::string body, std::string ref = "drills.once") {
    http::Request request;
    request.method = http::Method::kPost;
    request.path_params = {{"exercise", std::move(ref)}};
    request.headers.Set("Content-Type", "application/json");
    request.body = std::move(body);
    request.principal = http::Principal{"usr_a", domain::Role::kLearner, "ses_a", false};
    std::optional<Result<http::Response>> result;
    api_.SubmitAttempt(request, [&](Result<http::Response> r) { result = std::move(r); });
    EXPECT_TRUE(result.has_value());
    return std::move(*result);
  }

  boost::json::object Progress() {
    http::Request request;
    request.path_params = {{"course", "drills"}};
    request.principal = http::Principal{"usr_a", domain::Role::kLearner, "ses_a", false};
    auto response = api_.CourseProgress(request);
    EXPECT_TRUE(response.ok());
    return response.ok() ? boost::json::parse(response->body).as_object() : boost::json::object{};
  }

  store::memory::MemoryContentStore content_;
  store::memory::MemoryProgressStore progress_;
  store::memory::MemoryUserStore users_;
  FakeClock clock_;
  LearningApi api_;
};

TEST_F(LearningApiTest, TheLastTryRevealsTheExplanationAndThenTheLimitHolds) {
  auto first = Answer(R"({"answer": 4})");
  ASSERT_TRUE(first.ok());
  const auto body = boost::json::parse(first->body).as_object();
  EXPECT_EQ(body.at("attempts_left").as_int64(), 0);
  EXPECT_EQ(body.at("explanation_html").as_string(), "<p>Five.</p>");
  auto second = Answer(R"({"answer": 5})");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().type, "attempts-exhausted");
}

TEST_F(LearningApiTest, ADueReviewMayBeAnsweredPastTheLimitWithoutPenalty) {
  ASSERT_TRUE(Answer(R"({"answer": 4})").ok());
  clock_.Advance(60 * 86400);  // long past the card's due date
  auto review = Answer(R"({"answer": 5})");
  ASSERT_TRUE(review.ok()) << review.error().message;
  const auto body = boost::json::parse(review->body).as_object();
  EXPECT_EQ(body.at("score").as_double(), 1.0);  // no retry penalty on a review
  EXPECT_EQ(body.at("attempts_left").as_int64(), 0);
}

TEST_F(LearningApiTest, AnEssayIsStoredUngradedCountsAsDoneAndIsNeverScheduled) {
  auto saved = Answer(R"({"answer": "Because the mean moves."})", "drills.why");
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  const auto body = boost::json::parse(saved->body).as_object();
  EXPECT_FALSE(body.at("graded").as_bool());
  EXPECT_FALSE(body.at("correct").as_bool());
  EXPECT_EQ(body.at("score").as_double(), 0.0);
  EXPECT_TRUE(body.at("parts").as_array().empty());
  EXPECT_EQ(body.at("explanation_html").as_string(), "<p>Because.</p>");
  EXPECT_TRUE(body.at("progress").at("solved").as_bool());

  auto state = progress_.GetExerciseState("usr_a", "drills", "why");
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->attempts, 1);
  EXPECT_TRUE(state->solved);
  EXPECT_FALSE(state->card.has_value());  // not in the review queue
  auto attempts = progress_.ListAttempts("usr_a", "drills");
  ASSERT_TRUE(attempts.ok());
  ASSERT_EQ(attempts->size(), 1u);
  EXPECT_EQ(attempts->front().answer_json, R"("Because the mean moves.")");

  // One of three exercises done; the essay is left out of the score, which stays 0 of 2 graded.
  const auto progress = Progress();
  EXPECT_NEAR(progress.at("completion").as_double(), 1.0 / 3, 1e-12);
  EXPECT_EQ(progress.at("score").as_double(), 0.0);
}

TEST_F(LearningApiTest, ABlankEssayIsRefused) {
  auto blank = Answer(R"({"answer": "  "})", "drills.why");
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.error().code, ErrorCode::kInvalid);
  EXPECT_FALSE(Answer(R"({"answer": 42})", "drills.why").ok());
}

TEST_F(LearningApiTest, AWeightedOptionGivesItsScoreAndGradedIsTrue) {
  auto half = Answer(R"({"answer": "b"})", "drills.pick");
  ASSERT_TRUE(half.ok()) << half.error().message;
  const auto body = boost::json::parse(half->body).as_object();
  EXPECT_TRUE(body.at("graded").as_bool());
  EXPECT_EQ(body.at("score").as_double(), 0.5);
  EXPECT_FALSE(body.at("correct").as_bool());
  EXPECT_EQ(body.at("parts").as_array()[0].at("feedback_html").as_string(), "<p>Close.</p>");
  EXPECT_NEAR(Progress().at("score").as_double(), 0.25, 1e-12);  // 0.5 over 2 graded exercises
}

TEST_F(LearningApiTest, AWrongShapeIsRefusedBeforeAnythingIsStored) {
  auto wrong = Answer(R"({"answer": "five"})");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalid);
  auto state = progress_.GetExerciseState("usr_a", "drills", "once");
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->attempts, 0);
}

}  // namespace
}  // namespace practica::api
