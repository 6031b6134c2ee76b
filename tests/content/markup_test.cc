// Other markups → Markdown: what each HTML construct becomes, that text shows as it did (the
// rendered HTML is the check), and what is reported as not kept.
#include "content/markup.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "content/markdown.h"

namespace practica::content {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string Html(std::string_view html) { return ToMarkdown(html, SourceFormat::kHtml).markdown; }

TEST(ToMarkdown, MarkdownIsKeptAsItIsBarTheEnds) {
  EXPECT_EQ(ToMarkdown("  **x** <b>y</b>\n", SourceFormat::kMarkdown).markdown, "**x** <b>y</b>");
}

TEST(ToMarkdown, EveryFormatTrimsTheSameWhitespace) {
  for (const SourceFormat format : {SourceFormat::kMarkdown, SourceFormat::kHtml,
                                    SourceFormat::kMoodle, SourceFormat::kPlain}) {
    EXPECT_EQ(ToMarkdown("\v\fx y\t\v\f\r\n", format).markdown, "x y");
  }
}

TEST(ToMarkdown, ParagraphsBreaksAndEmphasis) {
  EXPECT_EQ(Html("<p>One</p><p>Two <b>bold </b>word</p>"), "One\n\nTwo **bold** word");
  EXPECT_EQ(Html("a<br>b<br/><br>c"), "a\\\nb\n\nc");
  EXPECT_EQ(Html("<i>it</i><strong>bold</strong> <del>gone</del>"), "*it***bold** ~~gone~~");
  // A mark that spans paragraphs is closed and reopened in each.
  EXPECT_EQ(Html("<b><p>in</p><p>two</p></b>"), "**in**\n\n**two**");
  EXPECT_EQ(Html("<b> </b>x"), "x");  // a mark around nothing leaves nothing
}

TEST(ToMarkdown, ListsHeadingsQuotesRulesAndCode) {
  EXPECT_EQ(Html("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>"), "- a\n  - b\n- c");
  EXPECT_EQ(Html("<ol><li>first<li>second</ol>after"), "1. first\n2. second\n\nafter");
  EXPECT_EQ(Html("<h2>Title</h2>text<hr>end"), "## Title\n\ntext\n\n---\n\nend");
  EXPECT_EQ(Html("<blockquote><p>quoted</p><p>more</p></blockquote>"), "> quoted\n>\n> more");
  EXPECT_EQ(Html("<pre><code>int x = 1;\n  y &lt; 2;</code></pre>"),
            "```\nint x = 1;\n  y < 2;\n```");
  EXPECT_EQ(Html("use <code>a`b</code> here"), "use ``a`b`` here");
}

TEST(ToMarkdown, LinksOnlyToTheWeb) {
  const MarkdownConversion result = ToMarkdown(
      "<a href=\"javascript:alert(1)\">x</a> <a href='https://a.b/c d'>y</a>", SourceFormat::kHtml);
  EXPECT_EQ(result.markdown, "x [y](<https://a.b/c d>)");
  EXPECT_THAT(result.dropped, ElementsAre("a link that is not http, https or mailto"));
}

TEST(ToMarkdown, EntitiesAndMarkdownSyntaxInTextShowAsWritten) {
  EXPECT_EQ(Html("caf&eacute; &amp; cr&egrave;me &#233; &#x263A; &lt;tag&gt; &nbsp;"),
            "café \\& crème é ☺ \\<tag> \xc2\xa0");
  EXPECT_EQ(Html("a*b_c`d`[e]|f~g"), "a\\*b\\_c\\`d\\`\\[e\\]\\|f\\~g");
  EXPECT_EQ(Html("1. not a list"), "1\\. not a list");
  EXPECT_EQ(Html("<p># no heading</p><p>- dash</p><p>+ plus</p><p>2) paren</p>"),
            "\\# no heading\n\n\\- dash\n\n\\+ plus\n\n2\\) paren");
  EXPECT_EQ(RenderMarkdown(Html("a*b_c`d`[e]|f~g &lt;i&gt; 1 &amp;copy; 2")),
            "<p>a*b_c`d`[e]|f~g &lt;i&gt; 1 &amp;copy; 2</p>\n");
  const MarkdownConversion unknown = ToMarkdown("&nosuch; x", SourceFormat::kHtml);
  EXPECT_EQ(unknown.markdown, "\\&nosuch; x");
  EXPECT_THAT(unknown.dropped, ElementsAre("an unknown character reference"));
}

TEST(ToMarkdown, MoodlesTexNotationsBecomeMaths) {
  EXPECT_EQ(Html("$$x^2$$ and \\(a_b\\) and \\[c\\] cost $5"),
            "$$x^2$$ and $a_b$ and $$c$$ cost \\$5");
}

TEST(ToMarkdown, WhatMarkdownCannotHoldIsReported) {
  const MarkdownConversion result = ToMarkdown(
      "x <img src=a.png> H<sub>2</sub>O <table><tr><td>1</td></tr></table> <script>bad()</script>",
      SourceFormat::kHtml);
  EXPECT_THAT(result.unsupported, ElementsAre("the element <img>", "the element <sub>",
                                              "the element <table>", "the element <script>"));
  EXPECT_EQ(result.markdown.find("bad()"), std::string::npos);
  const MarkdownConversion styled = ToMarkdown(
      "<span class=\"x\" style=\"color:red\">Red</span> <u>under</u>", SourceFormat::kHtml);
  EXPECT_EQ(styled.markdown, "Red under");
  EXPECT_THAT(styled.unsupported, IsEmpty());
  EXPECT_THAT(styled.dropped,
              ElementsAre("the attribute 'class'", "the attribute 'style'", "the element <u>"));
}

TEST(ToMarkdown, MoodleFormatBreaksLinesAndPlainShowsEveryCharacter) {
  EXPECT_EQ(ToMarkdown("line one\nline two\n\npara <em>x</em> *y*", SourceFormat::kMoodle).markdown,
            "line one\\\nline two\n\npara *x* \\*y\\*");
  const std::string plain = ToMarkdown("a <b> & c\n# d $ e", SourceFormat::kPlain).markdown;
  EXPECT_EQ(plain, "a \\<b> & c\\\n\\# d \\$ e");
  EXPECT_EQ(RenderMarkdown(plain), "<p>a &lt;b&gt; &amp; c<br />\n# d $ e</p>\n");
}

}  // namespace
}  // namespace practica::content
