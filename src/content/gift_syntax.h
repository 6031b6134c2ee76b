// What the GIFT reader and writer share: the text of a question with GIFT's escapes resolved,
// format tags, weights, slugs. Internal to src/content/gift_*.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "content/markup.h"

namespace practica::content::gift {

inline constexpr size_t kNpos = std::string::npos;

// The missing-word blank Moodle shows for the answers in the middle of a sentence ("_____"), as
// Markdown: escaped, so that it is never read as emphasis or a rule.
inline constexpr std::string_view kBlankMarkdown = "\\_\\_\\_\\_\\_";

// A catch-all numeric answer (Moodle's "*", GIFT's `~#feedback` after numerical answers) is a
// range over every finite number.
bool IsCatchAll(double low, double high);
double CatchAllLow();
double CatchAllHigh();

// Text of a GIFT question with its escapes resolved (\\ \~ \= \# \{ \} \: and \n), remembering
// for every byte whether it came from an escape — then it is never syntax — and its line.
class Marked {
 public:
  struct Line {
    int number = 0;
    std::string text;
  };
  // Joins `lines` with newlines and resolves the escapes.
  static Marked FromLines(const std::vector<Line>& lines);

  size_t size() const { return text_.size(); }
  bool empty() const { return text_.empty(); }
  const std::string& text() const { return text_; }
  char at(size_t i) const { return text_[i]; }
  bool escaped(size_t i) const { return escaped_[i] != 0; }
  int line_at(size_t i) const { return i < lines_.size() ? lines_[i] : line_; }
  int line() const { return lines_.empty() ? line_ : lines_.front(); }

  // The first (last) occurrence of `token` none of whose bytes was escaped, or kNpos.
  size_t Find(std::string_view token, size_t from = 0) const;
  size_t FindLast(std::string_view token) const;
  bool StartsWith(std::string_view token) const { return Find(token) == 0; }
  Marked Sub(size_t from, size_t to = kNpos) const;
  // Without the whitespace (not escaped) at both ends.
  Marked Trim() const;
  Marked& Append(const Marked& other);
  Marked& AppendEscaped(std::string_view text, int line);

 private:
  std::string text_;
  std::vector<uint8_t> escaped_;
  std::vector<int> lines_;
  int line_ = 0;
};

// A format tag at the start of a text: "[html]", "[moodle]", "[plain]" or "[markdown]".
struct FormatTag {
  enum class Result { kNone, kKnown, kUnknown };
  Result result = Result::kNone;
  SourceFormat format = SourceFormat::kMoodle;
  std::string name;   // as written, for an unknown tag
  size_t length = 0;  // of the tag, to skip
};
// Reads a tag at the start of `text`: kUnknown for "[word]" of three or more lower-case letters
// that is no format GIFT knows (a typo such as [markdwon]); kNone for anything else.
FormatTag ReadFormatTag(const Marked& text);

// `text` as a Practica slug ([a-z0-9-]{1,64}: accents folded, lower case, runs of anything else
// a single '-'), or nullopt if nothing is left.
std::optional<std::string> MakeSlug(std::string_view text);

// A Moodle weight written as a percentage of the right answer, "50" or "-33.33333".
std::string FormatWeight(double fraction);

// Markdown → GIFT text: GIFT's special characters escaped, and newlines written as `\n` wherever
// a real one would end the question (before a blank line) or start a comment (before "//").
// Whitespace at the ends is kept: GIFT trims a question's text, so callers trim it first.
std::string EscapeGift(std::string_view text);

}  // namespace practica::content::gift
