#include "common/text.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

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

TEST(HashWords, EveryByteAndTheLengthCount) {
  const std::string text = "usr_01hv9mq2k7c3n8x4t6r5w0y2ze/course/lesson";
  const uint64_t whole = HashWords(text);
  EXPECT_EQ(HashWords(text), whole);
  std::set<uint64_t> seen = {whole};
  for (size_t i = 0; i < text.size(); ++i) {
    std::string changed = text;
    changed[i] ^= 1;
    EXPECT_TRUE(seen.insert(HashWords(changed)).second) << "byte " << i;
  }
  // Zero bytes at the end are not padding: the length is part of the digest.
  EXPECT_NE(HashWords(std::string_view("abc", 3)), HashWords(std::string_view("abc\0", 4)));
  EXPECT_NE(HashWords(""), HashWords(std::string_view("\0", 1)));
}

TEST(HashWords, TheSeedChainsStringsWithoutJoiningThem) {
  // ("ab", "c") and ("a", "bc") are different keys even though they join to the same text.
  EXPECT_NE(HashWords("c", HashWords("ab")), HashWords("bc", HashWords("a")));
  EXPECT_NE(HashWords("x", 1), HashWords("x", 2));
}

TEST(LineAt, CountsTheLineFeedsBeforeTheOffset) {
  const std::string_view text = "one\ntwo\n\nfour";
  EXPECT_EQ(LineAt(text, 0), 1);
  EXPECT_EQ(LineAt(text, 3), 1);  // the line feed itself ends line 1
  EXPECT_EQ(LineAt(text, 4), 2);
  EXPECT_EQ(LineAt(text, 8), 3);
  EXPECT_EQ(LineAt(text, 9), 4);
  EXPECT_EQ(LineAt(text, 100), 4);  // past the end: the last line
}

}  // namespace
}  // namespace practica
