// Cloze: one answer string per gap, each graded by its gap's type; the score is the mean of the
// gap scores and each gap is a part "gap N" (1-based). A blank gap scores 0 without feedback, and
// so does a numeric gap whose text is not a number we can read (with feedback saying how to write
// one) — neither is an error, since a half-finished cloze is a normal thing to submit.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <variant>

#include "domain/grading/grader.h"
#include "domain/text_match.h"

namespace practica::domain::grading {
namespace {

constexpr std::string_view kUnreadableNumberHtml =
    "<p>This is not a number we can read. Write digits with a decimal point or comma and no "
    "thousands separators, such as 3.5, 3,5, -2 or 1e3.</p>";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads a number a learner typed into a gap (already trimmed): an optional sign (+, - or the
// Unicode minus −), digits with at most one decimal point or decimal comma ("3.5", "3,5", ".5",
// "5."), and an optional exponent ("1e3", "2.5E-2"). Nothing else is read: no thousands
// separators or inner spaces, no "inf" or "nan", nothing out of range. A comma followed by exactly
// three digits after one to three leading digits ("1,000", "12,345") is a thousands separator in
// English and a decimal comma elsewhere, so rather than guess, it is not read either.
std::optional<double> ReadNumber(std::string_view text) {
  constexpr std::string_view kUnicodeMinus = "\xe2\x88\x92";
  std::string ascii;
  size_t i = 0;
  if (text.starts_with(kUnicodeMinus)) {
    ascii = "-";
    i = kUnicodeMinus.size();
  } else if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    if (text[0] == '-') ascii = "-";
    i = 1;
  }
  const size_t integer_start = i;
  const auto digits = [&] {
    size_t count = 0;
    while (i < text.size() && IsDigit(text[i])) {
      ascii += text[i++];
      ++count;
    }
    return count;
  };
  const size_t integer_digits = digits();
  size_t fraction_digits = 0;
  bool decimal_comma = false;
  if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
    decimal_comma = text[i] == ',';
    ascii += '.';
    ++i;
    fraction_digits = digits();
  }
  if (integer_digits + fraction_digits == 0) return std::nullopt;
  bool exponent = false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ascii += 'e';
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ascii += text[i++];
    if (digits() == 0) return std::nullopt;
    exponent = true;
  }
  if (i != text.size()) return std::nullopt;
  const bool looks_like_thousands = decimal_comma && !exponent && fraction_digits == 3 &&
                                    integer_digits >= 1 && integer_digits <= 3 &&
                                    text[integer_start] != '0';
  if (looks_like_thousands) return std::nullopt;

  double value = 0;
  const auto [end, error] = std::from_chars(ascii.data(), ascii.data() + ascii.size(), value);
  if (error != std::errc() || end != ascii.data() + ascii.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

Result<Match> GradeGap(const Numeric& gap, std::string_view text, const std::string& /*field*/) {
  const std::optional<double> value = ReadNumber(text);
  if (!value) return Match{0, std::string(kUnreadableNumberHtml)};
  return MatchNumber(gap, *value);
}

Result<Match> GradeGap(const ShortText& gap, std::string_view text, const std::string& /*field*/) {
  return MatchText(gap, text);
}

// The client offers the gap's options, so anything else is a malformed answer, not a wrong one.
Result<Match> GradeGap(const ChoiceGap& gap, std::string_view text, const std::string& field) {
  if (std::find(gap.options.begin(), gap.options.end(), text) == gap.options.end()) {
    return InvalidAnswer(field, "is not one of the gap's options");
  }
  return Match{text == gap.answer ? 1.0 : 0.0, {}};
}

}  // namespace

Result<GradeResult> GradeSpec(const Cloze& spec, const Answer& answer,
                              const GradeContext& /*context*/) {
  const auto* texts = std::get_if<AnswerList>(&answer);
  if (texts == nullptr) return WrongShape("a list of texts, one per gap");
  if (texts->size() != spec.gaps.size()) {
    return InvalidAnswer("answer", "has " + std::to_string(texts->size()) +
                                       " entries but the exercise has " +
                                       std::to_string(spec.gaps.size()) + " gaps");
  }
  if (spec.gaps.empty()) return Error::Internal("cloze exercise without gaps");
  std::vector<PartResult> parts;
  double total = 0;
  for (size_t i = 0; i < spec.gaps.size(); ++i) {
    const std::string field = "answer[" + std::to_string(i) + "]";
    if (Status valid = CheckText((*texts)[i], field); !valid.ok()) return std::move(valid).error();
    const std::string text = CollapseWhitespace((*texts)[i]);
    Result<Match> match = Match{};
    if (!text.empty()) {
      match = std::visit([&](const auto& gap) { return GradeGap(gap, text, field); },
                         spec.gaps[i].spec);
      if (!match.ok()) return std::move(match).error();
    }
    total += match->score;
    parts.push_back(MakePart("gap " + std::to_string(i + 1), match->score, match->feedback_html));
  }
  return MakeResult(total / static_cast<double>(spec.gaps.size()), std::move(parts));
}

}  // namespace practica::domain::grading
