// Text written in another markup → Practica's Markdown (CommonMark + GitHub tables, raw HTML not
// rendered; see markdown.h), for importing questions from other systems (gift.h).
//
// Practica renders Markdown and never passes raw HTML through, so HTML is converted, not kept:
// what Markdown can say (paragraphs, line breaks, emphasis, code, links, lists, headings, quotes,
// rules, maths) comes across; presentation Markdown has no place for (a `style`, `<u>`, `<span>`)
// is dropped and reported as such; content it cannot hold (an image, a table, sub- and
// superscripts, scripts) is reported as unsupported, and the caller refuses the text.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace practica::content {

enum class SourceFormat {
  kMarkdown,  // taken as it is
  kHtml,      // HTML: whitespace collapses, as a browser shows it
  kMoodle,    // Moodle's auto-format: HTML in which a newline is a line break, a blank line a
              // paragraph
  kPlain,     // every character as written; a newline is a line break
};

struct MarkdownConversion {
  std::string markdown;                  // trimmed, without a final newline
  std::vector<std::string> unsupported;  // content lost: "the element <table>", each named once
  std::vector<std::string> dropped;      // presentation lost: "the attribute 'style'", once each
};

// Converts `text` from `format`. In the HTML formats, Moodle's TeX notations `$$…$$`, `\(…\)` and
// `\[…\]` become Practica's maths (`$$…$$`, `$…$`, `$$…$$`); every other character that Markdown
// would read as syntax is backslash-escaped, so the text shows exactly as it did.
MarkdownConversion ToMarkdown(std::string_view text, SourceFormat format);

}  // namespace practica::content
