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
//   formula → string (expression)
using AnswerList = std::vector<std::string>;
using AnswerMap = std::map<std::string, std::string>;
using Answer = std::variant<std::string, AnswerList, bool, double, AnswerMap>;

// What the learner learns about one part of the answer: an option, a gap, a pair, an item.
struct PartResult {
  std::string part;     // "a" (option id), "gap 1", "l1" (left id), "" for the whole answer
  double score = 0;     // in [0, 1]
  bool correct = false;
  std::string feedback_html;  // the author's feedback for what was chosen or typed, if any
  friend bool operator==(const PartResult&, const PartResult&) = default;
};

struct GradeResult {
  double raw_score = 0;  // in [0, 1], before the retry penalty
  bool correct = false;  // raw_score == 1
  std::vector<PartResult> parts;
  std::string feedback_html;  // overall feedback (e.g. the matched numeric/text answer's feedback)
  friend bool operator==(const GradeResult&, const GradeResult&) = default;
};

// Grades `answer`. Errors (ErrorCode::kInvalid, field "answer"): the answer's shape does not fit
// the type, an id that is not in the exercise, a non-finite number, an over-long text (> 10,000
// bytes), or a formula that does not parse (the message gives the 1-based column of the problem).
// `seed` chooses the formula sample points; the same seed gives the same result.
Result<GradeResult> Grade(const Exercise& exercise, const Answer& answer, uint64_t seed);

// The score of attempt number `attempt` (1-based): max(0, raw − (attempt − 1) × penalty).
double ScoreWithPenalty(double raw_score, int attempt, double penalty);

}  // namespace practica::domain
