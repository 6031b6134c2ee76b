#include "content/exercise_yaml.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace practica::content {
namespace {

using ::testing::HasSubstr;

struct Parsed {
  std::optional<ParsedExercise> exercise;
  ProblemList problems;
};

// Parses `yaml` as if its block's fence were on line 10 of lessons/x.md (YAML starts on line 11).
Parsed Parse(const std::string& yaml) {
  Parsed parsed;
  const YamlSource source{"lessons/x.md", 11, &parsed.problems};
  parsed.exercise = ParseExercise(yaml, source);
  return parsed;
}

std::string Problems(const ProblemList& problems) {
  std::string text;
  for (const BundleProblem& problem : problems.problems()) text += problem.ToString() + "\n";
  return text;
}

domain::Exercise ParseOk(const std::string& yaml) {
  Parsed parsed = Parse(yaml);
  EXPECT_TRUE(parsed.exercise) << Problems(parsed.problems);
  return parsed.exercise ? parsed.exercise->exercise : domain::Exercise{};
}

TEST(ParseExercise, ReadsCommonFieldsAndRendersMarkdown) {
  const domain::Exercise e = ParseOk(
      "id: mean-basic\ntype: true_false\nprompt: Is *this* true?\nanswer: false\n"
      "hints: [Look **closely**, Think]\nexplanation: Because.\nmax_attempts: 3\n"
      "penalty: 0.25\ntags: [logic, basics]\n");
  EXPECT_EQ(e.id, "mean-basic");
  EXPECT_EQ(e.prompt.markdown, "Is *this* true?");
  EXPECT_EQ(e.prompt.html, "<p>Is <em>this</em> true?</p>\n");
  ASSERT_EQ(e.hints.size(), 2u);
  EXPECT_EQ(e.hints[0].html, "Look <strong>closely</strong>");
  EXPECT_EQ(e.explanation.html, "<p>Because.</p>\n");
  EXPECT_EQ(e.max_attempts, 3);
  EXPECT_EQ(e.penalty, 0.25);
  EXPECT_EQ(e.tags, (std::vector<std::string>{"logic", "basics"}));
  EXPECT_EQ(std::get<domain::TrueFalse>(e.spec).answer, false);
}

TEST(ParseExercise, ReadsNumericShorthandWithAbsoluteAndRelativeTolerance) {
  const domain::Exercise absolute =
      ParseOk("id: a\ntype: numeric\nprompt: p\nanswer: 5\ntolerance: 0.001\n");
  const auto& answers = std::get<domain::Numeric>(absolute.spec).answers;
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].value, 5.0);
  EXPECT_EQ(answers[0].tolerance, (domain::Tolerance{0.001, false}));
  EXPECT_EQ(answers[0].score, 1.0);

  const domain::Exercise relative =
      ParseOk("id: a\ntype: numeric\nprompt: p\nanswer: 5\ntolerance: 1%\n");
  EXPECT_EQ(std::get<domain::Numeric>(relative.spec).answers[0].tolerance,
            (domain::Tolerance{0.01, true}));
}

TEST(ParseExercise, ReadsNumericAnswersList) {
  const domain::Exercise e = ParseOk(
      "id: a\ntype: numeric\nprompt: p\nanswers:\n"
      "  - {value: 5, tolerance: 2%, score: 1}\n"
      "  - {range: [4, 6], score: 0.5, feedback: Close.}\n");
  const auto& answers = std::get<domain::Numeric>(e.spec).answers;
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[0].tolerance, (domain::Tolerance{0.02, true}));
  EXPECT_EQ(answers[1].value, std::nullopt);
  EXPECT_EQ(answers[1].range, (std::pair{4.0, 6.0}));
  EXPECT_EQ(answers[1].score, 0.5);
  EXPECT_EQ(answers[1].feedback.html, "<p>Close.</p>\n");
}

TEST(ParseExercise, ReadsShortTextAnswers) {
  const domain::Exercise e = ParseOk(
      "id: a\ntype: short_text\nprompt: p\nanswers:\n  - Paris\n"
      "  - {regex: \"^par(is)?$\", score: 0.5, feedback: \"Spelling?\"}\n"
      "case_sensitive: true\naccents: strict\n");
  const auto& spec = std::get<domain::ShortText>(e.spec);
  ASSERT_EQ(spec.answers.size(), 2u);
  EXPECT_EQ(spec.answers[0].text, "Paris");
  EXPECT_EQ(spec.answers[1].regex, "^par(is)?$");
  EXPECT_EQ(spec.answers[1].score, 0.5);
  EXPECT_TRUE(spec.case_sensitive);
  EXPECT_TRUE(spec.accents_strict);
}

