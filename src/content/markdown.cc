#include "content/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>
#include <mutex>

#include "content/maths.h"

namespace practica::content {
namespace {

constexpr std::array<const char*, 4> kExtensions = {"table", "strikethrough", "autolink",
                                                    "tasklist"};

// cmark-gfm 0.29 keeps parser state in process-wide tables: extension registration is an
// unguarded check-then-set that aborts when it runs twice, and every parse adds and then removes
// the extensions' special characters in one global table. Concurrent parses would race on that
// table (dropping strikethrough or autolinks at random), so registration happens once and
// parsing is serialised. Markdown is rendered at import time, not on the request path, so the
// lock costs little.
std::mutex& ParseMutex() {
  static std::mutex mutex;
  return mutex;
}

void EnsureExtensionsRegistered() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

struct ParserDeleter {
  void operator()(cmark_parser* parser) const { cmark_parser_free(parser); }
};
struct NodeDeleter {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};
using ParserPtr = std::unique_ptr<cmark_parser, ParserDeleter>;
using NodePtr = std::unique_ptr<cmark_node, NodeDeleter>;

// Parses with the GitHub extensions attached. REQUIRES: ParseMutex() is held.
NodePtr Parse(cmark_parser* parser, std::string_view markdown) {
  for (const char* name : kExtensions) {
    if (cmark_syntax_extension* extension = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser, extension);
    }
  }
  cmark_parser_feed(parser, markdown.data(), markdown.size());
  return NodePtr(cmark_parser_finish(parser));
}

// The lines of every code block, which the maths protection must leave untouched.
std::vector<LineRange> CodeBlockLines(std::string_view markdown) {
  std::vector<LineRange> ranges;
  const ParserPtr parser(cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_SOURCEPOS));
  const NodePtr document = Parse(parser.get(), markdown);
  cmark_iter* iter = cmark_iter_new(document.get());
  for (cmark_event_type event = cmark_iter_next(iter); event != CMARK_EVENT_DONE;
       event = cmark_iter_next(iter)) {
    cmark_node* node = cmark_iter_get_node(iter);
    if (event == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK) {
      const int first = cmark_node_get_start_line(node);
      ranges.push_back({first, std::max(first, cmark_node_get_end_line(node))});
    }
  }
  cmark_iter_free(iter);
  return ranges;
}

}  // namespace

std::string RenderMarkdown(std::string_view markdown) {
  if (markdown.empty()) return {};
  EnsureExtensionsRegistered();
  const std::lock_guard<std::mutex> lock(ParseMutex());
  const std::string source = markdown.find('$') == std::string_view::npos
                                 ? std::string(markdown)
                                 : ProtectMaths(markdown, CodeBlockLines(markdown));

  // CMARK_OPT_DEFAULT leaves CMARK_OPT_UNSAFE off: raw HTML becomes <!-- raw HTML omitted -->
  // and javascript: links are dropped.
  const ParserPtr parser(cmark_parser_new(CMARK_OPT_DEFAULT));
  const NodePtr document = Parse(parser.get(), source);
  char* html = cmark_render_html(document.get(), CMARK_OPT_DEFAULT,
                                 cmark_parser_get_syntax_extensions(parser.get()));
  std::string result(html);
  std::free(html);
  return result;
}

domain::RichText MakeRichText(std::string markdown) {
  std::string html = RenderMarkdown(markdown);
  return {std::move(markdown), std::move(html)};
}

domain::RichText MakeInlineRichText(std::string markdown) {
  std::string html = RenderMarkdown(markdown);
  // One paragraph and nothing else: keep only its content. Raw HTML is escaped or omitted, so a
  // "</p>" inside can only come from a second paragraph.
  constexpr std::string_view kOpen = "<p>";
  constexpr std::string_view kClose = "</p>\n";
  const bool single_paragraph = html.size() >= kOpen.size() + kClose.size() &&
                                html.starts_with(kOpen) && html.ends_with(kClose) &&
                                html.find("</p>", kOpen.size()) == html.size() - kClose.size();
  if (single_paragraph) {
    html = html.substr(kOpen.size(), html.size() - kOpen.size() - kClose.size());
  }
  return {std::move(markdown), std::move(html)};
}

}  // namespace practica::content
