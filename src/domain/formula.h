// Maths expressions for formula exercises: our own recursive-descent parser and evaluator.
//
// Grammar (CONTENT-FORMAT.md): numbers, declared variables, constants pi and e, + - * / ^ (right
// associative, binding tighter than unary minus: -x^2 = -(x^2)), unary minus and plus,
// parentheses, implicit multiplication ("2x", "3(x+1)", "x y", "2 sin(x)"), and the functions
// sin cos tan asin acos atan exp ln log (base 10) sqrt abs. "×" and "÷" and "·" are accepted for
// * and /. Inputs are limited to 1,000 bytes and 200 levels of nesting.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/exercise.h"

namespace practica::domain {

class Expression {
 public:
  // Parses `text` with the given variable names. kInvalid with "column N: what is wrong".
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
// (with `seed`) from the variables' intervals; points where the key is not finite are skipped;
// they must agree within `tolerance`, relative to |key| (absolute where |key| is near zero).
// False when fewer than half of the points are usable.
bool EquivalentExpressions(const Expression& key, const Expression& candidate,
                           const std::vector<FormulaVariable>& variables, int samples,
                           double tolerance, uint64_t seed);

}  // namespace practica::domain
