#include "auth/secret_box.h"

#include <gtest/gtest.h>

#include <string>

#include "auth/crypto.h"
#include "auth/random.h"

namespace practica::auth {
namespace {

using namespace std::string_literals;

class SecretBoxTest : public ::testing::Test {
 protected:
  SecretBox box_{std::string(32, 'k')};
};

TEST_F(SecretBoxTest, OpensWhatItSealed) {
  const std::string secret = "JBSWY3DPEHPK3PXP\0binary"s;
  const std::string sealed = box_.Seal(secret, "usr_1");
  EXPECT_EQ(sealed.find("JBSWY3DP"), std::string::npos);
  const Result<std::string> opened = box_.Open(sealed, "usr_1");
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(*opened, secret);
  EXPECT_EQ(*box_.Open(box_.Seal("", "ctx"), "ctx"), "");
}

TEST_F(SecretBoxTest, UsesAFreshNonceEachTime) {
  EXPECT_NE(box_.Seal("same", "ctx"), box_.Seal("same", "ctx"));
}

TEST_F(SecretBoxTest, RefusesATamperedValue) {
  std::string bytes = *Base64UrlDecode(box_.Seal("totp secret", "usr_1"));
  for (size_t i : {size_t{0}, size_t{24}, bytes.size() - 1}) {  // nonce, ciphertext, tag
    std::string tampered = bytes;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    const Result<std::string> opened = box_.Open(Base64UrlEncode(tampered), "usr_1");
    ASSERT_FALSE(opened.ok()) << i;
    EXPECT_EQ(opened.error().code, ErrorCode::kInvalid);
  }
  EXPECT_FALSE(box_.Open(Base64UrlEncode(bytes.substr(0, 39)), "usr_1").ok());  // truncated
  EXPECT_FALSE(box_.Open("not base64url!", "usr_1").ok());
  EXPECT_FALSE(box_.Open("", "usr_1").ok());
}

TEST_F(SecretBoxTest, RefusesAnotherContext) {
  const std::string sealed = box_.Seal("totp secret", "usr_1");
  EXPECT_FALSE(box_.Open(sealed, "usr_2").ok());
  EXPECT_FALSE(box_.Open(sealed, "").ok());
}

TEST_F(SecretBoxTest, RefusesAnotherKey) {
  const SecretBox other(RandomBytes(32));
  const Result<std::string> opened = other.Open(box_.Seal("totp secret", "usr_1"), "usr_1");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kInvalid);
}

TEST(SecretBoxDeathTest, AbortsOnAKeyOfTheWrongSize) {
  EXPECT_DEATH(SecretBox(std::string(16, 'k')), "32-byte key");
}

}  // namespace
}  // namespace practica::auth