TEST(ParseExercise, ReadsClozeGapsOfEveryKind) {
  const domain::Exercise e = ParseOk(
      "id: a\ntype: cloze\nprompt: \"{{1}} {{2}} {{3}}\"\ngaps:\n"
      "  - {type: numeric, answer: 2, tolerance: 0.5}\n"
      "  - {type: short_text, answers: [Paris]}\n"
      "  - {type: choice, options: [x, y], answer: y}\n");
  const auto& gaps = std::get<domain::Cloze>(e.spec).gaps;
  ASSERT_EQ(gaps.size(), 3u);
  EXPECT_EQ(std::get<domain::Numeric>(gaps[0].spec).answers[0].tolerance.value, 0.5);
  EXPECT_EQ(std::get<domain::ShortText>(gaps[1].spec).answers[0].text, "Paris");
  EXPECT_EQ(std::get<domain::ChoiceGap>(gaps[2].spec), (domain::ChoiceGap{{"x", "y"}, "y"}));
}

TEST(ParseExercise, ReadsFormulaVariablesInOrder) {
  const domain::Exercise e = ParseOk(
      "id: a\ntype: formula\nprompt: p\nanswer: \"(x + 1)^2\"\n"
      "variables:\n  x: [-10, 10]\n  b: [1, 2]\nsamples: 5\ntolerance: 1e-3\n");
  const auto& formula = std::get<domain::Formula>(e.spec);
  EXPECT_EQ(formula.answer, "(x + 1)^2");
  ASSERT_EQ(formula.variables.size(), 2u);
  EXPECT_EQ(formula.variables[0], (domain::FormulaVariable{"x", -10, 10}));
  EXPECT_EQ(formula.variables[1], (domain::FormulaVariable{"b", 1, 2}));
  EXPECT_EQ(formula.samples, 5);
  EXPECT_EQ(formula.tolerance, 1e-3);
}

TEST(ParseExercise, ReadsSingleChoiceOptionScores) {
  const domain::Exercise e = ParseOk(
      "id: a\ntype: single_choice\nprompt: p\noptions:\n  - {id: a, text: A, correct: true}\n"
      "  - {id: b, text: B, score: 0.5}\n  - {id: c, text: C, score: -0.25}\n"
      "  - {id: d, text: D}\n");
  const auto& options = std::get<domain::SingleChoice>(e.spec).options;
  ASSERT_EQ(options.size(), 4u);
  EXPECT_EQ(options[0].score, std::nullopt);
  EXPECT_EQ(options[1].score, 0.5);
  EXPECT_FALSE(options[1].correct);
  EXPECT_EQ(options[2].score, -0.25);
  EXPECT_EQ(options[3].score, std::nullopt);
}

// With scores, the correct options are the ones with a positive score; `correct` may be left out.
TEST(ParseExercise, ReadsMultipleChoiceWeights) {
  const domain::Exercise e = ParseOk(
      "id: a\ntype: multiple_choice\nprompt: p\noptions:\n  - {id: a, text: A, score: 0.5}\n"
      "  - {id: b, text: B, score: 0.5, correct: true}\n  - {id: c, text: C, score: -1}\n"
      "  - {id: d, text: D}\n");
  const auto& options = std::get<domain::MultipleChoice>(e.spec).options;
  ASSERT_EQ(options.size(), 4u);
  EXPECT_TRUE(options[0].correct);
  EXPECT_TRUE(options[1].correct);
  EXPECT_FALSE(options[2].correct);
  EXPECT_FALSE(options[3].correct);
  EXPECT_EQ(options[2].score, -1);
  EXPECT_EQ(FormatExercise(e),
            "id: a\ntype: multiple_choice\nprompt: p\noptions:\n"
            "  - {id: a, text: A, correct: true, score: 0.5}\n"
            "  - {id: b, text: B, correct: true, score: 0.5}\n  - {id: c, text: C, score: -1}\n"
            "  - {id: d, text: D}\n");
  // Three rounded thirds make a full score.
  ParseOk(
      "id: a\ntype: multiple_choice\nprompt: p\noptions:\n  - {id: a, text: A, score: 0.3333333}\n"
      "  - {id: b, text: B, score: 0.3333333}\n  - {id: c, text: C, score: 0.3333333}\n");
}

TEST(ParseExercise, RefusesOptionScoresThatCannotWork) {
  const Parsed single = Parse(
      "id: a\ntype: single_choice\nprompt: p\noptions:\n  - {id: a, text: A, correct: true, "
      "score: 0.5}\n  - {id: b, text: B, score: 1}\n  - {id: c, text: C, score: 2}\n");
  EXPECT_FALSE(single.exercise);
  EXPECT_EQ(Problems(single.problems),
            "lessons/x.md:17: 'options[2].score' must be between -1 and 1, got 2\n"
            "lessons/x.md:15: 'options[0].score' must be left out on the correct option, which "
            "always scores 1\n"
            "lessons/x.md:16: 'options[1].score' of 1 makes the option fully correct; mark it "
            "correct: true instead\n");
  const Parsed multiple = Parse(
      "id: a\ntype: multiple_choice\nprompt: p\nscoring: all_or_nothing\noptions:\n"
      "  - {id: a, text: A, score: 0.5}\n  - {id: b, text: B, correct: true}\n"
      "  - {id: c, text: C, score: 0.25, correct: false}\n");
  EXPECT_FALSE(multiple.exercise);
  EXPECT_EQ(Problems(multiple.problems),
            "lessons/x.md:14: 'scoring' cannot be all_or_nothing when options have scores\n"
            "lessons/x.md:17: 'options[1].correct' needs a positive 'score' when the other "
            "options have scores\n"
            "lessons/x.md:18: 'options[2].correct' cannot be false on an option with a positive "
            "score\n"
            "lessons/x.md:16: 'options' has positive scores that add up to 0.75; they must add "
            "up to at least 1, or no answer could be fully correct\n");
}

