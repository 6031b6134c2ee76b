// Formula exercises through Grade(): equivalence, parse errors, undeclared variables, limits.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "domain/grading.h"
#include "grading_test_util.h"

namespace practica::domain {
namespace {

using testing_util::MakeExercise;
using testing_util::MakeFormula;
using testing_util::Part;

Exercise Square() { return MakeExercise(MakeFormula("(x + 1)^2", {{"x", -10, 10}})); }

TEST(FormulaGrading, AnEquivalentExpressionScoresOne) {
  Result<GradeResult> result = Grade(Square(), std::string("x^2 + 2x + 1"), 7);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_DOUBLE_EQ(result->raw_score, 1);
  EXPECT_TRUE(result->correct);
  EXPECT_EQ(result->parts, (std::vector<PartResult>{Part("", 1)}));
  Result<GradeResult> typographic = Grade(Square(), std::string("(x+1)\xc2\xb7(1+x)"), 7);
  ASSERT_TRUE(typographic.ok());
  EXPECT_TRUE(typographic->correct);
}

TEST(FormulaGrading, ADifferentExpressionScoresZero) {
  Result<GradeResult> result = Grade(Square(), std::string("x^2 + 2x"), 7);
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(result->raw_score, 0);
  EXPECT_FALSE(result->correct);
  EXPECT_EQ(result->parts, (std::vector<PartResult>{Part("", 0)}));
}

TEST(FormulaGrading, TheSameSeedGivesTheSameResult) {
  // x^2 + 2x + 1.0000001 differs by 1e-7: within tolerance wherever the key is large, so whatever
  // the seed decides, it decides the same way twice.
  const std::string near = "x^2 + 2x + 1.0000001";
  for (uint64_t seed = 0; seed < 10; ++seed) {
    Result<GradeResult> first = Grade(Square(), near, seed);
    Result<GradeResult> second = Grade(Square(), near, seed);
    ASSERT_TRUE(first.ok() && second.ok());
    EXPECT_EQ(*first, *second);
  }
}

TEST(FormulaGrading, AParseErrorIsInvalidWithTheColumn) {
  Result<GradeResult> result = Grade(Square(), std::string("x^2 +"), 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(result.error().message,
            "column 6: the formula ends where a number, a variable or '(' was expected");
  ASSERT_EQ(result.error().fields.size(), 1u);
  EXPECT_EQ(result.error().fields[0].field, "answer");
  EXPECT_EQ(result.error().fields[0].message, result.error().message);
}

TEST(FormulaGrading, AnUndeclaredVariableIsInvalidAndNamed) {
  Result<GradeResult> result = Grade(Square(), std::string("x^2 + 2y"), 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(result.error().message,
            "column 8: 'y' is not a variable of this exercise (its variables: x)");
}

TEST(FormulaGrading, OversizedInputIsRefusedFast) {
  Result<GradeResult> medium = Grade(Square(), std::string(5000, 'x'), 1);
  ASSERT_FALSE(medium.ok());
  EXPECT_EQ(medium.error().message, "the formula is longer than 1000 characters");

  const std::string huge(100'000, '(');
  const auto start = std::chrono::steady_clock::now();
  Result<GradeResult> result = Grade(Square(), huge, 1);
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  std::printf("[   TIME   ] refusing a 100 KB formula: %lld us\n",
              static_cast<long long>(elapsed.count()));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(result.error().message, "answer is longer than 10000 bytes");
}

TEST(FormulaGrading, AKeyThatDoesNotParseIsABrokenExercise) {
  Result<GradeResult> result =
      Grade(MakeExercise(MakeFormula("(x + ", {{"x", -1, 1}})), std::string("x"), 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInternal);
}

TEST(FormulaGrading, UsesTheExercisesSamplesAndTolerance) {
  // With a loose tolerance the near miss passes; with the default it does not.
  Formula loose = MakeFormula("1000 x", {{"x", 1, 2}});
  loose.tolerance = 1e-2;
  EXPECT_TRUE(Grade(MakeExercise(loose), std::string("1001 x"), 1)->correct);
  loose.tolerance = 1e-6;
  EXPECT_FALSE(Grade(MakeExercise(loose), std::string("1001 x"), 1)->correct);
  Formula none = MakeFormula("x", {{"x", 1, 2}});
  none.samples = 0;
  EXPECT_FALSE(Grade(MakeExercise(none), std::string("x"), 1)->correct);
}

}  // namespace
}  // namespace practica::domain
