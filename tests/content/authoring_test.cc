// The authoring API's way into the content layer: exercises as JSON read by the bundle's own
// exercise parser, and lessons assembled from pieces read as a lesson file would be.
#include "content/authoring.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "content/bundle.h"
#include "content/test_bundle.h"

namespace practica::content {
namespace {

namespace json = boost::json;
using testing::Describe;
using testing::Fixture;

std::vector<domain::Exercise> AllExercises(const domain::Course& course) {
  std::vector<domain::Exercise> all;
  for (const domain::Lesson& lesson : course.lessons) {
    all.insert(all.end(), lesson.exercises.begin(), lesson.exercises.end());
  }
  return all;
}

// Every exercise of every type fixture and of the demo course comes back from its JSON form.
TEST(AuthoringTest, EveryExerciseRoundTripsThroughJson) {
  std::vector<std::filesystem::path> folders = {std::filesystem::path(PRACTICA_SOURCE_DIR) /
                                                "content" / "everyday-data"};
  for (const char* type : {"single-choice", "multiple-choice", "true-false", "numeric",
                           "short-text", "cloze", "ordering", "matching", "formula", "essay"}) {
    folders.push_back(Fixture(type));
  }
  int seen = 0;
  for (const std::filesystem::path& folder : folders) {
    Result<domain::Course> course = ReadBundle(folder);
    ASSERT_TRUE(course.ok()) << folder << "\n" << Describe(course.error());
    for (const domain::Exercise& exercise : AllExercises(*course)) {
      SCOPED_TRACE(folder.string() + " " + exercise.id);
      const json::value form = ExerciseToJson(exercise);
      // Through text, as a client sends it.
      const json::value sent = json::parse(json::serialize(form));
      Result<domain::Exercise> back = ExerciseFromJson(sent, "exercise");
      ASSERT_TRUE(back.ok()) << json::serialize(form) << "\n" << Describe(back.error());
      EXPECT_EQ(*back, exercise) << json::serialize(form);
      ++seen;
    }
  }
  EXPECT_GT(seen, 20);
}

TEST(AuthoringTest, TheJsonFormHasTheBundleFieldsWithJsonTypes) {
  const json::value sent = json::parse(R"({
    "id": "q1", "type": "numeric", "prompt": "What is $\\frac{1}{2}$?", "answer": 0.5,
    "tolerance": "1%", "max_attempts": 3, "hints": ["Halve it."], "tags": ["fractions"]})");
  Result<domain::Exercise> exercise = ExerciseFromJson(sent, "exercise");
  ASSERT_TRUE(exercise.ok()) << Describe(exercise.error());
  EXPECT_EQ(exercise->max_attempts, 3);
  EXPECT_NE(exercise->prompt.html.find("\\frac{1}{2}"), std::string::npos) << exercise->prompt.html;
  const json::object form = ExerciseToJson(*exercise).as_object();
  EXPECT_EQ(form.at("answer").as_double(), 0.5);
  EXPECT_EQ(form.at("tolerance").as_string(), "1%");
  EXPECT_EQ(form.at("max_attempts").as_int64(), 3);
  EXPECT_EQ(form.at("type").as_string(), "numeric");

  // Ids stay strings even when they are all digits; texts that look like numbers too.
  const json::value choice = json::parse(R"({
    "id": "2024", "type": "single_choice", "prompt": "Pick",
    "options": [{"id": "1", "text": "42", "correct": true}, {"id": "2", "text": "true"}],
    "shuffle": false})");
  Result<domain::Exercise> parsed = ExerciseFromJson(choice, "exercise");
  ASSERT_TRUE(parsed.ok()) << Describe(parsed.error());
  const json::object back = ExerciseToJson(*parsed).as_object();
  EXPECT_EQ(back.at("id").as_string(), "2024");
  const json::array& options = back.at("options").as_array();
  EXPECT_EQ(options[0].at("id").as_string(), "1");
  EXPECT_EQ(options[0].at("text").as_string(), "42");
  EXPECT_EQ(options[0].at("correct").as_bool(), true);
  EXPECT_EQ(options[1].at("text").as_string(), "true");
  EXPECT_EQ(back.at("shuffle").as_bool(), false);
}

struct BadExercise {
  const char* json;
  const char* field;
  const char* message_part;
};

