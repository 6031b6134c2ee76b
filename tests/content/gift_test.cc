// GIFT: every construct read field by field from its fixture (tests/content/fixtures/gift/),
// malformed GIFT reported at its line with nothing imported, what Practica cannot represent
// refused unless skipped, and the round trips: export → import gives the same questions, and
// import → export → import gives the first import.
#include "content/gift.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "content/bundle.h"
#include "content/exercise_yaml.h"
#include "content/markdown.h"
#include "content/test_bundle.h"

namespace practica::content {
namespace {

using testing::Describe;
using ::testing::ElementsAre;
using testing::Fixture;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::TempDir;
using Kind = GiftProblem::Kind;

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string FixtureText(const std::string& name) {
  return ReadText(Fixture("gift") / (name + ".gift"));
}

std::vector<std::string> FixtureNames() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(Fixture("gift"))) {
    if (entry.path().extension() == ".gift") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string Lines(const std::vector<GiftProblem>& problems) {
  std::string text;
  for (const GiftProblem& problem : problems) text += DescribeGiftProblem(problem, "q.gift") + "\n";
  return text;
}

GiftFile ParseFixture(const std::string& name) {
  GiftFile file = ParseGift(FixtureText(name));
  EXPECT_THAT(file.problems, IsEmpty()) << name << ":\n" << Lines(file.problems);
  return file;
}

// The exercises of a parsed file, in order.
std::vector<domain::Exercise> Questions(const GiftFile& file) {
  std::vector<domain::Exercise> questions;
  for (const GiftEntry& entry : file.entries) {
    if (entry.exercise) questions.push_back(*entry.exercise);
  }
  return questions;
}

template <class Spec>
const Spec& SpecOf(const domain::Exercise& exercise) {
  return std::get<Spec>(exercise.spec);
}

// ---- every construct, field by field ----------------------------------------------------------

TEST(ParseGift, MultipleChoiceWithFeedbackWeightsAndAMissingWord) {
  const std::vector<domain::Exercise> q = Questions(ParseFixture("multiple-choice"));
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[0].id, "middle-value");
  EXPECT_EQ(q[0].prompt.markdown, "Which average is the middle value of a sorted list?");
  const auto& options = SpecOf<domain::SingleChoice>(q[0]).options;
  ASSERT_EQ(options.size(), 4u);
  EXPECT_EQ(options[0].id, "a");
  EXPECT_EQ(options[0].text.html, "The median");
  EXPECT_TRUE(options[0].correct);
  EXPECT_EQ(options[0].score, std::nullopt);
  EXPECT_EQ(options[0].feedback.html, "<p>Yes.</p>\n");
  EXPECT_FALSE(options[1].correct);
  EXPECT_EQ(options[1].score, std::nullopt);
  EXPECT_EQ(options[2].score, 0.5);  // ~%50%
  // Moodle's auto-format shows "*an*" as written: escaped in Markdown.
  EXPECT_EQ(options[2].feedback.markdown,
            "Half right: it is \\*an\\* average, not the middle one.");
  EXPECT_EQ(options[3].score, -0.25);  // ~%-25%
  EXPECT_TRUE(SpecOf<domain::SingleChoice>(q[0]).shuffle);

  EXPECT_EQ(q[1].id, "tomb");
  EXPECT_TRUE(SpecOf<domain::SingleChoice>(q[1]).options[2].correct);
  // The missing word: the sentence with a blank, the answers below it, as Moodle shows it.
  EXPECT_EQ(q[2].id, "question-3");
  EXPECT_EQ(q[2].prompt.markdown, "Grant is \\_\\_\\_\\_\\_ in Grant's tomb.");
  EXPECT_EQ(q[2].prompt.html, "<p>Grant is _____ in Grant's tomb.</p>\n");
  EXPECT_EQ(SpecOf<domain::SingleChoice>(q[2]).options[1].text.markdown, "entombed");
}

TEST(ParseGift, MultipleAnswerWeightsAddUpOrBecomePartialScoring) {
  const std::vector<domain::Exercise> q = Questions(ParseFixture("multiple-answer"));
  ASSERT_EQ(q.size(), 2u);
  const auto& weighted = SpecOf<domain::MultipleChoice>(q[0]);
  EXPECT_EQ(weighted.scoring, domain::Scoring::kPartial);
  ASSERT_EQ(weighted.options.size(), 4u);
  EXPECT_EQ(weighted.options[0].score, 0.5);
  EXPECT_TRUE(weighted.options[0].correct);
  EXPECT_EQ(weighted.options[1].feedback.markdown, "Yes, 5 is prime.");
  EXPECT_EQ(weighted.options[2].score, -1);
  EXPECT_FALSE(weighted.options[2].correct);
  EXPECT_EQ(weighted.options[2].feedback.markdown, "4 = 2 × 2.");
  EXPECT_EQ(weighted.options[3].score, std::nullopt);
  // ±33.33333 %: Practica's own partial scoring, no weights needed.
  const auto& partial = SpecOf<domain::MultipleChoice>(q[1]);
  EXPECT_EQ(partial.scoring, domain::Scoring::kPartial);
  for (const domain::ChoiceOption& option : partial.options) {
    EXPECT_EQ(option.score, std::nullopt) << option.id;
  }
  EXPECT_TRUE(partial.options[2].correct);
  EXPECT_FALSE(partial.options[3].correct);
}

TEST(ParseGift, TrueFalseInEverySpellingWithFeedbackWrongThenRight) {
  const std::vector<domain::Exercise> q = Questions(ParseFixture("true-false"));
  ASSERT_EQ(q.size(), 4u);
  EXPECT_TRUE(SpecOf<domain::TrueFalse>(q[0]).answer);          // {T}
  EXPECT_FALSE(SpecOf<domain::TrueFalse>(q[1]).answer);         // {FALSE}
  const auto& with_feedback = SpecOf<domain::TrueFalse>(q[2]);  // {F#wrong#right}
  EXPECT_FALSE(with_feedback.answer);
  EXPECT_EQ(with_feedback.true_feedback.markdown,
            "Take 1, 2, 9: the median is 2 and the mean is 4.");
  EXPECT_EQ(with_feedback.false_feedback.markdown, "Right.");
  const auto& right_only = SpecOf<domain::TrueFalse>(q[3]);  // {TRUE##right}
  EXPECT_TRUE(right_only.answer);
  EXPECT_EQ(right_only.true_feedback.markdown, "Yes: one huge value pulls it.");
  EXPECT_TRUE(right_only.false_feedback.empty());
}

TEST(ParseGift, ShortAnswersWithWeightsFeedbackWildcardsAndAMissingWordGap) {
  const std::vector<domain::Exercise> q = Questions(ParseFixture("short-answer"));
  ASSERT_EQ(q.size(), 5u);
  const auto& capital = SpecOf<domain::ShortText>(q[0]);
  ASSERT_EQ(capital.answers.size(), 2u);
  EXPECT_EQ(capital.answers[0].text, "Paris");
  EXPECT_EQ(capital.answers[1].text, "paris, france");
  EXPECT_FALSE(capital.case_sensitive);                                  // Moodle's default
  EXPECT_EQ(SpecOf<domain::ShortText>(q[1]).answers[0].text, "no one");  // {no one}: no '='
  const auto& rate = SpecOf<domain::ShortText>(q[2]);
  ASSERT_EQ(rate.answers.size(), 3u);
  EXPECT_EQ(rate.answers[0].score, 1);
  EXPECT_EQ(rate.answers[0].feedback.markdown, "Right.");
  EXPECT_EQ(rate.answers[1].score, 0.5);
  EXPECT_EQ(rate.answers[2].score, 0);
  EXPECT_EQ(rate.answers[2].feedback.html, "<p>That would be a relative change.</p>\n");
  const auto& wildcard = SpecOf<domain::ShortText>(q[3]);
  EXPECT_EQ(wildcard.answers[0].regex, "photosynth.*");  // Moodle's * is any characters
  EXPECT_EQ(wildcard.answers[0].text, "");
  EXPECT_EQ(wildcard.answers[1].text, "*star*");  // \* is a star
  EXPECT_EQ(q[4].type(), domain::ExerciseType::kCloze);
  EXPECT_EQ(q[4].prompt.markdown, "The river of Paris is the {{1}}, which flows into the Channel.");
  const auto& gap = std::get<domain::ShortText>(SpecOf<domain::Cloze>(q[4]).gaps.at(0).spec);
  EXPECT_EQ(gap.answers[1].text, "la Seine");
  EXPECT_EQ(gap.answers[1].feedback.markdown, "In French.");
}

TEST(ParseGift, NumericalWithToleranceRangesSeveralAnswersAndAMissingWordGap) {
  const std::vector<domain::Exercise> q = Questions(ParseFixture("numerical"));
  ASSERT_EQ(q.size(), 5u);
  const auto& pi = SpecOf<domain::Numeric>(q[0]).answers;
  ASSERT_EQ(pi.size(), 1u);
  EXPECT_EQ(pi[0].value, 3.14);
  EXPECT_EQ(pi[0].tolerance, (domain::Tolerance{0.005, false}));
  const auto& range = SpecOf<domain::Numeric>(q[1]).answers;
  EXPECT_EQ(range[0].range, (std::pair{1.0, 5.0}));
  EXPECT_EQ(range[0].value, std::nullopt);
  const auto& born = SpecOf<domain::Numeric>(q[2]).answers;
  ASSERT_EQ(born.size(), 4u);
  EXPECT_EQ(born[0].value, 1822);
  EXPECT_EQ(born[0].score, 1);
  EXPECT_EQ(born[0].feedback.markdown, "Exactly.");
  EXPECT_EQ(born[1].tolerance.value, 2);
  EXPECT_EQ(born[1].score, 0.5);
  EXPECT_EQ(born[2].range, (std::pair{1810.0, 1830.0}));
  EXPECT_EQ(born[2].score, 0.25);
  // ~#feedback: any other number scores 0 and gets this feedback.
  EXPECT_EQ(born[3].score, 0);
  EXPECT_EQ(born[3].range->first, std::numeric_limits<double>::lowest());
  EXPECT_EQ(born[3].range->second, std::numeric_limits<double>::max());
  EXPECT_EQ(born[3].feedback.markdown, "That is far off.");
  EXPECT_EQ(SpecOf<domain::Numeric>(q[3]).answers[0].tolerance.value, 0);
  EXPECT_EQ(q[4].prompt.markdown, "The mean of 2, 4 and 9 is {{1}} exactly.");
  const auto& gap = std::get<domain::Numeric>(SpecOf<domain::Cloze>(q[4]).gaps.at(0).spec);
  EXPECT_EQ(gap.answers[0].value, 5);
  EXPECT_EQ(gap.answers[0].tolerance.value, 0.01);
}

TEST(ParseGift, MatchingPairsAndAnExtraMatch) {
  const std::vector<domain::Exercise> q = Questions(ParseFixture("matching"));
  ASSERT_EQ(q.size(), 1u);
  const auto& matching = SpecOf<domain::Matching>(q[0]);
  ASSERT_EQ(matching.pairs.size(), 3u);
  EXPECT_EQ(matching.pairs[0].left.id, "l1");
  EXPECT_EQ(matching.pairs[0].left.text.markdown, "Mean");
  EXPECT_EQ(matching.pairs[0].right.id, "r1");
  EXPECT_EQ(matching.pairs[0].right.text.markdown, "Sum divided by count");
  EXPECT_EQ(matching.pairs[2].right.text.markdown, "Most frequent value");
  ASSERT_EQ(matching.distractors.size(), 1u);  // "= -> …": a match for no item
  EXPECT_EQ(matching.distractors[0].id, "r4");
  EXPECT_EQ(matching.distractors[0].text.markdown, "Largest minus smallest");
}

TEST(ParseGift, EssaysWithAndWithoutGeneralFeedback) {
  const std::vector<domain::Exercise> q = Questions(ParseFixture("essay"));
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].type(), domain::ExerciseType::kEssay);
  EXPECT_EQ(q[0].prompt.markdown,
            "House prices in a street are €200k, €210k, €220k and €2.5M. Which average would you "
            "report, and why?");
  EXPECT_TRUE(q[0].explanation.empty());
  EXPECT_EQ(q[1].type(), domain::ExerciseType::kEssay);
  EXPECT_EQ(q[1].explanation.html,
            "<p>It measures how far values typically sit from the mean.</p>\n");
}

