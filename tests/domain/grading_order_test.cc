// Ordering and matching.
#include <gtest/gtest.h>

#include <algorithm>

#include "domain/grading.h"
#include "grading_test_util.h"

namespace practica::domain {
namespace {

using testing_util::MakeExercise;
using testing_util::MakeItem;
using testing_util::Part;

// ---- ordering ---------------------------------------------------------------------------------

Exercise Steps(std::vector<std::string> ids, Scoring scoring = Scoring::kPartial) {
  Ordering spec;
  for (std::string& id : ids) spec.items.push_back(MakeItem(std::move(id)));
  spec.scoring = scoring;
  return MakeExercise(spec);
}

double Score(const Exercise& exercise, AnswerList order) {
  Result<GradeResult> result = Grade(exercise, std::move(order), 1);
  EXPECT_TRUE(result.ok()) << result.error().message;
  return result.ok() ? result->raw_score : -1;
}

TEST(Ordering, PartialCreditIsTheLongestCorrectlyOrderedRunOverTheCount) {
  const Exercise abc = Steps({"a", "b", "c"});
  EXPECT_DOUBLE_EQ(Score(abc, {"a", "b", "c"}), 1);
  EXPECT_DOUBLE_EQ(Score(abc, {"c", "a", "b"}), 2.0 / 3);  // a, b
  EXPECT_DOUBLE_EQ(Score(abc, {"b", "c", "a"}), 2.0 / 3);  // b, c
  EXPECT_DOUBLE_EQ(Score(abc, {"a", "c", "b"}), 2.0 / 3);  // a, c or a, b
  EXPECT_DOUBLE_EQ(Score(abc, {"c", "b", "a"}), 1.0 / 3);  // reversed: one item alone

  const Exercise five = Steps({"a", "b", "c", "d", "e"});
  EXPECT_DOUBLE_EQ(Score(five, {"b", "a", "d", "c", "e"}), 3.0 / 5);  // e.g. a, c, e
  EXPECT_DOUBLE_EQ(Score(five, {"e", "a", "b", "c", "d"}), 4.0 / 5);  // a, b, c, d
  EXPECT_DOUBLE_EQ(Score(five, {"e", "d", "c", "b", "a"}), 1.0 / 5);
  EXPECT_DOUBLE_EQ(Score(five, {"c", "d", "e", "a", "b"}), 3.0 / 5);  // c, d, e
}

TEST(Ordering, EachItemIsAPartMarkedWhenItIsInTheRun) {
  Result<GradeResult> result = Grade(Steps({"a", "b", "c"}), AnswerList{"c", "a", "b"}, 1);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->parts, (std::vector<PartResult>{Part("c", 0), Part("a", 1), Part("b", 1)}));

  Result<GradeResult> reversed =
      Grade(Steps({"a", "b", "c", "d"}), AnswerList{"d", "c", "b", "a"}, 1);
  ASSERT_TRUE(reversed.ok());
  EXPECT_EQ(std::count_if(reversed->parts.begin(), reversed->parts.end(),
                          [](const PartResult& part) { return part.correct; }),
            1);
}

TEST(Ordering, AllOrNothingNeedsTheExactOrder) {
  const Exercise strict = Steps({"a", "b", "c"}, Scoring::kAllOrNothing);
  EXPECT_DOUBLE_EQ(Score(strict, {"a", "b", "c"}), 1);
  EXPECT_DOUBLE_EQ(Score(strict, {"c", "a", "b"}), 0);
  EXPECT_DOUBLE_EQ(Score(strict, {"a", "c", "b"}), 0);
}

TEST(Ordering, TheAnswerMustBeAPermutationOfTheItems) {
  const Exercise abc = Steps({"a", "b", "c"});
  Result<GradeResult> missing = Grade(abc, AnswerList{"a", "b"}, 1);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(missing.error().message, "answer must list each of the 3 items exactly once");

  Result<GradeResult> repeated = Grade(abc, AnswerList{"a", "a", "b"}, 1);
  ASSERT_FALSE(repeated.ok());
  EXPECT_EQ(repeated.error().message, "answer[1] repeats an item");

  Result<GradeResult> extra = Grade(abc, AnswerList{"a", "b", "c", "c"}, 1);
  ASSERT_FALSE(extra.ok());
  EXPECT_EQ(extra.error().message, "answer[3] repeats an item");

  Result<GradeResult> unknown = Grade(abc, AnswerList{"a", "b", "z"}, 1);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message, "answer[2] is not an item of this exercise");
  EXPECT_EQ(unknown.error().fields[0].field, "answer[2]");

