// Short text (normalisation, case, accents, alternatives, patterns) and cloze.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "domain/grading.h"
#include "grading_test_util.h"

namespace practica::domain {
namespace {

using testing_util::MakeExercise;
using testing_util::Part;
using testing_util::Pattern;
using testing_util::Text;
using testing_util::Texts;
using testing_util::Value;

// The example of CONTENT-FORMAT.md.
ShortText Capital() {
  return Texts(
      {Text("Paris"), Text("paris, france"), Pattern("^par(is)?$", 0.5, "<p>Spelling?</p>")});
}

double Score(const ShortText& spec, std::string text) {
  Result<GradeResult> result = Grade(MakeExercise(spec), std::move(text), 1);
  EXPECT_TRUE(result.ok()) << result.error().message;
  return result.ok() ? result->raw_score : -1;
}

// ---- short text -------------------------------------------------------------------------------

TEST(ShortText, TrimsCollapsesWhitespaceAndIgnoresCaseByDefault) {
  EXPECT_DOUBLE_EQ(Score(Capital(), "Paris"), 1);
  EXPECT_DOUBLE_EQ(Score(Capital(), "  PARIS \n"), 1);
  EXPECT_DOUBLE_EQ(Score(Capital(), "Paris,   France"), 1);
  EXPECT_DOUBLE_EQ(Score(Capital(), "paris,\tfrance "), 1);
  EXPECT_DOUBLE_EQ(Score(Capital(), "Paris France"), 0);  // the comma is part of the answer
  EXPECT_DOUBLE_EQ(Score(Capital(), "London"), 0);
  EXPECT_DOUBLE_EQ(Score(Capital(), ""), 0);
}

TEST(ShortText, APatternMatchGivesItsScoreAndFeedback) {
  Result<GradeResult> result = Grade(MakeExercise(Capital()), std::string("Par"), 1);
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(result->raw_score, 0.5);
  EXPECT_FALSE(result->correct);
  EXPECT_EQ(result->feedback_html, "<p>Spelling?</p>");
  EXPECT_EQ(result->parts, (std::vector<PartResult>{Part("", 0.5, "<p>Spelling?</p>")}));
  // "paris" matches the pattern too, but the literal answer scores higher.
  Result<GradeResult> best = Grade(MakeExercise(Capital()), std::string("paris"), 1);
  ASSERT_TRUE(best.ok());
  EXPECT_DOUBLE_EQ(best->raw_score, 1);
  EXPECT_EQ(best->feedback_html, "");
}

TEST(ShortText, PatternsAreAnchoredToTheWholeAnswer) {
  const ShortText spec = Texts({Pattern("par(is)?")});
  EXPECT_DOUBLE_EQ(Score(spec, "paris"), 1);
  EXPECT_DOUBLE_EQ(Score(spec, "  par  "), 1);  // trimmed first
  EXPECT_DOUBLE_EQ(Score(spec, "parisian"), 0);
  EXPECT_DOUBLE_EQ(Score(spec, "in paris"), 0);
}

TEST(ShortText, CaseSensitiveComparesCase) {
  ShortText spec = Capital();
  spec.case_sensitive = true;
  EXPECT_DOUBLE_EQ(Score(spec, "Paris"), 1);
  EXPECT_DOUBLE_EQ(Score(spec, "PARIS"), 0);
  EXPECT_DOUBLE_EQ(Score(spec, "paris"), 0.5);  // only the pattern, which is lower case
  EXPECT_DOUBLE_EQ(Score(spec, "Par"), 0);
}

TEST(ShortText, AccentsAreIgnoredUnlessStrict) {
  ShortText spec = Texts({Text("Caf\xc3\xa9 cr\xc3\xa8me")});  // Café crème
  EXPECT_DOUBLE_EQ(Score(spec, "cafe creme"), 1);
  EXPECT_DOUBLE_EQ(Score(spec, "CAF\xc3\x89 CR\xc3\x88ME"), 1);
  EXPECT_DOUBLE_EQ(Score(spec, "caf\xc3\xa8 cr\xc3\xa9me"), 1);  // even the wrong accents
  spec.accents_strict = true;
  EXPECT_DOUBLE_EQ(Score(spec, "cafe creme"), 0);
  EXPECT_DOUBLE_EQ(Score(spec, "CAF\xc3\x89 CR\xc3\x88ME"), 1);  // case is still ignored
  EXPECT_DOUBLE_EQ(Score(spec, "caf\xc3\xa8 cr\xc3\xa9me"), 0);
}

TEST(ShortText, PatternsFollowTheSameCaseAndAccentRules) {
  ShortText spec = Texts({Pattern("^Stra(\xc3\x9f|ss)e$")});  // ^Stra(ß|ss)e$
  EXPECT_DOUBLE_EQ(Score(spec, "strasse"), 1);
  EXPECT_DOUBLE_EQ(Score(spec,
                         "STRA\xc3\x9f"
                         "E"),
                   1);
  ShortText accented = Texts({Pattern("caf\xc3\xa9s?")});  // cafés?
  EXPECT_DOUBLE_EQ(Score(accented, "Cafes"), 1);
  accented.accents_strict = true;
  EXPECT_DOUBLE_EQ(Score(accented, "Cafes"), 0);
  EXPECT_DOUBLE_EQ(Score(accented, "CAF\xc3\x89S"), 1);
  accented.case_sensitive = true;
  EXPECT_DOUBLE_EQ(Score(accented, "CAF\xc3\x89S"), 0);
}

TEST(ShortText, TextOver10000BytesOrNotUtf8IsInvalid) {
  EXPECT_DOUBLE_EQ(Score(Capital(), std::string(10000, 'a')), 0);
  Result<GradeResult> long_text = Grade(MakeExercise(Capital()), std::string(10001, 'a'), 1);
  ASSERT_FALSE(long_text.ok());
  EXPECT_EQ(long_text.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(long_text.error().message, "answer is longer than 10000 bytes");

  Result<GradeResult> bad_utf8 = Grade(MakeExercise(Capital()), std::string("Par\xe9s"), 1);
  ASSERT_FALSE(bad_utf8.ok());
  EXPECT_EQ(bad_utf8.error().message, "answer is not valid UTF-8 text");
  EXPECT_FALSE(Grade(MakeExercise(Capital()), 3.0, 1).ok());
}

TEST(ShortText, APathologicalPatternOnTheLongestAnswerIsGradedQuickly) {
  const ShortText spec = Texts({Pattern("(a+)+$"), Pattern("(a|aa)*b")});
  const std::string answer = std::string(9999, 'a') + "!";
  const auto start = std::chrono::steady_clock::now();
  Result<GradeResult> result = Grade(MakeExercise(spec), answer, 1);
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  std::printf("[   TIME   ] two catastrophic patterns on 10,000 bytes: %lld us\n",
              static_cast<long long>(elapsed.count()));
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(result->raw_score, 0);
}

TEST(ShortText, APatternTheMatcherRefusesIsABrokenKey) {
  Result<GradeResult> result =
      Grade(MakeExercise(Texts({Text("x"), Pattern("a(?=b)")})), std::string("ab"), 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInternal);
  EXPECT_EQ(result.error().message,
            "accepted answer 2 has a pattern the matcher refuses: column 2: lookahead (?= or (?! "
            "is not supported");
}

// ---- cloze ------------------------------------------------------------------------------------

// "The mean of 1 and 3 is {{1}}; the capital of France is {{2}}; the middle value is the {{3}}."
Exercise Statistics() {
  return MakeExercise(Cloze{{
      ClozeGap{Numeric{{Value(2), Value(4, {}, 0, "<p>Divide by two.</p>")}}},
      ClozeGap{Texts({Text("Paris", 1, "<p>Oui.</p>")})},
      ClozeGap{ChoiceGap{{"mean", "median", "mode"}, "median"}},
  }});
}

Result<GradeResult> GradeCloze(const Exercise& exercise, AnswerList gaps) {
  return Grade(exercise, std::move(gaps), 1);
}

TEST(Cloze, EachGapIsGradedByItsTypeAndTheScoreIsTheMean) {
  Result<GradeResult> all = GradeCloze(Statistics(), {"2", "paris", "median"});
  ASSERT_TRUE(all.ok());
  EXPECT_DOUBLE_EQ(all->raw_score, 1);
  EXPECT_TRUE(all->correct);
  EXPECT_EQ(all->parts, (std::vector<PartResult>{Part("gap 1", 1), Part("gap 2", 1, "<p>Oui.</p>"),
                                                 Part("gap 3", 1)}));

  Result<GradeResult> one = GradeCloze(Statistics(), {"4", "  PARIS ", "mode"});
  ASSERT_TRUE(one.ok());
  EXPECT_DOUBLE_EQ(one->raw_score, 1.0 / 3);
  EXPECT_FALSE(one->correct);
  EXPECT_EQ(one->parts,
            (std::vector<PartResult>{Part("gap 1", 0, "<p>Divide by two.</p>"),
                                     Part("gap 2", 1, "<p>Oui.</p>"), Part("gap 3", 0)}));
  EXPECT_EQ(one->feedback_html, "");
}

TEST(Cloze, TheMeanCountsPartialGapScores) {
  const Exercise exercise = MakeExercise(Cloze{{
      ClozeGap{Numeric{{Value(10), Value(11, {}, 0.5)}}},
      ClozeGap{Texts({Text("ten")})},
  }});
  Result<GradeResult> result = GradeCloze(exercise, {"11", "ten"});
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(result->raw_score, 0.75);  // (0.5 + 1) / 2
}

TEST(Cloze, BlankGapsScoreZeroWithoutAnError) {
  Result<GradeResult> result = GradeCloze(Statistics(), {"", "  ", ""});
  ASSERT_TRUE(result.ok());
  EXPECT_DOUBLE_EQ(result->raw_score, 0);
  EXPECT_EQ(result->parts,
            (std::vector<PartResult>{Part("gap 1", 0), Part("gap 2", 0), Part("gap 3", 0)}));
}

double NumberGap(double key, std::string typed) {
  const Exercise exercise = MakeExercise(Cloze{{ClozeGap{Numeric{{Value(key)}}}}});
  Result<GradeResult> result = GradeCloze(exercise, {std::move(typed)});
  EXPECT_TRUE(result.ok()) << result.error().message;
  return result.ok() ? result->raw_score : -1;
}

TEST(Cloze, NumericGapsReadDecimalPointsCommasSignsAndExponents) {
  EXPECT_DOUBLE_EQ(NumberGap(3.5, "3.5"), 1);
  EXPECT_DOUBLE_EQ(NumberGap(3.5, "3,5"), 1);
  EXPECT_DOUBLE_EQ(NumberGap(3.5, " +3.50 "), 1);
  EXPECT_DOUBLE_EQ(NumberGap(-2, "-2"), 1);
  EXPECT_DOUBLE_EQ(NumberGap(-2,
                             "\xe2\x88\x92"
                             "2"),
                   1);  // Unicode minus
  EXPECT_DOUBLE_EQ(NumberGap(1000, "1e3"), 1);
  EXPECT_DOUBLE_EQ(NumberGap(0.025, "2.5E-2"), 1);
  EXPECT_DOUBLE_EQ(NumberGap(0.5, ".5"), 1);
  EXPECT_DOUBLE_EQ(NumberGap(0.5, "0,500"), 1);          // a leading 0 is never thousands
  EXPECT_DOUBLE_EQ(NumberGap(1234.567, "1234,567"), 1);  // nor four digits before the comma
  EXPECT_DOUBLE_EQ(NumberGap(12.3456, "12,3456"), 1);
  EXPECT_DOUBLE_EQ(NumberGap(5, "5."), 1);
}

TEST(Cloze, AnUnreadableNumberScoresZeroWithFeedback) {
  const std::string feedback =
      "<p>This is not a number we can read. Write digits with a decimal point or comma and no "
      "thousands separators, such as 3.5, 3,5, -2 or 1e3.</p>";
  for (const char* typed : {"abc", "3.5.1", "1,000", "12,345", "1 000", "1.000,5", "3,5,1", "1e",
                            "e3", "--2", "inf", "nan", "0x10", "1e999", "2/3", ".", "-"}) {
    const Exercise exercise = MakeExercise(Cloze{{ClozeGap{Numeric{{Value(1000)}}}}});
    Result<GradeResult> result = GradeCloze(exercise, {typed});
    ASSERT_TRUE(result.ok()) << typed;
    EXPECT_DOUBLE_EQ(result->raw_score, 0) << typed;
    EXPECT_EQ(result->parts, (std::vector<PartResult>{Part("gap 1", 0, feedback)})) << typed;
  }
}

TEST(Cloze, TheWrongNumberOfGapsIsInvalid) {
  Result<GradeResult> few = GradeCloze(Statistics(), {"2", "paris"});
  ASSERT_FALSE(few.ok());
  EXPECT_EQ(few.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(few.error().message, "answer has 2 entries but the exercise has 3 gaps");
  EXPECT_FALSE(GradeCloze(Statistics(), {"2", "paris", "median", "x"}).ok());
  EXPECT_FALSE(GradeCloze(Statistics(), {}).ok());
  EXPECT_FALSE(Grade(Statistics(), std::string("2"), 1).ok());
}

TEST(Cloze, AChoiceGapOutsideItsOptionsIsInvalid) {
  Result<GradeResult> result = GradeCloze(Statistics(), {"2", "paris", "average"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(result.error().message, "answer[2] is not one of the gap's options");
  EXPECT_EQ(result.error().fields[0].field, "answer[2]");
}

TEST(Cloze, AGapOver10000BytesIsInvalid) {
  Result<GradeResult> result = GradeCloze(Statistics(), {"2", std::string(10001, 'p'), "mean"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message, "answer[1] is longer than 10000 bytes");
}

}  // namespace
}  // namespace practica::domain
