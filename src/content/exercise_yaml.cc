// Reading exercise blocks. Every function reports what is wrong with its part and fills in what
// it can; ParseExercise then rejects the exercise if anything at all was reported. This keeps
// parsing going past a bad field so that all problems surface in one go.
#include "content/exercise_yaml.h"

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <regex>
#include <set>

#include "content/markdown.h"
#include "content/numbers.h"
#include "domain/formula.h"
#include "domain/text_match.h"

namespace practica::content {
namespace {

using domain::RichText;

constexpr std::array<std::string_view, 8> kCommonKeys = {
    "id", "type", "prompt", "hints", "explanation", "max_attempts", "penalty", "tags"};
constexpr std::int64_t kMaxSamples = 10000;

// Names the formula grammar reserves (CONTENT-FORMAT.md, formula).
const std::set<std::string, std::less<>> kFormulaReserved = {
    "sin", "cos", "tan", "asin", "acos", "atan", "exp", "ln", "log", "sqrt", "abs", "pi", "e"};

std::vector<std::string_view> WithCommonKeys(std::initializer_list<std::string_view> specific) {
  std::vector<std::string_view> keys(kCommonKeys.begin(), kCommonKeys.end());
  keys.insert(keys.end(), specific);
  return keys;
}

// Ids of options and items, unique within one exercise.
class IdSet {
 public:
  std::string Read(const YamlValue& value) {
    const std::optional<std::string> id = value.String();
    if (!id) return {};
    if (!domain::IsValidSlug(*id)) {
      value.Report("must match [a-z0-9-]{1,64}, got '" + *id + "'");
    } else if (const auto [it, inserted] = lines_.emplace(*id, value.line()); !inserted) {
      value.Report("'" + *id + "' is already used in this exercise (line " +
                   std::to_string(it->second) + ")");
    }
    return *id;
  }