  EXPECT_FALSE(Grade(abc, AnswerList{}, 1).ok());
  EXPECT_FALSE(Grade(abc, std::string("a"), 1).ok());
}

// ---- matching ---------------------------------------------------------------------------------

Exercise Definitions() {
  Matching spec;
  spec.pairs = {{MakeItem("l1"), MakeItem("r1")},
                {MakeItem("l2"), MakeItem("r2")},
                {MakeItem("l3"), MakeItem("r3")}};
  spec.distractors = {MakeItem("r4")};
  return MakeExercise(spec);
}

double Score(AnswerMap pairs) {
  Result<GradeResult> result = Grade(Definitions(), std::move(pairs), 1);
  EXPECT_TRUE(result.ok()) << result.error().message;
  return result.ok() ? result->raw_score : -1;
}

TEST(Matching, ScoreIsCorrectPairsOverPairs) {
  EXPECT_DOUBLE_EQ(Score({{"l1", "r1"}, {"l2", "r2"}, {"l3", "r3"}}), 1);
  EXPECT_DOUBLE_EQ(Score({{"l1", "r1"}, {"l2", "r3"}, {"l3", "r2"}}), 1.0 / 3);
  EXPECT_DOUBLE_EQ(Score({{"l1", "r2"}, {"l2", "r3"}, {"l3", "r1"}}), 0);
  EXPECT_DOUBLE_EQ(Score({{"l1", "r4"}, {"l2", "r2"}, {"l3", "r3"}}), 2.0 / 3);  // a distractor
  EXPECT_DOUBLE_EQ(Score({{"l1", "r1"}, {"l2", "r1"}, {"l3", "r3"}}), 2.0 / 3);  // r1 twice
}

TEST(Matching, MissingLeftItemsCountAsWrong) {
  EXPECT_DOUBLE_EQ(Score({{"l1", "r1"}}), 1.0 / 3);
  EXPECT_DOUBLE_EQ(Score({}), 0);
  Result<GradeResult> result = Grade(Definitions(), AnswerMap{{"l2", "r2"}}, 1);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->parts, (std::vector<PartResult>{Part("l1", 0), Part("l2", 1), Part("l3", 0)}));
}

TEST(Matching, UnknownIdsAreInvalid) {
  Result<GradeResult> left = Grade(Definitions(), AnswerMap{{"l1", "r1"}, {"l9", "r2"}}, 1);
  ASSERT_FALSE(left.ok());
  EXPECT_EQ(left.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(left.error().message, "answer names a left item not in this exercise");

  Result<GradeResult> right = Grade(Definitions(), AnswerMap{{"l1", "r9"}}, 1);
  ASSERT_FALSE(right.ok());
  EXPECT_EQ(right.error().message, "answer.l1 is not a right-hand item of this exercise");
  EXPECT_EQ(right.error().fields[0].field, "answer.l1");

  // A left id is not a right-hand item either.
  EXPECT_FALSE(Grade(Definitions(), AnswerMap{{"l1", "l2"}}, 1).ok());
  EXPECT_FALSE(Grade(Definitions(), AnswerList{"r1", "r2", "r3"}, 1).ok());
}

}  // namespace
}  // namespace practica::domain
