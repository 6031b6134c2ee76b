#include "xapi/completion.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace practica::xapi {
namespace {

namespace json = boost::json;

// Lesson "one" (e1, e2), lesson "two" (e3, an essay), lesson "reading" without exercises.
std::shared_ptr<const domain::Course> Course() {
  auto course = std::make_shared<domain::Course>();
  course->slug = "algebra";
  course->title = "Algebra";
  auto exercise = [](std::string id, bool essay) {
    domain::Exercise e;
    e.id = std::move(id);
    e.spec =
        essay ? domain::ExerciseSpec(domain::Essay{}) : domain::ExerciseSpec(domain::Numeric{});
    return e;
  };
  auto lesson = [](std::string slug, std::vector<domain::Exercise> exercises) {
    domain::Lesson l;
    l.slug = slug;
    l.title = slug;
    l.exercises = std::move(exercises);
    return l;
  };
  const domain::Lesson one = lesson("one", {exercise("e1", false), exercise("e2", false)});
  const domain::Lesson reading = lesson("reading", {});
  const domain::Lesson two = lesson("two", {exercise("e3", true)});
  course->lessons = {one, reading, two};
  return course;
}

store::AttemptEvent Attempt(std::string id, std::string user, std::string exercise, bool correct,
                            int64_t at) {
  store::AttemptEvent event;
  event.event_id = std::move(id);
  event.user_id = std::move(user);
  event.course = "algebra";
  event.lesson = exercise == "e3" ? "two" : "one";
  event.exercise = std::move(exercise);
  event.attempt_number = 1;
  event.score = correct ? 1 : 0;
  event.correct = correct;
  event.answer = "1";
  event.occurred_at = at;
  return event;
}

// "verb object" of each statement, for reading the expectations.
std::vector<std::string> Summary(const std::vector<Statement>& statements) {
  std::vector<std::string> lines;
  for (const Statement& statement : statements) {
    const json::object s = json::parse(statement.json).as_object();
    std::string verb(s.at("verb").at("display").at("en-US").as_string());
    std::string object(s.at("object").at("id").as_string());
    lines.push_back(statement.user_id + " " + verb + " " +
                    object.substr(object.find("/courses/") + 9));
  }
  return lines;
}

TEST(CompletionTest, ALessonIsCompletedWhenEachOfItsExercisesIsSolved) {
  const CourseOutline outline(Course());
  EXPECT_EQ(CompletedBy(outline, "e1", {"e1"}).lesson, nullptr);
  const Completion one = CompletedBy(outline, "e2", {"e1", "e2"});
  ASSERT_NE(one.lesson, nullptr);
  EXPECT_EQ(one.lesson->slug, "one");
  EXPECT_FALSE(one.course);
  const Completion all = CompletedBy(outline, "e3", {"e1", "e2", "e3"});
  EXPECT_EQ(all.lesson->slug, "two");
  EXPECT_TRUE(all.course);  // "reading" has no exercises: nothing to solve there
  EXPECT_EQ(CompletedBy(outline, "gone", {"e1", "e2", "e3", "gone"}).lesson, nullptr);
  EXPECT_FALSE(LessonCompleted(outline.course().lessons[1], {"e1", "e2", "e3"}));
  domain::Course empty;
  EXPECT_FALSE(CourseCompleted(empty, {}));
}

TEST(CompletionTest, HistoryRebuildsAnswersAndCompletionsInTheRange) {
  const StatementBuilder builder("https://practica.example");
  const CourseOutline outline(Course());
  const int64_t since = 1000;
  const int64_t until = 2000;
  CourseHistory history(builder, outline, since, until);
  std::vector<Statement> out;
  for (const store::AttemptEvent& event : {
           Attempt("a1", "u1", "e1", true, 500),    // before the range: counts, not listed
           Attempt("a2", "u1", "e2", false, 1100),  //
           Attempt("a3", "u2", "e3", false, 1150),  // an essay: done once answered
           Attempt("a4", "u1", "e2", true, 1200),   // completes lesson one
           Attempt("a5", "u1", "e2", true, 1300),   // solved again: nothing new
           Attempt("a6", "u1", "e3", false, 1400),  // completes lesson two and the course
           Attempt("a7", "u2", "e1", true, 2000),   // after the range
       }) {
    history.Add(event, out);
  }
  EXPECT_EQ(Summary(out), (std::vector<std::string>{
                              "u1 answered algebra/exercises/e2",
                              "u2 answered algebra/exercises/e3",
                              "u2 completed algebra/lessons/two",
                              "u1 answered algebra/exercises/e2",
                              "u1 completed algebra/lessons/one",
                              "u1 answered algebra/exercises/e2",
                              "u1 answered algebra/exercises/e3",
                              "u1 completed algebra/lessons/two",
                              "u1 completed algebra",
                          }));
  // The same statements as the live feed builds: same ids, same JSON.
  EXPECT_EQ(out[4], builder.Completed("u1", outline, &outline.course().lessons[0], 1200));
  EXPECT_EQ(out[3], builder.Answered(Attempt("a4", "u1", "e2", true, 1200), &outline));
}

TEST(CompletionTest, ACompletionBeforeTheRangeIsNotListed) {
  const StatementBuilder builder("https://practica.example");
  const CourseOutline outline(Course());
  CourseHistory history(builder, outline, 1000, 2000);
  std::vector<Statement> out;
  history.Add(Attempt("a1", "u1", "e1", true, 100), out);
  history.Add(Attempt("a2", "u1", "e2", true, 200), out);
  history.Add(Attempt("a3", "u1", "e1", true, 1500), out);
  EXPECT_EQ(Summary(out), (std::vector<std::string>{"u1 answered algebra/exercises/e1"}));
}

}  // namespace
}  // namespace practica::xapi