 private:
  std::map<std::string, int> lines_;
};

RichText OptionalText(const YamlMap& map, std::string_view key, bool inline_text) {
  const std::optional<YamlValue> value = map.Get(key);
  if (!value) return {};
  const std::optional<std::string> text = value->NonEmptyString();
  if (!text) return {};
  return inline_text ? MakeInlineRichText(*text) : MakeRichText(*text);
}

RichText RequiredText(const YamlMap& map, std::string_view key, bool inline_text) {
  const std::optional<YamlValue> value = map.Require(key);
  if (!value) return {};
  const std::optional<std::string> text = value->NonEmptyString();
  if (!text) return {};
  return inline_text ? MakeInlineRichText(*text) : MakeRichText(*text);
}

double Score(const YamlMap& map) {
  const std::optional<YamlValue> value = map.Get("score");
  if (!value) return 1;
  const std::optional<double> score = value->Number();
  if (!score) return 1;
  if (*score < 0 || *score > 1)
    value->Report("must be between 0 and 1, got " + FormatNumber(*score));
  return *score;
}

bool OptionalBool(const YamlMap& map, std::string_view key, bool fallback) {
  const std::optional<YamlValue> value = map.Get(key);
  if (!value) return fallback;
  return value->Bool().value_or(fallback);
}

domain::Scoring ReadScoring(const YamlMap& map) {
  const std::optional<YamlValue> value = map.Get("scoring");
  if (!value) return domain::Scoring::kPartial;
  const std::optional<std::string> name = value->String();
  if (!name) return domain::Scoring::kPartial;
  const std::optional<domain::Scoring> scoring = domain::ParseScoring(*name);
  if (!scoring) value->Report("must be partial or all_or_nothing, got '" + *name + "'");
  return scoring.value_or(domain::Scoring::kPartial);
}

// "0.001" absolute or "1%" relative.
domain::Tolerance ReadTolerance(const YamlValue& value) {
  if (value.node().IsScalar()) {
    const std::string& text = value.node().Scalar();
    const bool relative = !text.empty() && text.back() == '%';
    const std::optional<double> number = relative ? ParsePercent(text) : ParseNumber(text);
    if (number && *number >= 0) return {*number, relative};
    if (number) {
      value.Report("must not be negative, got '" + text + "'");
      return {};
    }
  }
  value.Report("must be a number or a percentage such as \"1%\"");
  return {};
}

// The items of a list that must have at least `minimum` entries.
std::vector<YamlValue> ListOf(const YamlValue& value, size_t minimum, std::string_view what) {
  std::optional<std::vector<YamlValue>> items = value.Items();
  if (!items) return {};
  if (items->size() < minimum) {
    value.Report("must list at least " + std::to_string(minimum) + " " + std::string(what));
  }
  return std::move(*items);
}

void RequireFullScore(const YamlValue& list, const std::vector<double>& scores) {
  if (!scores.empty() && std::find(scores.begin(), scores.end(), 1.0) == scores.end()) {
    list.Report("has no answer with score 1, so no answer could ever be fully correct");
  }
}

// ---- numeric ----------------------------------------------------------------------------------

domain::NumericAnswer ParseNumericAnswer(const YamlValue& value) {
  domain::NumericAnswer answer;
  const std::optional<YamlMap> map = YamlMap::From(value);
  if (!map) return answer;
  map->CheckKeys({"value", "tolerance", "range", "score", "feedback"});
  const std::optional<YamlValue> number = map->Get("value");
  const std::optional<YamlValue> range = map->Get("range");
  if (number && range) value.Report("has both 'value' and 'range'; give one of them");
  if (!number && !range) value.Report("needs a 'value' or a 'range'");
  if (number) answer.value = number->Number();
  if (const std::optional<YamlValue> tolerance = map->Get("tolerance")) {
    if (number) {
      answer.tolerance = ReadTolerance(*tolerance);
    } else {
      tolerance->Report("only applies to a 'value'");
    }
  }
  if (range && !number) {
    answer.range = range->NumberPair();
    if (answer.range && answer.range->first > answer.range->second) {
      range->Report("must have low <= high, got [" + FormatNumber(answer.range->first) + ", " +
                    FormatNumber(answer.range->second) + "]");
    }
  }
  answer.score = Score(*map);
  answer.feedback = OptionalText(*map, "feedback", false);
  return answer;
}

// The numeric fields of a numeric exercise or gap: `answer` (+ `tolerance`) or `answers`.
domain::Numeric ParseNumeric(const YamlMap& map, const YamlValue& where) {
  domain::Numeric numeric;
  const std::optional<YamlValue> answer = map.Get("answer");
  const std::optional<YamlValue> answers = map.Get("answers");
  if (answers) {
    if (answer) answer->Report("cannot be given together with 'answers'");
    if (const auto tolerance = map.Get("tolerance")) {
      tolerance->Report("cannot be given together with 'answers'; give each answer its own");
    }
    std::vector<double> scores;
    for (const YamlValue& item : ListOf(*answers, 1, "answer")) {
      numeric.answers.push_back(ParseNumericAnswer(item));
      scores.push_back(numeric.answers.back().score);
    }
    RequireFullScore(*answers, scores);
    return numeric;
  }
  if (!answer) {
    where.Report("needs 'answer' (with an optional 'tolerance') or 'answers'");
    return numeric;
  }
  domain::NumericAnswer single;
  single.value = answer->Number();
  if (const auto tolerance = map.Get("tolerance")) single.tolerance = ReadTolerance(*tolerance);
  numeric.answers.push_back(std::move(single));
  return numeric;
}

// ---- short text -------------------------------------------------------------------------------

domain::TextAnswer ParseTextAnswer(const YamlValue& value) {
  domain::TextAnswer answer;
  if (value.node().IsScalar()) {
    answer.text = value.NonEmptyString().value_or("");
    return answer;
  }
  if (!value.node().IsMap()) {
    value.Report("must be a string or a mapping with 'text' or 'regex'");
    return answer;
  }
  const std::optional<YamlMap> map = YamlMap::From(value);
  map->CheckKeys({"text", "regex", "score", "feedback"});
  const std::optional<YamlValue> text = map->Get("text");
  const std::optional<YamlValue> regex = map->Get("regex");
  if (text && regex) value.Report("has both 'text' and 'regex'; give one of them");
  if (!text && !regex) value.Report("needs a 'text' or a 'regex'");
  if (text) answer.text = text->NonEmptyString().value_or("");
  if (regex && !text) {
    answer.regex = regex->NonEmptyString().value_or("");
    if (!answer.regex.empty()) {
      // The grader's own engine decides what a pattern may use (no backreferences or
      // lookaround: matching must stay linear), so import checks with the same engine.
      if (auto compiled = domain::CompilePattern(answer.regex); !compiled.ok()) {
        regex->Report("is not a pattern the grader can use: " + compiled.error().message);
      }
    }
  }
  answer.score = Score(*map);
  answer.feedback = OptionalText(*map, "feedback", false);
  return answer;
}

domain::ShortText ParseShortText(const YamlMap& map) {
  domain::ShortText short_text;
  if (const std::optional<YamlValue> answers = map.Require("answers")) {
    std::vector<double> scores;
    for (const YamlValue& item : ListOf(*answers, 1, "answer")) {
      short_text.answers.push_back(ParseTextAnswer(item));
      scores.push_back(short_text.answers.back().score);
    }
    RequireFullScore(*answers, scores);
  }
  short_text.case_sensitive = OptionalBool(map, "case_sensitive", false);
  if (const std::optional<YamlValue> accents = map.Get("accents")) {
    const std::string name = accents->String().value_or("");
    if (name == "strict") {
      short_text.accents_strict = true;
    } else if (name != "ignore") {
      accents->Report("must be ignore or strict, got '" + name + "'");
    }
  }
  return short_text;
}

// ---- choice, ordering, matching ---------------------------------------------------------------

std::vector<domain::ChoiceOption> ParseOptions(const YamlMap& map, IdSet& ids) {
  std::vector<domain::ChoiceOption> options;
  const std::optional<YamlValue> list = map.Require("options");
  if (!list) return options;
  for (const YamlValue& item : ListOf(*list, 2, "options")) {
    const std::optional<YamlMap> option_map = YamlMap::From(item);
    if (!option_map) continue;
    option_map->CheckKeys({"id", "text", "correct", "score", "feedback"});
    domain::ChoiceOption option;
    if (const auto id = option_map->Require("id")) option.id = ids.Read(*id);
    option.text = RequiredText(*option_map, "text", true);
    option.correct = OptionalBool(*option_map, "correct", false);
    if (const std::optional<YamlValue> score = option_map->Get("score")) {
      if (const std::optional<double> value = score->Number()) {
        if (*value < -1 || *value > 1) {
          score->Report("must be between -1 and 1, got " + FormatNumber(*value));
        }
        option.score = *value;
      }
    }
    option.feedback = OptionalText(*option_map, "feedback", false);
    options.push_back(std::move(option));
  }
  return options;
}

// The option scores of a single choice: weights of partly right options, never on the correct
// one (which scores 1).
void CheckSingleChoiceScores(const YamlMap& map, const std::vector<domain::ChoiceOption>& options) {
  const std::optional<YamlValue> list = map.Get("options");
  const std::optional<std::vector<YamlValue>> items = list ? list->Items() : std::nullopt;
  if (!items || items->size() != options.size()) return;
  for (size_t i = 0; i < options.size(); ++i) {
    const domain::ChoiceOption& option = options[i];
    if (!option.score || *option.score < -1 || *option.score > 1) continue;  // reported
    const std::optional<YamlValue> score = YamlMap::From((*items)[i])->Get("score");
    if (option.correct) {
      score->Report("must be left out on the correct option, which always scores 1");
    } else if (*option.score >= 1) {
      score->Report("of 1 makes the option fully correct; mark it correct: true instead");
    }
  }
}

// With option scores, a multiple choice is scored by weights: the correct options are exactly the
// ones with a positive score (`correct` may be left out on them), and the positive scores must add
// up to a full score.
void CheckMultipleChoiceScores(const YamlMap& map, std::vector<domain::ChoiceOption>& options,
                               domain::Scoring scoring) {
  const std::optional<YamlValue> list = map.Get("options");
  const std::optional<std::vector<YamlValue>> items = list ? list->Items() : std::nullopt;
  const bool weighted =
      std::any_of(options.begin(), options.end(),
                  [](const domain::ChoiceOption& o) { return o.score.has_value(); });
  if (!weighted || !items || items->size() != options.size()) return;
  if (scoring == domain::Scoring::kAllOrNothing) {
    map.Get("scoring")->Report("cannot be all_or_nothing when options have scores");
  }
  double positive = 0;
  for (size_t i = 0; i < options.size(); ++i) {
    domain::ChoiceOption& option = options[i];
    const double score = option.score.value_or(0);
    positive += std::max(0.0, score);
    const std::optional<YamlMap> option_map = YamlMap::From((*items)[i]);
    const std::optional<YamlValue> correct = option_map->Get("correct");
    if (!correct) {
      option.correct = score > 0;
    } else if (option.correct != (score > 0)) {
      correct->Report(option.correct ? "needs a positive 'score' when the other options have scores"
                                     : "cannot be false on an option with a positive score");
    }
  }
  // Within 1e-6, as the grader counts it: three options of 33.33333 % make a full score.
  if (positive < 1 - 1e-6) {
    list->Report("has positive scores that add up to " + FormatNumber(positive) +
                 "; they must add up to at least 1, or no answer could be fully correct");
  }
}

size_t CountCorrect(const std::vector<domain::ChoiceOption>& options) {
  return static_cast<size_t>(std::count_if(
      options.begin(), options.end(), [](const domain::ChoiceOption& o) { return o.correct; }));
}

domain::Item ParseItem(const YamlValue& value, IdSet& ids) {
  domain::Item item;
  const std::optional<YamlMap> map = YamlMap::From(value);
  if (!map) return item;
  map->CheckKeys({"id", "text"});
  if (const auto id = map->Require("id")) item.id = ids.Read(*id);
  item.text = RequiredText(*map, "text", true);
  return item;
}

domain::Matching ParseMatching(const YamlMap& map, IdSet& ids) {
  domain::Matching matching;
  if (const std::optional<YamlValue> pairs = map.Require("pairs")) {
    for (const YamlValue& value : ListOf(*pairs, 1, "pair")) {
      const std::optional<YamlMap> pair_map = YamlMap::From(value);
      if (!pair_map) continue;
      pair_map->CheckKeys({"left", "right"});
      domain::MatchingPair pair;
      if (const auto left = pair_map->Require("left")) pair.left = ParseItem(*left, ids);
      if (const auto right = pair_map->Require("right")) pair.right = ParseItem(*right, ids);
      matching.pairs.push_back(std::move(pair));
    }
  }
  if (const std::optional<YamlValue> distractors = map.Get("distractors")) {
    for (const YamlValue& value : ListOf(*distractors, 0, "")) {
      matching.distractors.push_back(ParseItem(value, ids));
    }
  }
  return matching;
}

// ---- cloze ------------------------------------------------------------------------------------

domain::ChoiceGap ParseChoiceGap(const YamlMap& map) {
  domain::ChoiceGap gap;
  if (const std::optional<YamlValue> options = map.Require("options")) {
    gap.options = options->StringList().value_or(std::vector<std::string>{});
    if (options->node().IsSequence() && options->node().size() < 2) {
      options->Report("must list at least 2 options");
    }
    std::set<std::string> seen;
    for (const std::string& option : gap.options) {
      if (!seen.insert(option).second) options->Report("lists '" + option + "' twice");
    }
  }
  if (const std::optional<YamlValue> answer = map.Require("answer")) {
    gap.answer = answer->NonEmptyString().value_or("");
    const bool listed =
        std::find(gap.options.begin(), gap.options.end(), gap.answer) != gap.options.end();
    if (!gap.answer.empty() && !gap.options.empty() && !listed) {
      answer->Report("must be one of the gap's options, got '" + gap.answer + "'");
    }
  }
  return gap;
}

domain::ClozeGap ParseGap(const YamlValue& value) {
  domain::ClozeGap gap;
  const std::optional<YamlMap> map = YamlMap::From(value);
  if (!map) return gap;
  const std::optional<YamlValue> type_value = map->Require("type");
  const std::string type = type_value ? type_value->String().value_or("") : "";
  if (type == "numeric") {
    map->CheckKeys({"type", "answer", "tolerance", "answers"});
    gap.spec = ParseNumeric(*map, value);
  } else if (type == "short_text") {
    map->CheckKeys({"type", "answers", "case_sensitive", "accents"});
    gap.spec = ParseShortText(*map);
  } else if (type == "choice") {
    map->CheckKeys({"type", "options", "answer"});
    gap.spec = ParseChoiceGap(*map);
  } else if (type_value) {
    type_value->Report("must be numeric, short_text or choice, got '" + type + "'");
  }
  return gap;
}

// The numbers n of the {{n}} markers in `prompt`, in order.
std::vector<int> GapMarkers(std::string_view prompt) {
  static const std::regex kMarker(R"(\{\{([0-9]{1,4})\}\})");
  std::vector<int> markers;
  const std::string text(prompt);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kMarker);
       it != std::sregex_iterator(); ++it) {
    markers.push_back(std::stoi((*it)[1].str()));
  }
  return markers;
}

