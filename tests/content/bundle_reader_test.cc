// Reading the good fixtures: one small bundle per exercise type.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "content/bundle.h"
#include "content/test_bundle.h"

namespace practica::content {
namespace {

using testing::Describe;
using testing::Fixture;
using ::testing::HasSubstr;
using testing::TempDir;

domain::Course ReadFixture(const std::string& name) {
  Result<domain::Course> course = ReadBundle(Fixture(name));
  EXPECT_TRUE(course.ok()) << (course.ok() ? "" : Describe(course.error()));
  return course.ok() ? std::move(course).value() : domain::Course{};
}

TEST(ReadBundle, ReadsCourseFieldsAndSplitsLessonsIntoBlocks) {
  const domain::Course course = ReadFixture("single-choice");
  EXPECT_EQ(course.slug, "fixture-single-choice");
  EXPECT_EQ(course.title, "Single choice");
  EXPECT_EQ(course.summary, "One right answer among several.");
  EXPECT_EQ(course.language, "en-GB");
  EXPECT_EQ(course.tags, (std::vector<std::string>{"fixture", "choice"}));
  ASSERT_EQ(course.lessons.size(), 1u);

  const domain::Lesson& lesson = course.lessons[0];
  EXPECT_EQ(lesson.slug, "pick-one");  // from the file name, without "01-"
  EXPECT_EQ(lesson.file_name, "01-pick-one");
  EXPECT_EQ(lesson.title, "Pick one");
  ASSERT_EQ(lesson.blocks.size(), 3u);
  EXPECT_EQ(lesson.blocks[0].text.markdown, "Which average is the *middle* value?\n");
  EXPECT_EQ(lesson.blocks[0].text.html, "<p>Which average is the <em>middle</em> value?</p>\n");
  EXPECT_EQ(lesson.blocks[1].kind, domain::LessonBlock::Kind::kExercise);
  EXPECT_EQ(lesson.blocks[1].exercise_id, "middle-value");
  EXPECT_EQ(lesson.blocks[2].text.markdown, "That's it.\n");

  ASSERT_EQ(lesson.exercises.size(), 1u);
  const domain::Exercise& e = lesson.exercises[0];
  const auto& spec = std::get<domain::SingleChoice>(e.spec);
  ASSERT_EQ(spec.options.size(), 3u);
  EXPECT_EQ(spec.options[1].id, "b");
  EXPECT_TRUE(spec.options[1].correct);
  EXPECT_EQ(spec.options[1].feedback.html, "<p>Yes.</p>\n");
  EXPECT_EQ(spec.options[0].score, 0.25);
  EXPECT_EQ(spec.options[1].score, std::nullopt);
  EXPECT_EQ(spec.options[2].text.html, "The <code>mode</code>");  // inline: no <p>
  EXPECT_FALSE(spec.shuffle);
  EXPECT_EQ(e.explanation.markdown,
            "The median is the middle value.\n\nWith an even count it is halfway between the two "
            "middle values.\n");
  EXPECT_EQ(e.max_attempts, 2);
  EXPECT_EQ(e.penalty, 0.5);
  EXPECT_THAT(lesson.Html(),
              HasSubstr("<div class=\"exercise-slot\" data-exercise-id=\"middle-value\">"));
}

TEST(ReadBundle, WithoutALessonsListReadsLessonFilesInNameOrder) {
  const domain::Course course = ReadFixture("multiple-choice");
  ASSERT_EQ(course.lessons.size(), 2u);
  EXPECT_EQ(course.lessons[0].slug, "prime-numbers");  // explicit slug wins
  EXPECT_EQ(course.lessons[1].slug, "more");
  EXPECT_EQ(course.language, "en");
  const auto& strict = std::get<domain::MultipleChoice>(course.lessons[0].exercises[1].spec);
  EXPECT_EQ(strict.scoring, domain::Scoring::kAllOrNothing);
  EXPECT_FALSE(strict.shuffle);
  const auto& partial = std::get<domain::MultipleChoice>(course.lessons[0].exercises[0].spec);
  EXPECT_EQ(partial.scoring, domain::Scoring::kPartial);
  EXPECT_TRUE(partial.shuffle);
  const auto& weighted = std::get<domain::MultipleChoice>(course.lessons[0].exercises[2].spec);
  ASSERT_EQ(weighted.options.size(), 4u);
  EXPECT_EQ(weighted.options[0].score, 0.5);
  EXPECT_TRUE(weighted.options[0].correct);  // a positive score makes an option correct
  EXPECT_EQ(weighted.options[1].score, -0.5);
  EXPECT_FALSE(weighted.options[1].correct);
  EXPECT_EQ(weighted.options[3].score, std::nullopt);
}

TEST(ReadBundle, ReadsTrueFalse) {
  const domain::Course course = ReadFixture("true-false");
  ASSERT_EQ(course.lessons[0].exercises.size(), 2u);
  EXPECT_TRUE(std::get<domain::TrueFalse>(course.lessons[0].exercises[0].spec).answer);
  const auto& second = std::get<domain::TrueFalse>(course.lessons[0].exercises[1].spec);
  EXPECT_FALSE(second.answer);
  EXPECT_EQ(second.true_feedback.html, "<p>Take 1, 2, 9: the median is 2 and the mean is 4.</p>\n");
  EXPECT_EQ(second.false_feedback.markdown, "Right.");
}

TEST(ReadBundle, ReadsAnEssay) {
  const domain::Course course = ReadFixture("essay");
  ASSERT_EQ(course.lessons[0].exercises.size(), 1u);
  const domain::Exercise& essay = course.lessons[0].exercises[0];
  EXPECT_EQ(essay.type(), domain::ExerciseType::kEssay);
  EXPECT_FALSE(essay.IsAutoGraded());
  EXPECT_EQ(essay.hints.size(), 1u);
  EXPECT_EQ(essay.max_attempts, 2);
  EXPECT_EQ(essay.tags, (std::vector<std::string>{"median", "outliers"}));
}

TEST(ReadBundle, ReadsNumericVariantsAndKeepsMaths) {
  const domain::Course course = ReadFixture("numeric");
  const domain::Lesson& lesson = course.lessons[0];
  EXPECT_EQ(
      lesson.blocks[0].text.html,
      "<p>The mean of $x_1, x_2, \\dots, x_n$ is $\\bar{x} = \\frac{1}{n} \\sum_i x_i$.</p>\n");
  ASSERT_EQ(lesson.exercises.size(), 4u);
  const auto answers = [&](size_t i) {
    return std::get<domain::Numeric>(lesson.exercises[i].spec).answers;
  };
  EXPECT_EQ(answers(0)[0].tolerance, (domain::Tolerance{0, false}));
  EXPECT_EQ(answers(1)[0].tolerance, (domain::Tolerance{0.001, false}));
  EXPECT_EQ(answers(2)[0].tolerance, (domain::Tolerance{0.015, true}));
  ASSERT_EQ(answers(3).size(), 4u);
  EXPECT_EQ(answers(3)[1].range, (std::pair{22.0, 27.0}));
  EXPECT_EQ(answers(3)[1].feedback.markdown,
            "Close: with six values there are *two* middle values.\n");
  EXPECT_EQ(answers(3)[2].score, 0.0);
  EXPECT_EQ(answers(3)[3].tolerance, (domain::Tolerance{0.1, true}));
}

TEST(ReadBundle, ReadsShortText) {
  const domain::Course course = ReadFixture("short-text");
  const auto& france = std::get<domain::ShortText>(course.lessons[0].exercises[0].spec);
  ASSERT_EQ(france.answers.size(), 3u);
  EXPECT_EQ(france.answers[1].text, "paris, france");
  EXPECT_EQ(france.answers[2].regex, "^par(is)?$");
  EXPECT_EQ(france.answers[2].feedback.markdown, "Spelling?");
  const auto& spain = std::get<domain::ShortText>(course.lessons[0].exercises[1].spec);
  EXPECT_EQ(spain.answers[1].text, "yes");  // a string, not a YAML boolean
  EXPECT_FALSE(spain.case_sensitive);
  EXPECT_FALSE(spain.accents_strict);
}

TEST(ReadBundle, ReadsCloze) {
  const domain::Course course = ReadFixture("cloze");
  const auto& gaps = std::get<domain::Cloze>(course.lessons[0].exercises[0].spec).gaps;
  ASSERT_EQ(gaps.size(), 3u);
  EXPECT_TRUE(std::get<domain::ShortText>(gaps[1].spec).case_sensitive);
  EXPECT_EQ(std::get<domain::ChoiceGap>(gaps[2].spec).answer, "middle value");
  const auto& ranges = std::get<domain::Cloze>(course.lessons[0].exercises[1].spec).gaps;
  EXPECT_EQ(std::get<domain::Numeric>(ranges[0].spec).answers.size(), 2u);
}

TEST(ReadBundle, ReadsOrderingMatchingAndFormula) {
  const domain::Course ordering_course = ReadFixture("ordering");
  const auto& ordering = std::get<domain::Ordering>(ordering_course.lessons[0].exercises[1].spec);
  EXPECT_EQ(ordering.scoring, domain::Scoring::kAllOrNothing);
  EXPECT_EQ(ordering.items[0].text.html, "$\\frac{1}{3}$");

  const domain::Course matching_course = ReadFixture("matching");
  const auto& matching = std::get<domain::Matching>(matching_course.lessons[0].exercises[0].spec);
  ASSERT_EQ(matching.pairs.size(), 2u);
  EXPECT_EQ(matching.pairs[1].right.id, "r2");
  EXPECT_EQ(matching.pairs[1].right.text.html, "Middle value");
  ASSERT_EQ(matching.distractors.size(), 1u);
  EXPECT_EQ(matching.distractors[0].id, "r3");

  const domain::Course formula = ReadFixture("formula");
  const auto& square = std::get<domain::Formula>(formula.lessons[0].exercises[0].spec);
  EXPECT_EQ(square.samples, 30);
  EXPECT_EQ(square.variables.size(), 2u);
  const auto& constant = std::get<domain::Formula>(formula.lessons[0].exercises[1].spec);
  EXPECT_EQ(constant.samples, 20);
  EXPECT_EQ(constant.tolerance, 1e-6);
  EXPECT_TRUE(constant.variables.empty());
}

// Files saved on Windows: a byte order mark and CRLF line ends read like the plain form.
TEST(ReadBundle, AcceptsByteOrderMarkAndCrlf) {
  const std::string lesson =
      "---\ntitle: A\n---\nSome *text*.\n\n```exercise\nid: q\ntype: true_false\n"
      "prompt: |\n  Two\n  lines\nanswer: true\n```\n";
  std::string windows = "\xEF\xBB\xBF";
  for (char c : lesson) windows += c == '\n' ? std::string("\r\n") : std::string(1, c);

  const TempDir plain_dir;
  plain_dir.Write("course.yaml", "format: 1\nslug: c\ntitle: C\n");
  plain_dir.Write("lessons/01-a.md", lesson);
  const TempDir windows_dir;
  windows_dir.Write("course.yaml",
                    "\xEF\xBB\xBF"
                    "format: 1\r\nslug: c\r\ntitle: C\r\n");
  windows_dir.Write("lessons/01-a.md", windows);

  Result<domain::Course> plain = ReadBundle(plain_dir.path());
  Result<domain::Course> from_windows = ReadBundle(windows_dir.path());
  ASSERT_TRUE(plain.ok()) << Describe(plain.error());
  ASSERT_TRUE(from_windows.ok()) << Describe(from_windows.error());
  EXPECT_EQ(from_windows->lessons[0].exercises[0].prompt.markdown, "Two\nlines\n");
  EXPECT_TRUE(*from_windows == *plain);
}

}  // namespace
}  // namespace practica::content
