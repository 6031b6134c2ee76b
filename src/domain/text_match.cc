#include "domain/text_match.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>

namespace practica::domain {

// One NFA instruction. Split and Jump name their targets; Char/Class consume one character.
struct CompiledPattern::Instruction {
  enum class Op : uint8_t { kChar, kAny, kClass, kSplit, kJump, kAssert, kMatch };
  Op op = Op::kMatch;
  char32_t cp = 0;  // kChar
  uint32_t x = 0;   // kSplit/kJump: target; kClass: class index; kAssert: the Assertion
  uint32_t y = 0;   // kSplit: second target
};

namespace {

using Instruction = CompiledPattern::Instruction;
using Op = Instruction::Op;
using Range = std::pair<char32_t, char32_t>;

constexpr char32_t kMaxCodePoint = 0x10FFFF;
constexpr char32_t kReplacement = 0xFFFD;
constexpr int kMaxRepeatCount = 1000;
constexpr int kMaxGroupDepth = 100;

// ---- UTF-8 ------------------------------------------------------------------------------------

// Decodes the well-formed UTF-8 sequence at text[pos] and advances pos past it. Returns nullopt
// (and advances by one byte) for a byte that does not start a well-formed sequence: overlong
// forms, surrogates and values above U+10FFFF are not well-formed.
std::optional<char32_t> DecodeNext(std::string_view text, size_t& pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char b0 = byte(pos);
  if (b0 < 0x80) {
    ++pos;
    return b0;
  }
  size_t length = 0;
  char32_t cp = 0;
  unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
    cp = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    cp = b0 & 0x0Fu;
    if (b0 == 0xE0) low = 0xA0;
    if (b0 == 0xED) high = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    cp = b0 & 0x07u;
    if (b0 == 0xF0) low = 0x90;
    if (b0 == 0xF4) high = 0x8F;
  } else {
    ++pos;
    return std::nullopt;
  }
  if (text.size() - pos < length || byte(pos + 1) < low || byte(pos + 1) > high) {
    ++pos;
    return std::nullopt;
  }
  for (size_t i = 1; i < length; ++i) {
    const unsigned char b = byte(pos + i);
    if (b < 0x80 || b > 0xBF) {
      ++pos;
      return std::nullopt;
    }
    cp = (cp << 6) | (b & 0x3Fu);
  }
  pos += length;
  return cp;
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// ---- folding ----------------------------------------------------------------------------------

// U+00C0–U+00FF: each letter without its diacritics, in the letter's own case ("" for × and ÷,
// which are not letters and stay as they are).
constexpr std::string_view kLatin1Base[] = {
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I",  "I",   // C0–CF
    "D", "N", "O", "O", "O", "O", "O",  "",  "O", "U", "U", "U", "U", "Y", "TH", "ss",  // D0–DF
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   // E0–EF
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",   // F0–FF
};
static_assert(std::size(kLatin1Base) == 0x40);

// U+0100–U+017F (Latin Extended-A), likewise.
constexpr std::string_view kLatinExtendedABase[] = {
    "A", "a", "A",  "a",  "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d",  // 100–10F
    "D", "d", "E",  "e",  "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g",  // 110–11F
    "G", "g", "G",  "g",  "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i",  // 120–12F
    "I", "i", "IJ", "ij", "J", "j", "K", "k", "k", "L", "l", "L", "l", "L", "l", "L",  // 130–13F
    "l", "L", "l",  "N",  "n", "N", "n", "N", "n", "n", "N", "n", "O", "o", "O", "o",  // 140–14F
    "O", "o", "OE", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s",  // 150–15F
    "S", "s", "T",  "t",  "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u",  // 160–16F
    "U", "u", "U",  "u",  "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z", "s",  // 170–17F
};
static_assert(std::size(kLatinExtendedABase) == 0x80);

// The simple lower-case mapping for ASCII, Latin-1, Latin Extended-A, and basic Greek and
// Cyrillic capitals; every other character maps to itself.
char32_t LowerCase(char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 0x20;
  if (cp < 0xC0) return cp;
  if (cp <= 0xDE) return cp == 0xD7 ? cp : cp + 0x20;
  if (cp < 0x100) return cp;
  if (cp <= 0x17F) {
    if (cp == 0x130) return 'i';   // İ
    if (cp == 0x178) return 0xFF;  // Ÿ
    const bool even_upper =
        cp <= 0x12F || (cp >= 0x132 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177);
    if (even_upper) return cp % 2 == 0 ? cp + 1 : cp;
    const bool odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
    if (odd_upper) return cp % 2 == 1 ? cp + 1 : cp;
    return cp;  // ı ĸ ŉ ſ have no lower-case form of their own
  }
  if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 0x20;  // Α–Ω
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;                 // А–Я
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;                 // Ѐ–Џ
  return cp;
}

// The intervals outside which FoldChar is the identity for every rule set.
constexpr std::array<Range, 4> kFoldable = {
    {{'A', 'Z'}, {0xC0, 0x17F}, {0x391, 0x3A9}, {0x400, 0x42F}}};

struct Folded {
  std::array<char32_t, 2> chars{};
  int count = 0;
};

Folded FoldChar(char32_t cp, const TextRules& rules) {
  Folded folded;
  std::string_view base;
  if (!rules.accents_strict && cp >= 0xC0 && cp <= 0x17F) {
    base = cp < 0x100 ? kLatin1Base[cp - 0xC0] : kLatinExtendedABase[cp - 0x100];
  }
  if (base.empty()) {
    folded.chars[0] = rules.case_sensitive ? cp : LowerCase(cp);
    folded.count = 1;
    return folded;
  }
  for (char c : base) {
    const auto letter = static_cast<char32_t>(c);
    folded.chars[static_cast<size_t>(folded.count++)] =
        rules.case_sensitive ? letter : LowerCase(letter);
  }
  return folded;
}

bool IsSpace(char32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

bool IsWordChar(char32_t cp) {
  return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
         cp == '_';
}

// The text as code points after folding; bytes that are not UTF-8 become U+FFFD.
std::u32string FoldToCodePoints(std::string_view text, const TextRules& rules) {
  std::u32string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const std::optional<char32_t> cp = DecodeNext(text, pos);
    const Folded folded = FoldChar(cp.value_or(kReplacement), rules);
    out.append(folded.chars.data(), static_cast<size_t>(folded.count));
  }
  return out;
}

// ---- character sets ---------------------------------------------------------------------------

void Normalize(std::vector<Range>& ranges) {
  std::sort(ranges.begin(), ranges.end());
  std::vector<Range> merged;
  for (const Range& range : ranges) {
    if (!merged.empty() && range.first <= merged.back().second + 1) {
      merged.back().second = std::max(merged.back().second, range.second);
    } else {
      merged.push_back(range);
    }
  }
  ranges = std::move(merged);
}

std::vector<Range> Complement(std::vector<Range> ranges) {
  Normalize(ranges);
  std::vector<Range> out;
  char32_t next = 0;
  for (const Range& range : ranges) {
    if (range.first > next) out.emplace_back(next, range.first - 1);
    next = range.second + 1;
  }
  if (next <= kMaxCodePoint) out.emplace_back(next, kMaxCodePoint);
  return out;
}

std::vector<Range> DigitSet() { return {{'0', '9'}}; }
std::vector<Range> WordSet() { return {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}; }
std::vector<Range> SpaceSet() {
  return {{0x09, 0x0D},     {0x20, 0x20},     {0x85, 0x85},     {0xA0, 0xA0},
          {0x1680, 0x1680}, {0x2000, 0x200A}, {0x2028, 0x2029}, {0x202F, 0x202F},
          {0x205F, 0x205F}, {0x3000, 0x3000}, {0xFEFF, 0xFEFF}};
}

// Adds the folded form of every character in `ranges` that folds to a single character, so that
// a class written with capitals or accents matches text folded by the same rules.
void AddFolded(std::vector<Range>& ranges, const TextRules& rules) {
  if (rules.case_sensitive && rules.accents_strict) return;
  const std::vector<Range> written = ranges;
  for (const Range& range : written) {
    for (const Range& foldable : kFoldable) {
      const char32_t low = std::max(range.first, foldable.first);
      const char32_t high = std::min(range.second, foldable.second);
      for (char32_t cp = low; cp <= high && low <= high; ++cp) {
        const Folded folded = FoldChar(cp, rules);
        if (folded.count == 1 && folded.chars[0] != cp) {
          ranges.emplace_back(folded.chars[0], folded.chars[0]);
        }
      }
    }
  }
}

// ---- the pattern syntax tree ------------------------------------------------------------------

enum class Assertion : uint32_t { kBegin, kEnd, kWordBoundary, kNotWordBoundary };

struct Node {
  enum class Kind { kEmpty, kChar, kAny, kClass, kAssert, kConcat, kAlternate, kRepeat };
  Kind kind = Kind::kEmpty;
  char32_t cp = 0;             // kChar
  uint32_t index = 0;          // kClass: class index; kAssert: the Assertion
  int min = 0;                 // kRepeat
  int max = 0;                 // kRepeat; -1: unbounded
  std::vector<Node> children;  // kConcat, kAlternate; kRepeat has one
};

constexpr uint64_t kSizeCap = uint64_t{1} << 40;

uint64_t Saturate(uint64_t value) { return std::min(value, kSizeCap); }

// The number of instructions Emit() writes for `node`, saturating at kSizeCap.
uint64_t ProgramSize(const Node& node) {
  switch (node.kind) {
    case Node::Kind::kEmpty:
      return 0;
    case Node::Kind::kChar:
    case Node::Kind::kAny:
    case Node::Kind::kClass:
    case Node::Kind::kAssert:
      return 1;
    case Node::Kind::kConcat: {
      uint64_t total = 0;
      for (const Node& child : node.children) total = Saturate(total + ProgramSize(child));
      return total;
    }
    case Node::Kind::kAlternate: {
      uint64_t total = 2 * (node.children.size() - 1);
      for (const Node& child : node.children) total = Saturate(total + ProgramSize(child));
      return total;
    }
    case Node::Kind::kRepeat: {
      const uint64_t child = ProgramSize(node.children[0]);
      const auto min = static_cast<uint64_t>(node.min);
      if (node.max < 0) {
        return min == 0 ? Saturate(child + 2) : Saturate((min - 1) * child + child + 1);
      }
      const auto optional = static_cast<uint64_t>(node.max - node.min);
      return Saturate(min * child + optional * (child + 1));
    }
  }
  return kSizeCap;
}

class Emitter {
 public:
  std::vector<Instruction> Finish(const Node& root) {
    Emit(root);
    program_.push_back({Op::kMatch});
    return std::move(program_);
  }