TEST(ParseGift, IdsAndTagsComeFromCommentsHoweverLongTheComment) {
  // An uploaded file is untrusted: a 200,000-character comment line (once enough to overflow the
  // stack of a std::regex scan) is read like a short one.
  const std::string long_tag(200'000, 'x');
  const std::string text = "// [id:mean-q] [tag:stats] [tag:" + long_tag + "] [tag:a\\]b]\n" +
                           "// [id:" + std::string(200'000, '\\') + "\n" + "What is 1 + 1? {#2}\n";
  const GiftFile file = ParseGift(text);
  const std::vector<domain::Exercise> q = Questions(file);
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].id, "mean-q");
  ASSERT_GE(q[0].tags.size(), 2u);
  EXPECT_EQ(q[0].tags[0], "stats");
}

TEST(ParseGift, GeneralFeedbackBecomesTheExplanationOfEveryType) {
  const std::vector<domain::Exercise> q = Questions(ParseFixture("general-feedback"));
  ASSERT_EQ(q.size(), 5u);
  EXPECT_EQ(q[0].explanation.markdown, "Primes have exactly two divisors.");
  EXPECT_EQ(SpecOf<domain::SingleChoice>(q[0]).options[0].feedback.markdown,
            "Seven has no divisors but 1 and itself.");
  EXPECT_EQ(q[1].explanation.markdown, "Counting on your fingers works.");
  EXPECT_EQ(q[2].explanation.markdown, "As in \"four seasons\".");
  EXPECT_EQ(SpecOf<domain::ShortText>(q[2]).answers[0].text, "four");
  EXPECT_EQ(q[3].explanation.markdown, "Ten quarters.");
  EXPECT_EQ(SpecOf<domain::Numeric>(q[3]).answers[0].value, 2.5);
  EXPECT_EQ(q[4].explanation.markdown, "Digits for numbers.");
  EXPECT_EQ(SpecOf<domain::Matching>(q[4]).pairs.size(), 2u);
}

