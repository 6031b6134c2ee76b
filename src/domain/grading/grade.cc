// Grade(): the one entry point, dispatching to the grader of the exercise's type; and the rules
// every grader shares.
#include <algorithm>
#include <cmath>
#include <variant>

#include "common/text.h"
#include "domain/grading.h"
#include "domain/grading/grader.h"

namespace practica::domain {

namespace grading {

bool IsFullScore(double score) { return std::fabs(score - 1.0) <= 1e-9; }

namespace {

double ClampScore(double score) {
  if (!(score > 0)) return 0;  // also NaN
  return std::min(score, 1.0);
}

}  // namespace

PartResult MakePart(std::string part, double score, std::string feedback_html) {
  PartResult result;
  result.part = std::move(part);
  result.score = ClampScore(score);
  result.correct = IsFullScore(result.score);
  result.feedback_html = std::move(feedback_html);
  return result;
}

GradeResult MakeResult(double raw_score, std::vector<PartResult> parts, std::string feedback_html) {
  GradeResult result;
  result.raw_score = ClampScore(raw_score);
  result.correct = IsFullScore(result.raw_score);
  result.parts = std::move(parts);
  result.feedback_html = std::move(feedback_html);
  return result;
}

Error InvalidAnswer(const std::string& field, const std::string& problem) {
  return Error::Invalid(field + " " + problem, {{field, problem}});
}

Error WrongShape(std::string_view expected) {
  return InvalidAnswer("answer", "must be " + std::string(expected) + " for this exercise");
}

Status CheckText(std::string_view text, const std::string& field) {
  if (text.size() > kMaxTextBytes) {
    return InvalidAnswer(field, "is longer than " + std::to_string(kMaxTextBytes) + " bytes");
  }
  if (!IsValidUtf8(text)) return InvalidAnswer(field, "is not valid UTF-8 text");
  return Status::Ok();
}

}  // namespace grading

Result<GradeResult> Grade(const Exercise& exercise, const Answer& answer, uint64_t seed) {
  const grading::GradeContext context{seed};
  return std::visit([&](const auto& spec) { return grading::GradeSpec(spec, answer, context); },
                    exercise.spec);
}

double ScoreWithPenalty(double raw_score, int attempt, double penalty) {
  if (!(raw_score > 0)) return 0;  // also NaN
  const double raw = std::min(raw_score, 1.0);
  const double per_retry = std::isfinite(penalty) ? std::clamp(penalty, 0.0, 1.0) : 0.0;
  const int retries = std::max(attempt, 1) - 1;
  return std::max(0.0, raw - retries * per_retry);
}

}  // namespace practica::domain
