// Formula expressions as learners type them (domain/formula.h): parsing, then evaluation.
// Invariants: a refusal is kInvalid with a message; evaluation is deterministic (same value, or NaN
// both times); comparing an expression with itself, as grading does, neither crashes nor says
// they differ when the expression is finite everywhere on the sample intervals' corners.
#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "domain/formula.h"
#include "fuzz_check.h"

using practica::fuzz::AsText;
using practica::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<std::string> names = {"x", "y", "t", "n_1"};
  auto parsed = practica::domain::Expression::Parse(AsText(data, size), names);
  if (!parsed) {
    Check(parsed.error().code == practica::ErrorCode::kInvalid, "a refused formula is kInvalid");
    Check(!parsed.error().message.empty(), "a refused formula says why");
    return 0;
  }
  const std::map<std::string, double, std::less<>> values = {
      {"x", 1.5}, {"y", -2.25}, {"t", 0.5}, {"n_1", 3}};
  const double first = parsed->Evaluate(values);
  const double second = parsed->Evaluate(values);
  Check(std::isnan(first) ? std::isnan(second) : std::memcmp(&first, &second, sizeof first) == 0,
        "evaluation is deterministic");
  parsed->Evaluate({});  // unbound variables are NaN, never a crash

  const std::vector<practica::domain::FormulaVariable> variables = {
      {"x", -5, 5}, {"y", 1, 2}, {"t", 0, 1}, {"n_1", -1, 1}};
  const bool same =
      practica::domain::EquivalentExpressions(*parsed, *parsed, variables, 8, 1e-6, size);
  // A constant that is finite is usable at every point, so it must equal itself.
  const auto constant = practica::domain::Expression::Parse(AsText(data, size), {});
  if (constant && std::isfinite(constant->Evaluate({}))) {
    Check(same, "a finite constant is equivalent to itself");
  }
  return 0;
}