TEST(ParseGift, CategoriesIdsAndTagsFromComments) {
  const GiftFile file = ParseFixture("categories");
  EXPECT_THAT(file.categories, ElementsAre("Averages", "Averages/Spread"));
  ASSERT_EQ(file.entries.size(), 4u);
  EXPECT_EQ(file.entries[0].category, "");                // before any $CATEGORY
  EXPECT_EQ(file.entries[1].category, "Averages");        // $course$/top/ is where questions live
  EXPECT_EQ(file.entries[1].exercise->id, "mean-basic");  // [id:…] wins over the title
  EXPECT_THAT(file.entries[1].exercise->tags, ElementsAre("mean", "arithmetic"));
  EXPECT_EQ(file.entries[1].line, 7);
  EXPECT_EQ(file.entries[2].category, "Averages/Spread");
  EXPECT_EQ(file.entries[3].category, "Averages");
}

TEST(ParseGift, TitlesBecomeIdsUniqueAndNumberedOtherwise) {
  const std::vector<domain::Exercise> q = Questions(ParseFixture("titles"));
  std::vector<std::string> ids;
  for (const domain::Exercise& e : q) ids.push_back(e.id);
  EXPECT_THAT(ids, ElementsAre("qu-est-ce-que-l-ete", "qu-est-ce-que-l-ete-2", "question-3",
                               "chapter-1-q2", "question-5"));
}

