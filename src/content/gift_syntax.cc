#include "content/gift_syntax.h"

#include <algorithm>
#include <limits>

#include "content/numbers.h"
#include "domain/text_match.h"

namespace practica::content::gift {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

double CatchAllLow() { return std::numeric_limits<double>::lowest(); }
double CatchAllHigh() { return std::numeric_limits<double>::max(); }
bool IsCatchAll(double low, double high) { return low == CatchAllLow() && high == CatchAllHigh(); }

Marked Marked::FromLines(const std::vector<Line>& lines) {
  Marked marked;
  if (!lines.empty()) marked.line_ = lines.front().number;
  for (size_t l = 0; l < lines.size(); ++l) {
    const std::string& text = lines[l].text;
    const int number = lines[l].number;
    if (l > 0) {
      marked.text_ += '\n';
      marked.escaped_.push_back(0);
      marked.lines_.push_back(lines[l - 1].number);
    }
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      bool escaped = false;
      if (c == '\\' && i + 1 < text.size()) {
        const char next = text[i + 1];
        if (next == '\\' || next == '~' || next == '=' || next == '#' || next == '{' ||
            next == '}' || next == ':') {
          c = next;
          escaped = true;
          ++i;
        } else if (next == 'n') {
          c = '\n';
          escaped = true;
          ++i;
        }
      }
      marked.text_ += c;
      marked.escaped_.push_back(escaped ? 1 : 0);
      marked.lines_.push_back(number);
    }
  }
  return marked;
}

size_t Marked::Find(std::string_view token, size_t from) const {
  if (token.empty()) return kNpos;
  for (size_t at = text_.find(token, from); at != std::string::npos;
       at = text_.find(token, at + 1)) {
    const bool plain =
        std::none_of(escaped_.begin() + static_cast<std::ptrdiff_t>(at),
                     escaped_.begin() + static_cast<std::ptrdiff_t>(at + token.size()),
                     [](uint8_t e) { return e != 0; });
    if (plain) return at;
  }
  return kNpos;
}

size_t Marked::FindLast(std::string_view token) const {
  size_t last = kNpos;
  for (size_t at = Find(token); at != kNpos; at = Find(token, at + 1)) last = at;
  return last;
}

Marked Marked::Sub(size_t from, size_t to) const {
  Marked sub;
  from = std::min(from, text_.size());
  to = std::min(to, text_.size());
  sub.line_ = line_at(from == text_.size() && from > 0 ? from - 1 : from);
  if (to <= from) return sub;
  sub.text_ = text_.substr(from, to - from);
  sub.escaped_.assign(escaped_.begin() + static_cast<std::ptrdiff_t>(from),
                      escaped_.begin() + static_cast<std::ptrdiff_t>(to));
  sub.lines_.assign(lines_.begin() + static_cast<std::ptrdiff_t>(from),
                    lines_.begin() + static_cast<std::ptrdiff_t>(to));
  return sub;
}

Marked Marked::Trim() const {
  size_t from = 0, to = text_.size();
  while (from < to && IsBlank(text_[from]) && escaped_[from] == 0) ++from;
  while (to > from && IsBlank(text_[to - 1]) && escaped_[to - 1] == 0) --to;
  Marked trimmed = Sub(from, to);
  if (trimmed.empty()) trimmed.line_ = line();
  return trimmed;
}

Marked& Marked::Append(const Marked& other) {
  if (text_.empty() && lines_.empty()) line_ = other.line();
  text_ += other.text_;
  escaped_.insert(escaped_.end(), other.escaped_.begin(), other.escaped_.end());
  lines_.insert(lines_.end(), other.lines_.begin(), other.lines_.end());
  return *this;
}

Marked& Marked::AppendEscaped(std::string_view text, int line) {
  if (text_.empty() && lines_.empty()) line_ = line;
  text_ += text;
  escaped_.insert(escaped_.end(), text.size(), 1);
  lines_.insert(lines_.end(), text.size(), line);
  return *this;
}

FormatTag ReadFormatTag(const Marked& text) {
  FormatTag tag;
  if (!text.StartsWith("[")) return tag;
  const size_t close = text.Find("]");
  if (close == kNpos || close > 16) return tag;
  const std::string name = text.text().substr(1, close - 1);
  tag.length = close + 1;
  tag.name = name;
  if (name == "html") {
    tag.format = SourceFormat::kHtml;
  } else if (name == "moodle") {
    tag.format = SourceFormat::kMoodle;
  } else if (name == "plain") {
    tag.format = SourceFormat::kPlain;
  } else if (name == "markdown") {
    tag.format = SourceFormat::kMarkdown;
  } else {
    // A word of three or more lower-case letters is a misspelt format ([mardown], [htm]);
    // "[a]" or "[1, 2]" is text.
    const bool word = name.size() >= 3 && std::all_of(name.begin(), name.end(),
                                                      [](char c) { return c >= 'a' && c <= 'z'; });
    tag.result = word ? FormatTag::Result::kUnknown : FormatTag::Result::kNone;
    return tag;
  }
  tag.result = FormatTag::Result::kKnown;
  return tag;
}

std::optional<std::string> MakeSlug(std::string_view text) {
  const std::string folded = domain::FoldText(text, {false, false});
  std::string slug;
  bool dash = false;
  for (char c : folded) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (dash && !slug.empty()) slug += '-';
      dash = false;
      slug += c;
    } else {
      dash = true;
    }
  }
  if (slug.size() > 64) slug.resize(64);
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  if (slug.empty()) return std::nullopt;
  return slug;
}

std::string FormatWeight(double fraction) {
  std::string percent = FormatPercent(fraction);
  percent.pop_back();  // the '%'
  return percent;
}

std::string EscapeGift(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '~':
      case '=':
      case '#':
      case '{':
      case '}':
      case ':':
        out += '\\';
        out += c;
        break;
      case '\r':
        break;
      case '\n': {
        const size_t end = text.find('\n', i + 1);
        const std::string_view next =
            text.substr(i + 1, end == std::string_view::npos ? end : end - i - 1);
        size_t first = 0;
        while (first < next.size() && (next[first] == ' ' || next[first] == '\t')) ++first;
        const bool blank = first == next.size();
        const bool comment = next.substr(first).starts_with("//");
        out += blank || comment ? "\\n" : "\n";
        break;
      }
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace practica::content::gift
