// Single choice, multiple choice and true/false.
#include <gtest/gtest.h>

#include "domain/grading.h"
#include "grading_test_util.h"

namespace practica::domain {
namespace {

using testing_util::Html;
using testing_util::MakeExercise;
using testing_util::Option;
using testing_util::Part;
using testing_util::Weighted;

// ---- single choice ----------------------------------------------------------------------------

Exercise Averages() {
  SingleChoice spec;
  spec.options = {Option("a", true, "<p>Yes.</p>"),
                  Option("b", false, "<p>That is the middle value.</p>"), Option("c", false)};
  return MakeExercise(spec);
}

TEST(SingleChoice, TheCorrectOptionScoresOneWithItsFeedbackAsItsPart) {
  Result<GradeResult> result = Grade(Averages(), std::string("a"), 1);
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(result->raw_score, 1);
  EXPECT_TRUE(result->correct);
  EXPECT_EQ(result->parts, (std::vector<PartResult>{Part("a", 1, "<p>Yes.</p>")}));
  EXPECT_EQ(result->feedback_html, "");  // the part carries it; not shown twice
}

TEST(SingleChoice, AWrongOptionScoresZeroAndOnlyItsOwnPartIsShown) {
  Result<GradeResult> result = Grade(Averages(), std::string("b"), 1);
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(result->raw_score, 0);
  EXPECT_FALSE(result->correct);
  EXPECT_EQ(result->parts,
            (std::vector<PartResult>{Part("b", 0, "<p>That is the middle value.</p>")}));
  Result<GradeResult> silent = Grade(Averages(), std::string("c"), 1);
  ASSERT_TRUE(silent.ok());
  EXPECT_EQ(silent->parts, (std::vector<PartResult>{Part("c", 0)}));
}

TEST(SingleChoice, AnUnknownOptionIsInvalid) {
  Result<GradeResult> result = Grade(Averages(), std::string("z"), 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(result.error().message, "answer is not an option of this exercise");
  ASSERT_EQ(result.error().fields.size(), 1u);
  EXPECT_EQ(result.error().fields[0].field, "answer");
  EXPECT_FALSE(Grade(Averages(), std::string(""), 1).ok());
  EXPECT_FALSE(Grade(Averages(), AnswerList{"a"}, 1).ok());
}

// Moodle's partly right options: the chosen option's own score, a negative one counting as 0.
TEST(SingleChoice, AnOptionWithAScoreGivesThatScore) {
  SingleChoice spec;
  spec.options = {Option("a", true), Weighted("b", 0.5, false, "<p>Close.</p>"),
                  Weighted("c", -0.25, false), Option("d", false)};
  const Exercise exercise = MakeExercise(spec);
  Result<GradeResult> half = Grade(exercise, std::string("b"), 1);
  ASSERT_TRUE(half.ok());
  EXPECT_DOUBLE_EQ(half->raw_score, 0.5);
  EXPECT_FALSE(half->correct);
  EXPECT_EQ(half->parts, (std::vector<PartResult>{Part("b", 0.5, "<p>Close.</p>")}));
  EXPECT_DOUBLE_EQ(Grade(exercise, std::string("c"), 1)->raw_score, 0);
  EXPECT_DOUBLE_EQ(Grade(exercise, std::string("d"), 1)->raw_score, 0);
  EXPECT_DOUBLE_EQ(Grade(exercise, std::string("a"), 1)->raw_score, 1);
}

// ---- multiple choice --------------------------------------------------------------------------

// Primes among 2, 4, 5, 7: a, c and d are correct (three correct options).
Exercise Primes(Scoring scoring = Scoring::kPartial) {
  MultipleChoice spec;
  spec.options = {Option("a", true, "<p>The even prime.</p>"),
                  Option("b", false, "<p>4 = 2 × 2.</p>"), Option("c", true), Option("d", true)};
  spec.scoring = scoring;
  return MakeExercise(spec);
}

double Score(const Exercise& exercise, AnswerList picks) {
  Result<GradeResult> result = Grade(exercise, std::move(picks), 1);
  EXPECT_TRUE(result.ok()) << result.error().message;
  return result.ok() ? result->raw_score : -1;
}

TEST(MultipleChoice, PartialCreditIsRightMinusWrongOverTheCorrectCount) {
  EXPECT_DOUBLE_EQ(Score(Primes(), {"a", "c", "b"}), 1.0 / 3);       // (2 − 1) / 3
  EXPECT_DOUBLE_EQ(Score(Primes(), {"a"}), 1.0 / 3);                 // (1 − 0) / 3
  EXPECT_DOUBLE_EQ(Score(Primes(), {"a", "c"}), 2.0 / 3);            // (2 − 0) / 3
  EXPECT_DOUBLE_EQ(Score(Primes(), {"d", "c", "a"}), 1);             // order does not matter
  EXPECT_DOUBLE_EQ(Score(Primes(), {"a", "c", "d", "b"}), 2.0 / 3);  // (3 − 1) / 3
}

TEST(MultipleChoice, PartialCreditIsFlooredAtZero) {
  EXPECT_DOUBLE_EQ(Score(Primes(), {"b"}), 0);       // (0 − 1) / 3
  EXPECT_DOUBLE_EQ(Score(Primes(), {"a", "b"}), 0);  // (1 − 1) / 3
  EXPECT_DOUBLE_EQ(Score(Primes(), {}), 0);
}

TEST(MultipleChoice, AllOrNothingNeedsExactlyTheCorrectSet) {
  const Exercise strict = Primes(Scoring::kAllOrNothing);
  EXPECT_DOUBLE_EQ(Score(strict, {"a", "c", "d"}), 1);
  EXPECT_DOUBLE_EQ(Score(strict, {"a", "c"}), 0);
  EXPECT_DOUBLE_EQ(Score(strict, {"a", "c", "d", "b"}), 0);
  EXPECT_DOUBLE_EQ(Score(strict, {}), 0);
}

TEST(MultipleChoice, EveryOptionIsAPartWithFeedbackForTheTickedOnes) {
  Result<GradeResult> result = Grade(Primes(), AnswerList{"a", "b"}, 1);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->parts, (std::vector<PartResult>{
                               Part("a", 1, "<p>The even prime.</p>"),  // ticked, right
                               Part("b", 0, "<p>4 = 2 × 2.</p>"),       // ticked, wrong
                               Part("c", 0),                            // missed
                               Part("d", 0),                            // missed
                           }));
  Result<GradeResult> right = Grade(Primes(), AnswerList{"a", "c", "d"}, 1);
  ASSERT_TRUE(right.ok());
  EXPECT_TRUE(right->correct);
  EXPECT_EQ(right->parts[1], Part("b", 1));  // rightly left unticked, no feedback
}

TEST(MultipleChoice, DuplicatesAndUnknownIdsAreInvalid) {
  Result<GradeResult> duplicate = Grade(Primes(), AnswerList{"a", "c", "a"}, 1);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(duplicate.error().message, "answer[2] repeats an option");
  EXPECT_EQ(duplicate.error().fields[0].field, "answer[2]");

  Result<GradeResult> unknown = Grade(Primes(), AnswerList{"a", "z"}, 1);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(unknown.error().message, "answer[1] is not an option of this exercise");

  EXPECT_FALSE(Grade(Primes(), std::string("a"), 1).ok());
}

// Moodle's multiple-answer weights: the sum of the ticked options' scores, clamped to [0, 1].
Exercise WeightedPrimes() {
  MultipleChoice spec;
  spec.options = {Weighted("a", 0.5, true, "<p>The even prime.</p>"), Weighted("b", -1, false),
                  Weighted("c", 0.5, true), Option("d", false)};
  return MakeExercise(spec);
}

TEST(MultipleChoice, WithScoresTheTickedScoresAddUpClampedToZeroAndOne) {
  EXPECT_DOUBLE_EQ(Score(WeightedPrimes(), {"a"}), 0.5);
  EXPECT_DOUBLE_EQ(Score(WeightedPrimes(), {"a", "c"}), 1);
  EXPECT_DOUBLE_EQ(Score(WeightedPrimes(), {"a", "c", "d"}), 1);  // no score: counts 0
  EXPECT_DOUBLE_EQ(Score(WeightedPrimes(), {"a", "b"}), 0);       // 0.5 − 1, clamped
  EXPECT_DOUBLE_EQ(Score(WeightedPrimes(), {"a", "c", "b"}), 0);
  EXPECT_DOUBLE_EQ(Score(WeightedPrimes(), {}), 0);
  Result<GradeResult> result = Grade(WeightedPrimes(), AnswerList{"a", "d"}, 1);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->parts, (std::vector<PartResult>{
                               Part("a", 1, "<p>The even prime.</p>"),  // ticked, right
                               Part("b", 1),                            // rightly unticked
                               Part("c", 0),                            // missed
                               Part("d", 0),                            // ticked, wrong
                           }));
}

TEST(MultipleChoice, RoundedWeightsStillMakeAFullScore) {
  MultipleChoice spec;
  spec.options = {Weighted("a", 0.3333333, true), Weighted("b", 0.3333333, true),
                  Weighted("c", 0.3333333, true), Weighted("d", -1, false)};
  Result<GradeResult> result = Grade(MakeExercise(spec), AnswerList{"a", "b", "c"}, 1);
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(result->raw_score, 1);
  EXPECT_TRUE(result->correct);
  EXPECT_NEAR(Score(MakeExercise(spec), {"a", "b"}), 0.6666666, 1e-12);
}

// ---- true/false -------------------------------------------------------------------------------

TEST(TrueFalse, TheKeysValueScoresOneAndThePartIsTheChoice) {
  const Exercise exercise = MakeExercise(TrueFalse{false, {}, {}});
  Result<GradeResult> right = Grade(exercise, false, 1);
  ASSERT_TRUE(right.ok());
  EXPECT_DOUBLE_EQ(right->raw_score, 1);
  EXPECT_TRUE(right->correct);
  EXPECT_EQ(right->parts, (std::vector<PartResult>{Part("false", 1)}));

  Result<GradeResult> wrong = Grade(exercise, true, 1);
  ASSERT_TRUE(wrong.ok());
  EXPECT_DOUBLE_EQ(wrong->raw_score, 0);
  EXPECT_FALSE(wrong->correct);
  EXPECT_EQ(wrong->parts, (std::vector<PartResult>{Part("true", 0)}));
}

TEST(TrueFalse, ThePartCarriesTheFeedbackForTheChosenValue) {
  TrueFalse spec{true, Html("<p>Yes.</p>"), Html("<p>It is true.</p>")};
  Result<GradeResult> wrong = Grade(MakeExercise(spec), false, 1);
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->parts, (std::vector<PartResult>{Part("false", 0, "<p>It is true.</p>")}));
  Result<GradeResult> right = Grade(MakeExercise(spec), true, 1);
  ASSERT_TRUE(right.ok());
  EXPECT_EQ(right->parts, (std::vector<PartResult>{Part("true", 1, "<p>Yes.</p>")}));
}

