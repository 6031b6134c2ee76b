#include "http/conditional.h"

#include <gtest/gtest.h>

namespace practica::http {
namespace {

TEST(EntityTag, IsQuotedStableAndContentSensitive) {
  const std::string a = EntityTag("hello");
  EXPECT_EQ(a.front(), '"');
  EXPECT_EQ(a.back(), '"');
  EXPECT_EQ(a, EntityTag("hello"));
  EXPECT_NE(a, EntityTag("hellp"));
  EXPECT_NE(a, EntityTag("hello", "br"));
  EXPECT_EQ(EntityTag("hello", "br").substr(a.size() - 1), "-br\"");
}

TEST(IfNoneMatch, MatchesListsWeakTagsAndStar) {
  const std::string tag = EntityTag("x");
  EXPECT_TRUE(IfNoneMatchMatches(tag, tag));
  EXPECT_TRUE(IfNoneMatchMatches("\"other\", " + tag, tag));
  EXPECT_TRUE(IfNoneMatchMatches("W/" + tag, tag));
  EXPECT_TRUE(IfNoneMatchMatches(" * ", tag));
  EXPECT_FALSE(IfNoneMatchMatches("\"other\"", tag));
  EXPECT_FALSE(IfNoneMatchMatches("", tag));
}

}  // namespace
}  // namespace practica::http
