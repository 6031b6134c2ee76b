#include "xapi/statement.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <regex>

#include "store/analytics_ingest.h"

namespace practica::xapi {
namespace {

namespace json = boost::json;

constexpr std::string_view kBase = "https://practica.example";

std::shared_ptr<const domain::Course> SampleCourse() {
  auto course = std::make_shared<domain::Course>();
  course->slug = "algebra";
  course->title = "Algebra";
  course->summary = "Equations, one step at a time.";
  course->language = "en";
  domain::Lesson one;
  one.slug = "one";
  one.title = "Linear equations";
  domain::Exercise e1;
  e1.id = "e1";
  e1.prompt.markdown = "\nSolve $2x = 4$.\nGive x.";
  e1.spec = domain::Numeric{};
  domain::Exercise essay;
  essay.id = "essay";
  essay.prompt.markdown = "Explain why.";
  essay.spec = domain::Essay{};
  one.exercises = {e1, essay};
  course->lessons = {one};
  return course;
}

// The event analytics makes of a stored attempt: the builder's input is exactly that.
store::AttemptEvent SampleAttempt() {
  store::StoredAttempt stored{"usr_42", "algebra", "one", "e1", {}};
  stored.attempt.attempt_id = "att_1";
  stored.attempt.attempt_number = 2;
  stored.attempt.raw_score = 1.0;
  stored.attempt.score = 0.75;
  stored.attempt.correct = true;
  stored.attempt.answer_json = "2";
  stored.attempt.created_at = 1'800'000'000;  // 2027-01-15T08:00:00Z
  stored.attempt.exercise_version = "0123456789abcdef";
  stored.attempt.time_taken_ms = 4500;
  return store::IngestAttempt(stored).attempts.front();
}

json::object Parse(const Statement& statement) { return json::parse(statement.json).as_object(); }

const std::regex kUuidV5("[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

TEST(StatementTest, AnsweredCarriesTheAttemptAsXapiWantsIt) {
  const StatementBuilder builder(kBase);
  const CourseOutline outline(SampleCourse());
  const Statement statement = builder.Answered(SampleAttempt(), &outline);
  const json::object s = Parse(statement);

  EXPECT_TRUE(std::regex_match(statement.id, kUuidV5)) << statement.id;
  EXPECT_EQ(s.at("id").as_string(), statement.id);
  EXPECT_EQ(statement.user_id, "usr_42");
  EXPECT_EQ(
      json::serialize(s.at("actor")),
      R"({"objectType":"Agent","account":{"homePage":"https://practica.example","name":"usr_42"}})");
  EXPECT_EQ(s.at("verb").at("id").as_string(), "http://adlnet.gov/expapi/verbs/answered");
  EXPECT_EQ(s.at("verb").at("display").at("en-US").as_string(), "answered");

  const json::object& object = s.at("object").as_object();
  EXPECT_EQ(object.at("objectType").as_string(), "Activity");
  EXPECT_EQ(object.at("id").as_string(), "https://practica.example/courses/algebra/exercises/e1");
  EXPECT_EQ(object.at("definition").at("type").as_string(),
            "http://adlnet.gov/expapi/activities/question");
  EXPECT_EQ(object.at("definition").at("name").at("en").as_string(), "Solve $2x = 4$.");
  EXPECT_EQ(object.at("definition").at("description").at("en").as_string(),
            "\nSolve $2x = 4$.\nGive x.");

  const json::object& result = s.at("result").as_object();
  EXPECT_DOUBLE_EQ(result.at("score").at("scaled").to_number<double>(), 0.75);
  EXPECT_DOUBLE_EQ(result.at("score").at("raw").to_number<double>(), 0.75);
  EXPECT_EQ(result.at("score").at("min").to_number<double>(), 0);
  EXPECT_EQ(result.at("score").at("max").to_number<double>(), 1);
  EXPECT_TRUE(result.at("success").as_bool());
  EXPECT_TRUE(result.at("completion").as_bool());
  EXPECT_EQ(result.at("response").as_string(), "2");
  EXPECT_EQ(result.at("duration").as_string(), "PT4.5S");
  EXPECT_EQ(s.at("timestamp").as_string(), "2027-01-15T08:00:00Z");

  const json::object& context = s.at("context").as_object();
  const json::object& activities = context.at("contextActivities").as_object();
  EXPECT_EQ(activities.at("parent").at(0).at("id").as_string(),
            "https://practica.example/courses/algebra/lessons/one");
  EXPECT_EQ(activities.at("parent").at(0).at("definition").at("name").at("en").as_string(),
            "Linear equations");
  EXPECT_EQ(activities.at("grouping").at(0).at("id").as_string(),
            "https://practica.example/courses/algebra");
  EXPECT_EQ(activities.at("grouping").at(0).at("definition").at("type").as_string(),
            "http://adlnet.gov/expapi/activities/course");
  EXPECT_EQ(context.at("revision").as_string(), "0123456789abcdef");
  EXPECT_EQ(context.at("language").as_string(), "en");
  EXPECT_EQ(context.at("extensions")
                .at("https://practica.example/xapi/extensions/attempt-number")
                .as_int64(),
            2);
  // Statements leave the LRS to set these.
  EXPECT_FALSE(s.contains("version"));
  EXPECT_FALSE(s.contains("stored"));
  EXPECT_FALSE(s.contains("authority"));
}

TEST(StatementTest, TheSameAttemptGivesTheSameStatementAndAnotherAnother) {
  const StatementBuilder builder(kBase);
  const CourseOutline outline(SampleCourse());
  const Statement first = builder.Answered(SampleAttempt(), &outline);
  EXPECT_EQ(builder.Answered(SampleAttempt(), &outline), first);
  // The id depends on the attempt alone: what the content says may change, the id may not.
  EXPECT_EQ(builder.Answered(SampleAttempt(), nullptr).id, first.id);
  // A known value, so that no refactoring changes ids the LRSs already hold (Python:
  // uuid.uuid5(UUID("bba5fc57-8b29-4bec-b993-b789ae4b4c48"), "https://practica.example answered
  // att_1")).
  EXPECT_EQ(first.id, "e53c1d79-d6c0-5f9f-ace0-e6f2c4012c13");
  store::AttemptEvent other = SampleAttempt();
  other.event_id = "att_2";
  EXPECT_NE(builder.Answered(other, &outline).id, first.id);
  // Another platform's address: other activities, other ids.
  EXPECT_NE(StatementBuilder("https://other.example").Answered(SampleAttempt(), &outline).id,
            first.id);
  // A trailing slash on the address changes nothing.
  EXPECT_EQ(StatementBuilder("https://practica.example/").Answered(SampleAttempt(), &outline),
            first);
}

TEST(StatementTest, NoEmailOrNameOfThePersonAnywhere) {
  const StatementBuilder builder(kBase);
  const CourseOutline outline(SampleCourse());
  for (const Statement& statement :
       {builder.Answered(SampleAttempt(), &outline),
        builder.Completed("usr_42", outline, &outline.course().lessons[0], 1'800'000'000),
        builder.Completed("usr_42", outline, nullptr, 1'800'000'000)}) {
    EXPECT_EQ(statement.json.find("mbox"), std::string::npos) << statement.json;
    EXPECT_EQ(statement.json.find("mailto:"), std::string::npos) << statement.json;
    EXPECT_EQ(statement.json.find('@'), std::string::npos) << statement.json;
    const json::object actor = Parse(statement).at("actor").as_object();
    EXPECT_FALSE(actor.contains("name"));  // the Agent's name: the person's, never sent
    EXPECT_EQ(actor.at("account").at("name").as_string(), "usr_42");
  }
}

TEST(StatementTest, AnUngradedAnswerHasNoScoreAndAStringAnswerIsItsText) {
  const StatementBuilder builder(kBase);
  const CourseOutline outline(SampleCourse());
  store::AttemptEvent essay = SampleAttempt();
  essay.exercise = "essay";
  essay.score = 0;
  essay.correct = false;
  essay.answer = R"("Because \"x\" halves.")";
  essay.time_taken_ms = -1;
  const json::object result = Parse(builder.Answered(essay, &outline)).at("result").as_object();
  EXPECT_FALSE(result.contains("score"));
  EXPECT_FALSE(result.contains("success"));
  EXPECT_FALSE(result.contains("duration"));  // not known
  EXPECT_TRUE(result.at("completion").as_bool());
  EXPECT_EQ(result.at("response").as_string(), "Because \"x\" halves.");

  store::AttemptEvent ordering = SampleAttempt();
  ordering.answer = R"([ "b", "a" ])";
  EXPECT_EQ(Parse(builder.Answered(ordering, &outline)).at("result").at("response").as_string(),
            R"(["b","a"])");
  // A forgotten learner's answer is gone: no response.
  ordering.answer.clear();
  EXPECT_FALSE(
      Parse(builder.Answered(ordering, &outline)).at("result").as_object().contains("response"));
}

TEST(StatementTest, WithoutTheCourseTheStatementStillStands) {
  const StatementBuilder builder(kBase);
  const json::object s = Parse(builder.Answered(SampleAttempt(), nullptr));
  EXPECT_EQ(s.at("object").at("id").as_string(),
            "https://practica.example/courses/algebra/exercises/e1");
  EXPECT_FALSE(s.at("object").at("definition").as_object().contains("name"));
  EXPECT_TRUE(s.at("result").as_object().contains("score"));  // graded, as far as we know
  EXPECT_FALSE(s.at("context").as_object().contains("language"));
}

TEST(StatementTest, CompletedHasOneIdPerLearnerAndActivity) {
  const StatementBuilder builder(kBase);
  const CourseOutline outline(SampleCourse());
  const domain::Lesson* one = &outline.course().lessons[0];
  const Statement lesson = builder.Completed("usr_42", outline, one, 1'800'000'000);
  const Statement course = builder.Completed("usr_42", outline, nullptr, 1'800'000'000);
  EXPECT_TRUE(std::regex_match(lesson.id, kUuidV5));
  EXPECT_NE(lesson.id, course.id);
  EXPECT_EQ(builder.Completed("usr_42", outline, nullptr, 1'900'000'000).id, course.id);
  EXPECT_NE(builder.Completed("usr_43", outline, nullptr, 1'800'000'000).id, course.id);

  const json::object s = Parse(course);
  EXPECT_EQ(s.at("verb").at("id").as_string(), "http://adlnet.gov/expapi/verbs/completed");
  EXPECT_EQ(s.at("object").at("id").as_string(), "https://practica.example/courses/algebra");
  EXPECT_EQ(s.at("object").at("definition").at("name").at("en").as_string(), "Algebra");
  EXPECT_TRUE(s.at("result").at("completion").as_bool());
  const json::object l = Parse(lesson);
  EXPECT_EQ(l.at("object").at("id").as_string(),
            "https://practica.example/courses/algebra/lessons/one");
  EXPECT_EQ(l.at("context").at("contextActivities").at("parent").at(0).at("id").as_string(),
            "https://practica.example/courses/algebra");
}

TEST(StatementTest, NameBasedUuidsFollowRfc4122) {
  // Python: uuid.uuid5(UUID("bba5fc57-8b29-4bec-b993-b789ae4b4c48"), "")
  EXPECT_EQ(NameBasedUuid(""), "434e0e79-092d-53bb-ae71-09580778a4cc");
}

TEST(StatementTest, DurationsAndTimestamps) {
  EXPECT_EQ(IsoDuration(0), "PT0S");
  EXPECT_EQ(IsoDuration(4), "PT0S");
  EXPECT_EQ(IsoDuration(5), "PT0.01S");
  EXPECT_EQ(IsoDuration(1500), "PT1.5S");
  EXPECT_EQ(IsoDuration(61'230), "PT1M1.23S");
  EXPECT_EQ(IsoDuration(3'600'000), "PT1H");
  EXPECT_EQ(IsoDuration(3'723'000), "PT1H2M3S");
  EXPECT_EQ(IsoDuration(86'400'000), "PT24H");
  EXPECT_EQ(IsoTimestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(IsoTimestamp(1'800'000'000), "2027-01-15T08:00:00Z");
  EXPECT_EQ(IsoTimestamp(951'782'399), "2000-02-28T23:59:59Z");
}

}  // namespace
}  // namespace practica::xapi
