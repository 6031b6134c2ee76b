#include "content/markdown.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "content/maths.h"

namespace practica::content {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(RenderMarkdown, RendersCommonMark) {
  EXPECT_EQ(RenderMarkdown("The **mean** of a *list*."),
            "<p>The <strong>mean</strong> of a <em>list</em>.</p>\n");
  EXPECT_EQ(RenderMarkdown(""), "");
}

TEST(RenderMarkdown, RendersGithubTables) {
  const std::string html = RenderMarkdown("| value | square |\n|---:|---|\n| 2 | 4 |\n");
  EXPECT_THAT(html, HasSubstr("<table>"));
  EXPECT_THAT(html, HasSubstr("<th align=\"right\">value</th>"));
  EXPECT_THAT(html, HasSubstr("<td>4</td>"));
}

TEST(RenderMarkdown, RendersStrikethroughAutolinksAndTaskLists) {
  EXPECT_THAT(RenderMarkdown("~~old~~"), HasSubstr("<del>old</del>"));
  EXPECT_THAT(RenderMarkdown("see www.example.com"),
              HasSubstr("<a href=\"http://www.example.com\">www.example.com</a>"));
  EXPECT_THAT(RenderMarkdown("- [x] done\n- [ ] todo\n"), HasSubstr("type=\"checkbox\" checked"));
}

TEST(RenderMarkdown, ReplacesRawHtmlWithAComment) {
  const std::string block = RenderMarkdown("<script>alert(1)</script>\n");
  EXPECT_THAT(block, Not(HasSubstr("<script")));
  EXPECT_THAT(block, HasSubstr("<!-- raw HTML omitted -->"));
  const std::string inline_html = RenderMarkdown("a <img src=x onerror=alert(1)> b");
  EXPECT_THAT(inline_html, Not(HasSubstr("<img")));
  EXPECT_THAT(inline_html, HasSubstr("<!-- raw HTML omitted -->"));
}

TEST(RenderMarkdown, DropsJavascriptLinks) {
  EXPECT_THAT(RenderMarkdown("[x](javascript:alert(1))"), Not(HasSubstr("javascript")));
}

TEST(RenderMarkdown, KeepsInlineMathsLiteral) {
  // Without protection `_` and `*` would turn into <em>.
  EXPECT_EQ(RenderMarkdown("so $a_1 * b_2$ and $c_3 * d_4$ hold"),
            "<p>so $a_1 * b_2$ and $c_3 * d_4$ hold</p>\n");
}

TEST(RenderMarkdown, KeepsBackslashesBracesAndAnglesInMaths) {
  EXPECT_EQ(RenderMarkdown("$\\frac{a}{b} \\\\ \\{x\\} < y$"),
            "<p>$\\frac{a}{b} \\\\ \\{x\\} &lt; y$</p>\n");
  EXPECT_EQ(RenderMarkdown("$a<b>c$"), "<p>$a&lt;b&gt;c$</p>\n");
}

TEST(RenderMarkdown, KeepsDisplayMathsAcrossLines) {
  EXPECT_EQ(RenderMarkdown("$$\\bar{x} = \\frac{x_1 + \\dots + x_n}{n}\n- 1 * y_2$$\n"),
            "<p>$$\\bar{x} = \\frac{x_1 + \\dots + x_n}{n}\n- 1 * y_2$$</p>\n");
}

TEST(RenderMarkdown, KeepsMathsInTableCells) {
  const std::string html = RenderMarkdown("| a | b |\n|---|---|\n| $|x|_1$ | 2 |\n");
  EXPECT_THAT(html, HasSubstr("<td>$|x|_1$</td>"));
  EXPECT_THAT(html, HasSubstr("<td>2</td>"));
}

TEST(RenderMarkdown, DollarAmountsAreNotMaths) {
  EXPECT_EQ(RenderMarkdown("costs $5 and *then* $10"), "<p>costs $5 and <em>then</em> $10</p>\n");
  EXPECT_EQ(RenderMarkdown("\\$a_1 *b* c_2$"), "<p>$a_1 <em>b</em> c_2$</p>\n");
}

TEST(RenderMarkdown, LeavesCodeAlone) {
  EXPECT_EQ(RenderMarkdown("`$a_1$` and $b_1$"), "<p><code>$a_1$</code> and $b_1$</p>\n");
  EXPECT_EQ(RenderMarkdown("```\n$a_1 * b$\n```\n"), "<pre><code>$a_1 * b$\n</code></pre>\n");
  EXPECT_EQ(RenderMarkdown("text\n\n    $a_1 * b$\n"),
            "<p>text</p>\n<pre><code>$a_1 * b$\n</code></pre>\n");
}

TEST(ProtectMaths, EscapesOnlyInsideSpans) {
  EXPECT_EQ(ProtectMaths("*a* $x_1$ *b*", {}), "*a* $x\\_1$ *b*");
  EXPECT_EQ(ProtectMaths("$$a*b$$", {}), "$$a\\*b$$");
  EXPECT_EQ(ProtectMaths("$x_1\n$y_2$", {{2, 2}}), "$x_1\n$y_2$");  // line 2 is verbatim
  EXPECT_EQ(ProtectMaths("$ a_1$", {}), "$ a_1$");                  // space after the opener
}

TEST(MakeInlineRichText, StripsTheParagraphOfOneParagraph) {
  EXPECT_EQ(MakeInlineRichText("The *mode*").html, "The <em>mode</em>");
  EXPECT_EQ(MakeInlineRichText("The *mode*").markdown, "The *mode*");
  EXPECT_EQ(MakeInlineRichText("one\n\ntwo").html, "<p>one</p>\n<p>two</p>\n");
  EXPECT_EQ(MakeInlineRichText("- item").html, "<ul>\n<li>item</li>\n</ul>\n");
}

TEST(MakeRichText, KeepsTheMarkdownAndRendersIt) {
  const domain::RichText text = MakeRichText("Hi *there*");
  EXPECT_EQ(text.markdown, "Hi *there*");
  EXPECT_EQ(text.html, "<p>Hi <em>there</em></p>\n");
}

// cmark-gfm's extension characters live in a process-wide table that every parse changes; the
// renderer must serialise parses or concurrent calls lose strikethrough and autolinks.
TEST(RenderMarkdown, GivesTheSameResultFromManyThreads) {
  const std::string source =
      "~~gone~~ www.example.com $a_1 * b_2$\n\n| a | b |\n|---|---|\n| 1 | ~~2~~ |\n";
  const std::string expected = RenderMarkdown(source);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(8, 0);
  for (size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        if (RenderMarkdown(source) != expected) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int count : mismatches) EXPECT_EQ(count, 0);
}

}  // namespace
}  // namespace practica::content
