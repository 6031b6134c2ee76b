#include "content/numbers.h"

#include <gtest/gtest.h>

#include <cmath>

namespace practica::content {
namespace {

TEST(ParseNumber, AcceptsDecimalNumbersOnly) {
  EXPECT_EQ(ParseNumber("5"), 5.0);
  EXPECT_EQ(ParseNumber("-2.5"), -2.5);
  EXPECT_EQ(ParseNumber("+3"), 3.0);
  EXPECT_EQ(ParseNumber("1e-6"), 1e-6);
  EXPECT_EQ(ParseNumber(".5"), 0.5);
  for (const char* bad :
       {"", "inf", "nan", "-inf", "0x10", "5 apples", "1e400", "e5", "--1", "+-1"}) {
    EXPECT_EQ(ParseNumber(bad), std::nullopt) << bad;
  }
}

TEST(ParseInteger, RejectsFractions) {
  EXPECT_EQ(ParseInteger("3"), 3);
  EXPECT_EQ(ParseInteger("-1"), -1);
  EXPECT_EQ(ParseInteger("3.0"), std::nullopt);
  EXPECT_EQ(ParseInteger("3e2"), std::nullopt);
  EXPECT_EQ(ParseInteger(""), std::nullopt);
}

TEST(ParsePercent, DividesByAHundredInDecimal) {
  EXPECT_EQ(ParsePercent("1%"), 0.01);
  EXPECT_EQ(ParsePercent("7%"), 0.07);  // 7 / 100.0 would also do; 0.07 * 100 would not
  EXPECT_EQ(ParsePercent("12.5%"), 0.125);
  EXPECT_EQ(ParsePercent("1e-3%"), 1e-5);
  EXPECT_EQ(ParsePercent("1"), std::nullopt);
  EXPECT_EQ(ParsePercent("%"), std::nullopt);
  EXPECT_EQ(ParsePercent("abc%"), std::nullopt);
}

TEST(FormatNumber, IsShortestRoundTrip) {
  EXPECT_EQ(FormatNumber(0.1), "0.1");
  EXPECT_EQ(FormatNumber(5), "5");
  EXPECT_EQ(FormatNumber(-2.5), "-2.5");
  EXPECT_EQ(FormatNumber(1e-6), "0.000001");
  EXPECT_EQ(FormatNumber(0.0005), "0.0005");
  EXPECT_EQ(FormatNumber(31536000), "31536000");
  EXPECT_EQ(FormatNumber(1e-9), "1e-09");
  EXPECT_EQ(FormatNumber(2.5e20), "2.5e+20");
  EXPECT_EQ(FormatNumber(0), "0");
  EXPECT_EQ(ParseNumber(FormatNumber(1.0 / 3)), 1.0 / 3);
}

TEST(FormatPercent, ReadsBackExactly) {
  EXPECT_EQ(FormatPercent(0.01), "1%");
  EXPECT_EQ(FormatPercent(0.125), "12.5%");
  EXPECT_EQ(FormatPercent(0.005), "0.5%");
  EXPECT_EQ(FormatPercent(0), "0%");
  EXPECT_EQ(FormatPercent(2), "200%");
  for (double value : {0.07, 0.015, 1.0 / 3, 1e-12, 123456.789, 0.1 + 0.2, 5e-324}) {
    EXPECT_EQ(ParsePercent(FormatPercent(value)), value) << FormatPercent(value);
  }
}

}  // namespace
}  // namespace practica::content
