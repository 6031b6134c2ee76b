#include "auth/password.h"

#include <gtest/gtest.h>

#include <string>

namespace practica::auth {
namespace {

// Cheap parameters for tests that are not about the parameters (libsodium's Argon2id minimum is
// t = 1); each hash then takes a few milliseconds instead of ~50.
constexpr Argon2idParams kCheap{8u << 20, 1};

TEST(Argon2idHasher, DefaultsToOwaspParametersAndVerifies) {
  const auto hasher = MakeArgon2idHasher();
  const Result<std::string> encoded = hasher->Hash("correct horse battery staple");
  ASSERT_TRUE(encoded.ok()) << encoded.error().message;
  EXPECT_EQ(encoded->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *encoded;
  EXPECT_TRUE(hasher->Verify("correct horse battery staple", *encoded));
  EXPECT_FALSE(hasher->Verify("correct horse battery stapl", *encoded));
  EXPECT_FALSE(hasher->NeedsRehash(*encoded));
}

TEST(Argon2idHasher, SaltsEachHash) {
  const auto hasher = MakeArgon2idHasher(kCheap);
  const std::string first = *hasher->Hash("same password");
  const std::string second = *hasher->Hash("same password");
  EXPECT_NE(first, second);
  EXPECT_TRUE(hasher->Verify("same password", first));
  EXPECT_TRUE(hasher->Verify("same password", second));
  EXPECT_FALSE(hasher->Verify("Same password", first));
  EXPECT_FALSE(hasher->Verify("", first));
}

TEST(Argon2idHasher, NeedsRehashWhenTheParametersDiffer) {
  const auto cheap = MakeArgon2idHasher(kCheap);
  const std::string weak = *cheap->Hash("a password");
  EXPECT_EQ(weak.rfind("$argon2id$v=19$m=8192,t=1,p=1$", 0), 0u) << weak;
  EXPECT_FALSE(cheap->NeedsRehash(weak));
  EXPECT_TRUE(MakeArgon2idHasher()->NeedsRehash(weak));
  EXPECT_TRUE(MakeArgon2idHasher({8u << 20, 2})->NeedsRehash(weak));
}

TEST(Argon2idHasher, MalformedHashesNeverVerifyAndNeedRehash) {
  const auto hasher = MakeArgon2idHasher(kCheap);
  const std::string good = *hasher->Hash("a password");
  const std::string malformed[] = {
      "",
      "garbage",
      "$argon2id$v=19$m=8192,t=1,p=1$",
      good.substr(0, good.size() - 5),  // truncated digest
      good.substr(0, 20) + std::string(1, '\0') + good.substr(21),
      good + std::string(200, 'A'),  // longer than any encoded hash
      // The same parameters under Argon2i: not what we hash with.
      "$argon2i$v=19$m=8192,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
  };
  for (const std::string& encoded : malformed) {
    EXPECT_FALSE(hasher->Verify("a password", encoded)) << encoded;
    EXPECT_TRUE(hasher->NeedsRehash(encoded)) << encoded;
  }
}

TEST(Argon2idHasher, RefusesPasswordsOverTheLengthCapBeforeHashing) {
  const auto hasher = MakeArgon2idHasher(kCheap);
  const std::string longest(4096, 'x');
  const Result<std::string> encoded = hasher->Hash(longest);
  ASSERT_TRUE(encoded.ok());
  EXPECT_TRUE(hasher->Verify(longest, *encoded));
  const Result<std::string> too_long = hasher->Hash(longest + "x");
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().code, ErrorCode::kInvalid);
  EXPECT_FALSE(hasher->Verify(longest + "x", *encoded));
}

// The field error a refused new password carries.
std::string PasswordProblem(std::string_view password, std::string_view email = "ada@example.com") {
  const Status status = CheckNewPassword(password, email);
  if (status.ok()) return "";
  EXPECT_EQ(status.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(status.error().fields.size(), 1u);
  if (status.error().fields.empty()) return "no field error";
  EXPECT_EQ(status.error().fields[0].field, "password");
  return status.error().fields[0].message;
}

TEST(CheckNewPassword, CountsLengthInCodePoints) {
  EXPECT_EQ(PasswordProblem("sevn7ch"), "The password must have at least 8 characters.");
  EXPECT_EQ(PasswordProblem("eight8ch"), "");
  EXPECT_EQ(PasswordProblem(std::string(128, 'q')), "");
  EXPECT_EQ(PasswordProblem(std::string(129, 'q')),
            "The password must have at most 128 characters.");
  // "é" is two bytes and "😀" four, yet each is one character.
  std::string accented;
  for (int i = 0; i < 128; ++i) accented += "é";
  EXPECT_EQ(PasswordProblem(accented), "");
  EXPECT_EQ(PasswordProblem(accented + "é"), "The password must have at most 128 characters.");
  EXPECT_EQ(PasswordProblem("😀😀😀😀😀😀😀"), "The password must have at least 8 characters.");
  EXPECT_EQ(PasswordProblem("😀😀😀😀😀😀😀😀"), "");
}

TEST(CheckNewPassword, RefusesInvalidUtf8) {
  EXPECT_EQ(PasswordProblem("valid but \xff\xfe"), "The password must be valid UTF-8 text.");
  EXPECT_EQ(PasswordProblem("overlong \xc0\xaf slash"), "The password must be valid UTF-8 text.");
}

TEST(CheckNewPassword, AllowsSpacesAndAnyCharacters) {
  EXPECT_EQ(PasswordProblem("correct horse battery staple"), "");
  EXPECT_EQ(PasswordProblem("        "), "");  // no composition rules (NIST SP 800-63B)
  EXPECT_EQ(PasswordProblem("Пароль на русском"), "");
}

TEST(CheckNewPassword, RefusesCommonPasswordsIgnoringCase) {
  const std::string common = "This password is too common and easy to guess; choose another.";
  EXPECT_EQ(PasswordProblem("password123"), common);
  EXPECT_EQ(PasswordProblem("PASSWORD123"), common);
  EXPECT_EQ(PasswordProblem("123456789"), common);
  EXPECT_EQ(PasswordProblem("password1234567"), "");
}

TEST(CheckNewPassword, RefusesTheEmailAndItsLocalPart) {
  const std::string mine = "The password must not be your email address or the part before its @.";
  EXPECT_EQ(PasswordProblem("ada.lovelace", "Ada.Lovelace@example.com"), mine);
  EXPECT_EQ(PasswordProblem("ada.lovelace@example.com", "Ada.Lovelace@example.com"), mine);
  EXPECT_EQ(PasswordProblem("ADA.LOVELACE@EXAMPLE.COM", " ada.lovelace@example.com "), mine);
  EXPECT_EQ(PasswordProblem("ada.lovelace!", "ada.lovelace@example.com"), "");
  EXPECT_EQ(PasswordProblem("example.com", "ada.lovelace@example.com"), "");
}

TEST(CommonPasswords, HoldTheListFromTheNpmPackage) {
  EXPECT_GT(CommonPasswordCount(), 10'000u);
  EXPECT_TRUE(IsCommonPassword("123456789"));
  EXPECT_TRUE(IsCommonPassword("password123"));
  EXPECT_TRUE(IsCommonPassword("Qwertyuiop"));
  EXPECT_FALSE(IsCommonPassword("123456"));  // shorter than 8: refused by length, not listed
  EXPECT_FALSE(IsCommonPassword("a practically unguessable sentence"));
  EXPECT_FALSE(IsCommonPassword(""));
}

}  // namespace
}  // namespace practica::auth
