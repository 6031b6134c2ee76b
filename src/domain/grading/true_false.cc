// True/false: 1 for the key's value. The one part is named after the learner's choice ("true" or
// "false"), like an option id, so that clients can show it beside that choice, and carries the
// author's feedback for that choice.
#include "domain/grading/grader.h"

namespace practica::domain::grading {

Result<GradeResult> GradeSpec(const TrueFalse& spec, const Answer& answer,
                              const GradeContext& /*context*/) {
  const auto* chosen = std::get_if<bool>(&answer);
  if (chosen == nullptr) return WrongShape("true or false");
  const double score = *chosen == spec.answer ? 1 : 0;
  const RichText& feedback = *chosen ? spec.true_feedback : spec.false_feedback;
  return MakeResult(score, {MakePart(*chosen ? "true" : "false", score, feedback.html)});
}

}  // namespace practica::domain::grading
