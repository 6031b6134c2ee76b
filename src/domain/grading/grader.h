// The internal interface behind Grade(): one GradeSpec overload per ExerciseSpec alternative, each
// in grading/<type>.cc, which grade.cc dispatches to with std::visit (so a new exercise type does
// not compile until it has a grader). The helpers here keep the rules every grader shares — what
// "correct" means, the text limit, how a bad answer is reported — in one place.
// Not for use outside src/domain/grading/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/exercise.h"
#include "domain/grading.h"

namespace practica::domain::grading {

struct GradeContext {
  uint64_t seed = 0;  // chooses the formula sample points
};

Result<GradeResult> GradeSpec(const SingleChoice& spec, const Answer& answer,
                              const GradeContext& context);
Result<GradeResult> GradeSpec(const MultipleChoice& spec, const Answer& answer,
                              const GradeContext& context);
Result<GradeResult> GradeSpec(const TrueFalse& spec, const Answer& answer,
                              const GradeContext& context);
Result<GradeResult> GradeSpec(const Numeric& spec, const Answer& answer,
                              const GradeContext& context);
Result<GradeResult> GradeSpec(const ShortText& spec, const Answer& answer,
                              const GradeContext& context);
Result<GradeResult> GradeSpec(const Cloze& spec, const Answer& answer, const GradeContext& context);
Result<GradeResult> GradeSpec(const Ordering& spec, const Answer& answer,
                              const GradeContext& context);
Result<GradeResult> GradeSpec(const Matching& spec, const Answer& answer,
                              const GradeContext& context);
Result<GradeResult> GradeSpec(const Formula& spec, const Answer& answer,
                              const GradeContext& context);
Result<GradeResult> GradeSpec(const Essay& spec, const Answer& answer, const GradeContext& context);

// ---- shared rules -----------------------------------------------------------------------------

inline constexpr size_t kMaxTextBytes = 10'000;

// A score counts as full (correct) within 1e-9 of 1, so that sums of fractions such as 1/3 + 2/3
// are not marked wrong by rounding.
bool IsFullScore(double score);

// A part with `score` clamped to [0, 1] and `correct` derived from it.
PartResult MakePart(std::string part, double score, std::string feedback_html = {});

// A result with `raw_score` clamped to [0, 1] and `correct` derived from it.
GradeResult MakeResult(double raw_score, std::vector<PartResult> parts,
                       std::string feedback_html = {});

// kInvalid for the field `field` ("answer", "answer[2]"): "<field> <problem>".
Error InvalidAnswer(const std::string& field, const std::string& problem);

// kInvalid: the answer's JSON shape does not fit the exercise type.
Error WrongShape(std::string_view expected);

// A learner's text: at most kMaxTextBytes bytes of UTF-8, else kInvalid for `field`.
Status CheckText(std::string_view text, const std::string& field);

// ---- pieces cloze gaps reuse ------------------------------------------------------------------

// The best accepted answer a number or a text matched: its score and its author's feedback.
// Accepted answers are tried in order; the highest score wins, the first one on a tie. An answer
// with score 0 still matches (so that its feedback — "you forgot to divide" — is shown).
struct Match {
  double score = 0;
  std::string feedback_html;
};

Match MatchNumber(const Numeric& spec, double value);

// kInternal if a pattern answer does not compile: the content layer validates patterns at import
// with the same engine, so this is a broken key, not a learner's mistake.
Result<Match> MatchText(const ShortText& spec, std::string_view text);

}  // namespace practica::domain::grading
