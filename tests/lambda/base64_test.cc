#include "lambda/base64.h"

#include <gtest/gtest.h>

namespace practica::lambda {
namespace {

TEST(Base64, EncodesAndDecodesTheRfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [bytes, text] : vectors) {
    EXPECT_EQ(Base64Encode(bytes), text);
    EXPECT_EQ(Base64Decode(text), bytes);
  }
}

TEST(Base64, RoundTripsEveryByte) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  for (size_t length = 0; length <= bytes.size(); length += 37) {
    const std::string part = bytes.substr(bytes.size() - length);
    EXPECT_EQ(Base64Decode(Base64Encode(part)), part);
  }
  EXPECT_EQ(Base64Encode("\xfb\xff"), "+/8=");
}

TEST(Base64, RefusesWhatIsNotExactlyOneEncoding) {
  for (const char* text : {"Zg=", "Zg", "Zg=a", "Z===", "====", "Zh==", "Zm9=", "Zm9v\n", "Zm-_",
                           "Zm9v Zm9v", "Zg==Zg=="}) {
    EXPECT_FALSE(Base64Decode(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace practica::lambda