TEST(AuthoringTest, ProblemsNameTheField) {
  const BadExercise cases[] = {
      {R"({"id": "q", "type": "single_choice", "prompt": "Pick",
           "options": [{"id": "a", "text": "A", "correct": true},
                       {"id": "b", "text": "B", "correct": true}]})",
       "exercise.options", "exactly one option with correct: true, found 2"},
      {R"({"id": "q", "type": "single_choice", "prompt": "Pick",
           "options": [{"id": "a", "text": "A", "correct": "maybe"}, {"id": "b", "text": "B"}]})",
       "exercise.options[0].correct", "true or false"},
      // A JSON string is text: "yes" and "true" are not booleans (YAML 1.1 would read them so).
      {R"({"id": "q", "type": "true_false", "prompt": "P", "answer": "yes"})", "exercise.answer",
       "true or false"},
      {R"({"id": "q", "type": "true_false", "prompt": "P", "answer": "true"})", "exercise.answer",
       "true or false"},
      {R"({"id": "q", "type": "true_false", "prompt": "P", "answer": true, "penalty": 2})",
       "exercise.penalty", "between 0 and 1"},
      {R"({"id": "q", "type": "true_false", "prompt": "P", "answr": true})", "exercise.answr",
       "did you mean 'answer'"},
      {R"({"id": "q", "type": "true_false", "prompt": "P"})", "exercise.answer", "missing"},
      {R"({"type": "true_false", "prompt": "P", "answer": true})", "exercise.id", "missing"},
      {R"({"id": "Q!", "type": "true_false", "prompt": "P", "answer": true})", "exercise.id",
       "[a-z0-9-]"},
      {R"({"id": "q", "type": "essay_question", "prompt": "P"})", "exercise.type", "essay"},
      {R"({"id": "q", "type": "numeric", "prompt": "P", "answer": 5, "answers": [{"value": 5}]})",
       "exercise.answer", "cannot be given together"},
      {R"({"id": "q", "type": "cloze", "prompt": "A {{1}} and {{2}}",
           "gaps": [{"type": "numeric", "answer": 1}]})",
       "exercise.prompt", "gap markers"},
      {R"({"id": "q", "type": "formula", "prompt": "P", "answer": "x +* 1",
           "variables": {"x": [0, 1]}})",
       "exercise.answer", "not a formula"},
      {R"({"id": "q", "type": "true_false", "prompt": null, "answer": true})", "exercise.prompt",
       "must be a string"},
  };
  for (const BadExercise& c : cases) {
    SCOPED_TRACE(c.json);
    Result<domain::Exercise> exercise = ExerciseFromJson(json::parse(c.json), "exercise");
    ASSERT_FALSE(exercise.ok());
    EXPECT_EQ(exercise.error().code, ErrorCode::kInvalid);
    bool found = false;
    for (const FieldError& field : exercise.error().fields) {
      if (field.field == c.field && field.message.find(c.message_part) != std::string::npos) {
        found = true;
      }
    }
    EXPECT_TRUE(found) << Describe(exercise.error());
  }
  Result<domain::Exercise> not_object = ExerciseFromJson(json::parse("[1]"), "exercise");
  ASSERT_FALSE(not_object.ok());
  ASSERT_EQ(not_object.error().fields.size(), 1u);
  EXPECT_EQ(not_object.error().fields[0].field, "exercise");
}

domain::Exercise TrueFalse(const std::string& id) {
  Result<domain::Exercise> exercise = ExerciseFromJson(
      json::parse(R"({"type": "true_false", "prompt": "True?", "answer": true, "id": ")" + id +
                  R"("})"),
      "exercise");
  EXPECT_TRUE(exercise.ok());
  return *exercise;
}