TEST(ParseGift, EveryEscapeAndNewlines) {
  const std::vector<domain::Exercise> q = Questions(ParseFixture("escapes"));
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].prompt.markdown, "Which of these is written a = b {c} #1: ok?");
  const auto& options = SpecOf<domain::SingleChoice>(q[0]).options;
  EXPECT_EQ(options[0].text.markdown, "a = b");
  EXPECT_EQ(options[0].feedback.html, "<p>Right: it is ~ equal.</p>\n");
  EXPECT_EQ(options[1].text.html, "a ~ b");
  EXPECT_EQ(options[2].text.html, "C\\D");  // \\ is a backslash
  EXPECT_EQ(q[1].prompt.html,
            "<p>First line.</p>\n<p>Second paragraph, after a blank line that GIFT cannot "
            "hold.</p>\n");
}

TEST(ParseGift, FormatsBecomeMarkdown) {
  const std::vector<domain::Exercise> q = Questions(ParseFixture("formats"));
  ASSERT_EQ(q.size(), 5u);
  EXPECT_EQ(q[0].prompt.markdown, "Which is **bold** and which is *emphasised*?");
  EXPECT_EQ(SpecOf<domain::SingleChoice>(q[0]).options[0].text.html, "<strong>this</strong>");
  EXPECT_EQ(q[1].prompt.markdown,
            "Pick the **median** of `[1, 2, 9]`.\n\n- See "
            "[the notes](https://example.org/median).\n- Use $x_{(2)}$.");
  EXPECT_EQ(q[2].prompt.html, "<p>Is 2 * 3 * 4 = 24 in &lt;b&gt;plain&lt;/b&gt; text?</p>\n");
  EXPECT_EQ(q[3].prompt.html,
            "<p>First line<br />\nsecond line with <em>emphasis</em> &amp; a 5 $ bill.</p>\n");
  const auto& mixed = SpecOf<domain::SingleChoice>(q[4]).options;
  EXPECT_EQ(mixed[0].text.html, "<strong>bold</strong>");              // [markdown]
  EXPECT_EQ(mixed[0].feedback.html, "<p>&lt;b&gt; stays text</p>\n");  // [plain]
  EXPECT_EQ(mixed[1].text.html, "<em>italic</em>");                    // [html]
}

TEST(ParseGift, DescriptionsAreTextBetweenQuestions) {
  const GiftFile file = ParseFixture("descriptions");
  ASSERT_EQ(file.entries.size(), 5u);
  EXPECT_FALSE(file.entries[0].exercise);
  EXPECT_EQ(file.entries[0].description.markdown,
            "Averages describe where the middle of a list lies.\n");
  EXPECT_TRUE(file.entries[1].exercise);
  EXPECT_EQ(file.entries[2].description.html, "<h2>Spread</h2>\n");
  EXPECT_EQ(file.entries[3].description.markdown, "How far values lie from each other.\n");
}

TEST(ParseGift, AnyLineEndingAndAByteOrderMark) {
  const GiftFile file = ParseGift("\xEF\xBB\xBF::A:: One?{T}\r\n\r\n::B:: Two?\r{F}\r");
  EXPECT_THAT(file.problems, IsEmpty()) << Lines(file.problems);
  ASSERT_EQ(file.entries.size(), 2u);
  EXPECT_EQ(file.entries[1].exercise->id, "b");
  EXPECT_EQ(file.entries[1].line, 3);
}

// ---- malformed GIFT: an error at its line, and nothing imported --------------------------------

struct Malformed {
  std::string gift;
  int line;
  std::string message;
};

