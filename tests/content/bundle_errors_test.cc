// Bad bundles: one test per class of problem, each checking the exact FILE:LINE and the message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "content/bundle.h"
#include "content/test_bundle.h"

namespace practica::content {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using testing::Describe;
using ::testing::Field;
using ::testing::HasSubstr;
using testing::TempDir;

constexpr std::string_view kCourse = "format: 1\nslug: bad\ntitle: Bad\nlessons:\n  - 01-a\n";

// Front matter on lines 1-3, so the body starts on line 4; with the body starting with an
// exercise fence, line k of the YAML is line 4 + k of the file.
std::string Lesson(std::string_view body) { return "---\ntitle: A\n---\n" + std::string(body); }
std::string Exercise(std::string_view yaml) {
  return "```exercise\n" + std::string(yaml) + "```\n";
}
constexpr std::string_view kValid = "id: ok\ntype: true_false\nprompt: p\nanswer: true\n";

class BadBundle : public ::testing::Test {
 protected:
  // Writes course.yaml (kCourse unless given) and lessons/01-a.md, reads the bundle and returns
  // the error it must give.
  Error Read(std::string_view lesson, std::string_view course = kCourse) {
    dir_.Write("course.yaml", course);
    dir_.Write("lessons/01-a.md", lesson);
    return ReadError();
  }
  Error ReadError() {
    Result<domain::Course> result = ReadBundle(dir_.path());
    EXPECT_FALSE(result.ok()) << "the bundle was accepted";
    if (result.ok()) return Error{};
    EXPECT_EQ(result.error().code, ErrorCode::kInvalid);
    return std::move(result).error();
  }
  // Reads a lesson whose body is one exercise block with `yaml`.
  Error ReadExercise(std::string_view yaml) { return Read(Lesson(Exercise(yaml))); }

