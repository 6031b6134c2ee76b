#include "auth/crypto.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "auth/random.h"

namespace practica::auth {
namespace {

TEST(Sha256Hex, MatchesTheFips180Examples) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Base64Url, EncodesWithoutPaddingInTheUrlAlphabet) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
}

TEST(Base64Url, RoundTripsEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (size_t length = 0; length <= all.size(); length += 37) {
    const std::string bytes = all.substr(0, length);
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(bytes)), bytes) << length;
  }
}

TEST(Base64Url, RefusesAnythingButTheOneCanonicalEncoding) {
  EXPECT_EQ(Base64UrlDecode("-_8"), std::string("\xfb\xff"));
  EXPECT_FALSE(Base64UrlDecode("-_9"));        // unused bits set: a second spelling of the bytes
  EXPECT_FALSE(Base64UrlDecode("Zg=="));       // padding
  EXPECT_FALSE(Base64UrlDecode("Z"));          // no whole byte
  EXPECT_FALSE(Base64UrlDecode("+/8"));        // standard alphabet
  EXPECT_FALSE(Base64UrlDecode("Zm9v YmFy"));  // whitespace
  EXPECT_FALSE(Base64UrlDecode(std::string_view("Zm\0v", 4)));
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secrets"));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
}

TEST(RandomToken, IsBase64UrlOfTheRequestedSizeAndNeverRepeats) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string token = RandomToken();
    EXPECT_EQ(token.size(), 43u);  // 32 bytes
    EXPECT_EQ(Base64UrlDecode(token)->size(), 32u);
    EXPECT_TRUE(seen.insert(token).second);
  }
  EXPECT_EQ(RandomToken(6).size(), 8u);
  EXPECT_EQ(RandomBytes(20).size(), 20u);
  EXPECT_NE(RandomBytes(16), RandomBytes(16));
}

TEST(NewId, IsThePrefixAnd26LowercaseBase32Characters) {
  const std::regex shape("usr_[a-z2-7]{26}");
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string id = NewId("usr");
    EXPECT_TRUE(std::regex_match(id, shape)) << id;
    EXPECT_TRUE(seen.insert(id).second);
  }
}

}  // namespace
}  // namespace practica::auth

namespace practica::auth {
namespace {

TEST(NewTimeOrderedId, LaterIdsSortLaterAndStayUnique) {
  const std::string early = NewTimeOrderedId("att", 1'800'000'000'000);
  const std::string late = NewTimeOrderedId("att", 1'800'000'000'001);
  EXPECT_LT(early, late);
  EXPECT_LT(NewTimeOrderedId("att", 999), NewTimeOrderedId("att", 1'000'000'000'000'000));
  EXPECT_EQ(early.size(), 4u + 10u + 16u);
  EXPECT_EQ(early.substr(0, 4), "att_");
  EXPECT_NE(NewTimeOrderedId("att", 5), NewTimeOrderedId("att", 5));  // random part
}

}  // namespace
}  // namespace practica::auth
