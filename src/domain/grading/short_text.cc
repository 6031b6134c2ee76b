// Short text: the learner's text, trimmed and with inner whitespace collapsed, against each
// accepted text or anchored pattern, folded by the exercise's case and accent rules
// (text_match.h); the best score wins (MatchText in grader.h).
#include "domain/grading/grader.h"
#include "domain/text_match.h"

namespace practica::domain::grading {

Result<Match> MatchText(const ShortText& spec, std::string_view text) {
  const TextRules rules{spec.case_sensitive, spec.accents_strict};
  const std::string collapsed = CollapseWhitespace(text);
  const std::string normalized = FoldText(collapsed, rules);
  Match best;
  bool matched = false;
  for (size_t i = 0; i < spec.answers.size(); ++i) {
    const TextAnswer& accepted = spec.answers[i];
    bool hit = false;
    if (!accepted.regex.empty()) {
      Result<CompiledPattern> pattern = CompilePattern(accepted.regex, rules);
      if (!pattern.ok()) {
        return Error::Internal("accepted answer " + std::to_string(i + 1) +
                               " has a pattern the matcher refuses: " + pattern.error().message);
      }
      hit = Matches(*pattern, collapsed);
    } else {
      hit = NormalizeText(accepted.text, rules) == normalized;
    }
    if (hit && (!matched || accepted.score > best.score)) {
      best = {accepted.score, accepted.feedback.html};
      matched = true;
    }
  }
  return best;
}

Result<GradeResult> GradeSpec(const ShortText& spec, const Answer& answer,
                              const GradeContext& /*context*/) {
  const auto* text = std::get_if<std::string>(&answer);
  if (text == nullptr) return WrongShape("a text (a string)");
  if (Status valid = CheckText(*text, "answer"); !valid.ok()) return std::move(valid).error();
  Result<Match> match = MatchText(spec, *text);
  if (!match.ok()) return std::move(match).error();
  return MakeResult(match->score, {MakePart("", match->score, match->feedback_html)},
                    match->feedback_html);
}

}  // namespace practica::domain::grading
