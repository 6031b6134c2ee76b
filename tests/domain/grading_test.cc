// What every grader shares: the retry penalty, what "correct" means, dispatch by type.
#include "domain/grading.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "domain/grading/grader.h"
#include "grading_test_util.h"

namespace practica::domain {
namespace {

using testing_util::MakeExercise;
using testing_util::MakeFormula;
using testing_util::MakeItem;
using testing_util::Option;
using testing_util::Text;
using testing_util::Texts;
using testing_util::Value;

TEST(ScoreWithPenalty, SubtractsThePenaltyOncePerRetry) {
  EXPECT_DOUBLE_EQ(ScoreWithPenalty(1, 1, 0.1), 1);
  EXPECT_DOUBLE_EQ(ScoreWithPenalty(1, 2, 0.1), 0.9);
  EXPECT_DOUBLE_EQ(ScoreWithPenalty(1, 3, 0.25), 0.5);
  EXPECT_DOUBLE_EQ(ScoreWithPenalty(0.8, 1, 0.5), 0.8);
  EXPECT_DOUBLE_EQ(ScoreWithPenalty(0.8, 2, 0), 0.8);
  EXPECT_DOUBLE_EQ(ScoreWithPenalty(0.75, 2, 0.5), 0.25);
}

TEST(ScoreWithPenalty, NeverGoesBelowZero) {
  EXPECT_DOUBLE_EQ(ScoreWithPenalty(0.5, 3, 0.3), 0);  // 0.5 − 0.6
  EXPECT_DOUBLE_EQ(ScoreWithPenalty(1, 11, 0.1), 0);
  EXPECT_DOUBLE_EQ(ScoreWithPenalty(0, 1, 0), 0);
}

TEST(ScoreWithPenalty, ToleratesOutOfRangeInputs) {
  EXPECT_DOUBLE_EQ(ScoreWithPenalty(1, 0, 0.5), 1);  // attempt 0 counts as the first
  EXPECT_DOUBLE_EQ(ScoreWithPenalty(1, 2, 2), 0);    // a penalty above 1 is 1
  EXPECT_DOUBLE_EQ(ScoreWithPenalty(1, 2, -1), 1);   // and below 0 is 0
  EXPECT_DOUBLE_EQ(ScoreWithPenalty(std::nan(""), 1, 0), 0);
  EXPECT_DOUBLE_EQ(ScoreWithPenalty(1.5, 1, 0), 1);
}

TEST(GradeResult, CorrectMeansFullScoreWithin1e9) {
  const GradeResult summed = grading::MakeResult(0.1 + 0.2 + 0.7, {});  // 0.9999999999999999
  EXPECT_TRUE(summed.correct);
  EXPECT_FALSE(grading::MakeResult(1 - 1e-6, {}).correct);
  EXPECT_TRUE(grading::MakePart("a", 1 - 1e-12).correct);
  EXPECT_FALSE(grading::MakePart("a", 0.999).correct);
}

TEST(GradeResult, ScoresAreClampedToTheUnitInterval) {
  EXPECT_DOUBLE_EQ(grading::MakeResult(-0.5, {}).raw_score, 0);
  EXPECT_DOUBLE_EQ(grading::MakeResult(1.5, {}).raw_score, 1);
  EXPECT_DOUBLE_EQ(grading::MakeResult(std::nan(""), {}).raw_score, 0);
}

// Every type refuses an answer of another type's shape, naming the field.
TEST(Grade, RefusesAnAnswerOfTheWrongShapeForEveryType) {
  SingleChoice single;
  single.options = {Option("a", true), Option("b", false)};
  MultipleChoice multiple;
  multiple.options = {Option("a", true), Option("b", false)};
  Ordering ordering;
  ordering.items = {MakeItem("a"), MakeItem("b")};
  Matching matching;
  matching.pairs = {MatchingPair{MakeItem("l"), MakeItem("r")}};
  const std::vector<ExerciseSpec> specs = {
      single,
      multiple,
      TrueFalse{},
      Numeric{{Value(5)}},
      Texts({Text("x")}),
      Cloze{{ClozeGap{Texts({Text("x")})}}},
      ordering,
      matching,
      MakeFormula("x", {{"x", -1, 1}}),
      Essay{},
  };
  ASSERT_EQ(specs.size(), static_cast<size_t>(kExerciseTypeCount));
  // A map is an answer only for matching, which gets a boolean instead.
  for (const ExerciseSpec& spec : specs) {
    const Exercise exercise = MakeExercise(spec);
    const Answer wrong =
        exercise.type() == ExerciseType::kMatching ? Answer{true} : Answer{AnswerMap{}};
    Result<GradeResult> result = Grade(exercise, wrong, 1);
    ASSERT_FALSE(result.ok()) << ToString(exercise.type());
    EXPECT_EQ(result.error().code, ErrorCode::kInvalid);
    ASSERT_EQ(result.error().fields.size(), 1u);
    EXPECT_EQ(result.error().fields[0].field, "answer");
  }
}

}  // namespace
}  // namespace practica::domain
