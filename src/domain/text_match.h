// Text comparison for short-text answers: normalisation, case and accent folding, and a regular
// expression matcher whose running time is bounded.
//
// Learners control the text and authors control the patterns, so neither may make matching slow:
// patterns compile to a Thompson NFA of at most kMaxPatternStates instructions, and Matches()
// simulates it breadth-first (a Pike VM), which takes O(text length × pattern states) time and
// O(pattern states) memory whatever the pattern — no backtracking, no catastrophic cases.
//
// Folding covers ASCII, Latin-1 Supplement and Latin Extended-A (U+00C0–U+017F) for both case and
// accents, and basic Greek and Cyrillic for case. Other characters compare as written.
// Pure functions of their arguments; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace practica::domain {

// How two texts are compared. The defaults compare exactly; short-text exercises default to
// {case_sensitive = false, accents_strict = false} (CONTENT-FORMAT.md).
struct TextRules {
  bool case_sensitive = true;
  bool accents_strict = true;  // false: "é" compares equal to "e", "ß" to "ss", "Æ" to "AE"
};

// Trims the text and collapses every run of inner whitespace (ASCII whitespace, no-break and the
// Unicode space separators) to one ASCII space. Bytes that are not UTF-8 are kept as they are.
std::string CollapseWhitespace(std::string_view text);

// Folds each character by `rules`: lower case unless case_sensitive, base letters unless
// accents_strict. Invalid UTF-8 bytes are kept as they are.
std::string FoldText(std::string_view text, const TextRules& rules);

// CollapseWhitespace, then FoldText: the form in which short-text answers are compared.
std::string NormalizeText(std::string_view text, const TextRules& rules);

// A compiled pattern: an NFA program. Cheap to move; immutable once compiled.
class CompiledPattern {
 public:
  struct Instruction;  // defined in text_match.cc
  struct CharClass {
    std::vector<std::pair<char32_t, char32_t>> ranges;  // sorted, disjoint, inclusive
    bool negated = false;
  };

  CompiledPattern(CompiledPattern&&) noexcept;
  CompiledPattern& operator=(CompiledPattern&&) noexcept;
  ~CompiledPattern();

  // The number of NFA instructions (states); at most kMaxPatternStates.
  size_t size() const;
  const TextRules& rules() const { return rules_; }

 private:
  friend Result<CompiledPattern> CompilePattern(std::string_view pattern, const TextRules& rules);
  friend bool Matches(const CompiledPattern& pattern, std::string_view text);

  CompiledPattern(std::vector<Instruction> program, std::vector<CharClass> classes,
                  TextRules rules);

  std::vector<Instruction> program_;
  std::vector<CharClass> classes_;
  TextRules rules_;
};

inline constexpr size_t kMaxPatternStates = 2000;
inline constexpr size_t kMaxPatternBytes = 4000;

// Compiles `pattern` (UTF-8). The syntax is the common core of ECMAScript regular expressions:
// literals, ".", classes [a-z] [^…] with \d \w \s \D \W \S inside or outside them, escapes
// (\. \\ \t \n \r \f \v \0 \xHH \uHHHH \u{H…}), groups (…) (?:…) (?<name>…), alternation |, the
// quantifiers * + ? {m} {m,} {m,n} (counts up to 1000; lazy forms such as *? are accepted and mean
// the same for a whole-text match), and the assertions ^ $ \b \B.
// Backreferences, lookaround, \p{…} and other syntax are refused with an error saying so.
// Literal characters and classes in the pattern are folded by `rules`, like the text will be.
// Errors (kInvalid): "column N: what is wrong" (N counts characters from 1), a pattern over
// kMaxPatternBytes, or one that needs more than kMaxPatternStates states once repetitions are
// expanded.
Result<CompiledPattern> CompilePattern(std::string_view pattern, const TextRules& rules = {});

// Whether the pattern matches the WHOLE of `text` (anchored at both ends, as if wrapped in
// ^(?:…)$). The text is folded by the pattern's rules first; it is not whitespace-collapsed.
bool Matches(const CompiledPattern& pattern, std::string_view text);

}  // namespace practica::domain
