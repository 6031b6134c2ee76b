#include "domain/text_match.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <random>
#include <regex>
#include <string>

namespace practica::domain {
namespace {

constexpr TextRules kExact{true, true};
constexpr TextRules kIgnoreCase{false, true};
constexpr TextRules kIgnoreAccents{true, false};
constexpr TextRules kLoose{false, false};

// ---- normalisation ----------------------------------------------------------------------------

TEST(CollapseWhitespace, TrimsAndCollapsesEveryKindOfSpace) {
  EXPECT_EQ(CollapseWhitespace("  Paris \t\n France  "), "Paris France");
  EXPECT_EQ(CollapseWhitespace("a\xc2\xa0\xc2\xa0"
                               "b"),
            "a b");                                                 // no-break spaces
  EXPECT_EQ(CollapseWhitespace("\xe2\x80\x83x\xe3\x80\x80"), "x");  // em space, ideographic
  EXPECT_EQ(CollapseWhitespace(""), "");
  EXPECT_EQ(CollapseWhitespace(" \t "), "");
  EXPECT_EQ(CollapseWhitespace("a\xff  b"), "a\xff b");  // invalid bytes are kept
}

TEST(FoldText, LowerCasesLatinGreekAndCyrillicWhenCaseIsIgnored) {
  EXPECT_EQ(FoldText("PaRiS", kIgnoreCase), "paris");
  EXPECT_EQ(FoldText("\xc3\x89T\xc3\x89", kIgnoreCase), "\xc3\xa9t\xc3\xa9");  // ÉTÉ → été
  EXPECT_EQ(FoldText("\xc5\xbd", kIgnoreCase), "\xc5\xbe");                    // Ž → ž
  EXPECT_EQ(FoldText("\xc5\x81\xc3\x93\xc4\x86", kIgnoreCase),
            "\xc5\x82\xc3\xb3\xc4\x87");                     // ŁÓĆ → łóć
  EXPECT_EQ(FoldText("\xc5\xb8", kIgnoreCase), "\xc3\xbf");  // Ÿ → ÿ
  EXPECT_EQ(FoldText("\xce\xa9", kIgnoreCase), "\xcf\x89");  // Ω → ω
  EXPECT_EQ(FoldText("\xd0\x96", kIgnoreCase), "\xd0\xb6");  // Ж → ж
  EXPECT_EQ(FoldText("\xc3\x97", kIgnoreCase), "\xc3\x97");  // × stays
  EXPECT_EQ(FoldText("PaRiS", kExact), "PaRiS");
}

TEST(FoldText, StripsDiacriticsWhenAccentsAreIgnored) {
  EXPECT_EQ(FoldText("\xc3\xa9t\xc3\xa9", kIgnoreAccents), "ete");  // été
  EXPECT_EQ(FoldText("\xc3\x89t\xc3\xa9", kIgnoreAccents), "Ete");  // case is kept
  EXPECT_EQ(FoldText("Stra\xc3\x9f"
                     "e",
                     kIgnoreAccents),
            "Strasse");                                       // ß → ss
  EXPECT_EQ(FoldText("\xc3\x86on", kIgnoreAccents), "AEon");  // Æ → AE
  EXPECT_EQ(FoldText("\xc5\x92uvre", kLoose), "oeuvre");      // Œ → oe
  EXPECT_EQ(FoldText("\xc5\x81\xc3\xb3"
                     "d\xc5\xba",
                     kLoose),
            "lodz");                                      // Łódź
  EXPECT_EQ(FoldText("\xc4\x9e\xc4\xb1", kLoose), "gi");  // Ğı
  EXPECT_EQ(FoldText("\xc5\x90\xc5\xb1", kLoose), "ou");  // Őű
  EXPECT_EQ(FoldText("\xc5\xbf", kIgnoreAccents), "s");   // long s
  EXPECT_EQ(FoldText("\xc3\xbe", kLoose), "th");          // þ
  EXPECT_EQ(FoldText("\xc3\xb7", kLoose), "\xc3\xb7");    // ÷ stays
  EXPECT_EQ(FoldText("\xce\x91", kLoose), "\xce\xb1");    // Greek has no folding, only case
}

TEST(NormalizeText, CollapsesThenFolds) {
  EXPECT_EQ(NormalizeText("  Cr\xc3\xa8me   BR\xc3\x9bL\xc3\x89"
                          "E ",
                          kLoose),
            "creme brulee");
}

// ---- the pattern engine: a table of patterns and texts ------------------------------------------

struct MatchCase {
  const char* pattern;
  const char* text;
  bool matches;
};

class PatternTable : public testing::TestWithParam<MatchCase> {};

TEST_P(PatternTable, MatchesTheWholeTextExactly) {
  const MatchCase& c = GetParam();
  Result<CompiledPattern> pattern = CompilePattern(c.pattern);
  ASSERT_TRUE(pattern.ok()) << c.pattern << ": " << pattern.error().message;
  EXPECT_EQ(Matches(*pattern, c.text), c.matches)
      << "/" << c.pattern << "/ on \"" << c.text << "\"";
}

INSTANTIATE_TEST_SUITE_P(
    Patterns, PatternTable,
    testing::Values(
        // literals and anchoring: the whole text must match
        MatchCase{"paris", "paris", true}, MatchCase{"paris", "paris!", false},
        MatchCase{"paris", "xparis", false}, MatchCase{"paris", "Paris", false},
        MatchCase{"", "", true}, MatchCase{"", "a", false}, MatchCase{"^par(is)?$", "par", true},
        MatchCase{"^par(is)?$", "paris", true}, MatchCase{"^par(is)?$", "pari", false},
        // dot and classes
        MatchCase{"p.r", "p\xc3\xa9r", true},  // . is one character, not one byte
        MatchCase{"p.r", "pr", false}, MatchCase{"[a-c]x", "bx", true},
        MatchCase{"[a-c]x", "dx", false}, MatchCase{"[^a-c]x", "dx", true},
        MatchCase{"[^a-c]x", "ax", false}, MatchCase{"[-a]", "-", true},
        MatchCase{"[a-]", "-", true}, MatchCase{"[\\]]", "]", true},
        MatchCase{"[\\d.]+", "3.14", true}, MatchCase{"[\\w-]+", "a-b_c", true},
        MatchCase{"[\\s]", "\t", true}, MatchCase{"[\xc3\xa0-\xc3\xbf]", "\xc3\xa9", true},
        // escapes
        MatchCase{"\\d+", "2024", true}, MatchCase{"\\d+", "20a4", false},
        MatchCase{"\\D", "a", true}, MatchCase{"\\w+", "abc_1", true}, MatchCase{"\\W", "a", false},
        MatchCase{"a\\sb", "a b", true}, MatchCase{"\\S", " ", false},
        MatchCase{"3\\.14", "3.14", true}, MatchCase{"3\\.14", "3x14", false},
        MatchCase{"a\\\\b", "a\\b", true}, MatchCase{"\\x41\\u0042\\u{43}", "ABC", true},
        MatchCase{"a\\tb", "a\tb", true}, MatchCase{"\\(x\\)", "(x)", true},
        MatchCase{"a{", "a{", true}, MatchCase{"a{x}", "a{x}", true},
        // groups and alternation
        MatchCase{"(a|b)c", "bc", true}, MatchCase{"(?:ab)+", "ababab", true},
        MatchCase{"(?:ab)+", "ababa", false}, MatchCase{"(?<word>ab)c", "abc", true},
        MatchCase{"cat|dog", "dog", true}, MatchCase{"cat|dog", "catdog", false},
        MatchCase{"a(|b)c", "ac", true}, MatchCase{"a(|b)c", "abc", true},
        MatchCase{"(a|ab)(c|bcd)", "abcd", true},
        // quantifiers
        MatchCase{"a*", "", true}, MatchCase{"a*", "aaaa", true}, MatchCase{"a+", "", false},
        MatchCase{"colou?r", "color", true}, MatchCase{"colou?r", "colour", true},
        MatchCase{"a{3}", "aaa", true}, MatchCase{"a{3}", "aa", false},
        MatchCase{"a{3}", "aaaa", false}, MatchCase{"a{2,}", "a", false},
        MatchCase{"a{2,}", "aaaaa", true}, MatchCase{"a{2,4}", "aaaa", true},
        MatchCase{"a{2,4}", "aaaaa", false}, MatchCase{"a{0,2}", "", true},
        MatchCase{"(ab){1,2}c", "ababc", true}, MatchCase{"a*?b", "aab", true},
        MatchCase{"(a*)*", "aaa", true}, MatchCase{"(a*)+b", "b", true},
        MatchCase{"(a?){3}a{3}", "aaa", true},
        // assertions
        MatchCase{"\\bcat\\b", "cat", true}, MatchCase{"a\\b b", "a b", true},
        MatchCase{"a\\Bb", "ab", true}, MatchCase{"a\\bb", "ab", false},
        MatchCase{"(^a|b)+", "ab", true}, MatchCase{"(a|^b)+", "ab", false},
        MatchCase{"a$|b", "a", true}));

TEST(CompilePattern, AQuantifiedGroupMayHoldOnlyAnAssertion) {
  Result<CompiledPattern> pattern = CompilePattern("(?:^)+a(?:\\b)*(?:$){2}");
  ASSERT_TRUE(pattern.ok()) << pattern.error().message;
  EXPECT_TRUE(Matches(*pattern, "a"));
  EXPECT_FALSE(Matches(*pattern, "aa"));
}

// ---- agreement with std::regex on random patterns ----------------------------------------------

// Random patterns over a small alphabet. Groups only take quantifiers that cannot repeat an empty
// match, because libstdc++'s backtracking std::regex can loop forever on those.
class PatternGenerator {
 public:
  explicit PatternGenerator(uint32_t seed) : random_(seed) {}

