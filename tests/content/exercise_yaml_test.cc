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
