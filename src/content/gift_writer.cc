// WriteGift: each exercise in the form ParseGift reads back as the same exercise — Markdown
// texts under a [markdown] tag, weights as Moodle writes them — and a problem for whatever has
// no GIFT form.
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "common/text.h"
#include "content/gift.h"
#include "content/gift_syntax.h"
#include "content/numbers.h"

namespace practica::content {
namespace {

using Kind = GiftProblem::Kind;

bool IsRegexSyntax(char c) {
  return std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos;
}

std::string Trimmed(std::string_view text) { return std::string(TrimWhitespace(text)); }

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A Markdown text inside an answer block; a text that would read as a format tag or a weight is
// marked as Markdown first.
std::string Text(std::string_view markdown) {
  const std::string escaped = gift::EscapeGift(Trimmed(markdown));
  if (escaped.starts_with('[') || escaped.starts_with('%')) return "[markdown]" + escaped;
  return escaped;
}

// Characters of a short answer compared as typed: GIFT's escapes, and `\*` for a star (a `*` is a
// wildcard).
std::string AnswerCharacters(std::string_view text) {
  std::string out;
  for (char c : text) out += c == '*' ? std::string("\\*") : gift::EscapeGift(std::string(1, c));
  return out;
}

// A short answer; one that would read as a format tag or a weight is marked [plain] first (the
// tag is dropped from an answer, which is compared as typed).
std::string ShortAnswer(std::string text) {
  if (text.starts_with('[') || text.starts_with('%')) return "[plain]" + text;
  return text;
}

// A pattern made only of literal characters and `.*` (what ParseGift makes of a wildcard) as a
// Moodle wildcard answer; nullopt for any other pattern.
std::optional<std::string> WildcardAnswer(std::string_view pattern) {
  std::string literal_run;
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '.' && i + 1 < pattern.size() && pattern[i + 1] == '*') {
      out += AnswerCharacters(literal_run) + "*";
      literal_run.clear();
      ++i;
    } else if (c == '\\' && i + 1 < pattern.size() && IsRegexSyntax(pattern[i + 1])) {
      literal_run += pattern[++i];
    } else if (IsRegexSyntax(c)) {
      return std::nullopt;
    } else {
      literal_run += c;
    }
  }
  return ShortAnswer(out + AnswerCharacters(literal_run));
}

std::string Weight(double fraction) { return Concat({"%", gift::FormatWeight(fraction), "%"}); }

// Moodle writes weights of equal shares rounded to five decimals (33.33333); ParseGift reads such
// a pattern back as Practica's partial scoring.
std::string Share(double fraction) {
  const double rounded = std::round(fraction * 1e7) / 1e5;
  return Concat({"%", FormatNumber(rounded), "%"});
}

class Writer {
 public:
  void Entry(const GiftEntry& entry) {
    if (!category_ || *category_ != entry.category) {
      if (category_ || !entry.category.empty()) {
        out_ += entry.category.empty() ? "$CATEGORY:\n\n" : "$CATEGORY: " + entry.category + "\n\n";
      }
      category_ = entry.category;
    }
    if (entry.exercise) {
      if (std::optional<std::string> text = Question(*entry.exercise)) out_ += *text + "\n\n";
    } else if (!entry.description.empty()) {
      out_ += "[markdown]" + gift::EscapeGift(Trimmed(entry.description.markdown)) + "\n\n";
    }
  }

  GiftText Finish() {
    while (out_.ends_with("\n\n")) out_.pop_back();
    return {std::move(out_), std::move(problems_)};
  }

 private:
  void Problem(Kind kind, const std::string& exercise, std::string message) {
    problems_.push_back({kind, 0, exercise, std::move(message)});
  }
  void Lost(const std::string& exercise, std::string what) {
    Problem(Kind::kUnsupported, exercise, "GIFT has no field for " + what + "; it is left out");
  }

