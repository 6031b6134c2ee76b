#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "content/bundle.h"
#include "content/markdown.h"
#include "content/test_bundle.h"

namespace practica::content {
namespace {

using testing::Describe;
using testing::Fixture;
using ::testing::HasSubstr;
using testing::TempDir;

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> FileNames(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    names.push_back(std::filesystem::relative(entry.path(), dir).string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

domain::Course SmallCourse() {
  domain::Course course;
  course.slug = "small";
  course.title = "Small: a course";
  course.summary = "Plain text.";
  domain::Lesson lesson;
  lesson.slug = "first";
  lesson.title = "First";
  domain::LessonBlock intro;
  intro.text = MakeRichText("Hello *world*.\n");
  domain::LessonBlock slot;
  slot.kind = domain::LessonBlock::Kind::kExercise;
  slot.exercise_id = "q1";
  lesson.blocks = {intro, slot};
  domain::Exercise exercise;
  exercise.id = "q1";
  exercise.prompt = MakeRichText("Is it?");
  exercise.spec = domain::TrueFalse{false, {}, {}};
  lesson.exercises = {exercise};
  course.lessons = {lesson};
  return course;
}

TEST(WriteBundle, WritesCourseYamlWithLessonsListAndLessonFiles) {
  const TempDir dir;
  domain::Course course = SmallCourse();
  course.lessons[0].file_name = "07-first";
  ASSERT_TRUE(WriteBundle(course, dir.path()).ok());
  EXPECT_EQ(FileNames(dir.path()),
            (std::vector<std::string>{"course.yaml", "lessons", "lessons/07-first.md"}));
  EXPECT_EQ(ReadText(dir.path() / "course.yaml"),
            "format: 1\nslug: small\ntitle: \"Small: a course\"\nsummary: Plain text.\n"
            "lessons:\n  - 07-first\n");
  EXPECT_EQ(ReadText(dir.path() / "lessons/07-first.md"),
            "---\ntitle: First\n---\nHello *world*.\n\n"
            "```exercise\nid: q1\ntype: true_false\nprompt: Is it?\nanswer: false\n```\n");
}

TEST(WriteBundle, NamesLessonsWithoutAFileName) {
  const TempDir dir;
  ASSERT_TRUE(WriteBundle(SmallCourse(), dir.path()).ok());
  Result<domain::Course> back = ReadBundle(dir.path());
  ASSERT_TRUE(back.ok()) << Describe(back.error());
  EXPECT_EQ(back->lessons[0].file_name, "01-first");
  domain::Course expected = SmallCourse();
  expected.lessons[0].file_name = "01-first";
  EXPECT_EQ(*back, expected);
}

TEST(WriteBundle, MakesExerciseFencesLongerThanBackticksInside) {
  const TempDir dir;
  domain::Course course = SmallCourse();
  course.lessons[0].exercises[0].prompt = MakeRichText("Run:\n\n```\nls\n```\n");
  ASSERT_TRUE(WriteBundle(course, dir.path()).ok());
  EXPECT_THAT(ReadText(dir.path() / "lessons/01-first.md"), HasSubstr("````exercise\n"));
  Result<domain::Course> back = ReadBundle(dir.path());
  ASSERT_TRUE(back.ok()) << Describe(back.error());
  EXPECT_EQ(back->lessons[0].exercises[0].prompt, course.lessons[0].exercises[0].prompt);
}

TEST(WriteBundle, RefusesAnInvalidCourseAndWritesNothing) {
  const TempDir dir;
  domain::Course course = SmallCourse();
  course.lessons[0].exercises[0].penalty = 2;
  const Status status = WriteBundle(course, dir.path() / "out");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalid);
  EXPECT_THAT(Describe(status.error()), HasSubstr("'penalty' must be between 0 and 1"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out"));
}

TEST(WriteBundle, RefusesMarkdownThatWouldNotReadBackEqual) {
  const TempDir dir;
  domain::Course course = SmallCourse();
  course.lessons[0].blocks[0].text = MakeRichText("\n\nleading blank lines\n");
  const Status status = WriteBundle(course, dir.path());
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, HasSubstr("lesson 'first' would not read back unchanged"));
  EXPECT_TRUE(FileNames(dir.path()).empty());
}

TEST(WriteBundle, RefusesAnExerciseSlotWithoutItsExercise) {
  const TempDir dir;
  domain::Course course = SmallCourse();
  course.lessons[0].blocks[1].exercise_id = "missing";
  const Status status = WriteBundle(course, dir.path());
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, HasSubstr("places exercise 'missing'"));
}

TEST(WriteBundle, ReplacesExistingFilesWhole) {
  const TempDir dir;
  dir.Write("course.yaml", "old");
  dir.Write("lessons/01-first.md", "old");
  ASSERT_TRUE(WriteBundle(SmallCourse(), dir.path()).ok());
  EXPECT_THAT(ReadText(dir.path() / "course.yaml"), HasSubstr("slug: small"));
  EXPECT_THAT(ReadText(dir.path() / "lessons/01-first.md"), HasSubstr("id: q1"));
  EXPECT_EQ(FileNames(dir.path()),
            (std::vector<std::string>{"course.yaml", "lessons", "lessons/01-first.md"}));
}

// A file that cannot be replaced fails the write without touching course.yaml and without
// leaving temporary files behind.
TEST(WriteBundle, AFailedWriteLeavesOldFilesAndNoTemporaries) {
  const TempDir dir;
  dir.Write("course.yaml", "old");
  std::filesystem::create_directories(dir.path() / "lessons/01-first.md/blocker");
  const Status status = WriteBundle(SmallCourse(), dir.path());
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(ReadText(dir.path() / "course.yaml"), "old");
  EXPECT_EQ(FileNames(dir.path()),
            (std::vector<std::string>{"course.yaml", "lessons", "lessons/01-first.md",
                                      "lessons/01-first.md/blocker"}));
}

}  // namespace
}  // namespace practica::content
