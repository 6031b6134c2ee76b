// HTML → Markdown: a tolerant tokenizer (tags, comments, entities, text) feeding a writer that
// keeps Markdown's block structure (containers: quotes and list items, each block separated by a
// blank line) and its inline marks (opened lazily at the first visible character, so that
// whitespace never sits inside `**…**`, and closed at the end of every block).
#include "content/markup.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <utility>

#include "common/text.h"

namespace practica::content {
namespace {

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

void AppendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// ---- entities ---------------------------------------------------------------------------------

struct NamedEntity {
  std::string_view name;
  char32_t code;
};

// The entities editors and hand-written HTML use: markup, spaces and typography, and the Latin-1
// letters of the European languages.
constexpr std::array<NamedEntity, 110> kEntities = {{
    {"amp", U'&'},      {"lt", U'<'},       {"gt", U'>'},       {"quot", U'"'},
    {"apos", U'\''},    {"nbsp", 0xA0},     {"ensp", 0x2002},   {"emsp", 0x2003},
    {"thinsp", 0x2009}, {"shy", 0xAD},      {"ndash", 0x2013},  {"mdash", 0x2014},
    {"lsquo", 0x2018},  {"rsquo", 0x2019},  {"sbquo", 0x201A},  {"ldquo", 0x201C},
    {"rdquo", 0x201D},  {"bdquo", 0x201E},  {"laquo", 0xAB},    {"raquo", 0xBB},
    {"lsaquo", 0x2039}, {"rsaquo", 0x203A}, {"hellip", 0x2026}, {"bull", 0x2022},
    {"middot", 0xB7},   {"dagger", 0x2020}, {"prime", 0x2032},  {"Prime", 0x2033},
    {"copy", 0xA9},     {"reg", 0xAE},      {"trade", 0x2122},  {"deg", 0xB0},
    {"plusmn", 0xB1},   {"times", 0xD7},    {"divide", 0xF7},   {"minus", 0x2212},
    {"le", 0x2264},     {"ge", 0x2265},     {"ne", 0x2260},     {"asymp", 0x2248},
    {"infin", 0x221E},  {"radic", 0x221A},  {"sum", 0x2211},    {"prod", 0x220F},
    {"frac12", 0xBD},   {"frac14", 0xBC},   {"frac34", 0xBE},   {"sup1", 0xB9},
    {"sup2", 0xB2},     {"sup3", 0xB3},     {"micro", 0xB5},    {"permil", 0x2030},
    {"euro", 0x20AC},   {"pound", 0xA3},    {"cent", 0xA2},     {"yen", 0xA5},
    {"sect", 0xA7},     {"para", 0xB6},     {"iexcl", 0xA1},    {"iquest", 0xBF},
    {"larr", 0x2190},   {"rarr", 0x2192},   {"uarr", 0x2191},   {"darr", 0x2193},
    {"harr", 0x2194},   {"rArr", 0x21D2},   {"hArr", 0x21D4},   {"alpha", 0x3B1},
    {"beta", 0x3B2},    {"gamma", 0x3B3},   {"delta", 0x3B4},   {"epsilon", 0x3B5},
    {"theta", 0x3B8},   {"lambda", 0x3BB},  {"mu", 0x3BC},      {"pi", 0x3C0},
    {"rho", 0x3C1},     {"sigma", 0x3C3},   {"tau", 0x3C4},     {"phi", 0x3C6},
    {"chi", 0x3C7},     {"omega", 0x3C9},   {"Delta", 0x394},   {"Sigma", 0x3A3},
    {"Omega", 0x3A9},   {"szlig", 0xDF},    {"AElig", 0xC6},    {"aelig", 0xE6},
    {"OElig", 0x152},   {"oelig", 0x153},   {"Ccedil", 0xC7},   {"ccedil", 0xE7},
    {"Ntilde", 0xD1},   {"ntilde", 0xF1},   {"Oslash", 0xD8},   {"oslash", 0xF8},
    {"Aring", 0xC5},    {"aring", 0xE5},    {"ETH", 0xD0},      {"eth", 0xF0},
    {"THORN", 0xDE},    {"thorn", 0xFE},    {"Yacute", 0xDD},   {"yacute", 0xFD},
    {"yuml", 0xFF},     {"Yuml", 0x178},
}};

// Accented Latin-1 letters follow one pattern: "&eacute;" is e + acute. Each row lists the base
// letters that take the accent and their code points, upper case then lower case.
struct AccentRow {
  std::string_view accent;
  std::string_view letters;
  std::array<char32_t, 10> codes;
};
constexpr std::array<AccentRow, 5> kAccents = {{
    {"grave", "AEIOUaeiou", {0xC0, 0xC8, 0xCC, 0xD2, 0xD9, 0xE0, 0xE8, 0xEC, 0xF2, 0xF9}},
    {"acute", "AEIOUaeiou", {0xC1, 0xC9, 0xCD, 0xD3, 0xDA, 0xE1, 0xE9, 0xED, 0xF3, 0xFA}},
    {"circ", "AEIOUaeiou", {0xC2, 0xCA, 0xCE, 0xD4, 0xDB, 0xE2, 0xEA, 0xEE, 0xF4, 0xFB}},
    {"uml", "AEIOUaeiou", {0xC4, 0xCB, 0xCF, 0xD6, 0xDC, 0xE4, 0xEB, 0xEF, 0xF6, 0xFC}},
    {"tilde", "AOao", {0xC3, 0xD5, 0xE3, 0xF5}},
}};

std::optional<char32_t> NamedEntityCode(std::string_view name) {
  for (const NamedEntity& entity : kEntities) {
    if (entity.name == name) return entity.code;
  }
  if (name.size() > 1) {
    const char letter = name[0];
    for (const AccentRow& row : kAccents) {
      if (name.substr(1) != row.accent) continue;
      const size_t at = row.letters.find(letter);
      if (at != std::string_view::npos) return row.codes[at];
    }
  }
  return std::nullopt;
}

struct Entity {
  std::string text;  // UTF-8
  size_t length = 0;
  bool known = true;
};

// The character reference at `text[i]` ('&'), or nullopt if there is none (a lone '&').
std::optional<Entity> ReadEntity(std::string_view text, size_t i) {
  const size_t semicolon = text.find(';', i);
  if (semicolon == std::string_view::npos || semicolon - i > 32) return std::nullopt;
  const std::string_view body = text.substr(i + 1, semicolon - i - 1);
  if (body.empty()) return std::nullopt;
  Entity entity;
  entity.length = semicolon - i + 1;
  if (body[0] == '#') {
    const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
    const std::string_view digits = body.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 7) return std::nullopt;
    char32_t code = 0;
    for (char c : digits) {
      int digit = -1;
      if (IsAsciiDigit(c)) digit = c - '0';
      if (hex && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
      if (hex && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
      if (digit < 0) return std::nullopt;
      code = code * (hex ? 16 : 10) + static_cast<char32_t>(digit);
    }
    const bool valid = code > 0 && code <= 0x10FFFF && !(code >= 0xD800 && code <= 0xDFFF);
    AppendUtf8(entity.text, valid ? code : 0xFFFD);
    return entity;
  }
  if (!std::all_of(body.begin(), body.end(),
                   [](char c) { return IsAsciiLetter(c) || IsAsciiDigit(c); })) {
    return std::nullopt;
  }
  if (const std::optional<char32_t> code = NamedEntityCode(body)) {
    AppendUtf8(entity.text, *code);
  } else {
    entity.text = std::string(text.substr(i, entity.length));
    entity.known = false;
  }
  return entity;
}

// ---- the Markdown writer ----------------------------------------------------------------------

class MarkdownWriter {
 public:
  // Collapsible whitespace between words.
  void Space() { pending_space_ = true; }

  // One byte of text, escaped where Markdown would read it as syntax. `escape` forces a backslash
  // (for '&' and '$', which only the caller can judge).
  void Char(char c, bool escape = false) {
    const bool line_start = line_.empty() && AllMarksEmitted();
    bool needs = escape;
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '<':
      case '~':
      case '|':
        needs = true;
        break;
      case '#':
      case '>':
      case '+':
      case '-':
      case '=':
        needs = needs || line_start;
        break;
      case '.':
      case ')':
        needs = needs || digits_at_line_start_;
        break;
      default:
        break;
    }
    const bool digit = IsAsciiDigit(c);
    const bool continues_digits = digit && (line_start || digits_at_line_start_);
    std::string text;
    if (needs) text += '\\';
    text += c;
    Visible(text);
    digits_at_line_start_ = continues_digits;
  }

  // Markdown that is already what it should be (a code span, maths), as one visible piece.
  void Visible(std::string_view markdown) {
    if (pending_space_ && !line_.empty()) line_ += ' ';
    pending_space_ = false;
    for (Mark& mark : marks_) {
      if (!mark.emitted) {
        line_ += mark.opener;
        mark.emitted = true;
      }
    }
    line_ += markdown;
    digits_at_line_start_ = false;
  }

  void OpenMark(std::string opener, std::string closer) {
    marks_.push_back({std::move(opener), std::move(closer), false});
  }

  // Closes the innermost mark; a mark around nothing leaves no trace.
  void CloseMark() {
    if (marks_.empty()) return;
    if (marks_.back().emitted) line_ += marks_.back().closer;
    marks_.pop_back();
  }

  void LineBreak() {
    if (line_.empty()) {
      // A second break in a row is a blank line: a new paragraph.
      if (!lines_.empty()) EndBlock();
      return;
    }
    lines_.push_back(std::move(line_));
    line_.clear();
    pending_space_ = false;
    digits_at_line_start_ = false;
  }

  void SetHeading(int level) { heading_ = level; }

  // Ends the paragraph (or heading) being written; open marks carry over to the next block.
  void EndBlock() {
    for (auto mark = marks_.rbegin(); mark != marks_.rend(); ++mark) {
      if (mark->emitted) line_ += mark->closer;
      mark->emitted = false;
    }
    lines_.push_back(std::move(line_));
    line_.clear();
    pending_space_ = false;
    digits_at_line_start_ = false;
    while (!lines_.empty() && lines_.back().empty()) lines_.pop_back();  // a break at the end
    std::vector<std::string> block;
    if (heading_ > 0 && !lines_.empty()) {
      std::string joined(static_cast<size_t>(heading_), '#');
      for (const std::string& line : lines_) joined += ' ' + line;
      block.push_back(std::move(joined));
    } else {
      // Every line but the last ends in a hard break.
      for (size_t i = 0; i < lines_.size(); ++i) {
        block.push_back(i + 1 < lines_.size() ? lines_[i] + "\\" : lines_[i]);
      }
    }
    lines_.clear();
    heading_ = 0;
    if (!block.empty()) EmitBlock(block);
  }

  void Rule() {
    EndBlock();
    EmitBlock({"---"});
  }

  void CodeBlock(std::string_view code) {
    EndBlock();
    size_t longest = 0, run = 0;
    for (char c : code) {
      run = c == '`' ? run + 1 : 0;
      longest = std::max(longest, run);
    }
    const std::string fence(std::max<size_t>(3, longest + 1), '`');
    std::vector<std::string> lines = {fence};
    std::string_view rest = code;
    if (rest.starts_with('\n')) rest.remove_prefix(1);  // HTML drops the first newline of <pre>
    while (rest.ends_with('\n')) rest.remove_suffix(1);
    size_t start = 0;
    while (start <= rest.size()) {
      const size_t end = rest.find('\n', start);
      lines.emplace_back(rest.substr(start, end == std::string_view::npos ? end : end - start));
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
    lines.push_back(fence);
    EmitBlock(lines);
  }

  void PushQuote() {
    EndBlock();
    containers_.push_back({Container::kQuote, "", false});
  }
  void PushList(bool ordered) {
    EndBlock();
    lists_.push_back({ordered, 1, containers_.size()});
  }
  void PushItem() {
    EndBlock();
    if (lists_.empty()) lists_.push_back({false, 1, containers_.size()});
    List& list = lists_.back();
    containers_.resize(std::min(containers_.size(), list.depth));  // an item left open by <li>
    std::string marker = list.ordered ? std::to_string(list.next++) + ". " : "- ";
    containers_.push_back({Container::kItem, std::move(marker), false});
  }
  void PopItem() { PopContainer(Container::kItem); }
  void PopQuote() { PopContainer(Container::kQuote); }
  void PopList() {
    EndBlock();
    if (lists_.empty()) return;
    containers_.resize(std::min(containers_.size(), lists_.back().depth));
    lists_.pop_back();
  }

  std::string Finish() {
    while (!marks_.empty()) CloseMark();
    EndBlock();
    while (!out_.empty() && (out_.back() == '\n' || out_.back() == ' ')) out_.pop_back();
    return std::move(out_);
  }

 private:
  struct Mark {
    std::string opener;
    std::string closer;
    bool emitted = false;
  };
  struct Container {
    enum Kind { kQuote, kItem };
    Kind kind;
    std::string marker;  // "- " or "3. " for an item
    bool marker_written = false;
  };
  struct List {
    bool ordered = false;
    int next = 1;
    size_t depth = 0;  // containers_.size() when the list opened
  };

  bool AllMarksEmitted() const {
    return std::all_of(marks_.begin(), marks_.end(), [](const Mark& m) { return m.emitted; });
  }

  void PopContainer(Container::Kind kind) {
    EndBlock();
    for (size_t i = containers_.size(); i > 0; --i) {
      if (containers_[i - 1].kind == kind) {
        containers_.resize(i - 1);
        return;
      }
    }
  }

  std::string Prefix(bool for_blank_line) {
    std::string prefix;
    for (Container& container : containers_) {
      if (container.kind == Container::kQuote) {
        prefix += "> ";
      } else if (!container.marker_written && !for_blank_line) {
        prefix += container.marker;
        container.marker_written = true;
      } else {
        prefix += std::string(container.marker.size(), ' ');
      }
    }
    if (for_blank_line) {
      while (!prefix.empty() && prefix.back() == ' ') prefix.pop_back();
    }
    return prefix;
  }

  void EmitBlock(const std::vector<std::string>& lines) {
    // A new list item right after a block in an item follows on the next line: a tight list.
    const bool new_item = std::any_of(containers_.begin(), containers_.end(), [](const auto& c) {
      return c.kind == Container::kItem && !c.marker_written;
    });
    if (!out_.empty() && !(new_item && previous_in_item_)) out_ += Prefix(true) + "\n";
    for (const std::string& line : lines) out_ += Prefix(false) + line + "\n";
    previous_in_item_ = std::any_of(containers_.begin(), containers_.end(),
                                    [](const auto& c) { return c.kind == Container::kItem; });
  }

  std::string out_;
  std::vector<std::string> lines_;  // finished lines of the current block
  std::string line_;                // the line being written
  bool pending_space_ = false;
  bool digits_at_line_start_ = false;
  bool previous_in_item_ = false;
  int heading_ = 0;
  std::vector<Mark> marks_;
  std::vector<Container> containers_;
  std::vector<List> lists_;
};

// ---- HTML -------------------------------------------------------------------------------------

struct Tag {
  std::string name;  // lower case
  bool closing = false;
  std::vector<std::pair<std::string, std::string>> attributes;  // names in lower case
  size_t end = 0;                                               // just past '>'
};

std::optional<Tag> ReadTag(std::string_view html, size_t i) {
  Tag tag;
  size_t p = i + 1;
  if (p < html.size() && html[p] == '/') {
    tag.closing = true;
    ++p;
  }
  if (p >= html.size() || !IsAsciiLetter(html[p])) return std::nullopt;
  while (p < html.size() && (IsAsciiLetter(html[p]) || IsAsciiDigit(html[p]))) {
    tag.name += AsciiLower(html[p++]);
  }
  while (p < html.size()) {
    while (p < html.size() && (IsSpace(html[p]) || html[p] == '/')) ++p;
    if (p >= html.size()) return std::nullopt;
    if (html[p] == '>') {
      tag.end = p + 1;
      return tag;
    }
    std::string name;
    while (p < html.size() && !IsSpace(html[p]) && html[p] != '=' && html[p] != '>' &&
           html[p] != '/') {
      name += AsciiLower(html[p++]);
    }
    std::string value;
    while (p < html.size() && IsSpace(html[p])) ++p;
    if (p < html.size() && html[p] == '=') {
      ++p;
      while (p < html.size() && IsSpace(html[p])) ++p;
      if (p < html.size() && (html[p] == '"' || html[p] == '\'')) {
        const char quote = html[p++];
        const size_t close = html.find(quote, p);
        if (close == std::string_view::npos) return std::nullopt;
        value = std::string(html.substr(p, close - p));
        p = close + 1;
      } else {
        while (p < html.size() && !IsSpace(html[p]) && html[p] != '>') value += html[p++];
      }
    }
    if (name.empty()) {
      ++p;  // a stray character inside the tag
      continue;
    }
    tag.attributes.emplace_back(std::move(name), std::move(value));
  }
  return std::nullopt;
}

std::string DecodeEntities(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '&') {
      if (std::optional<Entity> entity = ReadEntity(text, i)) {
        out += entity->text;
        i += entity->length - 1;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::string CodeSpan(std::string code) {
  std::replace(code.begin(), code.end(), '\n', ' ');
  size_t longest = 0, run = 0;
  for (char c : code) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const bool pad = code.starts_with('`') || code.ends_with('`') ||
                   (code.starts_with(' ') && code.ends_with(' ') && code.size() > 1);
  return fence + (pad ? " " : "") + code + (pad ? " " : "") + fence;
}

bool IsSafeLink(std::string_view url) {
  const std::string lower = AsciiLower(url.substr(0, 8));
  return lower.starts_with("http://") || lower.starts_with("https://") ||
         lower.starts_with("mailto:");
}

std::string LinkTarget(std::string url) {
  const bool needs_brackets = std::any_of(url.begin(), url.end(), [](char c) {
    return IsSpace(c) || c == '(' || c == ')' || c == '<' || c == '>';
  });
  if (!needs_brackets) return url;
  std::string out = "<";
  for (char c : url) {
    if (c == '<' || c == '>') out += '\\';
    out += c;
  }
  return out + ">";
}

class Converter {
 public:
  Converter(SourceFormat format, MarkdownConversion& result)
      : html_(format == SourceFormat::kHtml || format == SourceFormat::kMoodle),
        newline_breaks_(format == SourceFormat::kMoodle || format == SourceFormat::kPlain),
        result_(result) {}

  std::string Run(std::string_view text) {
    size_t i = 0;
    size_t text_start = 0;
    while (i < text.size()) {
      if (!html_ || text[i] != '<') {
        ++i;
        continue;
      }
      if (text.substr(i, 4) == "<!--") {
        Text(text.substr(text_start, i - text_start));
        const size_t close = text.find("-->", i + 4);
        i = close == std::string_view::npos ? text.size() : close + 3;
        text_start = i;
        continue;
      }
      if (i + 1 < text.size() && (text[i + 1] == '!' || text[i + 1] == '?')) {
        Text(text.substr(text_start, i - text_start));
        const size_t close = text.find('>', i);
        i = close == std::string_view::npos ? text.size() : close + 1;
        text_start = i;
        continue;
      }
      std::optional<Tag> tag = ReadTag(text, i);
      if (!tag) {
        ++i;  // a '<' that opens no tag is text
        continue;
      }
      Text(text.substr(text_start, i - text_start));
      i = Element(*tag, text);
      text_start = i;
    }
    Text(text.substr(text_start));
    return writer_.Finish();
  }

 private:
  void Unsupported(const std::string& what) { Note(result_.unsupported, what); }
  void Dropped(const std::string& what) { Note(result_.dropped, what); }
  static void Note(std::vector<std::string>& list, const std::string& what) {
    if (std::find(list.begin(), list.end(), what) == list.end()) list.push_back(what);
  }

  // Everything up to the closing tag of `name` (or the end), and where it ends.
  static std::pair<std::string_view, size_t> Until(std::string_view text, size_t from,
                                                   std::string_view name) {
    for (size_t p = text.find('<', from); p != std::string_view::npos; p = text.find('<', p + 1)) {
      if (std::optional<Tag> tag = ReadTag(text, p); tag && tag->closing && tag->name == name) {
        return {text.substr(from, p - from), tag->end};
      }
    }
    return {text.substr(from), text.size()};
  }

  // The text inside an element whose markup is not kept (code, pre): tags removed, entities read.
  static std::string TextOnly(std::string_view html) {
    std::string text;
    for (size_t i = 0; i < html.size(); ++i) {
      if (html[i] == '<') {
        if (std::optional<Tag> tag = ReadTag(html, i)) {
          if (tag->name == "br") text += '\n';
          i = tag->end - 1;
          continue;
        }
      }
      text += html[i];
    }
    return DecodeEntities(text);
  }

  void CheckAttributes(const Tag& tag, std::initializer_list<std::string_view> kept) {
    for (const auto& [name, value] : tag.attributes) {
      if (std::find(kept.begin(), kept.end(), name) == kept.end()) {
        Dropped("the attribute '" + name + "'");
      }
    }
  }

  // Handles the tag; returns where the text continues.
  size_t Element(const Tag& tag, std::string_view text) {
    const std::string& name = tag.name;
    if (tag.closing) {
      Close(name);
      return tag.end;
    }
    CheckAttributes(tag, {"href"});
    if (name == "p" || name == "div" || name == "section" || name == "article") {
      writer_.EndBlock();
    } else if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
      writer_.EndBlock();
      writer_.SetHeading(name[1] - '0');
    } else if (name == "ul" || name == "ol") {
      writer_.PushList(name == "ol");
    } else if (name == "li") {
      writer_.PushItem();
    } else if (name == "blockquote") {
      writer_.PushQuote();
    } else if (name == "br") {
      writer_.LineBreak();
    } else if (name == "hr") {
      writer_.Rule();
    } else if (name == "pre") {
      const auto [inside, end] = Until(text, tag.end, "pre");
      writer_.CodeBlock(TextOnly(inside));
      return end;
    } else if (name == "code" || name == "tt" || name == "kbd" || name == "samp") {
      const auto [inside, end] = Until(text, tag.end, name);
      const std::string code = TextOnly(inside);
      if (!code.empty()) writer_.Visible(CodeSpan(code));
      return end;
    } else if (name == "b" || name == "strong") {
      OpenInline(name, "**", "**");
    } else if (name == "i" || name == "em") {
      OpenInline(name, "*", "*");
    } else if (name == "s" || name == "strike" || name == "del") {
      OpenInline(name, "~~", "~~");
    } else if (name == "a") {
      std::string href;
      for (const auto& [attribute, value] : tag.attributes) {
        if (attribute == "href") href = DecodeEntities(value);
      }
      if (!href.empty() && IsSafeLink(href)) {
        OpenInline(name, "[", "](" + LinkTarget(href) + ")");
      } else {
        if (!href.empty()) Dropped("a link that is not http, https or mailto");
        OpenInline(name, "", "");
      }
    } else if (name == "script" || name == "style") {
      if (name == "script") Unsupported("the element <script>");
      if (name == "style") Dropped("the element <style>");
      return Until(text, tag.end, name).second;
    } else if (name == "span" || name == "label" || name == "header" || name == "footer" ||
               name == "main" || name == "figure" || name == "figcaption" || name == "cite" ||
               name == "q" || name == "abbr" || name == "dfn" || name == "var") {
      OpenInline(name, "", "");  // text kept, no mark
    } else if (name == "u" || name == "ins" || name == "mark" || name == "small" || name == "big" ||
               name == "font" || name == "center") {
      Dropped("the element <" + name + ">");
      OpenInline(name, "", "");
    } else if (name == "table" || name == "thead" || name == "tbody" || name == "tfoot" ||
               name == "tr" || name == "td" || name == "th" || name == "caption" ||
               name == "colgroup" || name == "col") {
      Unsupported("the element <table>");
      writer_.EndBlock();
    } else {
      // img, sub, sup, iframe, video, audio, object, embed, svg, math, form controls, and tags
      // this converter does not know: their content cannot be shown as it was.
      Unsupported("the element <" + name + ">");
    }
    return tag.end;
  }

  void OpenInline(const std::string& name, std::string opener, std::string closer) {
    inline_stack_.push_back(name);
    writer_.OpenMark(std::move(opener), std::move(closer));
  }

  void Close(const std::string& name) {
    const auto open = std::find(inline_stack_.rbegin(), inline_stack_.rend(), name);
    if (open != inline_stack_.rend()) {
      const size_t count = static_cast<size_t>(open - inline_stack_.rbegin()) + 1;
      for (size_t k = 0; k < count; ++k) {
        writer_.CloseMark();
        inline_stack_.pop_back();
      }
      return;
    }
    if (name == "p" || name == "div" || name == "section" || name == "article" ||
        (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6')) {
      writer_.EndBlock();
    } else if (name == "ul" || name == "ol") {
      writer_.PopList();
    } else if (name == "li") {
      writer_.PopItem();
    } else if (name == "blockquote") {
      writer_.PopQuote();
    } else if (name == "tr" || name == "table") {
      writer_.EndBlock();
    }
  }

  // Copies a maths span opened at text[i] by `open` and closed by `close`, as `$$…$$` or `$…$`.
  bool Maths(std::string_view text, size_t& i, std::string_view open, std::string_view close,
             std::string_view delimiter) {
    if (text.substr(i, open.size()) != open) return false;
    const size_t end = text.find(close, i + open.size());
    if (end == std::string_view::npos) return false;
    std::string inside = DecodeEntities(text.substr(i + open.size(), end - i - open.size()));
    std::replace(inside.begin(), inside.end(), '\n', ' ');
    const std::string_view trimmed = TrimWhitespace(inside);
    if (trimmed.empty()) return false;
    writer_.Visible(std::string(delimiter) + std::string(trimmed) + std::string(delimiter));
    i = end + close.size();
    return true;
  }

  void Text(std::string_view text) {
    size_t i = 0;
    while (i < text.size()) {
      const char c = text[i];
      if (IsSpace(c)) {
        size_t newlines = 0;
        while (i < text.size() && IsSpace(text[i])) newlines += text[i++] == '\n' ? 1 : 0;
        if (newline_breaks_ && newlines >= 2) {
          writer_.EndBlock();
        } else if (newline_breaks_ && newlines == 1) {
          writer_.LineBreak();
        } else {
          writer_.Space();
        }
        continue;
      }
      if (html_ && (Maths(text, i, "$$", "$$", "$$") || Maths(text, i, "\\(", "\\)", "$") ||
                    Maths(text, i, "\\[", "\\]", "$$"))) {
        continue;
      }
      if (html_ && c == '&') {
        if (std::optional<Entity> entity = ReadEntity(text, i)) {
          if (!entity->known) Dropped("an unknown character reference");
          for (char decoded : entity->text) {
            writer_.Char(decoded, decoded == '&' || decoded == '$');
          }
          i += entity->length;
          continue;
        }
      }
      const bool before_word =
          i + 1 < text.size() &&
          (IsAsciiLetter(text[i + 1]) || IsAsciiDigit(text[i + 1]) || text[i + 1] == '#');
      writer_.Char(c, (c == '&' && before_word) || c == '$');
      ++i;
    }
  }

  bool html_;
  bool newline_breaks_;
  MarkdownConversion& result_;
  MarkdownWriter writer_;
  std::vector<std::string> inline_stack_;
};

}  // namespace

MarkdownConversion ToMarkdown(std::string_view text, SourceFormat format) {
  MarkdownConversion result;
  if (format == SourceFormat::kMarkdown) {
    result.markdown = std::string(TrimWhitespace(text));
    return result;
  }
  Converter converter(format, result);
  // Trimmed as Markdown is above: the converter drops trailing spaces and newlines only, so a text
  // ending in a vertical tab or form feed kept it here, lost it when written back as [markdown],
  // and did not read back the same.
  result.markdown = std::string(TrimWhitespace(converter.Run(text)));
  return result;
}

}  // namespace practica::content