  std::optional<std::string> Question(const domain::Exercise& e);
  std::optional<std::vector<std::string>> NumericAnswers(const domain::Numeric& numeric,
                                                         const std::string& id);
  std::optional<std::vector<std::string>> ShortAnswers(const domain::ShortText& short_text,
                                                       const std::string& id);

  std::string out_;
  std::optional<std::string> category_;
  std::vector<GiftProblem> problems_;
};

std::optional<std::vector<std::string>> Writer::NumericAnswers(const domain::Numeric& numeric,
                                                               const std::string& id) {
  std::vector<std::string> answers;
  for (size_t i = 0; i < numeric.answers.size(); ++i) {
    const domain::NumericAnswer& answer = numeric.answers[i];
    const std::string feedback =
        answer.feedback.empty() ? "" : Concat({"#", Text(answer.feedback.markdown)});
    const bool catch_all =
        answer.range && gift::IsCatchAll(answer.range->first, answer.range->second);
    if (answer.value && answer.range) {
      Problem(Kind::kUnsupported, id,
              "a numeric answer with both a value and a range has no "
              "GIFT form");
      return std::nullopt;
    }
    if (catch_all && answer.score == 0 && i + 1 == numeric.answers.size()) {
      answers.push_back("~#" + Text(answer.feedback.markdown));
      continue;
    }
    std::string text = "=";
    if (answer.score != 1) text += Weight(answer.score);
    if (catch_all) {
      text += "*";
    } else if (answer.range) {
      text += FormatNumber(answer.range->first) + ".." + FormatNumber(answer.range->second);
    } else {
      text += FormatNumber(*answer.value);
      double tolerance = answer.tolerance.value;
      if (answer.tolerance.relative) {
        tolerance *= std::fabs(*answer.value);
        Problem(Kind::kNote, id,
                "the tolerance " + FormatPercent(answer.tolerance.value) + " of " +
                    FormatNumber(*answer.value) + " is written as the same absolute tolerance, " +
                    FormatNumber(tolerance) + " (GIFT has no relative one)");
      }
      if (tolerance != 0) text += ":" + FormatNumber(tolerance);
    }
    answers.push_back(text + feedback);
  }
  // One plain answer needs no '=': {#5:0.1}.
  if (answers.size() == 1 && answers[0].starts_with('=') &&
      answers[0].find('#') == std::string::npos && answers[0].find('%') == std::string::npos) {
    answers[0].erase(0, 1);
  }
  return answers;
}

std::optional<std::vector<std::string>> Writer::ShortAnswers(const domain::ShortText& short_text,
                                                             const std::string& id) {
  if (short_text.case_sensitive) Lost(id, "case_sensitive: true");
  if (short_text.accents_strict) Lost(id, "accents: strict");
  std::vector<std::string> answers;
  for (const domain::TextAnswer& answer : short_text.answers) {
    std::optional<std::string> text;
    if (!answer.regex.empty()) {
      text = WildcardAnswer(answer.regex);
      if (!text) {
        Problem(Kind::kUnsupported, id,
                "the pattern '" + answer.regex + "' is no GIFT wildcard answer (only * is)");
        return std::nullopt;
      }
    } else {
      text = ShortAnswer(AnswerCharacters(answer.text));
    }
    std::string line = "=";
    if (answer.score != 1) line += Weight(answer.score);
    line += *text;
    if (!answer.feedback.empty()) line += Concat({"#", Text(answer.feedback.markdown)});
    // Its feedback too: GIFT reads any '=' answer block with '->' in it as a matching question.
    if (line.find("->") != std::string::npos) {
      Problem(Kind::kUnsupported, id,
              "a short answer or its feedback with '->' would read as a matching question in "
              "GIFT");
      return std::nullopt;
    }
    answers.push_back(std::move(line));
  }
  return answers;
}

