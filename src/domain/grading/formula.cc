// Formula: the learner's expression against the key's, as functions, by evaluation at random
// points (EquivalentExpressions in formula.h). An expression that does not parse, or that uses a
// name that is not one of the exercise's variables, is an error ("column N: …"), not a wrong
// answer: the learner gets to fix a typo without spending an attempt.
#include "domain/formula.h"

#include "domain/grading/grader.h"

namespace practica::domain::grading {

Result<GradeResult> GradeSpec(const Formula& spec, const Answer& answer,
                              const GradeContext& context) {
  const auto* text = std::get_if<std::string>(&answer);
  if (text == nullptr) return WrongShape("an expression (a string)");
  if (Status valid = CheckText(*text, "answer"); !valid.ok()) return std::move(valid).error();
  std::vector<std::string> names;
  for (const FormulaVariable& variable : spec.variables) names.push_back(variable.name);

  Result<Expression> key = Expression::Parse(spec.answer, names);
  if (!key.ok()) {
    return Error::Internal("the exercise's formula does not parse: " + key.error().message);
  }
  Result<Expression> candidate = Expression::Parse(*text, names);
  if (!candidate.ok()) {
    const std::string& message = candidate.error().message;
    return Error::Invalid(message, {{"answer", message}});
  }
  const bool equivalent = EquivalentExpressions(*key, *candidate, spec.variables, spec.samples,
                                                spec.tolerance, context.seed);
  const double score = equivalent ? 1 : 0;
  return MakeResult(score, {MakePart("", score)});
}

}  // namespace practica::domain::grading