 private:
  uint32_t Here() const { return static_cast<uint32_t>(program_.size()); }
  uint32_t Push(Instruction instruction) {
    program_.push_back(instruction);
    return Here() - 1;
  }

  void Emit(const Node& node) {
    switch (node.kind) {
      case Node::Kind::kEmpty:
        return;
      case Node::Kind::kChar:
        Push({Op::kChar, node.cp});
        return;
      case Node::Kind::kAny:
        Push({Op::kAny});
        return;
      case Node::Kind::kClass:
        Push({Op::kClass, 0, node.index});
        return;
      case Node::Kind::kAssert:
        Push({Op::kAssert, 0, node.index});
        return;
      case Node::Kind::kConcat:
        for (const Node& child : node.children) Emit(child);
        return;
      case Node::Kind::kAlternate:
        EmitAlternate(node);
        return;
      case Node::Kind::kRepeat:
        EmitRepeat(node);
        return;
    }
  }

  // split(first, next) first… jump(end) next: split(second, …) … last end:
  void EmitAlternate(const Node& node) {
    std::vector<uint32_t> jumps;
    for (size_t i = 0; i + 1 < node.children.size(); ++i) {
      const uint32_t split = Push({Op::kSplit});
      program_[split].x = Here();
      Emit(node.children[i]);
      jumps.push_back(Push({Op::kJump}));
      program_[split].y = Here();
    }
    Emit(node.children.back());
    for (uint32_t jump : jumps) program_[jump].x = Here();
  }