std::optional<std::string> Writer::Question(const domain::Exercise& e) {
  const std::string& id = e.id;
  std::string head = "// [id:" + id + "]";
  for (const std::string& tag : e.tags) {
    std::string escaped;
    for (char c : tag) escaped += c == ']' ? std::string("\\]") : std::string(1, c);
    head += " [tag:" + escaped + "]";
  }
  head += "\n::" + id + "::[markdown]";
  if (!e.hints.empty()) Lost(id, "hints");
  if (e.max_attempts) Lost(id, "max_attempts");
  if (e.penalty != 0) Lost(id, "penalty");
  const std::string general = e.explanation.empty() ? "" : "####" + Text(e.explanation.markdown);

  // The answers one a line, as Moodle writes them; `start` opens the block ("#" for numbers).
  const auto block = [&](const std::vector<std::string>& answers, std::string_view start) {
    std::string text = "{" + std::string(start) + "\n";
    for (const std::string& answer : answers) text += "\t" + answer + "\n";
    if (!general.empty()) text += "\t" + general + "\n";
    return text + "}";
  };
  const std::string prompt = gift::EscapeGift(Trimmed(e.prompt.markdown));

  return std::visit(
      [&](const auto& spec) -> std::optional<std::string> {
        using T = std::decay_t<decltype(spec)>;
        if constexpr (std::is_same_v<T, domain::SingleChoice> ||
                      std::is_same_v<T, domain::MultipleChoice>) {
          if (!spec.shuffle) Lost(id, "shuffle: false");
          constexpr bool kSingle = std::is_same_v<T, domain::SingleChoice>;
          bool weighted = kSingle;
          size_t correct = 0;
          for (const domain::ChoiceOption& option : spec.options) {
            weighted = weighted || option.score.has_value();
            correct += option.correct ? 1 : 0;
          }
          if constexpr (!kSingle) {
            if (!weighted && spec.scoring == domain::Scoring::kAllOrNothing) {
              Problem(Kind::kUnsupported, id,
                      "all_or_nothing scoring has no GIFT form (Moodle adds up weights)");
              return std::nullopt;
            }
          }
          std::vector<std::string> answers;
          for (const domain::ChoiceOption& option : spec.options) {
            std::string answer;
            if (kSingle && option.correct) {
              answer = "=";
            } else if (weighted) {
              const double score = option.score.value_or(0);
              answer = score == 0 ? "~" : Concat({"~", Weight(score)});
            } else {
              // Practica's partial scoring as Moodle weights: ±1/k for k right options.
              const double share = 1.0 / static_cast<double>(std::max<size_t>(correct, 1));
              answer = Concat({"~", Share(option.correct ? share : -share)});
            }
            answer += Text(option.text.markdown);
            if (!option.feedback.empty()) answer += Concat({"#", Text(option.feedback.markdown)});
            answers.push_back(std::move(answer));
          }
          return head + prompt + block(answers, "");
        } else if constexpr (std::is_same_v<T, domain::TrueFalse>) {
          const domain::RichText& right = spec.answer ? spec.true_feedback : spec.false_feedback;
          const domain::RichText& wrong = spec.answer ? spec.false_feedback : spec.true_feedback;
          std::string answer = spec.answer ? "TRUE" : "FALSE";
          if (!wrong.empty() || !right.empty()) answer += "#" + Text(wrong.markdown);
          if (!right.empty()) answer += "#" + Text(right.markdown);
          return head + prompt + "{" + answer + general + "}";
        } else if constexpr (std::is_same_v<T, domain::Numeric>) {
          std::optional<std::vector<std::string>> answers = NumericAnswers(spec, id);
          if (!answers) return std::nullopt;
          if (answers->size() == 1 && !answers->front().starts_with('=') &&
              !answers->front().starts_with('~')) {
            return head + prompt + "{#" + answers->front() + general + "}";
          }
          return head + prompt + block(*answers, "#");
        } else if constexpr (std::is_same_v<T, domain::ShortText>) {
          std::optional<std::vector<std::string>> answers = ShortAnswers(spec, id);
          if (!answers) return std::nullopt;
          return head + prompt + block(*answers, "");
        } else if constexpr (std::is_same_v<T, domain::Cloze>) {
          // GIFT's missing word: one gap, its answers where the gap is.
          const std::string& markdown = e.prompt.markdown;
          const size_t gap = markdown.find("{{1}}");
          if (spec.gaps.size() != 1 || gap == std::string::npos) {
            Problem(Kind::kUnsupported, id,
                    "a cloze with " + std::to_string(spec.gaps.size()) +
                        " gaps has no GIFT form (GIFT's missing word has one)");
            return std::nullopt;
          }
          std::optional<std::vector<std::string>> answers;
          std::string start;
          if (const auto* numeric = std::get_if<domain::Numeric>(&spec.gaps[0].spec)) {
            answers = NumericAnswers(*numeric, id);
            start = "#";
          } else if (const auto* short_text = std::get_if<domain::ShortText>(&spec.gaps[0].spec)) {
            answers = ShortAnswers(*short_text, id);
          } else {
            Problem(Kind::kUnsupported, id,
                    "a choice gap has no GIFT form (GIFT's missing-word choice is a "
                    "multiple-choice question)");
            return std::nullopt;
          }
          if (!answers) return std::nullopt;
          std::string inside = start;
          for (size_t i = 0; i < answers->size(); ++i) inside += (i > 0 ? " " : "") + (*answers)[i];
          const std::string_view text = markdown;
          std::string_view before = text.substr(0, gap);
          std::string_view after = text.substr(gap + 5);
          while (!before.empty() && IsBlank(before.front())) before.remove_prefix(1);
          while (!after.empty() && IsBlank(after.back())) after.remove_suffix(1);
          // Text after the answers is what makes a missing word: a gap at the very end gets an
          // escaped newline, which is text to GIFT and nothing to Markdown.
          const std::string rest = after.empty() ? "\\n" : gift::EscapeGift(after);
          return head + gift::EscapeGift(before) + "{" + inside + general + "}" + rest;
        } else if constexpr (std::is_same_v<T, domain::Matching>) {
          std::vector<std::string> answers;
          const auto item = [&](const domain::Item& i) -> std::optional<std::string> {
            if (i.text.markdown.find("->") != std::string::npos) {
              Problem(Kind::kUnsupported, id,
                      "a matching item with '->' cannot be written in "
                      "GIFT");
              return std::nullopt;
            }
            return Text(i.text.markdown);
          };
          for (const domain::MatchingPair& pair : spec.pairs) {
            const std::optional<std::string> left = item(pair.left);
            const std::optional<std::string> right = item(pair.right);
            if (!left || !right) return std::nullopt;
            answers.push_back("=" + *left + " -> " + *right);
          }
          for (const domain::Item& distractor : spec.distractors) {
            const std::optional<std::string> right = item(distractor);
            if (!right) return std::nullopt;
            answers.push_back("= -> " + *right);
          }
          return head + prompt + block(answers, "");
        } else if constexpr (std::is_same_v<T, domain::Essay>) {
          return head + prompt + "{" + general + "}";
        } else {
          static_assert(std::is_same_v<T, domain::Ordering> || std::is_same_v<T, domain::Formula>);
          Problem(Kind::kUnsupported, id,
                  std::string(e.type() == domain::ExerciseType::kOrdering ? "an " : "a ") +
                      std::string(domain::ToString(e.type())) + " exercise has no GIFT form");
          return std::nullopt;
        }
      },
      e.spec);
}

}  // namespace

GiftText WriteGift(const std::vector<GiftEntry>& entries) {
  Writer writer;
  for (const GiftEntry& entry : entries) writer.Entry(entry);
  return writer.Finish();
}

}  // namespace practica::content