TEST(TrueFalse, AStringIsNotABoolean) {
  Result<GradeResult> result = Grade(MakeExercise(TrueFalse{true, {}, {}}), std::string("true"), 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(result.error().message, "answer must be true or false for this exercise");
}

// ---- essay ------------------------------------------------------------------------------------

TEST(Essay, AnAnswerIsKeptUngradedWithScoreZeroAndNoParts) {
  Result<GradeResult> result =
      Grade(MakeExercise(Essay{}), std::string("The median, because of the outlier."), 1);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->graded);
  EXPECT_DOUBLE_EQ(result->raw_score, 0);
  EXPECT_FALSE(result->correct);
  EXPECT_TRUE(result->parts.empty());
  EXPECT_EQ(result->feedback_html, "");
}

TEST(Essay, ABlankTooLongOrNonTextAnswerIsInvalid) {
  const Exercise essay = MakeExercise(Essay{});
  Result<GradeResult> blank = Grade(essay, std::string(" \n\t "), 1);
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(blank.error().message, "answer must not be blank");
  EXPECT_FALSE(Grade(essay, std::string(10'001, 'x'), 1).ok());
  EXPECT_FALSE(Grade(essay, std::string("\xff"), 1).ok());
  EXPECT_FALSE(Grade(essay, AnswerList{"text"}, 1).ok());
  EXPECT_TRUE(Grade(MakeExercise(Numeric{}), 1.0, 1)->graded);
}

}  // namespace
}  // namespace practica::domain