TEST(ParseGift, MalformedInputNamesTheLine) {
  const std::vector<Malformed> cases = {
      {"::A:: What?{=a ~b\n", 1, "the answer block opened with '{' is not closed with '}'"},
      {"::A:: What?{=a\n\n~b}\n", 1, "a question ends at the first blank line"},
      {"x\n\n::A:: What? b} {=a ~b}\n", 3, "'}' closes no answer block"},
      {"::A:: {=a {~b}\n", 1, "'{' inside an answer block"},
      {"::A:: {=a ~b} and {T}\n", 1, "a question has one answer block"},
      {"::A What?{T}\n", 1, "the title opened with '::' is not closed"},
      {"\n\n::N:: How many?{#five}\n", 3, "the answer 'five' is not a number"},
      {"::N:: How many?{#\n=5:abc\n}\n", 2, "the tolerance 'abc' is not a number"},
      {"::N:: How many?{#\n=5\n=6..4\n}\n", 3, "the range 6..4 has its low end above its high end"},
      {"::N:: How many?{#5:-1}\n", 1, "the tolerance in 5:-1 is negative"},
      {"::N:: How many?{#5 ~wrong}\n", 1, "after '~' a numerical question takes feedback"},
      {"::N:: How many?{#}\n", 1, "a numerical question needs an answer"},
      {"::M:: Match {=a -> b}\n", 1, "a matching question needs at least two pairs, found 1"},
      {"::M:: Match {\n=a -> b\n=c d\n}\n", 3, "a pair needs '->'"},
      {"::M:: Match {=a -> b =c -> }\n", 1, "'->' with nothing after it"},
      {"[latex] What?{T}\n", 1,
       "unknown format [latex]: GIFT knows [html], [moodle], [plain] and "
       "[markdown]"},
      {"::C:: Pick {=a ~[mardown]b}\n", 1, "unknown format [mardown]"},
      {"::C:: Pick {x =a ~b}\n", 1, "text before the first answer"},
      {"::C:: Pick {=a}\n", 1, ""},  // a lone '=' answer is a short answer, not an error
      {"::C:: Pick {~a}\n", 1, "a multiple-choice question needs at least two answers"},
      {"::C:: Pick {=%50%a ~b}\n", 1, "'=' marks the right answer and takes no weight"},
      {"::C:: Pick {~%abc%a =b}\n", 1, "'%abc%' is not a weight"},
      {"::C:: Pick {~%150%a =b}\n", 1, "the weight %150% is outside -100% to 100%"},
      {"::C:: Pick {~ =b}\n", 1, "an empty answer"},
      {"::C:: Pick {~%50%a ~%20%b}\n", 1, "add up to 0.7"},  // the bundle checks
      {"::S:: Spell {=%50%four}\n", 1, "has no answer with score 1"},
      {"{=a ~b}\n", 1, "the question has no text, only answers"},
      {"::T:: Only a title\n", 1, ""},
      {"ok{T}\n\nbad \xff{T}\n", 3, "the file is not UTF-8 text"},
      // Found by fuzz/gift_fuzz.cc: matching texts of control characters did not read back the
      // same after WriteGift; no question text can hold them, so the file is refused.
      {std::string("ok{T}\n\n/{=M->\0=->\x02=M->|}", 24), 3, "a control character (U+0000)"},
      {"ok{T}\n\n::Q:: A bell\x07{T}\n", 3, "a control character (U+0007)"},
      {"::Q:: Delete\x7f{T}\n", 1, "a control character (U+007F)"},
      {"::Q:: C1 \xc2\x85{T}\n", 1, "a control character (U+0085)"},
  };
  for (const Malformed& c : cases) {
    SCOPED_TRACE(c.gift);
    const GiftFile file = ParseGift(c.gift);
    if (c.message.empty()) {
      // Not malformed after all: "{=a}" is a short answer, a title alone is lesson text.
      EXPECT_FALSE(file.HasErrors()) << Lines(file.problems);
      continue;
    }
    ASSERT_TRUE(file.HasErrors());
    EXPECT_EQ(file.problems[0].kind, Kind::kError);
    EXPECT_EQ(file.problems[0].line, c.line) << Lines(file.problems);
    EXPECT_THAT(file.problems[0].message, HasSubstr(c.message));
    const GiftImport imported = ImportGift(c.gift, {"course", "Course", true});
    EXPECT_FALSE(imported.course);  // all or nothing, even when skipping unsupported questions
  }
}

// Found by fuzz/gift_fuzz.cc (fuzz/corpus/gift/answers-inside-markup.gift): answers inside markup
// were dropped by the conversion, or copied (a broken link's text and its address) and only the
// first copy became the blank, so the question read back as another one.
TEST(ParseGift, AnswersInsideMarkupAreRefused) {
  for (const std::string gift :
       {"::Q:: Pick <b{=a ~b}> one.\n", "::Q:: [html]The <em title=\"{=blue}\">sky</em> is blue.\n",
        "<a{}>\n"}) {
    SCOPED_TRACE(gift);
    const GiftFile file = ParseGift(gift);
    EXPECT_TRUE(file.entries.empty());
    EXPECT_THAT(
        Lines(file.problems),
        HasSubstr("q.gift:1: the answers of a missing-word question must stand in the question's "
                  "text, not inside a link, code or other markup"));
  }
  const GiftFile fine = ParseGift("::Q:: [html]The <em>sky</em> is {=blue}.\n");
  EXPECT_FALSE(fine.HasErrors()) << Lines(fine.problems);
}

