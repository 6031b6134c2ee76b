// Numeric answers: tolerances, ranges, several accepted answers.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "domain/grading.h"
#include "grading_test_util.h"

namespace practica::domain {
namespace {

using testing_util::MakeExercise;
using testing_util::Part;
using testing_util::Range;
using testing_util::Value;

double Score(const Numeric& spec, double value) {
  Result<GradeResult> result = Grade(MakeExercise(spec), value, 1);
  EXPECT_TRUE(result.ok()) << result.error().message;
  return result.ok() ? result->raw_score : -1;
}

TEST(Numeric, AbsoluteToleranceIsInclusive) {
  const Numeric spec{{Value(5, {0.001, false})}};
  EXPECT_DOUBLE_EQ(Score(spec, 5), 1);
  EXPECT_DOUBLE_EQ(Score(spec, 5.001), 1);
  EXPECT_DOUBLE_EQ(Score(spec, 4.999), 1);  // 5 − 4.999 is 0.0010000000000003 in binary
  EXPECT_DOUBLE_EQ(Score(spec, 5.0011), 0);
  EXPECT_DOUBLE_EQ(Score(spec, 4.9989), 0);
}

TEST(Numeric, NoToleranceMeansExact) {
  const Numeric spec{{Value(5)}};
  EXPECT_DOUBLE_EQ(Score(spec, 5), 1);
  EXPECT_DOUBLE_EQ(Score(spec, 5.000001), 0);
  EXPECT_DOUBLE_EQ(Score(spec, -5), 0);
}

TEST(Numeric, RelativeToleranceIsAShareOfTheAcceptedValue) {
  const Numeric spec{{Value(200, {0.01, true})}};  // "1%": ± 2
  EXPECT_DOUBLE_EQ(Score(spec, 202), 1);
  EXPECT_DOUBLE_EQ(Score(spec, 198), 1);
  EXPECT_DOUBLE_EQ(Score(spec, 202.1), 0);
  EXPECT_DOUBLE_EQ(Score(spec, 197.9), 0);
  const Numeric negative{{Value(-200, {0.01, true})}};
  EXPECT_DOUBLE_EQ(Score(negative, -202), 1);
  EXPECT_DOUBLE_EQ(Score(negative, -203), 0);
}

TEST(Numeric, RangesAreInclusive) {
  const Numeric spec{{Range(4, 6, 1)}};
  EXPECT_DOUBLE_EQ(Score(spec, 4), 1);
  EXPECT_DOUBLE_EQ(Score(spec, 6), 1);
  EXPECT_DOUBLE_EQ(Score(spec, 5.5), 1);
  EXPECT_DOUBLE_EQ(Score(spec, 3.999), 0);
  EXPECT_DOUBLE_EQ(Score(spec, 6.001), 0);
}

TEST(Numeric, TheBestMatchingAnswerWinsWithItsFeedback) {
  const Numeric spec{{
      Range(0, 10, 0.25, "<p>In the right area.</p>"),
      Value(5, {}, 1, "<p>Exactly.</p>"),
      Range(4, 6, 0.5, "<p>Close.</p>"),
      Value(50, {}, 0, "<p>Divide by ten.</p>"),
  }};
  const Exercise exercise = MakeExercise(spec);

  Result<GradeResult> exact = Grade(exercise, 5.0, 1);  // matches all three of the first
  ASSERT_TRUE(exact.ok());
  EXPECT_DOUBLE_EQ(exact->raw_score, 1);
  EXPECT_TRUE(exact->correct);
  EXPECT_EQ(exact->feedback_html, "<p>Exactly.</p>");
  EXPECT_EQ(exact->parts, (std::vector<PartResult>{Part("", 1, "<p>Exactly.</p>")}));

  Result<GradeResult> close = Grade(exercise, 4.5, 1);
  ASSERT_TRUE(close.ok());
  EXPECT_DOUBLE_EQ(close->raw_score, 0.5);
  EXPECT_FALSE(close->correct);
  EXPECT_EQ(close->feedback_html, "<p>Close.</p>");

  Result<GradeResult> area = Grade(exercise, 9.0, 1);
  ASSERT_TRUE(area.ok());
  EXPECT_DOUBLE_EQ(area->raw_score, 0.25);
  EXPECT_EQ(area->feedback_html, "<p>In the right area.</p>");

  // A score-0 answer still matches, so that its feedback reaches the learner.
  Result<GradeResult> mistake = Grade(exercise, 50.0, 1);
  ASSERT_TRUE(mistake.ok());
  EXPECT_DOUBLE_EQ(mistake->raw_score, 0);
  EXPECT_EQ(mistake->feedback_html, "<p>Divide by ten.</p>");
  EXPECT_EQ(mistake->parts, (std::vector<PartResult>{Part("", 0, "<p>Divide by ten.</p>")}));

  Result<GradeResult> miss = Grade(exercise, 70.0, 1);
  ASSERT_TRUE(miss.ok());
  EXPECT_DOUBLE_EQ(miss->raw_score, 0);
  EXPECT_EQ(miss->feedback_html, "");
  EXPECT_EQ(miss->parts, (std::vector<PartResult>{Part("", 0)}));
}

TEST(Numeric, OnATieTheFirstAnswerGivesTheFeedback) {
  const Numeric spec{{Value(5, {1, false}, 1, "<p>First.</p>"), Range(4, 6, 1, "<p>Second.</p>")}};
  Result<GradeResult> result = Grade(MakeExercise(spec), 5.5, 1);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->feedback_html, "<p>First.</p>");
}

TEST(Numeric, NonFiniteNumbersAreInvalid) {
  const Exercise exercise = MakeExercise(Numeric{{Value(5)}});
  for (double bad : {std::nan(""), std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity()}) {
    Result<GradeResult> result = Grade(exercise, bad, 1);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(result.error().message, "answer must be a finite number");
  }
  Result<GradeResult> text = Grade(exercise, std::string("5"), 1);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().message, "answer must be a number for this exercise");
}

}  // namespace
}  // namespace practica::domain