  TempDir dir_;
};

// Asserts that `error` lists a problem at `where` ("FILE:LINE") whose message has `message`.
#define EXPECT_PROBLEM(error_value, where, text)                                                   \
  EXPECT_THAT((error_value).fields, Contains(AllOf(Field(&FieldError::field, std::string(where)),  \
                                                   Field(&FieldError::message, HasSubstr(text))))) \
      << Describe(error_value)

TEST_F(BadBundle, MissingCourseFile) {
  dir_.Write("lessons/01-a.md", Lesson("text\n"));
  EXPECT_PROBLEM(ReadError(), "course.yaml:0", "does not exist");
}

TEST_F(BadBundle, CourseYamlSyntaxError) {
  const Error error = Read(Lesson("text\n"), "format: 1\nslug: bad\ntags: [a, b\ntitle: x\n");
  EXPECT_PROBLEM(error, "course.yaml:4", "YAML syntax error");
}

TEST_F(BadBundle, CourseMissingFieldsAndWrongVersion) {
  const Error missing = Read(Lesson("text\n"), "slug: bad\nlessons: [01-a]\n");
  EXPECT_PROBLEM(missing, "course.yaml:1", "missing required field 'format'");
  EXPECT_PROBLEM(missing, "course.yaml:1", "missing required field 'title'");
  const Error version = Read(Lesson("text\n"), "format: 2\nslug: bad\ntitle: Bad\n");
  EXPECT_PROBLEM(version, "course.yaml:1", "'format' is 2, but only bundle format 1 is supported");
}

TEST_F(BadBundle, CourseUnknownFieldSuggestsTheRightOne) {
  const Error error = Read(Lesson("text\n"), "format: 1\nslug: bad\ntitle: Bad\nsumary: x\n");
  EXPECT_PROBLEM(error, "course.yaml:4", "unknown field 'sumary' (did you mean 'summary'?)");
}

TEST_F(BadBundle, CourseWrongTypesAndBadValues) {
  const Error error = Read(Lesson("text\n"),
                           "format: one\nslug: Bad Slug\ntitle: [x]\nlanguage: english!\n"
                           "tags: fixture\nlessons: [01-a]\n");
  EXPECT_PROBLEM(error, "course.yaml:1", "'format' must be a whole number");
  EXPECT_PROBLEM(error, "course.yaml:2", "'slug' must match [a-z0-9-]{1,64}, got 'Bad Slug'");
  EXPECT_PROBLEM(error, "course.yaml:3", "'title' must be a string");
  EXPECT_PROBLEM(error, "course.yaml:4", "'language' must be a BCP 47 language tag");
  EXPECT_PROBLEM(error, "course.yaml:5", "'tags' must be a list");
}

TEST_F(BadBundle, ListedLessonFileMissing) {
  const Error error =
      Read(Lesson("text\n"), "format: 1\nslug: bad\ntitle: Bad\nlessons:\n  - 01-a\n  - 02-gone\n");
  EXPECT_PROBLEM(error, "course.yaml:6",
                 "lesson '02-gone' is listed, but lessons/02-gone.md does not exist");
}

TEST_F(BadBundle, LessonListEntriesMustStayInsideLessons) {
  const Error error =
      Read(Lesson("text\n"),
           "format: 1\nslug: bad\ntitle: Bad\nlessons:\n  - ../secret\n  - 01-a\n  - 01-a\n");
  EXPECT_PROBLEM(error, "course.yaml:5", "must name a file in lessons/");
  EXPECT_PROBLEM(error, "course.yaml:7", "lists lesson '01-a' a second time (first on line 6)");
}

TEST_F(BadBundle, NoLessons) {
  dir_.Write("course.yaml", "format: 1\nslug: bad\ntitle: Bad\n");
  std::filesystem::create_directories(dir_.path() / "lessons");
  EXPECT_PROBLEM(ReadError(), "course.yaml:0", "the course has no lessons");
}

TEST_F(BadBundle, LessonWithoutFrontMatter) {
  EXPECT_PROBLEM(Read("# Title\n\ntext\n"), "lessons/01-a.md:1",
                 "must start with YAML front matter");
}

TEST_F(BadBundle, FrontMatterNotClosed) {
  EXPECT_PROBLEM(Read("---\ntitle: A\ntext\n"), "lessons/01-a.md:1", "front matter is not closed");
}

TEST_F(BadBundle, FrontMatterProblems) {
  const Error error = Read("---\nslug: Not_A_Slug\ntitel: A\n---\ntext\n");
  EXPECT_PROBLEM(error, "lessons/01-a.md:2", "missing required field 'title'");
  EXPECT_PROBLEM(error, "lessons/01-a.md:2", "'slug' must match [a-z0-9-]{1,64}, got 'Not_A_Slug'");
  EXPECT_PROBLEM(error, "lessons/01-a.md:3", "unknown field 'titel' (did you mean 'title'?)");
}

TEST_F(BadBundle, EmptyLesson) {
  EXPECT_PROBLEM(Read("---\ntitle: A\n---\n\n   \n"), "lessons/01-a.md:3",
                 "the lesson has no content after its front matter");
}

TEST_F(BadBundle, ExerciseBlockNotClosed) {
  EXPECT_PROBLEM(Read(Lesson("text\n\n~~~~exercise\nid: a\n~~~\n")), "lessons/01-a.md:6",
                 "the exercise block is not closed (no matching ~~~~ line)");
}

TEST_F(BadBundle, EmptyExerciseBlock) {
  EXPECT_PROBLEM(Read(Lesson("text\n```exercise\n```\n")), "lessons/01-a.md:5",
                 "the exercise block is empty");
}

TEST_F(BadBundle, ExerciseYamlSyntaxError) {
  EXPECT_PROBLEM(ReadExercise("id: a\ntype: numeric\nprompt: [oops\nanswer: 5\n"),
                 "lessons/01-a.md:8", "YAML syntax error");
}

TEST_F(BadBundle, ExerciseNotAMapping) {
  EXPECT_PROBLEM(ReadExercise("- id: a\n"), "lessons/01-a.md:5",
                 "the exercise block must be a mapping of fields");
}

TEST_F(BadBundle, UnknownExerciseType) {
  EXPECT_PROBLEM(ReadExercise("id: a\ntype: numerc\nprompt: p\nanswer: 5\n"), "lessons/01-a.md:6",
                 "unknown type 'numerc' (did you mean 'numeric'?)");
}

TEST_F(BadBundle, MissingRequiredExerciseFields) {
  const Error error = ReadExercise("type: numeric\ntolerance: 1\n");
  EXPECT_PROBLEM(error, "lessons/01-a.md:5", "missing required field 'id'");
  EXPECT_PROBLEM(error, "lessons/01-a.md:5", "missing required field 'prompt'");
  EXPECT_PROBLEM(error, "lessons/01-a.md:5",
                 "needs 'answer' (with an optional 'tolerance') or 'answers'");
}

TEST_F(BadBundle, UnknownFieldIsATypoNotIgnored) {
  const Error error = ReadExercise("id: a\ntype: numeric\nprompt: p\nanswer: 5\ntolerence: 0.1\n");
  EXPECT_PROBLEM(error, "lessons/01-a.md:9",
                 "unknown field 'tolerence' (did you mean 'tolerance'?)");
  // A field of another type is unknown too.
  EXPECT_PROBLEM(ReadExercise("id: a\ntype: true_false\nprompt: p\nanswer: true\nshuffle: true\n"),
                 "lessons/01-a.md:9", "unknown field 'shuffle'");
  // … and so is one nested in an option.
  EXPECT_PROBLEM(ReadExercise("id: a\ntype: single_choice\nprompt: p\noptions:\n"
                              "  - {id: a, text: x, corect: true}\n  - {id: b, text: y}\n"),
                 "lessons/01-a.md:9",
                 "unknown field 'options[0].corect' (did you mean 'correct'?)");
}

TEST_F(BadBundle, DuplicateField) {
  EXPECT_PROBLEM(ReadExercise("id: a\ntype: true_false\nprompt: p\nanswer: true\nprompt: q\n"),
                 "lessons/01-a.md:9", "duplicate field 'prompt'");
}

TEST_F(BadBundle, WrongYamlTypes) {
  const Error error = ReadExercise(
      "id: a\ntype: true_false\nprompt: [p]\nanswer: maybe\nhints: Think.\npenalty: high\n"
      "max_attempts: 1.5\ntags: {a: b}\n");
  EXPECT_PROBLEM(error, "lessons/01-a.md:7", "'prompt' must be a string");
  EXPECT_PROBLEM(error, "lessons/01-a.md:8", "'answer' must be true or false");
  EXPECT_PROBLEM(error, "lessons/01-a.md:9", "'hints' must be a list");
  EXPECT_PROBLEM(error, "lessons/01-a.md:10", "'penalty' must be a number");
  EXPECT_PROBLEM(error, "lessons/01-a.md:11", "'max_attempts' must be a whole number");
  EXPECT_PROBLEM(error, "lessons/01-a.md:12", "'tags' must be a list");
}

TEST_F(BadBundle, ValuesOutOfRange) {
  const Error error = ReadExercise(
      "id: a\ntype: numeric\nprompt: p\nanswers:\n"
      "  - {value: 1, tolerance: -0.5, score: 1.5}\n"
      "  - {range: [6, 4], score: 1}\n"
      "max_attempts: 0\npenalty: 1.5\n");
  EXPECT_PROBLEM(error, "lessons/01-a.md:9", "'answers[0].tolerance' must not be negative");
  EXPECT_PROBLEM(error, "lessons/01-a.md:9", "'answers[0].score' must be between 0 and 1, got 1.5");
  EXPECT_PROBLEM(error, "lessons/01-a.md:10",
                 "'answers[1].range' must have low <= high, got [6, 4]");
  EXPECT_PROBLEM(error, "lessons/01-a.md:11",
                 "'max_attempts' must be a positive whole number, got 0");
  EXPECT_PROBLEM(error, "lessons/01-a.md:12", "'penalty' must be between 0 and 1, got 1.5");
}

TEST_F(BadBundle, BadTolerances) {
  const Error error =
      ReadExercise("id: a\ntype: numeric\nprompt: p\nanswer: 5\ntolerance: a lot\n");
  EXPECT_PROBLEM(error, "lessons/01-a.md:9", "'tolerance' must be a number or a percentage");
  EXPECT_PROBLEM(ReadExercise("id: a\ntype: numeric\nprompt: p\nanswer: 5\ntolerance: -1%\n"),
                 "lessons/01-a.md:9", "'tolerance' must not be negative, got '-1%'");
}

TEST_F(BadBundle, NumericAnswerShapes) {
  const Error error = ReadExercise(
      "id: a\ntype: numeric\nprompt: p\nanswer: 5\nanswers:\n"
      "  - {score: 1}\n  - {value: 1, range: [0, 2]}\n  - {range: [0, 2], tolerance: 1}\n");
  EXPECT_PROBLEM(error, "lessons/01-a.md:8", "'answer' cannot be given together with 'answers'");
  EXPECT_PROBLEM(error, "lessons/01-a.md:10", "'answers[0]' needs a 'value' or a 'range'");
  EXPECT_PROBLEM(error, "lessons/01-a.md:11", "'answers[1]' has both 'value' and 'range'");
  EXPECT_PROBLEM(error, "lessons/01-a.md:12", "'answers[2].tolerance' only applies to a 'value'");
}

TEST_F(BadBundle, NoAnswerWithFullScore) {
  EXPECT_PROBLEM(
      ReadExercise("id: a\ntype: short_text\nprompt: p\nanswers:\n  - {text: x, score: 0.5}\n"),
      "lessons/01-a.md:9", "'answers' has no answer with score 1");
}

TEST_F(BadBundle, BadIds) {
  const Error error = ReadExercise(
      "id: Mean_1\ntype: ordering\nprompt: p\nitems:\n  - {id: a, text: x}\n  - {id: a, text: y}\n"
      "  - {id: B, text: z}\n");
  EXPECT_PROBLEM(error, "lessons/01-a.md:5", "'id' must match [a-z0-9-]{1,64}, got 'Mean_1'");
  EXPECT_PROBLEM(error, "lessons/01-a.md:10",
                 "'items[1].id' 'a' is already used in this exercise (line 9)");
  EXPECT_PROBLEM(error, "lessons/01-a.md:11", "'items[2].id' must match [a-z0-9-]{1,64}, got 'B'");
}

TEST_F(BadBundle, MatchingIdsAreUniqueAcrossBothSides) {
  EXPECT_PROBLEM(ReadExercise("id: a\ntype: matching\nprompt: p\npairs:\n"
                              "  - {left: {id: x, text: A}, right: {id: y, text: B}}\n"
                              "distractors:\n  - {id: x, text: C}\n"),
                 "lessons/01-a.md:11", "'distractors[0].id' 'x' is already used in this exercise");
}

TEST_F(BadBundle, SingleChoiceNeedsExactlyOneCorrectOption) {
  EXPECT_PROBLEM(
      ReadExercise("id: a\ntype: single_choice\nprompt: p\noptions:\n"
                   "  - {id: a, text: x, correct: true}\n  - {id: b, text: y, correct: true}\n"),
      "lessons/01-a.md:9", "'options' must have exactly one option with correct: true, found 2");
  EXPECT_PROBLEM(ReadExercise("id: a\ntype: single_choice\nprompt: p\noptions:\n"
                              "  - {id: a, text: x}\n  - {id: b, text: y}\n"),
                 "lessons/01-a.md:9", "found 0");
}

TEST_F(BadBundle, MultipleChoiceNeedsACorrectOption) {
  EXPECT_PROBLEM(ReadExercise("id: a\ntype: multiple_choice\nprompt: p\noptions:\n"
                              "  - {id: a, text: x}\n  - {id: b, text: y}\nscoring: some\n"),
                 "lessons/01-a.md:9", "'options' must have at least one option with correct: true");
  EXPECT_PROBLEM(
      ReadExercise("id: a\ntype: multiple_choice\nprompt: p\noptions:\n"
                   "  - {id: a, text: x, correct: true}\n  - {id: b, text: y}\nscoring: some\n"),
      "lessons/01-a.md:11", "'scoring' must be partial or all_or_nothing, got 'some'");
}

TEST_F(BadBundle, PatternsTheGraderCannotRunAreRefusedAtImport) {
  // std::regex accepts a backreference; the grader's linear-time engine does not.
  EXPECT_PROBLEM(ReadExercise("id: a\ntype: short_text\nprompt: p\nanswers:\n"
                              "  - {regex: \"(a)\\\\1\"}\n"),
                 "lessons/01-a.md:9", "is not a pattern the grader can use");
}

TEST_F(BadBundle, FormulaKeysMustParseWithTheirVariables) {
  EXPECT_PROBLEM(ReadExercise("id: a\ntype: formula\nprompt: p\nanswer: \"x^^2\"\n"
                              "variables:\n  x: [0, 1]\n"),
                 "lessons/01-a.md:8", "is not a formula the grader can read");
  EXPECT_PROBLEM(ReadExercise("id: a\ntype: formula\nprompt: p\nanswer: \"x + y\"\n"
                              "variables:\n  x: [0, 1]\n"),
                 "lessons/01-a.md:8", "is not a formula the grader can read");
}

TEST_F(BadBundle, TooFewOptions) {
  EXPECT_PROBLEM(ReadExercise("id: a\ntype: single_choice\nprompt: p\noptions:\n"
                              "  - {id: a, text: x, correct: true}\n"),
                 "lessons/01-a.md:9", "'options' must list at least 2 options");
}

TEST_F(BadBundle, ShortTextProblems) {
  const Error error = ReadExercise(
      "id: a\ntype: short_text\nprompt: p\nanswers:\n  - Paris\n  - {regex: \"par(\"}\n"
      "  - {text: a, regex: b}\n  - [x]\naccents: loose\n");
  EXPECT_PROBLEM(error, "lessons/01-a.md:10",
                 "'answers[1].regex' is not a pattern the grader can use");
  EXPECT_PROBLEM(error, "lessons/01-a.md:11", "'answers[2]' has both 'text' and 'regex'");
  EXPECT_PROBLEM(error, "lessons/01-a.md:12", "'answers[3]' must be a string or a mapping");
  EXPECT_PROBLEM(error, "lessons/01-a.md:13", "'accents' must be ignore or strict, got 'loose'");
}

TEST_F(BadBundle, ClozeMarkersMustMatchGaps) {
  EXPECT_PROBLEM(ReadExercise("id: a\ntype: cloze\nprompt: \"{{1}} and {{2}}\"\ngaps:\n"
                              "  - {type: numeric, answer: 2}\n"),
                 "lessons/01-a.md:7",
                 "'prompt' has 2 gap markers ({{1}}, {{2}}, …) but 'gaps' lists 1 gaps");
  EXPECT_PROBLEM(ReadExercise("id: a\ntype: cloze\nprompt: \"{{2}} and {{1}}\"\ngaps:\n"
                              "  - {type: numeric, answer: 2}\n  - {type: numeric, answer: 3}\n"),
                 "lessons/01-a.md:7", "found {{2}} where {{1}} was expected");
}

TEST_F(BadBundle, ClozeGapProblems) {
  const Error error = ReadExercise(
      "id: a\ntype: cloze\nprompt: \"{{1}} {{2}} {{3}}\"\ngaps:\n"
      "  - {type: choice, options: [x, y], answer: z}\n"
      "  - {type: numeric, answers: [{value: 1}], case_sensitive: true}\n"
      "  - {type: word, answer: x}\n");
  EXPECT_PROBLEM(error, "lessons/01-a.md:9",
                 "'gaps[0].answer' must be one of the gap's options, got 'z'");
  EXPECT_PROBLEM(error, "lessons/01-a.md:10", "unknown field 'gaps[1].case_sensitive'");
  EXPECT_PROBLEM(error, "lessons/01-a.md:11",
                 "'gaps[2].type' must be numeric, short_text or choice, got 'word'");
}

TEST_F(BadBundle, FormulaProblems) {
  const Error error = ReadExercise(
      "id: a\ntype: formula\nprompt: p\nanswer: \"\"\nvariables:\n  x: [1, 1]\n  pi: [0, 1]\n"
      "  y: 3\nsamples: 0\ntolerance: -1\n");
  EXPECT_PROBLEM(error, "lessons/01-a.md:8", "'answer' must not be empty");
  EXPECT_PROBLEM(error, "lessons/01-a.md:10", "'variables.x' must have low < high, got [1, 1]");
  EXPECT_PROBLEM(error, "lessons/01-a.md:11", "'variables.pi' is a function or constant name");
  EXPECT_PROBLEM(error, "lessons/01-a.md:12",
                 "'variables.y' must be a list of two numbers [low, high]");
  EXPECT_PROBLEM(error, "lessons/01-a.md:13", "'samples' must be between 1 and 10000");
  EXPECT_PROBLEM(error, "lessons/01-a.md:14", "'tolerance' must not be negative");
}

TEST_F(BadBundle, DuplicateExerciseIdsAcrossLessons) {
  dir_.Write("lessons/02-b.md", Lesson("Intro.\n\n" + Exercise(kValid)));
  const Error error =
      Read(Lesson(Exercise(kValid)), "format: 1\nslug: bad\ntitle: Bad\nlessons: [01-a, 02-b]\n");
  EXPECT_PROBLEM(error, "lessons/02-b.md:7",
                 "exercise id 'ok' is already used at lessons/01-a.md:5");
}

TEST_F(BadBundle, DuplicateLessonSlugs) {
  dir_.Write("lessons/02-a.md", "---\ntitle: B\n---\ntext\n");
  const Error error =
      Read(Lesson("text\n"), "format: 1\nslug: bad\ntitle: Bad\nlessons: [01-a, 02-a]\n");
  EXPECT_PROBLEM(error, "lessons/02-a.md:1", "lesson slug 'a' is already used by lessons/01-a.md");
}

TEST_F(BadBundle, InvalidUtf8) {
  EXPECT_PROBLEM(Read(Lesson("fine\nbad \xC3\x28 byte\n")), "lessons/01-a.md:5", "not valid UTF-8");
  EXPECT_PROBLEM(Read(Lesson("overlong \xC0\xAF\n")), "lessons/01-a.md:4", "not valid UTF-8");
  EXPECT_PROBLEM(Read(Lesson("surrogate \xED\xA0\x80\n")), "lessons/01-a.md:4", "not valid UTF-8");
}

TEST_F(BadBundle, SymbolicLinksAreRefused) {
  dir_.Write("elsewhere.md", Lesson("text\n"));
  dir_.Write("course.yaml", kCourse);
  std::filesystem::create_directories(dir_.path() / "lessons");
  std::filesystem::create_symlink(dir_.path() / "elsewhere.md", dir_.path() / "lessons/01-a.md");
  EXPECT_PROBLEM(ReadError(), "lessons/01-a.md:0", "is a symbolic link");
}

TEST_F(BadBundle, FileTooLarge) {
  EXPECT_PROBLEM(Read(Lesson(std::string(1024 * 1024, 'a'))), "lessons/01-a.md:0",
                 "larger than the limit of 1 MiB");
}

// A bad course field does not stop the lessons from being checked.
TEST_F(BadBundle, ReportsLessonProblemsAlongsideCourseProblems) {
  const Error error = Read(Lesson(Exercise("id: a\ntype: true_false\nprompt: p\n")),
                           "format: 1\nslug: Bad!\ntitle: Bad\nlessons: [01-a]\n");
  EXPECT_PROBLEM(error, "course.yaml:2", "'slug' must match");
  EXPECT_PROBLEM(error, "lessons/01-a.md:5", "missing required field 'answer'");
}

// Problems in several places are all reported, not just the first.
TEST_F(BadBundle, CollectsEveryProblem) {
  dir_.Write("lessons/02-b.md",
             Lesson(Exercise("id: b\ntype: true_false\nprompt: p\nanswer: 3\n")));
  const Error error =
      Read(Lesson("text\n" + Exercise("id: a\ntype: numeric\nprompt: p\n") + "more\n" +
                  Exercise("id: c\ntype: formula\nprompt: p\nanswer: x\nvariabels: {}\n")),
           "format: 1\nslug: bad\ntitle: Bad\nlessons: [01-a, 02-b]\n");
  EXPECT_EQ(error.fields.size(), 4u) << Describe(error);
  EXPECT_PROBLEM(error, "lessons/01-a.md:6", "the exercise needs 'answer'");
  // With 'variables' misspelt, the key's x is undeclared: a problem of its own.
  EXPECT_PROBLEM(error, "lessons/01-a.md:15", "'x' is not a variable of this exercise");
  EXPECT_PROBLEM(error, "lessons/01-a.md:16",
                 "unknown field 'variabels' (did you mean 'variables'?)");
  EXPECT_PROBLEM(error, "lessons/02-b.md:8", "'answer' must be true or false");
  EXPECT_THAT(error.message, HasSubstr("4 problems"));
}

}  // namespace
}  // namespace practica::content
