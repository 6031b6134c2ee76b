// Multiple choice (CONTENT-FORMAT.md): partial credit is (right picks − wrong picks) / the number
// of correct options, floored at 0; all_or_nothing gives 1 only for exactly the correct set.
// With option scores (weights, as in Moodle's multiple-answer questions) the raw score is the sum
// of the ticked options' scores clamped to [0, 1], a sum within 1e-6 of 1 counting as 1.
// Every option gets a part, scored 1 when the learner's decision on it (ticked or not) was right;
// the ticked ones carry their feedback.
#include <algorithm>
#include <set>

#include "domain/grading/grader.h"

namespace practica::domain::grading {

Result<GradeResult> GradeSpec(const MultipleChoice& spec, const Answer& answer,
                              const GradeContext& /*context*/) {
  const auto* picks = std::get_if<AnswerList>(&answer);
  if (picks == nullptr) return WrongShape("a list of option ids");
  std::set<std::string, std::less<>> chosen;
  for (size_t i = 0; i < picks->size(); ++i) {
    const std::string field = "answer[" + std::to_string(i) + "]";
    const std::string& id = (*picks)[i];
    const bool known = std::any_of(spec.options.begin(), spec.options.end(),
                                   [&](const ChoiceOption& o) { return o.id == id; });
    if (!known) return InvalidAnswer(field, "is not an option of this exercise");
    if (!chosen.insert(id).second) return InvalidAnswer(field, "repeats an option");
  }

  int correct_options = 0, right_picks = 0, wrong_picks = 0;
  bool weighted = false;
  double weight_sum = 0;
  std::vector<PartResult> parts;
  for (const ChoiceOption& option : spec.options) {
    const bool ticked = chosen.count(option.id) != 0;
    weighted = weighted || option.score.has_value();
    if (ticked) weight_sum += option.score.value_or(0);
    correct_options += option.correct ? 1 : 0;
    right_picks += ticked && option.correct ? 1 : 0;
    wrong_picks += ticked && !option.correct ? 1 : 0;
    parts.push_back(MakePart(option.id, ticked == option.correct ? 1 : 0,
                             ticked ? option.feedback.html : std::string()));
  }
  if (correct_options == 0) {
    return Error::Internal("multiple-choice exercise without a correct option");
  }
  double score = 0;
  if (weighted) {
    // Weights written as rounded percentages (3 × 33.33333 %) must still add up to a full score.
    constexpr double kWeightSlack = 1e-6;
    score = weight_sum >= 1 - kWeightSlack ? 1 : std::max(0.0, weight_sum);
  } else if (spec.scoring == Scoring::kAllOrNothing) {
    score = right_picks == correct_options && wrong_picks == 0 ? 1 : 0;
  } else {
    score = std::max(0.0, static_cast<double>(right_picks - wrong_picks) / correct_options);
  }
  return MakeResult(score, std::move(parts));
}

}  // namespace practica::domain::grading
