// Essay: the learner's own words, kept with the attempt for an instructor to read. Nothing is
// graded: the result is ungraded (`graded` false), scores 0, is not correct and has no parts. A
// blank answer is refused rather than stored, like any answer that cannot be read.
#include "domain/grading/grader.h"
#include "domain/text_match.h"

namespace practica::domain::grading {

Result<GradeResult> GradeSpec(const Essay& /*spec*/, const Answer& answer,
                              const GradeContext& /*context*/) {
  const auto* text = std::get_if<std::string>(&answer);
  if (text == nullptr) return WrongShape("a text (a string)");
  if (Status valid = CheckText(*text, "answer"); !valid.ok()) return std::move(valid).error();
  if (CollapseWhitespace(*text).empty()) return InvalidAnswer("answer", "must not be blank");
  GradeResult result = MakeResult(0, {});
  result.graded = false;
  return result;
}

}  // namespace practica::domain::grading