TEST(ImportGift, OneBadQuestionImportsNothingAndEveryProblemIsListed) {
  const std::string gift =
      "::Good:: Fine?{T}\n\n::Bad:: How many?{#many}\n\n::Also bad:: Pick {~a}\n\n::Fine:: {#1}";
  const GiftImport imported = ImportGift(gift, {"quiz", "Quiz", false});
  EXPECT_FALSE(imported.course);
  EXPECT_EQ(Lines(imported.problems),
            "q.gift:3: the answer 'many' is not a number (write digits with a decimal point: 3.5, "
            "-2, 1e3)\n"
            "q.gift:5: a multiple-choice question needs at least two answers\n"
            "q.gift:7: the question has no text, only answers\n");
  const Error error = GiftProblemsError(imported.problems, "q.gift");
  EXPECT_EQ(error.message, "the GIFT file has 3 problems");
  ASSERT_EQ(error.fields.size(), 3u);
  EXPECT_EQ(error.fields[0].field, "q.gift:3");
  EXPECT_EQ(ImportGift("// only a comment\n", {"quiz", "Quiz", false}).problems.at(0).message,
            "the file has no question to import");
}

// ---- what Practica cannot represent ------------------------------------------------------------

TEST(ImportGift, UnsupportedQuestionsAreRefusedUnlessSkippedAndAlwaysListed) {
  const std::string gift =
      "::Two right:: Pick {=a =b ~c}\n"
      "\n"
      "::Shared:: Match {=a -> x =b -> x =c -> y}\n"
      "\n"
      "::Table:: [html]<table><tr><td>1</td></tr></table>{T}\n"
      "\n"
      "::Negative:: Spell it {=%-50%for =four}\n"
      "\n"
      "::Feedback pair:: Match {=a -> b#fb =c -> d}\n"
      "\n"
      "::Kept:: Still imported?{T}\n";
  const GiftImport refused = ImportGift(gift, {"quiz", "Quiz", false});
  EXPECT_FALSE(refused.course);
  EXPECT_EQ(Lines(refused.problems),
            "q.gift:1: a one-answer question with 2 fully right answers: Practica's single "
            "choice has one\n"
            "q.gift:3: two items share the match 'x': in Practica each item has its own match\n"
            "q.gift:5: the element <table> has no equivalent in Practica's Markdown\n"
            "q.gift:7: a negative weight on a short answer: Practica scores short answers from 0 "
            "to 100%\n"
            "q.gift:9: feedback on a matching pair ('#') has no equivalent; write \\# for a # in "
            "the text\n");
  for (const GiftProblem& problem : refused.problems) EXPECT_EQ(problem.kind, Kind::kUnsupported);

  const GiftImport skipped = ImportGift(gift, {"quiz", "Quiz", true});
  ASSERT_TRUE(skipped.course);
  ASSERT_EQ(skipped.course->lessons.size(), 1u);
  ASSERT_EQ(skipped.course->lessons[0].exercises.size(), 1u);
  EXPECT_EQ(skipped.course->lessons[0].exercises[0].id, "kept");
  ASSERT_EQ(skipped.problems.size(), 5u);
  EXPECT_THAT(skipped.problems[0].message, HasSubstr("(question skipped)"));
  EXPECT_EQ(skipped.problems[0].line, 1);
}

TEST(ImportGift, NotesSayWhatIsNotKeptWithoutBlocking) {
  const GiftImport imported = ImportGift(
      "::Intro:: Read this first.\n\n[html]<span style=\"color:red\">Red</span> <u>or</u> not?{T}",
      {"quiz", "Quiz", false});
  ASSERT_TRUE(imported.course);
  EXPECT_EQ(Lines(imported.problems),
            "q.gift:1: note: the title 'Intro' of a description is not kept: a description "
            "becomes lesson text\n"
            "q.gift:3: note: the attribute 'style' is not kept\n"
            "q.gift:3: note: the element <u> is not kept\n");
  EXPECT_EQ(GiftProblemsError(imported.problems, "q.gift").fields.size(), 0u);
}

// ---- courses ------------------------------------------------------------------------------------

TEST(ImportGift, ALessonPerCategoryWithDescriptionsAsText) {
  const GiftImport categories = ImportGift(FixtureText("categories"), {"stats", "Stats", false});
  ASSERT_TRUE(categories.course) << Lines(categories.problems);
  const domain::Course& course = *categories.course;
  EXPECT_EQ(course.slug, "stats");
  EXPECT_EQ(course.title, "Stats");
  ASSERT_EQ(course.lessons.size(), 3u);
  EXPECT_EQ(course.lessons[0].title, "General");
  EXPECT_EQ(course.lessons[0].slug, "general");
  EXPECT_EQ(course.lessons[0].file_name, "01-general");
  EXPECT_EQ(course.lessons[1].title, "Averages");
  ASSERT_EQ(course.lessons[1].exercises.size(), 2u);  // both visits to Averages
  EXPECT_EQ(course.lessons[1].exercises[1].id, "median");
  EXPECT_EQ(course.lessons[2].slug, "averages-spread");

  const GiftImport text = ImportGift(FixtureText("descriptions"), {"stats", "Stats", false});
  ASSERT_TRUE(text.course);
  ASSERT_EQ(text.course->lessons.size(), 1u);
  const domain::Lesson& lesson = text.course->lessons[0];
  EXPECT_EQ(lesson.title, "Stats");  // no category: one lesson named after the course
  ASSERT_EQ(lesson.blocks.size(), 4u);
  EXPECT_EQ(lesson.blocks[0].text.markdown, "Averages describe where the middle of a list lies.\n");
  EXPECT_EQ(lesson.blocks[1].exercise_id, "mean");
  // Two descriptions in a row are one block of lesson text.
  EXPECT_EQ(lesson.blocks[2].text.markdown, "## Spread\n\nHow far values lie from each other.\n");
  EXPECT_EQ(lesson.blocks[3].exercise_id, "range");
}