TEST(ParseExercise, ReadsTrueFalseFeedback) {
  const domain::Exercise e = ParseOk(
      "id: a\ntype: true_false\nprompt: p\nanswer: false\ntrue_feedback: Look *again*.\n"
      "false_feedback: Right.\n");
  const auto& spec = std::get<domain::TrueFalse>(e.spec);
  EXPECT_EQ(spec.true_feedback.html, "<p>Look <em>again</em>.</p>\n");
  EXPECT_EQ(spec.false_feedback.markdown, "Right.");
  EXPECT_EQ(FormatExercise(e),
            "id: a\ntype: true_false\nprompt: p\nanswer: false\ntrue_feedback: Look *again*.\n"
            "false_feedback: Right.\n");
}

TEST(ParseExercise, ReadsAnEssayWithTheCommonFieldsOnly) {
  const domain::Exercise e =
      ParseOk("id: why\ntype: essay\nprompt: Why?\nexplanation: Because.\nmax_attempts: 1\n");
  EXPECT_EQ(e.type(), domain::ExerciseType::kEssay);
  EXPECT_EQ(FormatExercise(e),
            "id: why\ntype: essay\nprompt: Why?\nexplanation: Because.\nmax_attempts: 1\n");
  const Parsed extra = Parse("id: why\ntype: essay\nprompt: Why?\nanswer: x\n");
  EXPECT_FALSE(extra.exercise);
  EXPECT_THAT(Problems(extra.problems), HasSubstr("unknown field 'answer'"));
}

TEST(ParseExercise, ReportsLinesInTheFile) {
  const Parsed parsed = Parse("id: a\ntype: numeric\nprompt: p\nanswer: 5\ntolerence: 0.1\n");
  EXPECT_FALSE(parsed.exercise);
  ASSERT_EQ(parsed.problems.count(), 1u);
  EXPECT_EQ(parsed.problems.problems()[0].ToString(),
            "lessons/x.md:15: unknown field 'tolerence' (did you mean 'tolerance'?)");
}

TEST(FormatExercise, UsesShorthandsWhereExact) {
  const domain::Exercise numeric =
      ParseOk("id: a\ntype: numeric\nprompt: p\nanswers:\n  - {value: 5, tolerance: 1%}\n");
  EXPECT_EQ(FormatExercise(numeric), "id: a\ntype: numeric\nprompt: p\nanswer: 5\ntolerance: 1%\n");

  const domain::Exercise text = ParseOk(
      "id: b\ntype: short_text\nprompt: p\nanswers:\n  - {text: Paris}\n  - {text: Lyon, score: "
      "0.5}\n");
  EXPECT_EQ(FormatExercise(text),
            "id: b\ntype: short_text\nprompt: p\nanswers:\n  - Paris\n"
            "  - {text: Lyon, score: 0.5}\n");
}

TEST(FormatExercise, QuotesTextThatYamlWouldTakeForANumberOrBoolean) {
  const domain::Exercise e =
      ParseOk("id: c\ntype: short_text\nprompt: p\nanswers: [\"100\", \"no\", hundred]\n");
  EXPECT_EQ(FormatExercise(e),
            "id: c\ntype: short_text\nprompt: p\nanswers: [\"100\", \"no\", hundred]\n");
}

TEST(FormatExercise, WritesMultiLineMarkdownAsLiteralBlocks) {
  const domain::Exercise e =
      ParseOk("id: a\ntype: true_false\nprompt: |\n  one\n\n  two\nanswer: true\n");
  EXPECT_EQ(FormatExercise(e),
            "id: a\ntype: true_false\nprompt: |\n  one\n\n  two\nanswer: true\n");
}

// Strings that a literal block cannot hold (no final newline, leading spaces, several final
// newlines) and strings that look like other YAML types must come back unchanged.
TEST(FormatExercise, RoundTripsAwkwardStrings) {
  for (const std::string prompt :
       {"no final newline\nhere", "  indented\nfirst line\n", "two final newlines\n\n", "true",
        "null", "~", "- dash", "a: b", "#hash", "'quote", "\"double\"", "{{1}} x", " x ",
        "tab\there", "ünï €"}) {
    domain::Exercise e = ParseOk("id: a\ntype: true_false\nprompt: x\nanswer: true\n");
    e.prompt.markdown = prompt;
    const std::string yaml = FormatExercise(e);
    const domain::Exercise back = ParseOk(yaml);
    EXPECT_EQ(back.prompt.markdown, prompt) << yaml;
  }
}

}  // namespace
}  // namespace practica::content