  void EmitRepeat(const Node& node) {
    const Node& child = node.children[0];
    if (node.max < 0) {
      if (node.min == 0) {  // loop: split(body, end) body jump(loop) end:
        const uint32_t loop = Push({Op::kSplit});
        program_[loop].x = Here();
        Emit(child);
        Push({Op::kJump, 0, loop});
        program_[loop].y = Here();
        return;
      }
      for (int i = 0; i + 1 < node.min; ++i) Emit(child);
      const uint32_t body = Here();  // body split(body, end) end:
      Emit(child);
      const uint32_t split = Push({Op::kSplit, 0, body});
      program_[split].y = Here();
      return;
    }
    for (int i = 0; i < node.min; ++i) Emit(child);
    for (int i = node.min; i < node.max; ++i) {  // split(body, end) body end:
      const uint32_t split = Push({Op::kSplit});
      program_[split].x = Here();
      Emit(child);
      program_[split].y = Here();
    }
  }

  std::vector<Instruction> program_;
};

// ---- the pattern parser -----------------------------------------------------------------------

// Recursive descent over the decoded pattern. Each Parse* returns false after recording the first
// error; nesting is bounded by kMaxGroupDepth, so the recursion is too.
class PatternParser {
 public:
  PatternParser(std::u32string pattern, const TextRules& rules)
      : pattern_(std::move(pattern)), rules_(rules) {}