void CheckGapMarkers(const YamlValue& prompt, const std::string& markdown, size_t gap_count) {
  const std::vector<int> markers = GapMarkers(markdown);
  if (markers.size() != gap_count) {
    prompt.Report("has " + std::to_string(markers.size()) + " gap markers ({{1}}, {{2}}, …) but " +
                  "'gaps' lists " + std::to_string(gap_count) + " gaps");
    return;
  }
  for (size_t i = 0; i < markers.size(); ++i) {
    if (markers[i] != static_cast<int>(i + 1)) {
      prompt.Report("must number its gap markers {{1}}, {{2}}, … in order, found {{" +
                    std::to_string(markers[i]) + "}} where {{" + std::to_string(i + 1) +
                    "}} was expected");
      return;
    }
  }
}

// ---- formula ----------------------------------------------------------------------------------

bool IsVariableName(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!letter(name.front())) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return letter(c) || digit(c) || c == '_'; });
}

domain::Formula ParseFormula(const YamlMap& map) {
  domain::Formula formula;
  const std::optional<YamlValue> answer = map.Require("answer");
  if (answer) formula.answer = answer->NonEmptyString().value_or("");
  if (const std::optional<YamlValue> variables = map.Get("variables")) {
    if (const std::optional<YamlMap> variable_map = YamlMap::From(*variables)) {
      for (const auto& [name, interval] : variable_map->Fields()) {
        if (!IsVariableName(name)) {
          interval.Report("is not a valid variable name (a letter, then letters, digits or _)");
        } else if (kFormulaReserved.count(name) != 0) {
          interval.Report("is a function or constant name and cannot be a variable");
        }
        domain::FormulaVariable variable{name};
        if (const auto bounds = interval.NumberPair()) {
          variable.low = bounds->first;
          variable.high = bounds->second;
          if (!(variable.low < variable.high)) {
            interval.Report("must have low < high, got [" + FormatNumber(variable.low) + ", " +
                            FormatNumber(variable.high) + "]");
          }
        }
        formula.variables.push_back(std::move(variable));
      }
    }
  }
  if (const std::optional<YamlValue> samples = map.Get("samples")) {
    const std::optional<std::int64_t> count = samples->Integer();
    if (count && (*count < 1 || *count > kMaxSamples)) {
      samples->Report("must be between 1 and " + std::to_string(kMaxSamples));
    } else if (count) {
      formula.samples = static_cast<int>(*count);
    }
  }
  if (const std::optional<YamlValue> tolerance = map.Get("tolerance")) {
    const std::optional<double> value = tolerance->Number();
    if (value && *value < 0) tolerance->Report("must not be negative");
    if (value) formula.tolerance = *value;
  }
  if (answer && !formula.answer.empty()) {
    // The key must parse with the declared variables, or every learner's answer would fail.
    std::vector<std::string> names;
    for (const domain::FormulaVariable& variable : formula.variables)
      names.push_back(variable.name);
    if (auto parsed = domain::Expression::Parse(formula.answer, names); !parsed.ok()) {
      answer->Report("is not a formula the grader can read: " + parsed.error().message);
    }
  }
  return formula;
}

