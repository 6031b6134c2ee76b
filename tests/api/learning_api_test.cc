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
    domain::Lesson lesson;
    lesson.slug = "basics";
    lesson.title = "Basics";
    lesson.file_name = "01-basics";
    lesson.blocks = {{domain::LessonBlock::Kind::kExercise, {}, "once"}};
    lesson.exercises = {once};
    domain::Course course;
    course.slug = "drills";
    course.title = "Drills";
    course.lessons = {lesson};
    EXPECT_TRUE(content_.PutCourse(course).ok());
  }

  // Submits and waits for the reply (the memory store answers at once).
  Result<http::Response> Answer(std::string body) {
    http::Request request;
    request.method = http::Method::kPost;
    request.path_params = {{"exercise", "drills.once"}};
    request.headers.Set("Content-Type", "application/json");
    request.body = std::move(body);
    request.principal = http::Principal{"usr_a", domain::Role::kLearner, "ses_a", false};
    std::optional<Result<http::Response>> result;
    api_.SubmitAttempt(request, [&](Result<http::Response> r) { result = std::move(r); });
    EXPECT_TRUE(result.has_value());
    return std::move(*result);
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
