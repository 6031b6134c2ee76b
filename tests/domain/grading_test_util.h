// Builders shared by the grading tests (named fields, so that -Wmissing-field-initializers stays
// quiet and the tests say only what matters to them).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "domain/exercise.h"
#include "domain/grading.h"

namespace practica::domain::testing_util {

// Feedback as the content layer stores it; tests only look at the HTML.
inline RichText Html(std::string html) { return {html, html}; }

inline Exercise MakeExercise(ExerciseSpec spec) {
  Exercise exercise;
  exercise.id = "ex";
  exercise.spec = std::move(spec);
  return exercise;
}

inline PartResult Part(std::string part, double score, std::string feedback_html = {}) {
  return {std::move(part), score, score == 1, std::move(feedback_html)};
}

inline Item MakeItem(std::string id) {
  Item item;
  item.id = std::move(id);
  return item;
}

inline ChoiceOption Option(std::string id, bool correct, std::string feedback = {}) {
  ChoiceOption option;
  option.id = std::move(id);
  option.correct = correct;
  if (!feedback.empty()) option.feedback = Html(std::move(feedback));
  return option;
}

// An option with a weight (ChoiceOption::score).
inline ChoiceOption Weighted(std::string id, double score, bool correct,
                             std::string feedback = {}) {
  ChoiceOption option = Option(std::move(id), correct, std::move(feedback));
  option.score = score;
  return option;
}

inline NumericAnswer Value(double value, Tolerance tolerance = {}, double score = 1,
                           std::string feedback = {}) {
  NumericAnswer answer;
  answer.value = value;
  answer.tolerance = tolerance;
  answer.score = score;
  if (!feedback.empty()) answer.feedback = Html(std::move(feedback));
  return answer;
}

inline NumericAnswer Range(double low, double high, double score, std::string feedback = {}) {
  NumericAnswer answer;
  answer.range = {low, high};
  answer.score = score;
  if (!feedback.empty()) answer.feedback = Html(std::move(feedback));
  return answer;
}

inline TextAnswer Text(std::string text, double score = 1, std::string feedback = {}) {
  TextAnswer answer;
  answer.text = std::move(text);
  answer.score = score;
  if (!feedback.empty()) answer.feedback = Html(std::move(feedback));
  return answer;
}

inline TextAnswer Pattern(std::string regex, double score = 1, std::string feedback = {}) {
  TextAnswer answer;
  answer.regex = std::move(regex);
  answer.score = score;
  if (!feedback.empty()) answer.feedback = Html(std::move(feedback));
  return answer;
}

inline ShortText Texts(std::vector<TextAnswer> answers) {
  ShortText spec;
  spec.answers = std::move(answers);
  return spec;
}

inline Formula MakeFormula(std::string answer, std::vector<FormulaVariable> variables) {
  Formula formula;
  formula.answer = std::move(answer);
  formula.variables = std::move(variables);
  return formula;
}

}  // namespace practica::domain::testing_util
