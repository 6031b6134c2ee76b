// Single choice: the chosen option scores 1 if it is the correct one, else its own score (a
// weight for a partly right option; 0 without one; a negative weight counts as 0). Its part
// carries the option's feedback; the other options get no part, so a wrong answer does not reveal
// the key.
#include <algorithm>

#include "domain/grading/grader.h"

namespace practica::domain::grading {

Result<GradeResult> GradeSpec(const SingleChoice& spec, const Answer& answer,
                              const GradeContext& /*context*/) {
  const auto* chosen = std::get_if<std::string>(&answer);
  if (chosen == nullptr) return WrongShape("an option id (a string)");
  const auto option = std::find_if(spec.options.begin(), spec.options.end(),
                                   [&](const ChoiceOption& o) { return o.id == *chosen; });
  if (option == spec.options.end()) {
    return InvalidAnswer("answer", "is not an option of this exercise");
  }
  const double score = option->correct ? 1 : option->score.value_or(0);
  return MakeResult(score, {MakePart(option->id, score, option->feedback.html)});
}

}  // namespace practica::domain::grading
