// Numeric: the learner's number against each accepted answer — a value with an absolute or
// relative tolerance, or an inclusive range — keeping the best score (MatchNumber in grader.h).
#include <cmath>
#include <limits>

#include "domain/grading/grader.h"

namespace practica::domain::grading {
namespace {

// A few units in the last place of the numbers compared. Without it 4.999 would miss 5 ± 0.001,
// because 5 − 4.999 is 0.0010000000000003 in binary floating point.
double Slack(double a, double b) {
  return 8 * std::numeric_limits<double>::epsilon() * std::max(std::fabs(a), std::fabs(b));
}

bool Accepts(const NumericAnswer& accepted, double value) {
  if (accepted.range) {
    const auto [low, high] = *accepted.range;
    return value >= low - Slack(low, value) && value <= high + Slack(high, value);
  }
  if (!accepted.value) return false;
  const double key = *accepted.value;
  // "1%" is stored as relative 0.01: one percent of the accepted value.
  const double tolerance = accepted.tolerance.relative ? accepted.tolerance.value * std::fabs(key)
                                                       : accepted.tolerance.value;
  return std::fabs(value - key) <= tolerance + Slack(key, value);
}

}  // namespace

Match MatchNumber(const Numeric& spec, double value) {
  Match best;
  bool matched = false;
  for (const NumericAnswer& accepted : spec.answers) {
    if (!Accepts(accepted, value)) continue;
    if (!matched || accepted.score > best.score) {
      best = {accepted.score, accepted.feedback.html};
      matched = true;
    }
  }
  return best;
}

Result<GradeResult> GradeSpec(const Numeric& spec, const Answer& answer,
                              const GradeContext& /*context*/) {
  const auto* value = std::get_if<double>(&answer);
  if (value == nullptr) return WrongShape("a number");
  if (!std::isfinite(*value)) return InvalidAnswer("answer", "must be a finite number");
  Match match = MatchNumber(spec, *value);
  return MakeResult(match.score, {MakePart("", match.score, match.feedback_html)},
                    match.feedback_html);
}

}  // namespace practica::domain::grading
