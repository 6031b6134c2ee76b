// Grading: a learner's answer against an exercise's key, for every exercise type.
//
// One function per type lives in grading/<type>.cc behind the one entry point Grade(); the formula
// parser and evaluator in formula.h; the bounded regular-expression matcher in text_match.h.
// Pure: no I/O, no clock; randomness (formula sample points) comes from the seed passed in.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/error.h"
#include "domain/exercise.h"

namespace practica::domain {

// A learner's answer, already decoded from JSON by the API (DESIGN.md "Contract details"):
//   single_choice → string (option id)     multiple_choice → list (option ids)
//   true_false → bool                      numeric → double (finite)
//   short_text → string                    cloze → list (one string per gap)
//   ordering → list (item ids in order)    matching → map (left id → right id)
//   formula → string (expression)          essay → string (the learner's text)
using AnswerList = std::vector<std::string>;
using AnswerMap = std::map<std::string, std::string>;
using Answer = std::variant<std::string, AnswerList, bool, double, AnswerMap>;

// What the learner learns about one part of the answer: an option, a gap, a pair, an item.
// Every result has parts, named by type:
//   single_choice    the chosen option's id, with its feedback (the other options have no part)
//   multiple_choice  every option's id, scored 1 when ticking it or not was right; the ticked
//                    ones carry their feedback
//   true_false       "true" or "false": the learner's choice, with the feedback for it
//   cloze            "gap 1", "gap 2", … with the feedback of what each gap matched
//   ordering         every item id in the learner's order, scored 1 when the item belongs to a
//                    longest correctly ordered run
//   matching         every left id, scored 1 when matched to its right item
//   numeric, short_text, formula   one part "" for the whole answer (the matched answer's
//                    feedback, which GradeResult::feedback_html repeats)
//   essay            none
struct PartResult {
  std::string part;           // "a" (option id), "gap 1", "l1" (left id), "" for the whole answer
  double score = 0;           // in [0, 1]
  bool correct = false;       // score == 1 (within 1e-9)
  std::string feedback_html;  // the author's feedback for what was chosen or typed, if any
  friend bool operator==(const PartResult&, const PartResult&) = default;
};

struct GradeResult {
  double raw_score = 0;  // in [0, 1], before the retry penalty
  bool correct = false;  // raw_score == 1 (within 1e-9)
  // False for an answer the platform keeps without grading (essay): raw_score 0, not correct.
  bool graded = true;
  std::vector<PartResult> parts;
  std::string feedback_html;  // overall feedback (e.g. the matched numeric/text answer's feedback)
  friend bool operator==(const GradeResult&, const GradeResult&) = default;
};

// Grades `answer`. Errors (ErrorCode::kInvalid, field "answer" or "answer[i]"): the answer's shape
// does not fit the type, an id that is not in the exercise (or a repeated one, for multiple
// choice and ordering), an ordering that is not a permutation of the items, a cloze answer with
// the wrong number of gaps, a non-finite number, a text over 10,000 bytes or not UTF-8, or a
// formula that does not parse or uses an undeclared variable (the message gives the 1-based
// column), a blank essay. Not errors, but a score of 0 for that part: a blank cloze gap, a numeric
// gap that is not a readable number, a matching that leaves a left item out. kInternal: a broken
// key (a pattern or formula of the exercise itself that does not compile) — the content layer
// refuses those at import. `seed` chooses the formula sample points; the same seed gives the same
// result.
Result<GradeResult> Grade(const Exercise& exercise, const Answer& answer, uint64_t seed);

// The score of attempt number `attempt` (1-based): max(0, raw − (attempt − 1) × penalty).
double ScoreWithPenalty(double raw_score, int attempt, double penalty);

}  // namespace practica::domain
