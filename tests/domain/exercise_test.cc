#include "domain/exercise.h"

#include <gtest/gtest.h>

namespace practica::domain {
namespace {

TEST(ExerciseType, WireNamesRoundTrip) {
  for (int i = 0; i < kExerciseTypeCount; ++i) {
    const auto type = static_cast<ExerciseType>(i);
    EXPECT_EQ(ParseExerciseType(ToString(type)), type);
  }
  EXPECT_EQ(ToString(ExerciseType::kShortText), "short_text");
  EXPECT_EQ(ParseExerciseType("essay"), ExerciseType::kEssay);
  EXPECT_FALSE(ParseExerciseType("description"));
  EXPECT_FALSE(ParseExerciseType("Single_Choice"));
}

TEST(Exercise, TypeFollowsTheSpec) {
  Exercise exercise;
  exercise.spec = Matching{};
  EXPECT_EQ(exercise.type(), ExerciseType::kMatching);
  exercise.spec = Formula{};
  EXPECT_EQ(exercise.type(), ExerciseType::kFormula);
  EXPECT_TRUE(exercise.IsAutoGraded());
  exercise.spec = Essay{};
  EXPECT_EQ(exercise.type(), ExerciseType::kEssay);
  EXPECT_FALSE(exercise.IsAutoGraded());
}

TEST(Slug, AllowsLowercaseDigitsAndDashesUpTo64) {
  EXPECT_TRUE(IsValidSlug("intro-stats-2"));
  EXPECT_TRUE(IsValidSlug(std::string(64, 'a')));
  EXPECT_FALSE(IsValidSlug(std::string(65, 'a')));
  EXPECT_FALSE(IsValidSlug(""));
  EXPECT_FALSE(IsValidSlug("Intro"));
  EXPECT_FALSE(IsValidSlug("a_b"));
  EXPECT_FALSE(IsValidSlug("a/b"));
  EXPECT_FALSE(IsValidSlug("caf\xc3\xa9"));
}

TEST(Scoring, WireNamesRoundTrip) {
  EXPECT_EQ(ParseScoring(ToString(Scoring::kPartial)), Scoring::kPartial);
  EXPECT_EQ(ParseScoring(ToString(Scoring::kAllOrNothing)), Scoring::kAllOrNothing);
  EXPECT_FALSE(ParseScoring("some"));
}

}  // namespace
}  // namespace practica::domain
