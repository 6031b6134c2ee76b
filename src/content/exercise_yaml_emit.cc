// Writing exercise blocks with yaml-cpp's Emitter: block style for structure, flow style for
// short records, literal blocks for multi-line Markdown, defaults left out.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <type_traits>

#include "content/exercise_yaml.h"
#include "content/numbers.h"

namespace practica::content {
namespace {

using domain::RichText;

bool LooksLikeNonString(std::string_view text) {
  static constexpr std::array<std::string_view, 11> kWords = {
      "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ""};
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(kWords.begin(), kWords.end(), lower) != kWords.end() ||
         ParseNumber(text).has_value() || lower == ".inf" || lower == "-.inf" || lower == ".nan";
}

// Emits a string so that yaml-cpp reads back exactly the same characters. Multi-line Markdown
// reads best as a literal block (`|`), but yaml-cpp writes those without chomping or indentation
// indicators: it suits a text that ends in exactly one newline (given without it, as yaml-cpp
// adds the line break itself) and whose first line is not indented. Whether the literal form
// reads back unchanged is tested on a probe document; otherwise the text is double-quoted.
void EmitString(YAML::Emitter& out, const std::string& text) {
  if (text.find('\n') == std::string::npos) {
    // yaml-cpp reads any scalar as a string, but a reader of the file (or another YAML tool)
    // would take a bare 100, true or no for a number or a boolean: quote those.
    if (LooksLikeNonString(text)) out << YAML::DoubleQuoted;
    out << text;
    return;
  }
  const std::string literal = text.back() == '\n' ? text.substr(0, text.size() - 1) : text;
  YAML::Emitter probe;
  probe << YAML::BeginMap << YAML::Key << "k" << YAML::Value << YAML::Literal << literal
        << YAML::Key << "next" << YAML::Value << "x" << YAML::EndMap;
  bool literal_ok = false;
  try {
    const YAML::Node back = YAML::Load(probe.c_str());
    literal_ok = back["k"].IsScalar() && back["k"].Scalar() == text;
  } catch (const YAML::Exception&) {
    literal_ok = false;
  }
  if (literal_ok) {
    out << YAML::Literal << literal;
  } else {
    out << YAML::DoubleQuoted << text;
  }
}

void EmitNumber(YAML::Emitter& out, double value) { out << FormatNumber(value); }

void EmitTolerance(YAML::Emitter& out, const domain::Tolerance& tolerance) {
  out << (tolerance.relative ? FormatPercent(tolerance.value) : FormatNumber(tolerance.value));
}

bool IsDefault(const domain::Tolerance& tolerance) {
  return tolerance.value == 0 && !tolerance.relative;
}

// True when a record of these strings fits comfortably on one line in flow style.
bool Short(std::initializer_list<std::string_view> texts) {
  size_t length = 0;
  for (std::string_view text : texts) {
    if (text.find('\n') != std::string_view::npos) return false;
    length += text.size();
  }
  return length <= 48;
}

void EmitItem(YAML::Emitter& out, const domain::Item& item) {
  if (Short({item.id, item.text.markdown})) out << YAML::Flow;
  out << YAML::BeginMap << YAML::Key << "id" << YAML::Value << item.id << YAML::Key << "text"
      << YAML::Value;
  EmitString(out, item.text.markdown);
  out << YAML::EndMap;
}

void EmitOptions(YAML::Emitter& out, const std::vector<domain::ChoiceOption>& options) {
  out << YAML::Key << "options" << YAML::Value << YAML::BeginSeq;
  for (const domain::ChoiceOption& option : options) {
    if (Short({option.id, option.text.markdown, option.feedback.markdown})) out << YAML::Flow;
    out << YAML::BeginMap << YAML::Key << "id" << YAML::Value << option.id;
    out << YAML::Key << "text" << YAML::Value;
    EmitString(out, option.text.markdown);
    if (option.correct) out << YAML::Key << "correct" << YAML::Value << true;
    if (option.score) {
      out << YAML::Key << "score" << YAML::Value;
      EmitNumber(out, *option.score);
    }
    if (!option.feedback.empty()) {
      out << YAML::Key << "feedback" << YAML::Value;
      EmitString(out, option.feedback.markdown);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void EmitScoring(YAML::Emitter& out, domain::Scoring scoring) {
  if (scoring != domain::Scoring::kPartial) {
    out << YAML::Key << "scoring" << YAML::Value << std::string(ToString(scoring));
  }
}

void EmitFeedback(YAML::Emitter& out, const RichText& feedback) {
  if (feedback.empty()) return;
  out << YAML::Key << "feedback" << YAML::Value;
  EmitString(out, feedback.markdown);
}

// Inside an open map: `answer`/`tolerance` when one plain answer says it all, else `answers`.
void EmitNumericFields(YAML::Emitter& out, const domain::Numeric& numeric) {
  const bool shorthand = numeric.answers.size() == 1 && numeric.answers[0].value &&
                         !numeric.answers[0].range && numeric.answers[0].score == 1 &&
                         numeric.answers[0].feedback.empty();
  if (shorthand) {
    const domain::NumericAnswer& answer = numeric.answers[0];
    out << YAML::Key << "answer" << YAML::Value;
    EmitNumber(out, *answer.value);
    if (!IsDefault(answer.tolerance)) {
      out << YAML::Key << "tolerance" << YAML::Value;
      EmitTolerance(out, answer.tolerance);
    }
    return;
  }
  out << YAML::Key << "answers" << YAML::Value << YAML::BeginSeq;
  for (const domain::NumericAnswer& answer : numeric.answers) {
    if (Short({answer.feedback.markdown})) out << YAML::Flow;
    out << YAML::BeginMap;
    if (answer.value) {
      out << YAML::Key << "value" << YAML::Value;
      EmitNumber(out, *answer.value);
      if (!IsDefault(answer.tolerance)) {
        out << YAML::Key << "tolerance" << YAML::Value;
        EmitTolerance(out, answer.tolerance);
      }
    }
    if (answer.range) {
      out << YAML::Key << "range" << YAML::Value << YAML::Flow << YAML::BeginSeq;
      EmitNumber(out, answer.range->first);
      EmitNumber(out, answer.range->second);
      out << YAML::EndSeq;
    }
    out << YAML::Key << "score" << YAML::Value;
    EmitNumber(out, answer.score);
    EmitFeedback(out, answer.feedback);
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

bool IsPlain(const domain::TextAnswer& answer) {
  return answer.regex.empty() && !answer.text.empty() && answer.score == 1 &&
         answer.feedback.empty();
}

void EmitShortTextFields(YAML::Emitter& out, const domain::ShortText& short_text) {
  out << YAML::Key << "answers" << YAML::Value;
  const bool all_plain = std::all_of(short_text.answers.begin(), short_text.answers.end(), IsPlain);
  if (all_plain) {
    size_t length = 0;
    for (const domain::TextAnswer& answer : short_text.answers) length += answer.text.size() + 2;
    if (length <= 48) out << YAML::Flow;
  }
  out << YAML::BeginSeq;
  for (const domain::TextAnswer& answer : short_text.answers) {
    if (IsPlain(answer)) {
      EmitString(out, answer.text);
      continue;
    }
    if (Short({answer.text, answer.regex, answer.feedback.markdown})) out << YAML::Flow;
    out << YAML::BeginMap;
    if (!answer.regex.empty()) {
      out << YAML::Key << "regex" << YAML::Value;
      EmitString(out, answer.regex);
    } else {
      out << YAML::Key << "text" << YAML::Value;
      EmitString(out, answer.text);
    }
    out << YAML::Key << "score" << YAML::Value;
    EmitNumber(out, answer.score);
    EmitFeedback(out, answer.feedback);
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  if (short_text.case_sensitive) out << YAML::Key << "case_sensitive" << YAML::Value << true;
  if (short_text.accents_strict) out << YAML::Key << "accents" << YAML::Value << "strict";
}

void EmitGap(YAML::Emitter& out, const domain::ClozeGap& gap) {
  out << YAML::BeginMap << YAML::Key << "type" << YAML::Value;
  std::visit(
      [&](const auto& spec) {
        using Spec = std::decay_t<decltype(spec)>;
        if constexpr (std::is_same_v<Spec, domain::Numeric>) {
          out << "numeric";
          EmitNumericFields(out, spec);
        } else if constexpr (std::is_same_v<Spec, domain::ShortText>) {
          out << "short_text";
          EmitShortTextFields(out, spec);
        } else {
          out << "choice" << YAML::Key << "options" << YAML::Value << YAML::Flow << YAML::BeginSeq;
          for (const std::string& option : spec.options) EmitString(out, option);
          out << YAML::EndSeq << YAML::Key << "answer" << YAML::Value;
          EmitString(out, spec.answer);
        }
      },
      gap.spec);
  out << YAML::EndMap;
}

void EmitFormula(YAML::Emitter& out, const domain::Formula& formula) {
  out << YAML::Key << "answer" << YAML::Value;
  EmitString(out, formula.answer);
  if (!formula.variables.empty()) {
    out << YAML::Key << "variables" << YAML::Value << YAML::BeginMap;
    for (const domain::FormulaVariable& variable : formula.variables) {
      out << YAML::Key << variable.name << YAML::Value << YAML::Flow << YAML::BeginSeq;
      EmitNumber(out, variable.low);
      EmitNumber(out, variable.high);
      out << YAML::EndSeq;
    }
    out << YAML::EndMap;
  }
  if (formula.samples != domain::Formula{}.samples) {
    out << YAML::Key << "samples" << YAML::Value << formula.samples;
  }
  if (formula.tolerance != domain::Formula{}.tolerance) {
    out << YAML::Key << "tolerance" << YAML::Value;
    EmitNumber(out, formula.tolerance);
  }
}

void EmitSpec(YAML::Emitter& out, const domain::ExerciseSpec& spec) {
  std::visit(
      [&](const auto& typed) {
        using Spec = std::decay_t<decltype(typed)>;
        if constexpr (std::is_same_v<Spec, domain::SingleChoice>) {
          EmitOptions(out, typed.options);
          if (!typed.shuffle) out << YAML::Key << "shuffle" << YAML::Value << false;
        } else if constexpr (std::is_same_v<Spec, domain::MultipleChoice>) {
          EmitOptions(out, typed.options);
          EmitScoring(out, typed.scoring);
          if (!typed.shuffle) out << YAML::Key << "shuffle" << YAML::Value << false;
        } else if constexpr (std::is_same_v<Spec, domain::TrueFalse>) {
          out << YAML::Key << "answer" << YAML::Value << typed.answer;
          if (!typed.true_feedback.empty()) {
            out << YAML::Key << "true_feedback" << YAML::Value;
            EmitString(out, typed.true_feedback.markdown);
          }
          if (!typed.false_feedback.empty()) {
            out << YAML::Key << "false_feedback" << YAML::Value;
            EmitString(out, typed.false_feedback.markdown);
          }
        } else if constexpr (std::is_same_v<Spec, domain::Numeric>) {
          EmitNumericFields(out, typed);
        } else if constexpr (std::is_same_v<Spec, domain::ShortText>) {
          EmitShortTextFields(out, typed);
        } else if constexpr (std::is_same_v<Spec, domain::Cloze>) {
          out << YAML::Key << "gaps" << YAML::Value << YAML::BeginSeq;
          for (const domain::ClozeGap& gap : typed.gaps) EmitGap(out, gap);
          out << YAML::EndSeq;
        } else if constexpr (std::is_same_v<Spec, domain::Ordering>) {
          out << YAML::Key << "items" << YAML::Value << YAML::BeginSeq;
          for (const domain::Item& item : typed.items) EmitItem(out, item);
          out << YAML::EndSeq;
          EmitScoring(out, typed.scoring);
        } else if constexpr (std::is_same_v<Spec, domain::Matching>) {
          out << YAML::Key << "pairs" << YAML::Value << YAML::BeginSeq;
          for (const domain::MatchingPair& pair : typed.pairs) {
            out << YAML::BeginMap << YAML::Key << "left" << YAML::Value;
            EmitItem(out, pair.left);
            out << YAML::Key << "right" << YAML::Value;
            EmitItem(out, pair.right);
            out << YAML::EndMap;
          }
          out << YAML::EndSeq;
          if (!typed.distractors.empty()) {
            out << YAML::Key << "distractors" << YAML::Value << YAML::BeginSeq;
            for (const domain::Item& item : typed.distractors) EmitItem(out, item);
            out << YAML::EndSeq;
          }
        } else if constexpr (std::is_same_v<Spec, domain::Formula>) {
          EmitFormula(out, typed);
        } else {
          static_assert(std::is_same_v<Spec, domain::Essay>);  // nothing but the common fields
        }
      },
      spec);
}

}  // namespace

std::string FormatExercise(const domain::Exercise& exercise) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "id" << YAML::Value << exercise.id;
  out << YAML::Key << "type" << YAML::Value << std::string(ToString(exercise.type()));
  out << YAML::Key << "prompt" << YAML::Value;
  EmitString(out, exercise.prompt.markdown);
  EmitSpec(out, exercise.spec);
  if (!exercise.hints.empty()) {
    out << YAML::Key << "hints" << YAML::Value << YAML::BeginSeq;
    for (const RichText& hint : exercise.hints) EmitString(out, hint.markdown);
    out << YAML::EndSeq;
  }
  if (!exercise.explanation.empty()) {
    out << YAML::Key << "explanation" << YAML::Value;
    EmitString(out, exercise.explanation.markdown);
  }
  if (exercise.max_attempts) {
    out << YAML::Key << "max_attempts" << YAML::Value << *exercise.max_attempts;
  }
  if (exercise.penalty != 0) {
    out << YAML::Key << "penalty" << YAML::Value;
    EmitNumber(out, exercise.penalty);
  }
  if (!exercise.tags.empty()) {
    out << YAML::Key << "tags" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const std::string& tag : exercise.tags) EmitString(out, tag);
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
  std::string text = out.c_str();
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

}  // namespace practica::content
