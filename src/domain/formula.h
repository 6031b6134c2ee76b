// Maths expressions for formula exercises: our own recursive-descent parser and evaluator.
//
// Grammar (CONTENT-FORMAT.md): numbers, declared variables, constants pi and e, + - * / ^ (right
// associative, binding tighter than unary minus: -x^2 = -(x^2)), unary minus and plus,
// parentheses, implicit multiplication ("2x", "3(x+1)", "x y", "2 sin(x)"), and the functions
// sin cos tan asin acos atan exp ln log (base 10) sqrt abs. "×" and "÷" and "·" are accepted for
// * and /. Inputs are limited to 1,000 bytes and 200 levels of nesting.
//
// Also accepted, because learners type them: "−" (U+2212) and "⋅" (U+22C5), "**" for ^, and "π"
// for pi. A number is digits with an optional decimal point and exponent ("1.5e-3"); "2e" is 2·e
// and "2e3" is 2000. Two numbers in a row ("2 3") are refused rather than multiplied, and a
// function needs parentheses ("sin x" is refused). Names are a letter followed by letters, digits
// or _, so "xy" is one name: write "x y" or "x*y" for a product (the error message says so).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/exercise.h"

namespace practica::domain {

inline constexpr size_t kMaxFormulaBytes = 1000;
inline constexpr int kMaxFormulaDepth = 200;

class Expression {
 public:
  // Parses `text` with the given variable names. kInvalid with "column N: what is wrong" (N counts
  // characters from 1), or, for a text over kMaxFormulaBytes, a message saying so without reading
  // it. An undeclared name is an error naming it.
  static Result<Expression> Parse(std::string_view text, const std::vector<std::string>& variables);

  // The value with the variables bound (missing ones are NaN). Never throws; may return NaN/inf.
  double Evaluate(const std::map<std::string, double, std::less<>>& values) const;

  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;
  ~Expression();

  struct Node;

 private:
  explicit Expression(std::unique_ptr<Node> root);
  std::unique_ptr<Node> root_;
};

// Whether `candidate` equals `key` as functions: both are evaluated at `samples` points drawn
// uniformly (std::mt19937_64 seeded with `seed`) from the variables' intervals. Points where the
// key is not finite are skipped and replaced by new draws, up to 4 × samples draws in all; at
// every usable point the candidate must be finite and within tolerance × max(|key|, floor) of the
// key, where the floor is the median |key| over the usable points (1 if that median is 0) — so
// near a root of the key, where rounding dominates, the tolerance becomes absolute at the scale
// of the function. False when fewer than half of `samples` points are usable.
bool EquivalentExpressions(const Expression& key, const Expression& candidate,
                           const std::vector<FormulaVariable>& variables, int samples,
                           double tolerance, uint64_t seed);

}  // namespace practica::domain