// ---- the exercise -----------------------------------------------------------------------------

domain::ExerciseSpec ParseSpec(domain::ExerciseType type, const YamlMap& map, const YamlValue& root,
                               const std::optional<YamlValue>& prompt,
                               const std::string& prompt_markdown) {
  using domain::ExerciseType;
  IdSet ids;
  switch (type) {
    case ExerciseType::kSingleChoice: {
      map.CheckKeys(WithCommonKeys({"options", "shuffle"}));
      domain::SingleChoice spec{ParseOptions(map, ids), OptionalBool(map, "shuffle", true)};
      const size_t correct = CountCorrect(spec.options);
      if (spec.options.size() >= 2 && correct != 1) {
        map.Get("options")->Report("must have exactly one option with correct: true, found " +
                                   std::to_string(correct));
      }
      CheckSingleChoiceScores(map, spec.options);
      return spec;
    }
    case ExerciseType::kMultipleChoice: {
      map.CheckKeys(WithCommonKeys({"options", "scoring", "shuffle"}));
      domain::MultipleChoice spec{ParseOptions(map, ids), ReadScoring(map),
                                  OptionalBool(map, "shuffle", true)};
      CheckMultipleChoiceScores(map, spec.options, spec.scoring);
      if (spec.options.size() >= 2 && CountCorrect(spec.options) == 0) {
        map.Get("options")->Report("must have at least one option with correct: true");
      }
      return spec;
    }
    case ExerciseType::kTrueFalse: {
      map.CheckKeys(WithCommonKeys({"answer", "true_feedback", "false_feedback"}));
      domain::TrueFalse spec;
      if (const auto answer = map.Require("answer")) spec.answer = answer->Bool().value_or(true);
      spec.true_feedback = OptionalText(map, "true_feedback", false);
      spec.false_feedback = OptionalText(map, "false_feedback", false);
      return spec;
    }
    case ExerciseType::kNumeric:
      map.CheckKeys(WithCommonKeys({"answer", "tolerance", "answers"}));
      return ParseNumeric(map, root);
    case ExerciseType::kShortText:
      map.CheckKeys(WithCommonKeys({"answers", "case_sensitive", "accents"}));
      return ParseShortText(map);
    case ExerciseType::kCloze: {
      map.CheckKeys(WithCommonKeys({"gaps"}));
      domain::Cloze spec;
      if (const std::optional<YamlValue> gaps = map.Require("gaps")) {
        for (const YamlValue& gap : ListOf(*gaps, 1, "gap")) spec.gaps.push_back(ParseGap(gap));
        if (prompt && gaps->node().IsSequence()) {
          CheckGapMarkers(*prompt, prompt_markdown, spec.gaps.size());
        }
      }
      return spec;
    }
    case ExerciseType::kOrdering: {
      map.CheckKeys(WithCommonKeys({"items", "scoring"}));
      domain::Ordering spec;
      if (const std::optional<YamlValue> items = map.Require("items")) {
        for (const YamlValue& item : ListOf(*items, 2, "items")) {
          spec.items.push_back(ParseItem(item, ids));
        }
      }
      spec.scoring = ReadScoring(map);
      return spec;
    }
    case ExerciseType::kMatching:
      map.CheckKeys(WithCommonKeys({"pairs", "distractors"}));
      return ParseMatching(map, ids);
    case ExerciseType::kFormula:
      map.CheckKeys(WithCommonKeys({"answer", "variables", "samples", "tolerance"}));
      return ParseFormula(map);
    case ExerciseType::kEssay:
      map.CheckKeys(WithCommonKeys({}));
      return domain::Essay{};
  }
  return {};
}

