// Keeps `$…$` and `$$…$$` maths intact through CommonMark, for KaTeX to typeset in the browser.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace practica::content {

// An inclusive range of 1-based source lines that Markdown shows verbatim (a code block).
struct LineRange {
  int first = 0;
  int last = 0;
};

// Returns `markdown` with every ASCII punctuation character inside a maths span backslash-escaped,
// so that CommonMark renders the span's text literally (no emphasis from `_` or `*`, no `\\` → `\`,
// no raw HTML from `<`). Lines in `verbatim` and code spans are left alone.
//
// A span is `$$…$$` (may cross lines within a paragraph), or `$…$` on one line whose opening `$`
// is followed by a non-space, whose closing `$` follows a non-space and is not followed by a digit
// (so "$5 and $10" is no maths). `\$` is a literal dollar, never a delimiter.
std::string ProtectMaths(std::string_view markdown, const std::vector<LineRange>& verbatim);

}  // namespace practica::content