  std::optional<Node> Parse() {
    Node root;
    if (!ParseAlternation(root)) return std::nullopt;
    if (!AtEnd()) {  // only an unmatched ')' stops the top-level alternation early
      Fail(pos_, "unmatched ')'");
      return std::nullopt;
    }
    return root;
  }

  const Error& error() const { return error_; }
  std::vector<CompiledPattern::CharClass>& classes() { return classes_; }

 private:
  // One escape sequence: a character, a set of characters, or an assertion.
  struct Escape {
    std::optional<char32_t> cp;
    std::optional<std::vector<Range>> set;
    std::optional<Assertion> assertion;
  };

  bool AtEnd() const { return pos_ >= pattern_.size(); }
  char32_t Peek(size_t ahead = 0) const {
    return pos_ + ahead < pattern_.size() ? pattern_[pos_ + ahead] : 0;
  }
  bool Fail(size_t at, const std::string& message) {
    if (error_.message.empty()) {
      error_ = Error::Invalid("column " + std::to_string(at + 1) + ": " + message);
    }
    return false;
  }

  bool ParseAlternation(Node& out) {
    Node first;
    if (!ParseConcat(first)) return false;
    if (Peek() != '|' || AtEnd()) {
      out = std::move(first);
      return true;
    }
    out.kind = Node::Kind::kAlternate;
    out.children.push_back(std::move(first));
    while (!AtEnd() && Peek() == '|') {
      ++pos_;
      Node next;
      if (!ParseConcat(next)) return false;
      out.children.push_back(std::move(next));
    }
    return true;
  }

  bool ParseConcat(Node& out) {
    out.kind = Node::Kind::kConcat;
    while (!AtEnd() && Peek() != '|' && Peek() != ')') {
      Node item;
      if (!ParseRepeat(item)) return false;
      out.children.push_back(std::move(item));
    }
    if (out.children.empty()) out.kind = Node::Kind::kEmpty;
    if (out.children.size() == 1) {
      Node only = std::move(out.children[0]);
      out = std::move(only);
    }
    return true;
  }

