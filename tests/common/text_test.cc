#include "common/text.h"

#include <gtest/gtest.h>

namespace practica {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));  // é € 😀
  EXPECT_TRUE(IsValidUtf8("\xf4\x8f\xbf\xbf"));                           // U+10FFFF
}

TEST(Utf8, FindsTheFirstIllFormedByte) {
  EXPECT_EQ(FindInvalidUtf8("ab\xc3"), 2u);            // truncated
  EXPECT_EQ(FindInvalidUtf8("\xc0\xaf"), 0u);          // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("x\xe0\x80\xaf"), 1u);     // overlong, 3 bytes
  EXPECT_EQ(FindInvalidUtf8("xy\xed\xa0\x80"), 2u);    // a surrogate
  EXPECT_EQ(FindInvalidUtf8("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("ok\x80"), 2u);            // a lone continuation byte
  EXPECT_EQ(FindInvalidUtf8("\xc3\xa9\xff"), 2u);
  EXPECT_FALSE(FindInvalidUtf8("\xc3\xa9").has_value());
}

TEST(Ascii, CaseAndTrimming) {
  EXPECT_TRUE(EqualsIgnoreCase("Content-Type", "content-type"));
  EXPECT_FALSE(EqualsIgnoreCase("abc", "abd"));
  EXPECT_EQ(AsciiLower("ÀB"),
            "\xc3\x80"
            "b");  // only ASCII letters change
  EXPECT_EQ(TrimWhitespace("  a b \t\n"), "a b");
  EXPECT_TRUE(StartsWith("/api/x", "/api/"));
  EXPECT_TRUE(EndsWith("a.js.gz", ".gz"));
  EXPECT_FALSE(EndsWith("gz", ".gz"));
}

}  // namespace
}  // namespace practica