// ---- round trips -------------------------------------------------------------------------------

void ExpectSameEntries(const std::vector<GiftEntry>& a, const std::vector<GiftEntry>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(a[i].category, b[i].category);
    EXPECT_EQ(a[i].exercise, b[i].exercise)
        << (a[i].exercise ? FormatExercise(*a[i].exercise) : "") << "\n"
        << (b[i].exercise ? FormatExercise(*b[i].exercise) : "");
    EXPECT_EQ(a[i].description, b[i].description);
  }
}

TEST(RoundTrip, ExportThenImportGivesTheSameQuestionsForEveryFixture) {
  const std::vector<std::string> names = FixtureNames();
  ASSERT_GE(names.size(), 13u);
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    const GiftFile original = ParseFixture(name);
    const GiftText written = WriteGift(original.entries);
    EXPECT_THAT(written.problems, IsEmpty()) << Lines(written.problems);
    const GiftFile back = ParseGift(written.text);
    EXPECT_THAT(back.problems, IsEmpty()) << Lines(back.problems) << written.text;
    ExpectSameEntries(back.entries, original.entries);
    EXPECT_EQ(back.categories, original.categories);
    EXPECT_EQ(WriteGift(back.entries).text, written.text);  // and the text is stable
  }
}

TEST(RoundTrip, ImportExportImportGivesTheFirstImportAndAValidBundle) {
  for (const std::string& name : FixtureNames()) {
    SCOPED_TRACE(name);
    const GiftImport first = ImportGift(FixtureText(name), {"quiz", "Quiz", false});
    ASSERT_TRUE(first.course) << Lines(first.problems);
    const GiftText exported = ExportGift(*first.course);
    EXPECT_THAT(exported.problems, IsEmpty()) << Lines(exported.problems);
    const GiftImport second = ImportGift(exported.text, {"quiz", "Quiz", false});
    ASSERT_TRUE(second.course) << Lines(second.problems) << exported.text;
    EXPECT_TRUE(*second.course == *first.course) << exported.text;

    // What GIFT brings in is a course like any other: it exports and imports as a bundle.
    const TempDir dir;
    const Status written = WriteBundle(*first.course, dir.path());
    ASSERT_TRUE(written.ok()) << Describe(written.error());
    Result<domain::Course> bundle = ReadBundle(dir.path());
    ASSERT_TRUE(bundle.ok()) << Describe(bundle.error());
    EXPECT_TRUE(*bundle == *first.course);
  }
}

// Practica's exercises from bundles: what GIFT holds comes back the same; the rest is reported.
TEST(RoundTrip, BundleExercisesExportWhatGiftHoldsAndReportTheRest) {
  domain::Exercise partial;
  partial.id = "primes";
  partial.prompt = MakeRichText("Which are prime?");
  domain::ChoiceOption two, four, five;
  two = {"a", MakeInlineRichText("2"), true, {}, std::nullopt};
  four = {"b", MakeInlineRichText("4"), false, MakeRichText("Even."), std::nullopt};
  five = {"c", MakeInlineRichText("5"), true, {}, std::nullopt};
  partial.spec = domain::MultipleChoice{{two, four, five}, domain::Scoring::kPartial, true};
  const GiftText written = WriteGift({GiftEntry{"", partial, {}, 0}});
  EXPECT_THAT(written.problems, IsEmpty());
  EXPECT_THAT(written.text, HasSubstr("~%50%2\n\t~%-50%4#Even.\n\t~%50%5\n"));
  const GiftFile back = ParseGift(written.text);
  ASSERT_EQ(back.entries.size(), 1u);
  EXPECT_EQ(back.entries[0].exercise, partial);

  Result<domain::Course> single = ReadBundle(Fixture("single-choice"));
  ASSERT_TRUE(single.ok());
  const GiftText lossy = ExportGift(*single);
  EXPECT_EQ(Lines(lossy.problems),
            "exercise middle-value: GIFT has no field for hints; it is left out\n"
            "exercise middle-value: GIFT has no field for max_attempts; it is left out\n"
            "exercise middle-value: GIFT has no field for penalty; it is left out\n"
            "exercise middle-value: GIFT has no field for shuffle: false; it is left out\n");
  EXPECT_THAT(lossy.text, HasSubstr("~%25%Mean#The mean is the sum divided by the count.\n"));

  for (const std::string fixture : {"ordering", "formula"}) {
    Result<domain::Course> course = ReadBundle(Fixture(fixture));
    ASSERT_TRUE(course.ok());
    const GiftText exported = ExportGift(*course);
    ASSERT_FALSE(exported.problems.empty());
    EXPECT_THAT(exported.problems[0].message, HasSubstr("exercise has no GIFT form"));
    EXPECT_EQ(exported.problems[0].kind, Kind::kUnsupported);
  }
  Result<domain::Course> cloze = ReadBundle(Fixture("cloze"));
  ASSERT_TRUE(cloze.ok());
  EXPECT_THAT(Lines(ExportGift(*cloze).problems), HasSubstr("gaps has no GIFT form"));
  Result<domain::Course> strict = ReadBundle(Fixture("multiple-choice"));
  ASSERT_TRUE(strict.ok());
  EXPECT_THAT(Lines(ExportGift(*strict).problems),
              HasSubstr("exercise primes-strict: all_or_nothing scoring has no GIFT form"));
}