  // Reads {m}, {m,} or {m,n} at pos_: `found` and the counts, with pos_ past it. Anything else
  // that starts with '{' leaves `found` false: a literal brace, as in ECMAScript's web
  // compatibility grammar. False only for an error (counts too large or out of order).
  bool ReadBraces(int& min, int& max, bool& found) {
    found = false;
    size_t at = pos_ + 1;
    const auto read_number = [&](int& value) {
      const size_t start = at;
      int64_t number = 0;
      while (at < pattern_.size() && pattern_[at] >= '0' && pattern_[at] <= '9') {
        number = std::min<int64_t>(number * 10 + (pattern_[at] - '0'), 1'000'000'000);
        ++at;
      }
      value = static_cast<int>(number);
      return at > start;
    };
    if (!read_number(min)) return true;
    max = min;
    if (at < pattern_.size() && pattern_[at] == ',') {
      ++at;
      if (!read_number(max)) max = -1;
    }
    if (at >= pattern_.size() || pattern_[at] != '}') return true;
    if (min > kMaxRepeatCount || max > kMaxRepeatCount) {
      return Fail(pos_, "repetition counts above " + std::to_string(kMaxRepeatCount) +
                            " are not supported");
    }
    if (max >= 0 && max < min)
      return Fail(pos_, "numbers out of order in {" + std::to_string(min) + "," +
                            std::to_string(max) + "}");
    found = true;
    pos_ = at + 1;
    return true;
  }

  // Whether a quantifier starts at pos_; if so, its counts, and pos_ moves past it.
  bool ReadQuantifier(int& min, int& max, bool& found) {
    found = true;
    switch (Peek()) {
      case '*':
        min = 0;
        max = -1;
        break;
      case '+':
        min = 1;
        max = -1;
        break;
      case '?':
        min = 0;
        max = 1;
        break;
      case '{':
        return ReadBraces(min, max, found);
      default:
        found = false;
        return true;
    }
    ++pos_;
    return true;
  }

  bool ParseRepeat(Node& out) {
    const bool group = Peek() == '(';  // (?:^)* is allowed, as in ECMAScript; a bare ^* is not
    if (!ParseAtom(out)) return false;
    if (AtEnd()) return true;
    const size_t quantifier_at = pos_;
    int min = 0, max = 0;
    bool found = false;
    if (!ReadQuantifier(min, max, found)) return false;
    if (!found) return true;
    if (out.kind == Node::Kind::kAssert && !group) {
      return Fail(quantifier_at, "an assertion such as ^ or \\b cannot be repeated");
    }
    if (!AtEnd() && Peek() == '?') ++pos_;  // lazy: the same set of whole-text matches
    int ignored_min = 0, ignored_max = 0;
    bool again = false;
    const size_t next_at = pos_;
    if (!AtEnd() && !ReadQuantifier(ignored_min, ignored_max, again)) return false;
    if (again) return Fail(next_at, "nothing to repeat (quantifiers cannot follow each other)");
    Node repeat;
    repeat.kind = Node::Kind::kRepeat;
    repeat.min = min;
    repeat.max = max;
    repeat.children.push_back(std::move(out));
    out = std::move(repeat);
    return true;
  }

  void Literal(char32_t cp, Node& out) {
    const Folded folded = FoldChar(cp, rules_);
    if (folded.count == 1) {
      out.kind = Node::Kind::kChar;
      out.cp = folded.chars[0];
      return;
    }
    out.kind = Node::Kind::kConcat;
    for (int i = 0; i < folded.count; ++i) {
      Node part;
      part.kind = Node::Kind::kChar;
      part.cp = folded.chars[static_cast<size_t>(i)];
      out.children.push_back(part);
    }
  }

  void ClassNode(std::vector<Range> ranges, bool negated, Node& out) {
    Normalize(ranges);
    classes_.push_back({std::move(ranges), negated});
    out.kind = Node::Kind::kClass;
    out.index = static_cast<uint32_t>(classes_.size() - 1);
  }

  bool ParseAtom(Node& out) {
    const size_t at = pos_;
    const char32_t c = Peek();
    switch (c) {
      case '(':
        return ParseGroup(out);
      case '[':
        return ParseClass(out);
      case '.':
        ++pos_;
        out.kind = Node::Kind::kAny;
        return true;
      case '^':
      case '$':
        ++pos_;
        out.kind = Node::Kind::kAssert;
        out.index = static_cast<uint32_t>(c == '^' ? Assertion::kBegin : Assertion::kEnd);
        return true;
      case '*':
      case '+':
      case '?':
        return Fail(at, "nothing to repeat before '" + std::string(1, static_cast<char>(c)) + "'");
      case '{': {
        int min = 0, max = 0;
        bool found = false;
        if (!ReadBraces(min, max, found)) return false;
        if (found) return Fail(at, "nothing to repeat before '{'");
        ++pos_;
        Literal('{', out);
        return true;
      }
      case '\\': {
        Escape escape;
        if (!ParseEscape(false, escape)) return false;
        if (escape.cp) {
          Literal(*escape.cp, out);
        } else if (escape.set) {
          ClassNode(std::move(*escape.set), false, out);
        } else {
          out.kind = Node::Kind::kAssert;
          out.index = static_cast<uint32_t>(*escape.assertion);
        }
        return true;
      }
      default:
        ++pos_;
        Literal(c, out);
        return true;
    }
  }

  bool ParseGroup(Node& out) {
    const size_t open = pos_;
    if (++depth_ > kMaxGroupDepth) {
      return Fail(open, "groups nested more than " + std::to_string(kMaxGroupDepth) + " deep");
    }
    ++pos_;
    if (Peek() == '?' && !AtEnd()) {
      const char32_t kind = Peek(1);
      const char32_t after = Peek(2);
      if (kind == ':') {
        pos_ += 2;
      } else if (kind == '=' || kind == '!') {
        return Fail(open, "lookahead (?= or (?! is not supported");
      } else if (kind == '<' && (after == '=' || after == '!')) {
        return Fail(open, "lookbehind (?<= or (?<! is not supported");
      } else if (kind == '<') {
        pos_ += 2;
        const size_t name_start = pos_;
        while (!AtEnd() && (IsWordChar(Peek()) || Peek() == '$')) ++pos_;
        if (pos_ == name_start || Peek() != '>' || AtEnd()) {
          return Fail(open, "a named group needs a name: (?<name>…)");
        }
        ++pos_;
      } else {
        return Fail(open,
                    "this group syntax is not supported; use (…) or (?:…) (inline flags "
                    "are not either: the exercise's case and accent settings apply)");
      }
    }
    if (!ParseAlternation(out)) return false;
    if (AtEnd() || Peek() != ')') return Fail(open, "missing ) for this (");
    ++pos_;
    --depth_;
    return true;
  }

  bool ParseClass(Node& out) {
    const size_t open = pos_;
    ++pos_;
    bool negated = false;
    if (!AtEnd() && Peek() == '^') {
      negated = true;
      ++pos_;
    }
    std::vector<Range> written;  // folded below, like literals
    std::vector<Range> sets;     // \d \w \s and friends: defined on the folded text already
    while (true) {
      if (AtEnd()) return Fail(open, "missing ] for this [");
      if (Peek() == ']') {
        ++pos_;
        break;
      }
      const size_t low_at = pos_;
      Escape low;
      if (!ParseClassAtom(low)) return false;
      const bool range = Peek() == '-' && pos_ + 1 < pattern_.size() && Peek(1) != ']';
      if (!range) {
        if (low.set) {
          sets.insert(sets.end(), low.set->begin(), low.set->end());
        } else {
          written.emplace_back(*low.cp, *low.cp);
        }
        continue;
      }
      ++pos_;  // '-'
      Escape high;
      if (!ParseClassAtom(high)) return false;
      if (low.set || high.set) {
        return Fail(low_at, "a range cannot start or end with a class such as \\d");
      }
      if (*low.cp > *high.cp) return Fail(low_at, "range out of order in the class");
      written.emplace_back(*low.cp, *high.cp);
    }
    AddFolded(written, rules_);
    written.insert(written.end(), sets.begin(), sets.end());
    ClassNode(std::move(written), negated, out);
    return true;
  }

  bool ParseClassAtom(Escape& out) {
    if (Peek() != '\\') {
      out.cp = Peek();
      ++pos_;
      return true;
    }
    return ParseEscape(true, out);
  }

  // Reads `count` hex digits (or, when count is 0, a braced \u{…} code point) at pos_.
  std::optional<char32_t> ReadHex(size_t count) {
    const auto digit = [](char32_t c) -> int {
      if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
      if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
      if (c >= 'A' && c <= 'F') return static_cast<int>(c - 'A' + 10);
      return -1;
    };
    char32_t value = 0;
    if (count == 0) {
      if (Peek() != '{') return std::nullopt;
      size_t at = pos_ + 1;
      size_t digits = 0;
      while (at < pattern_.size() && digit(pattern_[at]) >= 0 && digits < 7) {
        value = value * 16 + static_cast<char32_t>(digit(pattern_[at]));
        ++at, ++digits;
      }
      if (digits == 0 || at >= pattern_.size() || pattern_[at] != '}' || value > kMaxCodePoint) {
        return std::nullopt;
      }
      pos_ = at + 1;
      return value;
    }
    for (size_t i = 0; i < count; ++i) {
      const int d = digit(Peek(i));
      if (pos_ + i >= pattern_.size() || d < 0) return std::nullopt;
      value = value * 16 + static_cast<char32_t>(d);
    }
    pos_ += count;
    return value;
  }

  bool ParseEscape(bool in_class, Escape& out) {
    const size_t at = pos_;
    ++pos_;  // the backslash
    if (AtEnd()) return Fail(at, "the pattern ends with a lone backslash");
    const char32_t c = Peek();
    ++pos_;
    switch (c) {
      case 'd':
        out.set = DigitSet();
        return true;
      case 'D':
        out.set = Complement(DigitSet());
        return true;
      case 'w':
        out.set = WordSet();
        return true;
      case 'W':
        out.set = Complement(WordSet());
        return true;
      case 's':
        out.set = SpaceSet();
        return true;
      case 'S':
        out.set = Complement(SpaceSet());
        return true;
      case 'b':
        if (in_class) {
          out.cp = 0x08;
        } else {
          out.assertion = Assertion::kWordBoundary;
        }
        return true;
      case 'B':
        if (in_class) return Fail(at, "\\B cannot be used inside a class");
        out.assertion = Assertion::kNotWordBoundary;
        return true;
      case 't':
        out.cp = '\t';
        return true;
      case 'n':
        out.cp = '\n';
        return true;
      case 'r':
        out.cp = '\r';
        return true;
      case 'f':
        out.cp = '\f';
        return true;
      case 'v':
        out.cp = '\v';
        return true;
      case '0':
        if (Peek() >= '0' && Peek() <= '9' && !AtEnd()) {
          return Fail(at, "octal escapes are not supported; use \\xHH");
        }
        out.cp = 0;
        return true;
      case 'x':
        out.cp = ReadHex(2);
        if (!out.cp) return Fail(at, "\\x needs two hex digits, as in \\x41");
        return true;
      case 'u':
        out.cp = Peek() == '{' ? ReadHex(0) : ReadHex(4);
        if (!out.cp) return Fail(at, "\\u needs four hex digits or {…}, as in \\u00e9");
        return true;
      case 'k':
        return Fail(at, "backreferences (\\k<name>) are not supported");
      case 'p':
      case 'P':
        return Fail(at, "Unicode property classes (\\p{…}) are not supported");
      case 'c':
        return Fail(at, "control escapes (\\cX) are not supported");
      default:
        break;
    }
    if (c >= '1' && c <= '9') {
      return Fail(
          at, "backreferences (\\" + std::string(1, static_cast<char>(c)) + ") are not supported");
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return Fail(at, "unknown escape \\" + std::string(1, static_cast<char>(c)));
    }
    out.cp = c;  // an escaped punctuation mark or non-ASCII character stands for itself
    return true;
  }

  std::u32string pattern_;
  TextRules rules_;
  size_t pos_ = 0;
  int depth_ = 0;
  Error error_;
  std::vector<CompiledPattern::CharClass> classes_;
};

}  // namespace

// ---- public functions -------------------------------------------------------------------------

std::string CollapseWhitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const std::optional<char32_t> cp = DecodeNext(text, pos);
    if (cp && IsSpace(*cp)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.append(text.substr(start, pos - start));
  }
  return out;
}

std::string FoldText(std::string_view text, const TextRules& rules) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const std::optional<char32_t> cp = DecodeNext(text, pos);
    if (!cp) {
      out.append(text.substr(start, pos - start));
      continue;
    }
    const Folded folded = FoldChar(*cp, rules);
    for (int i = 0; i < folded.count; ++i) AppendUtf8(folded.chars[static_cast<size_t>(i)], out);
  }
  return out;
}