  std::string Alternation(int depth) {
    std::string pattern = Atom(depth);
    for (int i = Pick(3); i > 0; --i) pattern += Atom(depth);
    if (Pick(4) == 0) pattern += "|" + Alternation(depth + 1);
    return pattern;
  }

  std::string Text() {
    static constexpr std::string_view kAlphabet = "aBc1 ";
    std::string text;
    for (int i = Pick(7); i > 0; --i) text += kAlphabet[static_cast<size_t>(Pick(5))];
    return text;
  }

 private:
  int Pick(int n) { return static_cast<int>(random_() % static_cast<uint32_t>(n)); }

  std::string Atom(int depth) {
    static constexpr std::array<std::string_view, 13> kAtoms = {
        "a", "b", "C", ".", "[ab]", "[^a]", "\\w", "\\d", "[a-c]", "1", "\\b", "^", "$"};
    static constexpr std::array<std::string_view, 10> kQuantifiers = {
        "", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,}", "*?"};
    static constexpr std::array<std::string_view, 5> kInner = {"", "", "+", "{2}", "{1,3}"};
    const int kind = Pick(10);
    std::string atom;
    if (kind < 6 || depth > 3) {
      atom = kAtoms[static_cast<size_t>(Pick(13))];
    } else {
      atom = (kind < 8 ? "(" : "(?:") + Alternation(depth + 1) + ")";
    }
    if (atom == "\\b" || atom == "^" || atom == "$") return atom;
    return atom + std::string(depth == 0 ? kQuantifiers[static_cast<size_t>(Pick(10))]
                                         : kInner[static_cast<size_t>(Pick(5))]);
  }

