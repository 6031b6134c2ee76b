#include "content/maths.h"

namespace practica::content {
namespace {

bool IsAsciiPunctuation(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Scans one run of non-verbatim text (a paragraph or a few blocks without blank lines).
class SpanScanner {
 public:
  explicit SpanScanner(std::string_view text) : text_(text) {}

  std::string Run() {
    std::string out;
    out.reserve(text_.size() + 16);
    size_t i = 0;
    while (i < text_.size()) {
      const char c = text_[i];
      if (c == '\\' && i + 1 < text_.size()) {  // an escaped character is never a delimiter
        out.append(text_, i, 2);
        i += 2;
      } else if (c == '`') {
        i = CopyCodeSpan(i, out);
      } else if (c == '$') {
        i = CopyMaths(i, out);
      } else {
        out += c;
        ++i;
      }
    }
    return out;
  }

 private:
  size_t RunLength(size_t i, char c) const {
    size_t end = i;
    while (end < text_.size() && text_[end] == c) ++end;
    return end - i;
  }

  // A backtick run opens a code span if a run of exactly the same length closes it.
  size_t CopyCodeSpan(size_t i, std::string& out) const {
    const size_t length = RunLength(i, '`');
    size_t search = i + length;
    while (search < text_.size()) {
      const size_t next = text_.find('`', search);
      if (next == std::string_view::npos) break;
      const size_t run = RunLength(next, '`');
      if (run == length) {
        out.append(text_, i, next + run - i);
        return next + run;
      }
      search = next + run;
    }
    out.append(text_, i, length);  // no closer: the backticks are literal
    return i + length;
  }

  // The index just past the `$` closing an inline span opened at `open`, or npos.
  size_t FindInlineClose(size_t open) const {
    if (open + 1 >= text_.size() || IsSpace(text_[open + 1])) return std::string_view::npos;
    for (size_t k = open + 1; k < text_.size(); ++k) {
      const char c = text_[k];
      if (c == '\n') return std::string_view::npos;
      if (c == '\\') {
        ++k;
        continue;
      }
      if (c != '$') continue;
      const bool after_space = IsSpace(text_[k - 1]);
      const bool before_digit = k + 1 < text_.size() && IsDigit(text_[k + 1]);
      if (k > open + 1 && !after_space && !before_digit) return k + 1;
      if (k == open + 1) return std::string_view::npos;  // "$$" is display maths, not inline
    }
    return std::string_view::npos;
  }

  size_t FindDisplayClose(size_t open) const {
    for (size_t k = open + 2; k + 1 < text_.size(); ++k) {
      if (text_[k] == '\\') {
        ++k;
        continue;
      }
      if (text_[k] == '$' && text_[k + 1] == '$')
        return k > open + 2 ? k + 2 : std::string_view::npos;
    }
    return std::string_view::npos;
  }

  size_t CopyMaths(size_t i, std::string& out) const {
    const bool display = i + 1 < text_.size() && text_[i + 1] == '$';
    const size_t delimiter = display ? 2 : 1;
    const size_t end = display ? FindDisplayClose(i) : FindInlineClose(i);
    if (end == std::string_view::npos) {
      out.append(text_, i, delimiter);
      return i + delimiter;
    }
    out.append(text_, i, delimiter);
    for (size_t k = i + delimiter; k < end - delimiter; ++k) {
      if (IsAsciiPunctuation(text_[k])) out += '\\';
      out += text_[k];
    }
    out.append(delimiter, '$');
    return end;
  }

  std::string_view text_;
};

bool IsBlankLine(std::string_view line) {
  for (char c : line) {
    if (!IsSpace(c)) return false;
  }
  return true;
}

bool IsVerbatim(int line, const std::vector<LineRange>& verbatim) {
  for (const LineRange& range : verbatim) {
    if (line >= range.first && line <= range.last) return true;
  }
  return false;
}

}  // namespace

std::string ProtectMaths(std::string_view markdown, const std::vector<LineRange>& verbatim) {
  if (markdown.find('$') == std::string_view::npos) return std::string(markdown);
  std::string out;
  out.reserve(markdown.size() + 32);
  // Group the lines into runs of text that maths may span: a blank line or a verbatim line ends
  // a run, and is copied as it is.
  std::string_view run;
  const auto flush = [&] {
    out += SpanScanner(run).Run();
    run = {};
  };
  size_t start = 0;
  int line_number = 1;
  while (start < markdown.size()) {
    size_t end = markdown.find('\n', start);
    end = end == std::string_view::npos ? markdown.size() : end + 1;
    const std::string_view line = markdown.substr(start, end - start);
    if (IsBlankLine(line) || IsVerbatim(line_number, verbatim)) {
      flush();
      out += line;
    } else if (run.empty()) {
      run = line;
    } else {
      run = std::string_view(run.data(), run.size() + line.size());
    }
    start = end;
    ++line_number;
  }
  flush();
  return out;
}

}  // namespace practica::content