std::string NormalizeText(std::string_view text, const TextRules& rules) {
  return FoldText(CollapseWhitespace(text), rules);
}

CompiledPattern::CompiledPattern(std::vector<Instruction> program, std::vector<CharClass> classes,
                                 TextRules rules)
    : program_(std::move(program)), classes_(std::move(classes)), rules_(rules) {}
CompiledPattern::CompiledPattern(CompiledPattern&&) noexcept = default;
CompiledPattern& CompiledPattern::operator=(CompiledPattern&&) noexcept = default;
CompiledPattern::~CompiledPattern() = default;
size_t CompiledPattern::size() const { return program_.size(); }

Result<CompiledPattern> CompilePattern(std::string_view pattern, const TextRules& rules) {
  if (pattern.size() > kMaxPatternBytes) {
    return Error::Invalid("the pattern is longer than " + std::to_string(kMaxPatternBytes) +
                          " bytes");
  }
  std::u32string decoded;
  size_t pos = 0;
  while (pos < pattern.size()) {
    const std::optional<char32_t> cp = DecodeNext(pattern, pos);
    if (!cp) return Error::Invalid("the pattern is not valid UTF-8");
    decoded.push_back(*cp);
  }
  PatternParser parser(std::move(decoded), rules);
  const std::optional<Node> root = parser.Parse();
  if (!root) return parser.error();
  if (ProgramSize(*root) + 1 > kMaxPatternStates) {
    return Error::Invalid("the pattern needs more than " + std::to_string(kMaxPatternStates) +
                          " states once its repetitions are expanded; simplify it");
  }
  return CompiledPattern(Emitter().Finish(*root), std::move(parser.classes()), rules);
}

