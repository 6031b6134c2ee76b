// Markdown → HTML, the one place the project renders Markdown.
#pragma once

#include <string>
#include <string_view>

#include "domain/exercise.h"

namespace practica::content {

// Renders CommonMark with the GitHub extensions (tables, strikethrough, autolinks, task lists).
// Raw HTML in the input is never passed through: it is replaced by a comment, so author text can
// not inject markup. `$…$` and `$$…$$` maths is left as text for the browser to typeset (see
// maths.h). Safe to call from any thread (parses are serialised inside; see markdown.cc).
std::string RenderMarkdown(std::string_view markdown);

// RichText{markdown, RenderMarkdown(markdown)}.
domain::RichText MakeRichText(std::string markdown);

// Like MakeRichText, but for short inline text (an option, an item, a hint): the surrounding
// <p>…</p> of a single paragraph is removed.
domain::RichText MakeInlineRichText(std::string markdown);

}  // namespace practica::content
