// Ordering (CONTENT-FORMAT.md): partial credit is the length of the longest subsequence of the
// answer that is in the correct relative order — the longest increasing subsequence of the items'
// correct positions — over the item count; all_or_nothing gives 1 only for the exact order.
// The answer must be a permutation of the item ids. Each item is a part, scored 1 when it belongs
// to that longest correctly ordered run (one such run, chosen deterministically).
#include <algorithm>
#include <map>

#include "domain/grading/grader.h"

namespace practica::domain::grading {
namespace {

// Which entries of `positions` form a longest strictly increasing subsequence: O(n log n) by
// patience sorting, remembering each entry's predecessor to rebuild the run.
std::vector<bool> LongestIncreasingRun(const std::vector<size_t>& positions) {
  constexpr size_t kNone = static_cast<size_t>(-1);
  std::vector<size_t> tails;  // tails[k]: index of the smallest last entry of a run of length k+1
  std::vector<size_t> previous(positions.size(), kNone);
  for (size_t i = 0; i < positions.size(); ++i) {
    const auto at =
        std::lower_bound(tails.begin(), tails.end(), positions[i],
                         [&](size_t index, size_t value) { return positions[index] < value; });
    const auto length = static_cast<size_t>(at - tails.begin());
    if (length > 0) previous[i] = tails[length - 1];
    if (at == tails.end()) {
      tails.push_back(i);
    } else {
      *at = i;
    }
  }
  std::vector<bool> in_run(positions.size(), false);
  for (size_t i = tails.empty() ? kNone : tails.back(); i != kNone; i = previous[i]) {
    in_run[i] = true;
  }
  return in_run;
}

}  // namespace

Result<GradeResult> GradeSpec(const Ordering& spec, const Answer& answer,
                              const GradeContext& /*context*/) {
  const auto* order = std::get_if<AnswerList>(&answer);
  if (order == nullptr) return WrongShape("a list of item ids in order");
  if (spec.items.empty()) return Error::Internal("ordering exercise without items");
  std::map<std::string, size_t, std::less<>> correct_position;
  for (size_t i = 0; i < spec.items.size(); ++i) correct_position.emplace(spec.items[i].id, i);

  std::vector<size_t> positions;
  std::vector<bool> seen(spec.items.size(), false);
  for (size_t i = 0; i < order->size(); ++i) {
    const std::string field = "answer[" + std::to_string(i) + "]";
    const auto it = correct_position.find((*order)[i]);
    if (it == correct_position.end())
      return InvalidAnswer(field, "is not an item of this exercise");
    if (seen[it->second]) return InvalidAnswer(field, "repeats an item");
    seen[it->second] = true;
    positions.push_back(it->second);
  }
  if (positions.size() != spec.items.size()) {
    return InvalidAnswer("answer", "must list each of the " + std::to_string(spec.items.size()) +
                                       " items exactly once");
  }

  const std::vector<bool> in_run = LongestIncreasingRun(positions);
  const auto run_length = static_cast<size_t>(std::count(in_run.begin(), in_run.end(), true));
  std::vector<PartResult> parts;
  for (size_t i = 0; i < order->size(); ++i) {
    parts.push_back(MakePart((*order)[i], in_run[i] ? 1 : 0));
  }
  const double score =
      spec.scoring == Scoring::kAllOrNothing
          ? (run_length == spec.items.size() ? 1 : 0)
          : static_cast<double>(run_length) / static_cast<double>(spec.items.size());
  return MakeResult(score, std::move(parts));
}

}  // namespace practica::domain::grading