// A Pike VM: the set of NFA states alive after each character, each state at most once, so the
// work is O(text length × program size) and nothing can backtrack.
bool Matches(const CompiledPattern& pattern, std::string_view text) {
  const std::vector<Instruction>& program = pattern.program_;
  const std::u32string input = FoldToCodePoints(text, pattern.rules_);
  const size_t length = input.size();

  std::vector<uint32_t> current, next, stack;
  current.reserve(program.size());
  next.reserve(program.size());
  // on_list[pc] == step + 1 when pc is already in the list built for input position `step`.
  std::vector<size_t> on_list(program.size(), 0);

  const auto holds = [&](Assertion assertion, size_t at) {
    const bool word_before = at > 0 && IsWordChar(input[at - 1]);
    const bool word_after = at < length && IsWordChar(input[at]);
    switch (assertion) {
      case Assertion::kBegin:
        return at == 0;
      case Assertion::kEnd:
        return at == length;
      case Assertion::kWordBoundary:
        return word_before != word_after;
      case Assertion::kNotWordBoundary:
        return word_before == word_after;
    }
    return false;
  };
  // Adds `start` and everything reachable from it without consuming a character.
  const auto add = [&](std::vector<uint32_t>& list, uint32_t start, size_t at) {
    stack.push_back(start);
    while (!stack.empty()) {
      const uint32_t pc = stack.back();
      stack.pop_back();
      if (on_list[pc] == at + 1) continue;
      on_list[pc] = at + 1;
      const Instruction& instruction = program[pc];
      switch (instruction.op) {
        case Op::kJump:
          stack.push_back(instruction.x);
          break;
        case Op::kSplit:
          stack.push_back(instruction.y);
          stack.push_back(instruction.x);
          break;
        case Op::kAssert:
          if (holds(static_cast<Assertion>(instruction.x), at)) stack.push_back(pc + 1);
          break;
        default:
          list.push_back(pc);
      }
    }
  };
  const auto in_class = [&](uint32_t index, char32_t c) {
    const CompiledPattern::CharClass& set = pattern.classes_[index];
    auto it = std::upper_bound(set.ranges.begin(), set.ranges.end(), Range{c, kMaxCodePoint});
    const bool member = it != set.ranges.begin() && std::prev(it)->second >= c;
    return member != set.negated;
  };

  add(current, 0, 0);
  for (size_t at = 0; at < length; ++at) {
    if (current.empty()) return false;
    const char32_t c = input[at];
    next.clear();
    for (uint32_t pc : current) {
      const Instruction& instruction = program[pc];
      bool advance = false;
      switch (instruction.op) {
        case Op::kChar:
          advance = instruction.cp == c;
          break;
        case Op::kAny:
          advance = c != '\n';
          break;
        case Op::kClass:
          advance = in_class(instruction.x, c);
          break;
        default:
          break;  // kMatch before the end of the text is not a whole-text match
      }
      if (advance) add(next, pc + 1, at + 1);
    }
    current.swap(next);
  }
  return std::any_of(current.begin(), current.end(),
                     [&](uint32_t pc) { return program[pc].op == Op::kMatch; });
}

}  // namespace practica::domain