std::optional<domain::ExerciseType> ReadType(const YamlMap& map) {
  const std::optional<YamlValue> value = map.Require("type");
  if (!value) return std::nullopt;
  const std::optional<std::string> name = value->String();
  if (!name) return std::nullopt;
  const std::optional<domain::ExerciseType> type = domain::ParseExerciseType(*name);
  if (!type) {
    std::vector<std::string_view> names;
    for (int i = 0; i < domain::kExerciseTypeCount; ++i) {
      names.push_back(domain::ToString(static_cast<domain::ExerciseType>(i)));
    }
    std::string message = "must be one of the ten exercise types, got unknown type '" + *name + "'";
    if (const auto suggestion = SuggestKey(*name, names)) {
      message += " (did you mean '" + std::string(*suggestion) + "'?)";
    }
    value->Report(message);
  }
  return type;
}

}  // namespace

std::optional<ParsedExercise> ParseExercise(const std::string& yaml, const YamlSource& source) {
  const std::optional<YAML::Node> document = LoadYaml(yaml, source);
  if (!document) return std::nullopt;
  return ParseExerciseNode(*document, source);
}

std::optional<ParsedExercise> ParseExerciseNode(const YAML::Node& node, const YamlSource& source) {
  const size_t problems_before = source.problems->count();
  const YamlValue root(node, source.LineOf(node.Mark(), source.first_line), "", &source);
  if (!node.IsMap()) {
    root.Report("block must be a mapping of fields (id, type, prompt, …)");
    return std::nullopt;
  }
  const std::optional<YamlMap> map = YamlMap::From(root);

  ParsedExercise parsed;
  domain::Exercise& exercise = parsed.exercise;
  if (const std::optional<YamlValue> id = map->Require("id")) {
    parsed.id_line = id->line();
    exercise.id = id->String().value_or("");
    if (id->node().IsScalar() && !domain::IsValidSlug(exercise.id)) {
      id->Report("must match [a-z0-9-]{1,64}, got '" + exercise.id + "'");
    }
  } else {
    parsed.id_line = root.line();
  }
  const std::optional<domain::ExerciseType> type = ReadType(*map);
  const std::optional<YamlValue> prompt = map->Require("prompt");
  if (prompt) {
    if (const std::optional<std::string> text = prompt->NonEmptyString()) {
      exercise.prompt = MakeRichText(*text);
    }
  }
  if (const std::optional<YamlValue> hints = map->Get("hints")) {
    for (const std::string& hint : hints->StringList().value_or(std::vector<std::string>{})) {
      exercise.hints.push_back(MakeInlineRichText(hint));
    }
  }
  exercise.explanation = OptionalText(*map, "explanation", false);
  if (const std::optional<YamlValue> max_attempts = map->Get("max_attempts")) {
    const std::optional<std::int64_t> count = max_attempts->Integer();
    if (count && (*count < 1 || *count > std::numeric_limits<int>::max())) {
      max_attempts->Report("must be a positive whole number, got " + std::to_string(*count));
    } else if (count) {
      exercise.max_attempts = static_cast<int>(*count);
    }
  }
  if (const std::optional<YamlValue> penalty = map->Get("penalty")) {
    const std::optional<double> value = penalty->Number();
    if (value && (*value < 0 || *value > 1)) {
      penalty->Report("must be between 0 and 1, got " + FormatNumber(*value));
    } else if (value) {
      exercise.penalty = *value;
    }
  }
  if (const std::optional<YamlValue> tags = map->Get("tags")) {
    exercise.tags = tags->StringList().value_or(std::vector<std::string>{});
  }
  if (type) exercise.spec = ParseSpec(*type, *map, root, prompt, exercise.prompt.markdown);

  if (source.problems->count() != problems_before) return std::nullopt;
  return parsed;
}

}  // namespace practica::content