TEST(AuthoringTest, ALessonIsReadAsItsFileWouldBe) {
  const domain::Exercise first = TrueFalse("first");
  const domain::Exercise second = TrueFalse("second");
  Result<domain::Lesson> lesson = AssembleLesson("averages", "Averages: the mean", "",
                                                 {{"\n\nThe **mean** of $x_1$…\n\n\n", nullptr},
                                                  {"", &first},
                                                  {"Between.", nullptr},
                                                  {"  \n", nullptr},
                                                  {"", &second},
                                                  {"After.\r\n", nullptr}});
  ASSERT_TRUE(lesson.ok()) << Describe(lesson.error());
  EXPECT_EQ(lesson->slug, "averages");
  EXPECT_EQ(lesson->title, "Averages: the mean");
  ASSERT_EQ(lesson->blocks.size(), 5u);
  EXPECT_EQ(lesson->blocks[0].text.markdown, "The **mean** of $x_1$…\n");
  EXPECT_NE(lesson->blocks[0].text.html.find("<strong>mean</strong>"), std::string::npos);
  EXPECT_EQ(lesson->blocks[1].exercise_id, "first");
  EXPECT_EQ(lesson->blocks[2].text.markdown, "Between.\n");  // the blank piece is dropped
  EXPECT_EQ(lesson->blocks[3].exercise_id, "second");
  EXPECT_EQ(lesson->blocks[4].text.markdown, "After.\n");
  EXPECT_EQ(lesson->exercises, (std::vector<domain::Exercise>{first, second}));

  // Two Markdown pieces in a row are one block, as in a file.
  Result<domain::Lesson> joined =
      AssembleLesson("x", "X", "", {{"One.\n", nullptr}, {"Two.\n", nullptr}});
  ASSERT_TRUE(joined.ok()) << Describe(joined.error());
  ASSERT_EQ(joined->blocks.size(), 1u);
  EXPECT_EQ(joined->blocks[0].text.markdown, "One.\n\nTwo.\n");

  // A new lesson may be empty.
  Result<domain::Lesson> empty = AssembleLesson("new", "New", "", {});
  ASSERT_TRUE(empty.ok()) << Describe(empty.error());
  EXPECT_TRUE(empty->blocks.empty());
  EXPECT_EQ(empty->title, "New");

  // The result is what a published course holds: it survives a bundle round trip.
  domain::Course course;
  course.slug = "c";
  course.title = "C";
  course.lessons = {*lesson};
  EXPECT_TRUE(FormatBundle(course).ok());
}

TEST(AuthoringTest, CourseFieldsFollowCourseYamlRules) {
  domain::Course course;
  course.slug = "intro";
  course.title = "Introduction: the basics";
  course.summary = "Two lines:\nand \"quotes\".";
  course.language = "pt-BR";
  course.tags = {"a", "yes", "42"};
  EXPECT_TRUE(CheckCourseFields(course).ok());

  course.slug = "Intro";
  course.title = " ";
  course.language = "english!";
  course.tags = {"ok", ""};
  const Status checked = CheckCourseFields(course);
  ASSERT_FALSE(checked.ok());
  std::vector<std::string> fields;
  for (const FieldError& field : checked.error().fields) fields.push_back(field.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"slug", "title", "language", "tags[1]"}))
      << Describe(checked.error());
}

TEST(AuthoringTest, MarkdownThatWouldNotReadBackIsRefused) {
  const domain::Exercise first = TrueFalse("first");
  Result<domain::Lesson> fenced = AssembleLesson(
      "l", "L", "",
      {{"Fine.", nullptr},
       {"Text\n\n```exercise\nid: sneaky\ntype: true_false\nprompt: P\nanswer: true\n```\n",
        nullptr},
       {"", &first},
       {"```python\nprint('never closed')\n", nullptr}});
  ASSERT_FALSE(fenced.ok());
  EXPECT_EQ(fenced.error().code, ErrorCode::kInvalid);
  ASSERT_EQ(fenced.error().fields.size(), 2u) << Describe(fenced.error());
  EXPECT_EQ(fenced.error().fields[0].field, "blocks[1]");
  EXPECT_NE(fenced.error().fields[0].message.find("exercise"), std::string::npos);
  EXPECT_EQ(fenced.error().fields[1].field, "blocks[3]");
  EXPECT_NE(fenced.error().fields[1].message.find("open"), std::string::npos);

  // A closed code block is just Markdown.
  EXPECT_TRUE(AssembleLesson("l", "L", "", {{"```python\nx = 1\n```", nullptr}}).ok());

  Result<domain::Lesson> untitled = AssembleLesson("l", "  ", "", {{"Text", nullptr}});
  ASSERT_FALSE(untitled.ok());
  EXPECT_EQ(untitled.error().fields.at(0).field, "title") << Describe(untitled.error());
  Result<domain::Lesson> bad_slug = AssembleLesson("Not A Slug", "T", "", {{"Text", nullptr}});
  ASSERT_FALSE(bad_slug.ok());
  EXPECT_EQ(bad_slug.error().fields.at(0).field, "slug") << Describe(bad_slug.error());
}

}  // namespace
}  // namespace practica::content