  std::mt19937 random_;
};

TEST(Matches, AgreesWithStdRegexOnRandomPatterns) {
  PatternGenerator generator(20261125);
  int compared = 0;
  for (int i = 0; i < 400; ++i) {
    const std::string source = generator.Alternation(0);
    const bool ignore_case = i % 2 == 1;
    const auto flags =
        ignore_case ? std::regex::ECMAScript | std::regex::icase : std::regex::ECMAScript;
    const std::regex reference(source, flags);
    Result<CompiledPattern> pattern = CompilePattern(source, ignore_case ? kIgnoreCase : kExact);
    ASSERT_TRUE(pattern.ok()) << source << ": " << pattern.error().message;
    for (int j = 0; j < 10; ++j) {
      const std::string text = generator.Text();
      EXPECT_EQ(Matches(*pattern, text), std::regex_match(text, reference))
          << "/" << source << "/" << (ignore_case ? "i" : "") << " on \"" << text << "\"";
      ++compared;
    }
  }
  EXPECT_EQ(compared, 4000);
}

// ---- folding applies to patterns the same way --------------------------------------------------

TEST(CompilePattern, IgnoresCaseInLiteralsAndClassesWhenAsked) {
  Result<CompiledPattern> literal = CompilePattern("^Paris$", kIgnoreCase);
  ASSERT_TRUE(literal.ok());
  EXPECT_TRUE(Matches(*literal, "PARIS"));
  EXPECT_TRUE(Matches(*literal, "paris"));
  EXPECT_FALSE(Matches(*literal, "par\xc3\xaes"));  // parîs: accents still count

  Result<CompiledPattern> upper_class = CompilePattern("[A-Z]+", kIgnoreCase);
  ASSERT_TRUE(upper_class.ok());
  EXPECT_TRUE(Matches(*upper_class, "abc"));
  Result<CompiledPattern> negated = CompilePattern("[^A-Z]", kIgnoreCase);
  ASSERT_TRUE(negated.ok());
  EXPECT_FALSE(Matches(*negated, "a"));
  EXPECT_FALSE(Matches(*negated, "A"));
  EXPECT_TRUE(Matches(*negated, "1"));

  Result<CompiledPattern> accented = CompilePattern("\xc3\x89t\xc3\xa9", kIgnoreCase);  // Été
  ASSERT_TRUE(accented.ok());
  EXPECT_TRUE(Matches(*accented, "\xc3\xa9T\xc3\x89"));  // éTÉ
  EXPECT_FALSE(Matches(*accented, "ete"));

  Result<CompiledPattern> exact = CompilePattern("Paris");
  ASSERT_TRUE(exact.ok());
  EXPECT_FALSE(Matches(*exact, "paris"));
}

TEST(CompilePattern, IgnoresAccentsInLiteralsClassesAndText) {
  Result<CompiledPattern> pattern = CompilePattern(
      "cr[e\xc3\xa8]me br\xc3\xbbl\xc3\xa9"
      "e",
      kLoose);  // cr[eè]me brûlée
  ASSERT_TRUE(pattern.ok());
  EXPECT_TRUE(Matches(*pattern, "creme brulee"));
  EXPECT_TRUE(Matches(*pattern,
                      "CR\xc3\x88ME BR\xc3\x9bL\xc3\x89"
                      "E"));
  EXPECT_FALSE(Matches(*pattern, "crime brulee"));

  Result<CompiledPattern> sharp_s = CompilePattern(
      "Stra\xc3\x9f"
      "e",
      kLoose);  // Straße
  ASSERT_TRUE(sharp_s.ok());
  EXPECT_TRUE(Matches(*sharp_s, "strasse"));
  EXPECT_TRUE(Matches(*sharp_s,
                      "Stra\xc3\x9f"
                      "e"));

  Result<CompiledPattern> range = CompilePattern("[\xc3\xa0-\xc3\xa5]", kLoose);  // [à-å]
  ASSERT_TRUE(range.ok());
  EXPECT_TRUE(Matches(*range, "a"));
  EXPECT_TRUE(Matches(*range, "\xc3\x85"));  // Å
  EXPECT_FALSE(Matches(*range, "e"));

  // \w is ASCII; an accented letter counts as its base letter once accents are ignored.
  Result<CompiledPattern> word = CompilePattern("\\w+", kLoose);
  ASSERT_TRUE(word.ok());
  EXPECT_TRUE(Matches(*word, "caf\xc3\xa9"));
  Result<CompiledPattern> strict_word = CompilePattern("\\w+", kIgnoreCase);
  ASSERT_TRUE(strict_word.ok());
  EXPECT_FALSE(Matches(*strict_word, "caf\xc3\xa9"));
}

// ---- errors -----------------------------------------------------------------------------------

struct BadPattern {
  const char* pattern;
  const char* message;  // the whole error message
};

class PatternErrors : public testing::TestWithParam<BadPattern> {};

TEST_P(PatternErrors, AreRefusedWithTheColumnAndTheReason) {
  Result<CompiledPattern> pattern = CompilePattern(GetParam().pattern);
  ASSERT_FALSE(pattern.ok()) << GetParam().pattern;
  EXPECT_EQ(pattern.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(pattern.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Unsupported, PatternErrors,
    testing::Values(
        BadPattern{"(a)\\1", "column 4: backreferences (\\1) are not supported"},
        BadPattern{"(?<x>a)\\k<x>", "column 8: backreferences (\\k<name>) are not supported"},
        BadPattern{"a(?=b)", "column 2: lookahead (?= or (?! is not supported"},
        BadPattern{"a(?!b)", "column 2: lookahead (?= or (?! is not supported"},
        BadPattern{"(?<=a)b", "column 1: lookbehind (?<= or (?<! is not supported"},
        BadPattern{"(?<!a)b", "column 1: lookbehind (?<= or (?<! is not supported"},
        BadPattern{"(?i)a",
                   "column 1: this group syntax is not supported; use (…) or (?:…) (inline "
                   "flags are not either: the exercise's case and accent settings apply)"},
        BadPattern{"\\p{L}", "column 1: Unicode property classes (\\p{…}) are not supported"},
        BadPattern{"*a", "column 1: nothing to repeat before '*'"},
        BadPattern{"a|+", "column 3: nothing to repeat before '+'"},
        BadPattern{"a**", "column 3: nothing to repeat (quantifiers cannot follow each other)"},
        BadPattern{"a{2}{3}", "column 5: nothing to repeat (quantifiers cannot follow each other)"},
        BadPattern{"{2}", "column 1: nothing to repeat before '{'"},
        BadPattern{"^*", "column 2: an assertion such as ^ or \\b cannot be repeated"},
        BadPattern{"(ab", "column 1: missing ) for this ("},
        BadPattern{"ab)", "column 3: unmatched ')'"},
        BadPattern{"x[ab", "column 2: missing ] for this ["},
        BadPattern{"[z-a]", "column 2: range out of order in the class"},
        BadPattern{"[\\d-z]", "column 2: a range cannot start or end with a class such as \\d"},
        BadPattern{"a{5,2}", "column 2: numbers out of order in {5,2}"},
        BadPattern{"a{1001}", "column 2: repetition counts above 1000 are not supported"},
        BadPattern{"\\q", "column 1: unknown escape \\q"},
        BadPattern{"\\x4", "column 1: \\x needs two hex digits, as in \\x41"},
        BadPattern{"\\u{110000}", "column 1: \\u needs four hex digits or {…}, as in \\u00e9"},
        BadPattern{"ab\\", "column 3: the pattern ends with a lone backslash"},
        BadPattern{"\\01", "column 1: octal escapes are not supported; use \\xHH"},
        BadPattern{"\xc3(", "the pattern is not valid UTF-8"}));

TEST(CompilePattern, ColumnsCountCharactersNotBytes) {
  Result<CompiledPattern> pattern = CompilePattern("\xc3\xa9\xc3\xa9)");  // éé)
  ASSERT_FALSE(pattern.ok());
  EXPECT_EQ(pattern.error().message, "column 3: unmatched ')'");
}

TEST(CompilePattern, RefusesPatternsThatExpandPastTheStateLimit) {
  // (a{1000}){1000} would be a million states; refused before anything is built.
  Result<CompiledPattern> huge = CompilePattern("(a{1000}){1000}");
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().message,
            "the pattern needs more than 2000 states once its repetitions are expanded; "
            "simplify it");
  Result<CompiledPattern> nested = CompilePattern("((((a{10}){10}){10}){10})");
  EXPECT_FALSE(nested.ok());

  // a{1000}b{999} is 1,999 states plus the final match: exactly the limit.
  Result<CompiledPattern> at_limit = CompilePattern("a{1000}b{999}");
  ASSERT_TRUE(at_limit.ok()) << at_limit.error().message;
  EXPECT_EQ(at_limit->size(), kMaxPatternStates);
  EXPECT_TRUE(Matches(*at_limit, std::string(1000, 'a') + std::string(999, 'b')));
  EXPECT_FALSE(Matches(*at_limit, std::string(1000, 'a') + std::string(998, 'b')));
  EXPECT_FALSE(CompilePattern("a{1000}b{1000}").ok());
}

TEST(CompilePattern, RefusesLongAndDeeplyNestedPatterns) {
  EXPECT_FALSE(CompilePattern(std::string(kMaxPatternBytes + 1, 'a')).ok());
  const std::string deep = std::string(101, '(') + "a" + std::string(101, ')');
  Result<CompiledPattern> too_deep = CompilePattern(deep);
  ASSERT_FALSE(too_deep.ok());
  EXPECT_EQ(too_deep.error().message, "column 101: groups nested more than 100 deep");
  const std::string fine = std::string(100, '(') + "a" + std::string(100, ')');
  Result<CompiledPattern> deep_enough = CompilePattern(fine);
  ASSERT_TRUE(deep_enough.ok());
  EXPECT_TRUE(Matches(*deep_enough, "a"));
}

// ---- the classic catastrophic cases finish in linear time ---------------------------------------

// Runs Matches and prints how long it took; the test asserts the result, never the time.
bool TimedMatch(const char* name, const CompiledPattern& pattern, const std::string& text) {
  const auto start = std::chrono::steady_clock::now();
  const bool matched = Matches(pattern, text);
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  std::printf("[   TIME   ] %s on %zu characters: %lld us\n", name, text.size(),
              static_cast<long long>(elapsed.count()));
  return matched;
}

TEST(Matches, NestedPlusOnANearMissIsLinear) {
  Result<CompiledPattern> pattern = CompilePattern("(a+)+$");
  ASSERT_TRUE(pattern.ok());
  const std::string near_miss = std::string(10000, 'a') + "!";
  EXPECT_FALSE(TimedMatch("(a+)+$", *pattern, near_miss));
  EXPECT_TRUE(TimedMatch("(a+)+$", *pattern, std::string(10000, 'a')));
}

TEST(Matches, OverlappingAlternativesUnderAStarAreLinear) {
  Result<CompiledPattern> pattern = CompilePattern("(a|aa)*b");
  ASSERT_TRUE(pattern.ok());
  EXPECT_FALSE(TimedMatch("(a|aa)*b", *pattern, std::string(10000, 'a')));
  EXPECT_TRUE(TimedMatch("(a|aa)*b", *pattern, std::string(10000, 'a') + "b"));
}

TEST(Matches, NestedQuantifiersAreLinear) {
  Result<CompiledPattern> stars = CompilePattern("(a*)*(b*)*c");
  ASSERT_TRUE(stars.ok());
  EXPECT_FALSE(TimedMatch("(a*)*(b*)*c", *stars, std::string(5000, 'a') + std::string(5000, 'b')));

  Result<CompiledPattern> counted = CompilePattern("(a?){30}a{30}");
  ASSERT_TRUE(counted.ok());
  EXPECT_TRUE(TimedMatch("(a?){30}a{30}", *counted, std::string(30, 'a')));
  EXPECT_FALSE(TimedMatch("(a?){30}a{30}", *counted, std::string(29, 'a')));

  Result<CompiledPattern> wide = CompilePattern("(\\w+\\s?)+$");
  ASSERT_TRUE(wide.ok());
  std::string words;
  for (int i = 0; i < 2000; ++i) words += "word ";
  EXPECT_FALSE(TimedMatch("(\\w+\\s?)+$", *wide, words + "!"));
}

TEST(Matches, TheLargestPatternOnTheLongestAnswerStaysBounded) {
  // Every one of the ~2,000 states stays alive on every character: the most work a pattern can
  // ask for per character (about 0.1 s for 10,000 characters in an optimised build; a shorter
  // text here keeps the Debug test quick).
  Result<CompiledPattern> pattern = CompilePattern("(?:a*){666}");
  ASSERT_TRUE(pattern.ok()) << pattern.error().message;
  EXPECT_EQ(pattern->size(), 1999u);
  EXPECT_FALSE(TimedMatch("(?:a*){666}", *pattern, std::string(2000, 'a') + "!"));
  EXPECT_TRUE(TimedMatch("(?:a*){666}", *pattern, std::string(500, 'a')));
}

}  // namespace
}  // namespace practica::domain
