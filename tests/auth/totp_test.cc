#include "auth/totp.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "auth/crypto.h"

namespace practica::auth {
namespace {

// The shared secret of RFC 4226 Appendix D and RFC 6238 Appendix B (SHA1).
constexpr std::string_view kRfcSecret = "12345678901234567890";

TEST(Hotp, MatchesRfc4226AppendixD) {
  const char* const expected[] = {"755224", "287082", "359152", "969429", "338314",
                                  "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(Hotp(kRfcSecret, counter), expected[counter]) << counter;
  }
}

struct TotpVector {
  int64_t time;
  const char* code;  // 8 digits, as printed in RFC 6238 Appendix B
};
constexpr TotpVector kRfc6238Sha1[] = {
    {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
    {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
};

TEST(Totp, MatchesRfc6238AppendixBWithEightDigits) {
  for (const TotpVector& vector : kRfc6238Sha1) {
    const auto step = static_cast<uint64_t>(vector.time / kTotpStepSeconds);
    EXPECT_EQ(Hotp(kRfcSecret, step, 8), vector.code) << vector.time;
    EXPECT_EQ(MatchTotp(kRfcSecret, vector.code, vector.time, 0, 8),
              std::optional<int64_t>(vector.time / kTotpStepSeconds))
        << vector.time;
  }
}

TEST(Totp, SixDigitCodesAreTheLastSixOfTheRfcValues) {
  for (const TotpVector& vector : kRfc6238Sha1) {
    const std::string six = std::string(vector.code).substr(2);
    const auto step = static_cast<uint64_t>(vector.time / kTotpStepSeconds);
    EXPECT_EQ(Hotp(kRfcSecret, step), six) << vector.time;
    EXPECT_TRUE(MatchTotp(kRfcSecret, six, vector.time)) << vector.time;
  }
}

TEST(MatchTotp, AcceptsOneStepEitherSideAndNoFurther) {
  const int64_t now = 1'700'000'000;
  const int64_t step = now / kTotpStepSeconds;
  auto code_at = [](int64_t s) { return Hotp(kRfcSecret, static_cast<uint64_t>(s)); };
  EXPECT_EQ(MatchTotp(kRfcSecret, code_at(step), now), step);
  EXPECT_EQ(MatchTotp(kRfcSecret, code_at(step - 1), now), step - 1);
  EXPECT_EQ(MatchTotp(kRfcSecret, code_at(step + 1), now), step + 1);
  EXPECT_EQ(MatchTotp(kRfcSecret, code_at(step - 2), now), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSecret, code_at(step + 2), now), std::nullopt);
  // A wider window reaches further; a zero window only the current step.
  EXPECT_EQ(MatchTotp(kRfcSecret, code_at(step - 2), now, 2), step - 2);
  EXPECT_EQ(MatchTotp(kRfcSecret, code_at(step - 1), now, 0), std::nullopt);
}

TEST(MatchTotp, RefusesCodesThatAreNotExactlySixDigits) {
  const int64_t now = 1'700'000'000;
  const std::string code = Hotp(kRfcSecret, static_cast<uint64_t>(now / kTotpStepSeconds));
  ASSERT_TRUE(MatchTotp(kRfcSecret, code, now));
  EXPECT_FALSE(MatchTotp(kRfcSecret, code + " ", now));
  EXPECT_FALSE(MatchTotp(kRfcSecret, " " + code, now));
  EXPECT_FALSE(MatchTotp(kRfcSecret, code.substr(1), now));
  EXPECT_FALSE(MatchTotp(kRfcSecret, "", now));
  EXPECT_FALSE(MatchTotp(kRfcSecret, "12345a", now));
  EXPECT_FALSE(MatchTotp(kRfcSecret, "+12345", now));
  EXPECT_FALSE(MatchTotp(kRfcSecret, code, now, 1, 9));  // unsupported length
  EXPECT_FALSE(MatchTotp("another secret", code, now));
}

TEST(Base32, MatchesRfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "MY"},
                                                         {"fo", "MZXQ"},
                                                         {"foo", "MZXW6"},
                                                         {"foob", "MZXW6YQ"},
                                                         {"fooba", "MZXW6YTB"},
                                                         {"foobar", "MZXW6YTBOI"}};
  for (const auto& [bytes, text] : vectors) {
    EXPECT_EQ(Base32Encode(bytes), text);
    EXPECT_EQ(Base32Decode(text), std::string(bytes));
  }
}

TEST(Base32, RoundTripsRandomishBytes) {
  std::string bytes;
  for (int i = 0; i < 64; ++i) {
    EXPECT_EQ(Base32Decode(Base32Encode(bytes)), bytes) << i;
    bytes += static_cast<char>(i * 37 + 11);
  }
  const std::string secret = NewTotpSecret();
  EXPECT_EQ(secret.size(), 20u);
  EXPECT_EQ(Base32Encode(secret).size(), 32u);
  EXPECT_EQ(Base32Decode(Base32Encode(secret)), secret);
}

TEST(Base32, IgnoresCaseSpacesAndPadding) {
  EXPECT_EQ(Base32Decode("mzxw6ytboi"), "foobar");
  EXPECT_EQ(Base32Decode("MZXW 6YTB OI"), "foobar");
  EXPECT_EQ(Base32Decode("MZXW6YQ="), "foob");
  EXPECT_EQ(Base32Decode("MY======"), "f");
}

TEST(Base32, RefusesOtherCharactersImpossibleLengthsAndStrayBits) {
  EXPECT_FALSE(Base32Decode("MZXW1"));  // '1' is not in the alphabet
  EXPECT_FALSE(Base32Decode("MZXW8"));
  EXPECT_FALSE(Base32Decode("MZ-XW"));
  EXPECT_FALSE(Base32Decode("M"));       // 1 character: not a whole byte
  EXPECT_FALSE(Base32Decode("MZX"));     // 3
  EXPECT_FALSE(Base32Decode("MZXW6Y"));  // 6
  EXPECT_FALSE(Base32Decode("MZ"));      // "MY" is "f"; "MZ" sets an unused bit
  EXPECT_FALSE(Base32Decode("MZXW6YTBOI\n"));
}

TEST(OtpAuthUri, PercentEncodesTheLabelAndIssuer) {
  EXPECT_EQ(OtpAuthUri("Practica", "ada@example.com", "foobar"),
            "otpauth://totp/Practica:ada%40example.com?secret=MZXW6YTBOI&issuer=Practica"
            "&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(OtpAuthUri("Acme Co: Learn", "a&b=c?d/é", "f"),
            "otpauth://totp/Acme%20Co%3A%20Learn:a%26b%3Dc%3Fd%2F%C3%A9?secret=MY"
            "&issuer=Acme%20Co%3A%20Learn&algorithm=SHA1&digits=6&period=30");
}

TEST(RecoveryCodes, AreThreeGroupsOfFourBase32CharactersAndDistinct) {
  const std::vector<std::string> codes = NewRecoveryCodes();
  ASSERT_EQ(codes.size(), 10u);
  const std::regex shape("[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}");
  std::set<std::string> distinct;
  for (const std::string& code : codes) {
    EXPECT_TRUE(std::regex_match(code, shape)) << code;
    distinct.insert(code);
  }
  EXPECT_EQ(distinct.size(), codes.size());
  EXPECT_EQ(NewRecoveryCodes(3).size(), 3u);
}

TEST(RecoveryCodeHash, IgnoresCaseDashesAndSpaces) {
  const std::string stored = RecoveryCodeHash("k3x9-m2p7-q8r4");
  EXPECT_EQ(stored.size(), 64u);
  EXPECT_EQ(RecoveryCodeHash("K3X9 M2P7 Q8R4"), stored);
  EXPECT_EQ(RecoveryCodeHash("k3x9m2p7q8r4"), stored);
  EXPECT_NE(RecoveryCodeHash("k3x9-m2p7-q8r5"), stored);
  EXPECT_EQ(stored, Sha256Hex("k3x9m2p7q8r4"));
}

}  // namespace
}  // namespace practica::auth
