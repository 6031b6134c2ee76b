#include "domain/formula.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>

namespace practica::domain {
namespace {

const std::vector<std::string> kXY = {"x", "y"};

// The value of `text` at x = 3, y = 5; fails the test if it does not parse.
double ValueAt35(const std::string& text) {
  Result<Expression> expression = Expression::Parse(text, kXY);
  if (!expression.ok()) {
    ADD_FAILURE() << text << ": " << expression.error().message;
    return std::nan("");
  }
  return expression->Evaluate({{"x", 3.0}, {"y", 5.0}});
}

std::string ParseError(const std::string& text, const std::vector<std::string>& variables = kXY) {
  Result<Expression> expression = Expression::Parse(text, variables);
  if (expression.ok()) return "(parsed)";
  EXPECT_EQ(expression.error().code, ErrorCode::kInvalid);
  return expression.error().message;
}

// ---- parsing and evaluation -------------------------------------------------------------------

TEST(Expression, PowerBindsTighterThanMinusAndIsRightAssociative) {
  EXPECT_DOUBLE_EQ(ValueAt35("-2^2"), -4);
  EXPECT_DOUBLE_EQ(ValueAt35("(-2)^2"), 4);
  EXPECT_DOUBLE_EQ(ValueAt35("2^3^2"), 512);
  EXPECT_DOUBLE_EQ(ValueAt35("(2^3)^2"), 64);
  EXPECT_DOUBLE_EQ(ValueAt35("-x^2"), -9);
  EXPECT_DOUBLE_EQ(ValueAt35("2^-1"), 0.5);
  EXPECT_DOUBLE_EQ(ValueAt35("2**3"), 8);
}

TEST(Expression, OperatorsAssociateToTheLeftWithUsualPrecedence) {
  EXPECT_DOUBLE_EQ(ValueAt35("1 - 2 - 3"), -4);
  EXPECT_DOUBLE_EQ(ValueAt35("8 / 4 / 2"), 1);
  EXPECT_DOUBLE_EQ(ValueAt35("1 + 2 * 3"), 7);
  EXPECT_DOUBLE_EQ(ValueAt35("(1 + 2) * 3"), 9);
  EXPECT_DOUBLE_EQ(ValueAt35("2 * -3"), -6);
  EXPECT_DOUBLE_EQ(ValueAt35("--2"), 2);
  EXPECT_DOUBLE_EQ(ValueAt35("+2"), 2);
  EXPECT_DOUBLE_EQ(ValueAt35(" 1 +\t2\n"), 3);
}

TEST(Expression, AcceptsImplicitMultiplication) {
  EXPECT_DOUBLE_EQ(ValueAt35("2x"), 6);
  EXPECT_DOUBLE_EQ(ValueAt35("3(x+1)"), 12);
  EXPECT_DOUBLE_EQ(ValueAt35("x y"), 15);
  EXPECT_DOUBLE_EQ(ValueAt35("2sin(pi/2)"), 2);
  EXPECT_DOUBLE_EQ(ValueAt35("2 sin(pi/2)"), 2);
  EXPECT_DOUBLE_EQ(ValueAt35("(x+1)(x-1)"), 8);
  EXPECT_DOUBLE_EQ(ValueAt35("2x^2"), 18);   // 2·(x²), not (2x)²
  EXPECT_DOUBLE_EQ(ValueAt35("x/2y"), 7.5);  // (x/2)·y, read left to right
  EXPECT_DOUBLE_EQ(ValueAt35("2pi"), 2 * std::numbers::pi);
  EXPECT_DOUBLE_EQ(ValueAt35("2 - x"), -1);  // a sign is never an implicit product
}

TEST(Expression, AcceptsTypographicOperators) {
  EXPECT_DOUBLE_EQ(ValueAt35("6 \xc3\xb7 3 \xc3\x97 2"), 4);       // 6 ÷ 3 × 2
  EXPECT_DOUBLE_EQ(ValueAt35("2\xc2\xb7x"), 6);                    // 2·x
  EXPECT_DOUBLE_EQ(ValueAt35("2\xe2\x8b\x85x"), 6);                // 2⋅x
  EXPECT_DOUBLE_EQ(ValueAt35("5 \xe2\x88\x92 x"), 2);              // 5 − x
  EXPECT_DOUBLE_EQ(ValueAt35("2\xcf\x80"), 2 * std::numbers::pi);  // 2π
}

TEST(Expression, ReadsNumbersWithDecimalsAndExponents) {
  EXPECT_DOUBLE_EQ(ValueAt35("1.5e-3"), 0.0015);
  EXPECT_DOUBLE_EQ(ValueAt35("2e3"), 2000);
  EXPECT_DOUBLE_EQ(ValueAt35("2E+1"), 20);
  EXPECT_DOUBLE_EQ(ValueAt35("2e"), 2 * std::numbers::e);  // no digits after e: the constant
  EXPECT_DOUBLE_EQ(ValueAt35(".5"), 0.5);
  EXPECT_DOUBLE_EQ(ValueAt35("5."), 5);
}

TEST(Expression, KnowsTheFunctionsAndConstants) {
  EXPECT_DOUBLE_EQ(ValueAt35("sin(pi/2)"), 1);
  EXPECT_DOUBLE_EQ(ValueAt35("cos(0)"), 1);
  EXPECT_DOUBLE_EQ(ValueAt35("tan(0)"), 0);
  EXPECT_DOUBLE_EQ(ValueAt35("asin(1)"), std::numbers::pi / 2);
  EXPECT_DOUBLE_EQ(ValueAt35("acos(1)"), 0);
  EXPECT_DOUBLE_EQ(ValueAt35("atan(1)"), std::numbers::pi / 4);
  EXPECT_DOUBLE_EQ(ValueAt35("exp(0)"), 1);
  EXPECT_DOUBLE_EQ(ValueAt35("ln(e)"), 1);
  EXPECT_DOUBLE_EQ(ValueAt35("log(1000)"), 3);
  EXPECT_DOUBLE_EQ(ValueAt35("sqrt(16)"), 4);
  EXPECT_DOUBLE_EQ(ValueAt35("abs(-3)"), 3);
  EXPECT_TRUE(std::isnan(ValueAt35("sqrt(-1)")));
  EXPECT_TRUE(std::isinf(ValueAt35("1/0")));
}

TEST(Expression, MissingVariablesEvaluateToNaN) {
  Result<Expression> expression = Expression::Parse("x + y", kXY);
  ASSERT_TRUE(expression.ok());
  EXPECT_TRUE(std::isnan(expression->Evaluate({{"x", 1.0}})));
}

// ---- errors -----------------------------------------------------------------------------------

TEST(Expression, ErrorsGiveTheColumnAndWhatIsWrong) {
  EXPECT_EQ(ParseError("2 +"),
            "column 4: the formula ends where a number, a variable or '(' was expected");
  EXPECT_EQ(ParseError("2 + * 3"), "column 5: expected a number, a variable or '(' but found '*'");
  EXPECT_EQ(ParseError("(x+1"), "column 1: '(' is never closed");
  EXPECT_EQ(ParseError("(x+1 y"), "column 1: '(' is never closed");
  EXPECT_EQ(ParseError("x+1)"), "column 4: ')' without a matching '('");
  EXPECT_EQ(ParseError("()"), "column 2: empty parentheses");
  EXPECT_EQ(ParseError("2 3"), "column 3: two numbers in a row; write an operator between them");
  EXPECT_EQ(ParseError("2 $ 3"), "column 3: unexpected character '$'");
  EXPECT_EQ(ParseError("1.2.3"), "column 4: a number has at most one decimal point");
  EXPECT_EQ(ParseError("1e999"), "column 1: the number 1e999 is out of range");
  EXPECT_EQ(ParseError(""), "column 1: the formula is empty");
  EXPECT_EQ(ParseError("   "), "column 4: the formula is empty");
  EXPECT_EQ(ParseError("sin x"), "column 1: sin needs parentheses, as in sin(x)");
  EXPECT_EQ(ParseError("x, y"), "column 2: unexpected character ','");
}

TEST(Expression, ColumnsCountCharactersNotBytes) {
  // × is two bytes; the second operator is the third character.
  EXPECT_EQ(ParseError("2\xc3\x97\xc3\x97 3"),
            "column 3: expected a number, a variable or '(' but found '*'");
  EXPECT_EQ(ParseError("\xcf\x80 + \xc3\xa9"),
            "column 5: unexpected character (only digits, letters, + - * / ^ × ÷ · and "
            "parentheses may be used)");
}

TEST(Expression, AnUndeclaredVariableIsNamed) {
  EXPECT_EQ(ParseError("x + z"),
            "column 5: 'z' is not a variable of this exercise (its variables: x, y)");
  EXPECT_EQ(ParseError("2t", {}),
            "column 2: 't' is not a variable of this exercise (it has no "
            "variables)");
  EXPECT_EQ(ParseError("3xy"),
            "column 2: 'xy' is not a variable of this exercise (its variables: x, y); for a "
            "product, put spaces or * between the names, as in x y");
  EXPECT_EQ(ParseError("sinx"),
            "column 1: 'sinx' is not a variable of this exercise (its variables: x, y); a "
            "function needs parentheses, as in sin(x)");
}

TEST(Expression, NestingIsCappedAt200Levels) {
  const std::string ok = std::string(200, '(') + "x" + std::string(200, ')');
  EXPECT_EQ(ParseError(ok), "(parsed)");
  const std::string deep = std::string(201, '(') + "x" + std::string(201, ')');
  EXPECT_EQ(ParseError(deep), "column 201: the formula is nested more than 200 levels deep");
  EXPECT_EQ(ParseError(std::string(201, '-') + "x"),
            "column 201: the formula is nested more than 200 levels deep");
  std::string tower = "2";
  for (int i = 0; i < 201; ++i) tower += "^2";
  EXPECT_EQ(ParseError(tower), "column 402: the formula is nested more than 200 levels deep");
}

TEST(Expression, LengthIsCappedAt1000Bytes) {
  std::string sum = "1";
  while (sum.size() + 2 <= kMaxFormulaBytes) sum += "+1";
  ASSERT_EQ(sum.size(), 999u);
  EXPECT_DOUBLE_EQ(ValueAt35(sum), 500);
  EXPECT_EQ(ParseError(sum + "+1"), "the formula is longer than 1000 characters");
}

TEST(Expression, A100KilobyteInputIsRefusedWithoutBeingRead) {
  const std::string huge = std::string(50'000, '(') + std::string(50'000, ')');
  const auto start = std::chrono::steady_clock::now();
  Result<Expression> expression = Expression::Parse(huge, kXY);
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  std::printf("[   TIME   ] refusing %zu bytes: %lld us\n", huge.size(),
              static_cast<long long>(elapsed.count()));
  ASSERT_FALSE(expression.ok());
  EXPECT_EQ(expression.error().message, "the formula is longer than 1000 characters");
}

// ---- equivalence ------------------------------------------------------------------------------

const std::vector<FormulaVariable> kX = {{"x", -10, 10}};

bool Equivalent(const std::string& key, const std::string& candidate,
                const std::vector<FormulaVariable>& variables = kX, double tolerance = 1e-6,
                uint64_t seed = 42, int samples = 20) {
  std::vector<std::string> names;
  for (const FormulaVariable& variable : variables) names.push_back(variable.name);
  Result<Expression> k = Expression::Parse(key, names);
  Result<Expression> c = Expression::Parse(candidate, names);
  EXPECT_TRUE(k.ok() && c.ok()) << key << " / " << candidate;
  if (!k.ok() || !c.ok()) return false;
  return EquivalentExpressions(*k, *c, variables, samples, tolerance, seed);
}

TEST(EquivalentExpressions, AcceptsAlgebraicallyEqualForms) {
  EXPECT_TRUE(Equivalent("(x + 1)^2", "x^2 + 2x + 1"));
  EXPECT_TRUE(Equivalent("(x + 1)^2", "(1 + x)(x + 1)"));
  EXPECT_TRUE(Equivalent("sin(2x)", "2 sin(x) cos(x)"));
  EXPECT_TRUE(Equivalent("exp(2 ln(abs(x)))", "x^2"));
  EXPECT_TRUE(Equivalent("2pi", "pi \xc3\x97 2", {}));
}

TEST(EquivalentExpressions, RejectsNearMisses) {
  EXPECT_FALSE(Equivalent("(x + 1)^2", "x^2 + 2x"));
  EXPECT_FALSE(Equivalent("(x + 1)^2", "x^2 + 2.001x + 1"));
  EXPECT_FALSE(Equivalent("(x + 1)^2", "1.00001(x + 1)^2"));
  EXPECT_FALSE(Equivalent("(x + 1)^2", "x^2 + 1"));
  EXPECT_FALSE(Equivalent("sin(x)", "cos(x)"));
  EXPECT_FALSE(Equivalent("2pi", "6.28", {}));
}

TEST(EquivalentExpressions, SkipsPointsWhereTheKeyIsUndefined) {
  // 1/x at x = 0 would be skipped; ln(x) is undefined on half the interval, where the candidate
  // may do anything: those points are drawn again.
  EXPECT_TRUE(Equivalent("1/x", "x^-1"));
  EXPECT_TRUE(Equivalent("1/x", "x/x^2"));
  EXPECT_TRUE(Equivalent("ln(x)", "ln(abs(x))"));
  EXPECT_FALSE(Equivalent("ln(x)", "ln(x) + 1"));
}

TEST(EquivalentExpressions, RejectsACandidateUndefinedWhereTheKeyIsDefined) {
  EXPECT_FALSE(Equivalent("x", "sqrt(x)^2"));
  EXPECT_FALSE(Equivalent("x", "x^2/x + 1/(x - x)"));
}

TEST(EquivalentExpressions, NeedsHalfTheSamplesToBeUsable) {
  // sqrt(x - 9) is defined on 5% of [-10, 10]: 80 draws give about 4 usable points of 20.
  EXPECT_FALSE(Equivalent("sqrt(x - 9)", "sqrt(x - 9)"));
  EXPECT_TRUE(Equivalent("sqrt(x - 9)", "sqrt(x - 9)", {{"x", 0, 20}}));
}

TEST(EquivalentExpressions, ToleranceIsRelative) {
  const std::vector<FormulaVariable> one_two = {{"x", 1, 2}};
  EXPECT_TRUE(Equivalent("1000000 x", "1000000 x + 0.5", one_two));  // ≤ 5e-7 relative
  EXPECT_FALSE(Equivalent("1000000 x", "1000000 x + 5", one_two));   // ≥ 2.5e-6 relative
  EXPECT_TRUE(Equivalent("1000000 x", "1000000 x + 5", one_two, 1e-5));
}

TEST(EquivalentExpressions, ToleranceIsAbsoluteNearZeroAtTheFunctionsScale) {
  // Near x = 0 a purely relative test would reject x + 1e-7 at whichever point falls close to 0;
  // the floor (the median |x|, about 0.5) makes it absolute there, whatever the seed.
  const std::vector<FormulaVariable> unit = {{"x", -1, 1}};
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    EXPECT_TRUE(Equivalent("x", "x + 1e-7", unit, 1e-6, seed)) << seed;
    EXPECT_FALSE(Equivalent("x", "x + 1e-5", unit, 1e-6, seed)) << seed;
  }
  // A key that is zero everywhere compares absolutely.
  EXPECT_TRUE(Equivalent("x - x", "sin(x)^2 + cos(x)^2 - 1"));
  EXPECT_FALSE(Equivalent("x - x", "0.001"));
}

TEST(EquivalentExpressions, IsDeterministicForASeedAndWorksForEverySeed) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    EXPECT_TRUE(Equivalent("(x + 1)^2", "x^2 + 2x + 1", kX, 1e-6, seed)) << seed;
    EXPECT_FALSE(Equivalent("(x + 1)^2", "x^2 + 2x", kX, 1e-6, seed)) << seed;
  }
  // Two variables, each from its own interval.
  const std::vector<FormulaVariable> two = {{"x", -5, 5}, {"y", 100, 200}};
  EXPECT_TRUE(Equivalent("x y + y", "y(x + 1)", two));
  EXPECT_FALSE(Equivalent("x y + y", "y(x - 1)", two));
}

TEST(EquivalentExpressions, NoSamplesMeansNotEquivalent) {
  EXPECT_FALSE(Equivalent("x", "x", kX, 1e-6, 1, 0));
}

}  // namespace
}  // namespace practica::domain
