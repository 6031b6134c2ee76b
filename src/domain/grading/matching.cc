// Matching: the answer maps left ids to right ids; the score is correct pairs / pairs. A left
// item the answer leaves out counts as wrong rather than as an error, so a learner may submit a
// half-finished matching; a left id that is not in the exercise, or a right id that is neither a
// pair's right item nor a distractor, is an error. Each left item is a part.
#include <algorithm>

#include "domain/grading/grader.h"

namespace practica::domain::grading {

Result<GradeResult> GradeSpec(const Matching& spec, const Answer& answer,
                              const GradeContext& /*context*/) {
  const auto* chosen = std::get_if<AnswerMap>(&answer);
  if (chosen == nullptr) return WrongShape("an object mapping left ids to right ids");
  if (spec.pairs.empty()) return Error::Internal("matching exercise without pairs");
  const auto is_left = [&](const std::string& id) {
    return std::any_of(spec.pairs.begin(), spec.pairs.end(),
                       [&](const MatchingPair& pair) { return pair.left.id == id; });
  };
  const auto is_right = [&](const std::string& id) {
    return std::any_of(spec.pairs.begin(), spec.pairs.end(),
                       [&](const MatchingPair& pair) { return pair.right.id == id; }) ||
           std::any_of(spec.distractors.begin(), spec.distractors.end(),
                       [&](const Item& item) { return item.id == id; });
  };
  for (const auto& [left, right] : *chosen) {
    // The unknown id is not echoed back: it is the learner's text, of any length.
    if (!is_left(left)) return InvalidAnswer("answer", "names a left item not in this exercise");
    if (!is_right(right)) {
      return InvalidAnswer("answer." + left, "is not a right-hand item of this exercise");
    }
  }

  size_t correct = 0;
  std::vector<PartResult> parts;
  for (const MatchingPair& pair : spec.pairs) {
    const auto it = chosen->find(pair.left.id);
    const bool right = it != chosen->end() && it->second == pair.right.id;
    correct += right ? 1 : 0;
    parts.push_back(MakePart(pair.left.id, right ? 1 : 0));
  }
  return MakeResult(static_cast<double>(correct) / static_cast<double>(spec.pairs.size()),
                    std::move(parts));
}

}  // namespace practica::domain::grading