TEST(RoundTrip, AGapAtTheEndOfAClozeStaysAMissingWord) {
  domain::Exercise cloze;
  cloze.id = "capital";
  cloze.prompt = MakeRichText("The capital of France is {{1}}");
  domain::ShortText paris;
  paris.answers = {{"Paris", "", 1, {}}};
  cloze.spec = domain::Cloze{{domain::ClozeGap{paris}}};
  const GiftText written = WriteGift({GiftEntry{"", cloze, {}, 0}});
  EXPECT_THAT(written.text, HasSubstr("The capital of France is {=Paris}\\n"));
  const GiftFile back = ParseGift(written.text);
  ASSERT_EQ(back.entries.size(), 1u) << Lines(back.problems);
  EXPECT_EQ(back.entries[0].exercise, cloze);
}

// Found by fuzz/gift_fuzz.cc: a text ending in a vertical tab kept it when read in Moodle's format
// and lost it when written back as [markdown], so the round trip gave another description.
TEST(RoundTrip, TextsEndingInAVerticalTabOrFormFeedComeBackTheSame) {
  for (const std::string text : {"Some text\v\n", "Some text\f\n", "\vSome text\n",
                                 "[html]<p>Some text</p>\v\n", "::Q:: Two and two?\v{=4}\n"}) {
    SCOPED_TRACE(text);
    const GiftFile file = ParseGift(text);
    EXPECT_FALSE(file.HasErrors()) << Lines(file.problems);
    ASSERT_EQ(file.entries.size(), 1u);
    const GiftText written = WriteGift(file.entries);
    ASSERT_THAT(written.problems, IsEmpty());
    ExpectSameEntries(ParseGift(written.text).entries, file.entries);
  }
}

// Found by fuzz/gift_fuzz.cc: the second of two questions with the same long title got an id
// cut just after a '-' ("…-becomes--2"), which an export wrote and the next import read as
// "…-becomes-2": another exercise.
TEST(RoundTrip, IdsMadeUniqueByASuffixReadBackTheSame) {
  // A 64-character slug whose 62nd character is '-': where "-2" cuts it.
  const std::string title = std::string(61, 'a') + " bc";
  const GiftFile file = ParseGift("::" + title + ":: One? {T}\n\n::" + title + ":: Two? {F}\n");
  ASSERT_EQ(file.entries.size(), 2u) << Lines(file.problems);
  EXPECT_EQ(file.entries[1].exercise->id, std::string(61, 'a') + "-2");
  const GiftFile back = ParseGift(WriteGift(file.entries).text);
  ExpectSameEntries(back.entries, file.entries);
}

// Found by fuzz/gift_fuzz.cc: '->' in a short answer's feedback made the written answer block read
// back as a matching question (an error), where '->' in the answer itself was already refused.
TEST(RoundTrip, AShortAnswerWhoseFeedbackHasAnArrowIsReportedNotWrittenWrong) {
  const GiftFile file = ParseGift("What comes next? {. #-> that way}\n");
  ASSERT_EQ(file.entries.size(), 1u) << Lines(file.problems);
  const GiftText written = WriteGift(file.entries);
  ASSERT_EQ(written.problems.size(), 1u) << written.text;
  EXPECT_THAT(written.problems[0].message, HasSubstr("would read as a matching question"));
  EXPECT_FALSE(ParseGift(written.text).HasErrors()) << written.text;
}

TEST(WriteGift, EscapesTextSoThatItReadsBackTheSame) {
  domain::Exercise tricky;
  tricky.id = "tricky";
  tricky.prompt = MakeRichText(
      "Braces {x}, a ~tilde~, a = sign, #hash, a: colon and \\backslash\n\n// not a comment\n\n"
      "$CATEGORY: not one");
  domain::ChoiceOption weight_like, tag_like;
  weight_like = {"a", MakeInlineRichText("%50% of it"), true, {}, std::nullopt};
  tag_like = {"b", MakeInlineRichText("[html] is a tag"), false, {}, std::nullopt};
  tricky.spec = domain::SingleChoice{{weight_like, tag_like}, true};
  const GiftText written = WriteGift({GiftEntry{"", tricky, {}, 0}});
  const GiftFile back = ParseGift(written.text);
  ASSERT_EQ(back.entries.size(), 1u) << Lines(back.problems) << written.text;
  EXPECT_EQ(back.entries[0].exercise, tricky) << written.text;
}

}  // namespace
}  // namespace practica::content
