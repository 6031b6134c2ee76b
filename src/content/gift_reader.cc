// ParseGift: the file is cut into questions at blank lines (Moodle's rule), comment lines are set
// aside (for `[id:…]` and `[tag:…]`), and each question is read the way Moodle's importer reads it
// — title, answer block, general feedback, then the type from the answers' first characters —
// except that every mistake is reported at its line instead of guessed around.
#include <algorithm>
#include <cstdio>
#include <set>

#include "common/text.h"
#include "content/exercise_yaml.h"
#include "content/gift.h"
#include "content/gift_syntax.h"
#include "content/markdown.h"
#include "content/numbers.h"

namespace practica::content {
namespace {

using gift::FormatTag;
using gift::kNpos;
using gift::Marked;
using Kind = GiftProblem::Kind;

constexpr size_t kMaxGiftBytes = 8 * 1024 * 1024;
constexpr size_t kMaxQuestions = 10'000;
// Where the answers stood in a missing-word question while its text is converted: a private-use
// character, which no converter touches.
constexpr std::string_view kPlaceholder = "\xEE\x80\x80";
constexpr std::string_view kFormats = "GIFT knows [html], [moodle], [plain] and [markdown]";

// The problems of one question; whether it is kept depends on all of them.
class Report {
 public:
  void Error(int line, std::string message) { Add(Kind::kError, line, std::move(message)); }
  void Unsupported(int line, std::string message) {
    Add(Kind::kUnsupported, line, std::move(message));
  }
  void Note(int line, std::string message) { Add(Kind::kNote, line, std::move(message)); }
  bool Failed() const {
    return std::any_of(problems_.begin(), problems_.end(),
                       [](const GiftProblem& p) { return p.kind != Kind::kNote; });
  }
  std::vector<GiftProblem> Take() { return std::move(problems_); }

 private:
  void Add(Kind kind, int line, std::string message) {
    GiftProblem problem;
    problem.kind = kind;
    problem.line = line;
    problem.message = std::move(message);
    if (std::find(problems_.begin(), problems_.end(), problem) == problems_.end()) {
      problems_.push_back(std::move(problem));
    }
  }
  std::vector<GiftProblem> problems_;
};

// "[id:…]" and "[tag:…]" in a question's comment lines (Moodle 3.6 and later), "\]" standing
// for "]".
// A scan rather than std::regex: the comments come from an uploaded file, and libstdc++'s regex
// recurses once per character, so a long enough comment would overflow the stack.
std::vector<std::string> CommentValues(const std::string& comments, const std::string& key) {
  std::string opening = "[";
  opening += key;
  opening += ':';
  std::vector<std::string> values;
  size_t from = 0;
  while ((from = comments.find(opening, from)) != std::string::npos) {
    std::string value;
    size_t at = from + opening.size();
    bool closed = false;
    for (; at < comments.size() && comments[at] != '\n'; ++at) {
      if (comments[at] == '\\' && at + 1 < comments.size() && comments[at + 1] == ']') {
        value += ']';
        ++at;
      } else if (comments[at] == ']') {
        closed = true;
        break;
      } else {
        value += comments[at];
      }
    }
    if (!closed || value.empty()) {
      ++from;  // not a value: look for the next opening after this one
      continue;
    }
    from = at + 1;
    value = std::string(TrimWhitespace(value));
    if (!value.empty()) values.push_back(std::move(value));
  }
  return values;
}

// "$course$/top/Averages/Mean" → "Averages/Mean": Moodle's context and its top category are
// where a course's questions live anyway.
std::string CategoryName(std::string_view text) {
  std::string_view name = TrimWhitespace(text);
  if (name.starts_with('$')) {
    const size_t end = name.find("$/", 1);
    if (end != std::string_view::npos) name.remove_prefix(end + 2);
  }
  if (name == "top") return "";
  if (name.starts_with("top/")) name.remove_prefix(4);
  return std::string(TrimWhitespace(name));
}

bool IsRegexSyntax(char c) {
  return std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos;
}

// A short answer as written: `*` is Moodle's wildcard (any characters), `\*` a star.
domain::TextAnswer ShortAnswerText(const Marked& text) {
  std::string literal, pattern;
  bool wildcard = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text.at(i);
    const bool plain = !text.escaped(i);
    if (plain && c == '\\' && i + 1 < text.size() && text.at(i + 1) == '*' &&
        !text.escaped(i + 1)) {
      literal += '*';
      pattern += "\\*";
      ++i;
    } else if (plain && c == '*') {
      wildcard = true;
      pattern += ".*";
    } else {
      literal += c;
      if (IsRegexSyntax(c)) pattern += '\\';
      pattern += c;
    }
  }
  domain::TextAnswer answer;
  if (wildcard) {
    answer.regex = pattern;
  } else {
    answer.text = literal;
  }
  return answer;
}

// Splits answers at each marker character that is not escaped ('=' and '~'); every piece but the
// first starts with its marker.
std::vector<Marked> SplitAnswers(const Marked& answers, std::string_view markers) {
  std::vector<Marked> pieces;
  size_t start = 0;
  for (size_t i = 0; i < answers.size(); ++i) {
    if (!answers.escaped(i) && markers.find(answers.at(i)) != std::string_view::npos) {
      pieces.push_back(answers.Sub(start, i));
      start = i;
    }
  }
  pieces.push_back(answers.Sub(start));
  return pieces;
}

struct Weighted {
  std::optional<double> weight;  // as a fraction, -1..1
  Marked rest;
  bool bad = false;
};

// A leading "%50%" weight.
Weighted ReadWeight(const Marked& body, Report& report) {
  Weighted result{std::nullopt, body, false};
  if (!body.StartsWith("%")) return result;
  const size_t close = body.Find("%", 1);
  if (close == kNpos || close > 24) return result;
  const std::string content = body.text().substr(1, close - 1);
  if (content.empty() || content.find_first_of(" \t\n") != std::string::npos) return result;
  const std::optional<double> fraction = ParsePercent(content + "%");
  if (!fraction) {
    report.Error(body.line(), "'%" + content + "%' is not a weight: write a percentage such as " +
                                  "%50% or %-25%");
    result.bad = true;
  } else if (*fraction < -1 || *fraction > 1) {
    report.Error(body.line(), "the weight %" + content + "% is outside -100% to 100%");
    result.bad = true;
  }
  result.weight = fraction;
  result.rest = body.Sub(close + 1);
  return result;
}

struct WithFeedback {
  Marked text;
  Marked feedback;
};

// "answer#feedback": the first '#' that is not escaped divides them.
WithFeedback SplitFeedback(const Marked& body) {
  const size_t hash = body.Find("#");
  if (hash == kNpos) return {body.Trim(), body.Sub(body.size())};
  return {body.Sub(0, hash).Trim(), body.Sub(hash + 1).Trim()};
}

// Built by appending: GCC 12 at -O3 warns falsely (-Wrestrict) on `"literal" + std::string`.
std::string ItemId(char side, size_t n) {
  std::string id(1, side);
  id += std::to_string(n);
  return id;
}

std::string OptionId(size_t i) {
  if (i < 26) return std::string(1, static_cast<char>('a' + i));
  std::string id = "o";
  id += std::to_string(i + 1);
  return id;
}

// Reads the questions of one file into `file`.
class Reader {
 public:
  explicit Reader(GiftFile& file) : file_(file) {}

  void SetCategory(std::string name) { category_ = std::move(name); }

  void Question(const Marked& text, const std::string& comments) {
    Report report;
    std::optional<GiftEntry> entry = Read(text, comments, report);
    const bool failed = report.Failed();
    for (GiftProblem& problem : report.Take()) file_.problems.push_back(std::move(problem));
    if (!entry || failed) return;
    entry->category = category_;
    if (!category_.empty() && std::find(file_.categories.begin(), file_.categories.end(),
                                        category_) == file_.categories.end()) {
      file_.categories.push_back(category_);
    }
    file_.entries.push_back(std::move(*entry));
  }

 private:
  // A piece of text as Markdown: a format tag at its start overrides `format`.
  static std::optional<std::string> Markdown(const Marked& piece, SourceFormat format,
                                             Report& report) {
    Marked text = piece.Trim();
    const FormatTag tag = gift::ReadFormatTag(text);
    if (tag.result == FormatTag::Result::kUnknown) {
      report.Error(text.line(), "unknown format [" + tag.name + "]: " + std::string(kFormats));
      return std::nullopt;
    }
    if (tag.result == FormatTag::Result::kKnown) {
      format = tag.format;
      text = text.Sub(tag.length).Trim();
    }
    return Convert(text, format, report);
  }

  static std::string Convert(const Marked& text, SourceFormat format, Report& report) {
    MarkdownConversion converted = ToMarkdown(text.text(), format);
    for (const std::string& what : converted.unsupported) {
      report.Unsupported(text.line(), what + " has no equivalent in Practica's Markdown");
    }
    for (const std::string& what : converted.dropped) {
      report.Note(text.line(), what + " is not kept");
    }
    return std::move(converted.markdown);
  }

  std::string UniqueId(const std::string& explicit_id, const std::string& title) {
    std::optional<std::string> base = gift::MakeSlug(explicit_id);
    if (!base) base = gift::MakeSlug(title);
    if (!base) {
      base = "question-";
      *base += std::to_string(question_number_);
    }
    std::string id = *base;
    for (int n = 2; ids_.count(id) != 0; ++n) {
      std::string suffix = "-";
      suffix += std::to_string(n);
      // Cut where it leaves no '-' before the suffix: "a--2" would become "a-2" when the id is
      // read back from an export (MakeSlug folds runs of '-'), a different exercise.
      std::string head = base->substr(0, 64 - suffix.size());
      while (!head.empty() && head.back() == '-') head.pop_back();
      id = head + suffix;
    }
    ids_.insert(id);
    return id;
  }

  std::optional<GiftEntry> Read(const Marked& raw, const std::string& comments, Report& report);
  std::optional<domain::ExerciseSpec> Choice(const Marked& answers, SourceFormat format,
                                             Report& report);
  std::optional<domain::ExerciseSpec> Match(const Marked& answers, SourceFormat format,
                                            Report& report);
  std::optional<domain::TrueFalse> TrueOrFalse(const Marked& answers, SourceFormat format,
                                               Report& report);
  std::optional<domain::ShortText> Short(const Marked& answers, SourceFormat format,
                                         Report& report);
  std::optional<domain::Numeric> Number(const Marked& answers, SourceFormat format, Report& report);

  GiftFile& file_;
  std::string category_;
  int question_number_ = 0;
  std::set<std::string> ids_;
};

std::optional<GiftEntry> Reader::Read(const Marked& raw, const std::string& comments,
                                      Report& report) {
  Marked text = raw.Trim();
  const int line = text.line();
  GiftEntry entry;
  entry.line = line;

  std::string title;
  bool has_title = false;
  if (text.StartsWith("::")) {
    const size_t close = text.Find("::", 2);
    if (close == kNpos) {
      report.Error(line, "the title opened with '::' is not closed with '::'");
      return std::nullopt;
    }
    title = std::string(TrimWhitespace(text.Sub(2, close).text()));
    has_title = true;
    text = text.Sub(close + 2).Trim();
  }

  // The question's own format: a tag at the start of its text; answers and feedback default to it.
  SourceFormat format = SourceFormat::kMoodle;
  const FormatTag tag = gift::ReadFormatTag(text);
  if (tag.result == FormatTag::Result::kUnknown) {
    report.Error(line, "unknown format [" + tag.name + "]: " + std::string(kFormats));
    return std::nullopt;
  }
  if (tag.result == FormatTag::Result::kKnown) {
    format = tag.format;
    text = text.Sub(tag.length);
  }

  const size_t open = text.Find("{");
  const size_t close = text.Find("}");
  if (open == kNpos && close == kNpos) {
    // No answers: a description, which becomes lesson text.
    if (has_title) {
      report.Note(line, "the title '" + title +
                            "' of a description is not kept: a description becomes lesson text");
    }
    const std::string markdown = Convert(text.Trim(), format, report);
    if (markdown.empty()) {
      report.Error(line, "a question needs text, and answers in braces");
      return std::nullopt;
    }
    entry.description = MakeRichText(markdown + "\n");
    return entry;
  }
  ++question_number_;
  if (open == kNpos || close < open) {
    report.Error(text.line_at(close),
                 "'}' closes no answer block; write \\} for a brace in the text");
    return std::nullopt;
  }
  if (close == kNpos) {
    report.Error(text.line_at(open),
                 "the answer block opened with '{' is not closed with '}' (a question ends at "
                 "the first blank line; write \\n for a blank line inside one)");
    return std::nullopt;
  }
  if (const size_t nested = text.Find("{", open + 1); nested < close) {
    report.Error(text.line_at(nested),
                 "'{' inside an answer block; write \\{ for a brace in an answer");
    return std::nullopt;
  }
  if (const size_t second = std::min(text.Find("{", close + 1), text.Find("}", close + 1));
      second != kNpos) {
    report.Error(text.line_at(second),
                 "a question has one answer block; write \\{ and \\} for braces in the text");
    return std::nullopt;
  }

  const Marked before = text.Sub(0, open);
  const Marked inside = text.Sub(open + 1, close);
  const Marked after = text.Sub(close + 1);
  const bool missing_word = !after.Trim().empty();
  const size_t general_at = inside.FindLast("####");
  const Marked answers = (general_at == kNpos ? inside : inside.Sub(0, general_at)).Trim();
  const Marked general =
      general_at == kNpos ? inside.Sub(inside.size()) : inside.Sub(general_at + 4);

  domain::Exercise& exercise = entry.exercise.emplace();
  bool cloze = false;
  std::optional<domain::ExerciseSpec> spec;
  if (answers.empty()) {
    spec = domain::Essay{};
  } else if (answers.StartsWith("#")) {
    std::optional<domain::Numeric> numeric = Number(answers, format, report);
    cloze = missing_word;
    if (numeric && cloze) spec = domain::Cloze{{domain::ClozeGap{std::move(*numeric)}}};
    if (numeric && !cloze) spec = std::move(*numeric);
  } else if (answers.Find("~") != kNpos) {
    spec = Choice(answers, format, report);
  } else if (answers.Find("=") != kNpos && answers.Find("->") != kNpos) {
    spec = Match(answers, format, report);
  } else {
    const size_t hash = answers.Find("#");
    const std::string value =
        std::string(TrimWhitespace(answers.Sub(0, hash == kNpos ? answers.size() : hash).text()));
    if (value == "T" || value == "TRUE" || value == "F" || value == "FALSE") {
      if (std::optional<domain::TrueFalse> tf = TrueOrFalse(answers, format, report)) spec = *tf;
    } else {
      std::optional<domain::ShortText> short_text = Short(answers, format, report);
      cloze = missing_word;
      if (short_text && cloze) spec = domain::Cloze{{domain::ClozeGap{std::move(*short_text)}}};
      if (short_text && !cloze) spec = std::move(*short_text);
    }
  }

  Marked prompt = before;
  if (missing_word) prompt.AppendEscaped(kPlaceholder, text.line_at(open)).Append(after);
  std::string prompt_markdown = Convert(prompt.Trim(), format, report);
  if (missing_word) {
    // The converted text must hold the answers' place exactly once: inside a link, say, the
    // converter may copy it (text and address) or drop it, and the question would read back as
    // another one.
    const size_t at = prompt_markdown.find(kPlaceholder);
    if (at == std::string::npos ||
        prompt_markdown.find(kPlaceholder, at + kPlaceholder.size()) != std::string::npos) {
      report.Error(text.line_at(open),
                   "the answers of a missing-word question must stand in the question's text, "
                   "not inside a link, code or other markup");
    } else {
      prompt_markdown.replace(at, kPlaceholder.size(),
                              cloze ? std::string("{{1}}") : std::string(gift::kBlankMarkdown));
    }
  }
  std::optional<std::string> explanation = Markdown(general, format, report);
  if (prompt_markdown.empty()) report.Error(line, "the question has no text, only answers");
  if (!spec || !explanation || report.Failed()) return std::nullopt;

  const std::vector<std::string> ids = CommentValues(comments, "id");
  exercise.id = UniqueId(ids.empty() ? "" : ids.front(), title);
  exercise.prompt = {prompt_markdown, ""};
  exercise.explanation = {*explanation, ""};
  exercise.tags = CommentValues(comments, "tag");
  exercise.spec = std::move(*spec);

  // The bundle reader's checks, so that what is imported is a valid course (and its rendering).
  ProblemList problems;
  const YamlSource source{"", 1, &problems, "exercise"};
  std::optional<ParsedExercise> checked = ParseExercise(FormatExercise(exercise), source);
  for (const BundleProblem& problem : problems.problems()) report.Error(line, problem.message);
  if (!checked) return std::nullopt;
  exercise = std::move(checked->exercise);
  return entry;
}

std::optional<domain::ExerciseSpec> Reader::Choice(const Marked& answers, SourceFormat format,
                                                   Report& report) {
  std::vector<Marked> pieces = SplitAnswers(answers, "=~");
  if (!pieces.front().Trim().empty()) {
    report.Error(pieces.front().Trim().line(),
                 "text before the first answer: each answer starts with '=' (right) or '~' "
                 "(wrong)");
    return std::nullopt;
  }
  pieces.erase(pieces.begin());
  if (pieces.size() < 2) {
    report.Error(answers.line(), "a multiple-choice question needs at least two answers");
    return std::nullopt;
  }
  const bool single = std::any_of(pieces.begin(), pieces.end(),
                                  [](const Marked& piece) { return piece.at(0) == '='; });
  std::vector<domain::ChoiceOption> options;
  std::vector<double> weights;
  bool ok = true;
  for (size_t i = 0; i < pieces.size(); ++i) {
    const char marker = pieces[i].at(0);
    const Marked body = pieces[i].Sub(1).Trim();
    const Weighted weighted = ReadWeight(body, report);
    ok = ok && !weighted.bad;
    if (marker == '=' && weighted.weight) {
      report.Error(body.line(),
                   "'=' marks the right answer and takes no weight; write ~%50% for an answer "
                   "worth half");
      ok = false;
    }
    const WithFeedback parts = SplitFeedback(weighted.rest);
    domain::ChoiceOption option;
    option.id = OptionId(i);
    if (parts.text.empty()) {
      report.Error(body.line(), "an empty answer");
      ok = false;
    }
    const std::optional<std::string> text = Markdown(parts.text, format, report);
    const std::optional<std::string> feedback = Markdown(parts.feedback, format, report);
    if (!text || !feedback) ok = false;
    option.text = {text.value_or(""), ""};
    option.feedback = {feedback.value_or(""), ""};
    weights.push_back(marker == '=' ? 1.0 : weighted.weight.value_or(0));
    options.push_back(std::move(option));
  }
  if (!ok) return std::nullopt;

  if (single) {
    // Moodle's one-answer question: '=' is the right answer, a weight partial credit.
    const auto full = std::count(weights.begin(), weights.end(), 1.0);
    if (full > 1) {
      report.Unsupported(answers.line(),
                         "a one-answer question with " + std::to_string(full) +
                             " fully right answers: Practica's single choice has one");
      return std::nullopt;
    }
    for (size_t i = 0; i < options.size(); ++i) {
      options[i].correct = weights[i] == 1;
      if (!options[i].correct && weights[i] != 0) options[i].score = weights[i];
    }
    return domain::SingleChoice{std::move(options), true};
  }
  // Moodle's multiple-answer question: weights that add up. Right picks worth 1/k and wrong picks
  // −1/k (within the 1e-6 of a rounded percentage) is Practica's own partial scoring.
  const auto positive = static_cast<size_t>(
      std::count_if(weights.begin(), weights.end(), [](double w) { return w > 0; }));
  const auto near = [](double a, double b) { return std::abs(a - b) <= 1e-6; };
  const bool partial = positive > 0 && std::all_of(weights.begin(), weights.end(), [&](double w) {
                         return near(std::abs(w), 1.0 / static_cast<double>(positive));
                       });
  for (size_t i = 0; i < options.size(); ++i) {
    options[i].correct = weights[i] > 0;
    if (!partial && weights[i] != 0) options[i].score = weights[i];
  }
  return domain::MultipleChoice{std::move(options), domain::Scoring::kPartial, true};
}

std::optional<domain::ExerciseSpec> Reader::Match(const Marked& answers, SourceFormat format,
                                                  Report& report) {
  std::vector<Marked> pieces = SplitAnswers(answers, "=");
  if (!pieces.front().Trim().empty()) {
    report.Error(pieces.front().Trim().line(),
                 "text before the first pair: each pair starts with '=' (item -> match)");
    return std::nullopt;
  }
  pieces.erase(pieces.begin());
  domain::Matching matching;
  std::vector<std::string> rights;
  bool ok = true;
  for (const Marked& piece : pieces) {
    const Marked body = piece.Sub(1).Trim();
    const size_t arrow = body.Find("->");
    if (arrow == kNpos) {
      report.Error(body.line(), "a pair needs '->' between the item and its match");
      ok = false;
      continue;
    }
    const Marked left = body.Sub(0, arrow).Trim();
    const Marked right = body.Sub(arrow + 2).Trim();
    if (right.Find("#") != kNpos) {
      report.Unsupported(right.line(),
                         "feedback on a matching pair ('#') has no equivalent; write \\# for a # "
                         "in the text");
      ok = false;
    }
    if (right.empty()) {
      report.Error(body.line(), "'->' with nothing after it: each item needs its match");
      ok = false;
      continue;
    }
    const std::optional<std::string> left_text = Markdown(left, format, report);
    const std::optional<std::string> right_text = Markdown(right, format, report);
    if (!left_text || !right_text) {
      ok = false;
      continue;
    }
    if (std::find(rights.begin(), rights.end(), *right_text) != rights.end()) {
      report.Unsupported(right.line(), "two items share the match '" + *right_text +
                                           "': in Practica each item has its own match");
      ok = false;
    }
    rights.push_back(*right_text);
    domain::Item right_item{ItemId('r', rights.size()), {*right_text, ""}};
    if (left_text->empty()) {
      matching.distractors.push_back(std::move(right_item));  // Moodle's extra answer
    } else {
      domain::Item left_item{ItemId('l', matching.pairs.size() + 1), {*left_text, ""}};
      matching.pairs.push_back({std::move(left_item), std::move(right_item)});
    }
  }
  if (ok && matching.pairs.size() < 2) {
    report.Error(answers.line(), "a matching question needs at least two pairs, found " +
                                     std::to_string(matching.pairs.size()));
    ok = false;
  }
  if (!ok) return std::nullopt;
  return matching;
}

std::optional<domain::TrueFalse> Reader::TrueOrFalse(const Marked& answers, SourceFormat format,
                                                     Report& report) {
  // {TRUE#feedback for a wrong answer#feedback for a right one}
  const size_t first = answers.Find("#");
  const size_t second = first == kNpos ? kNpos : answers.Find("#", first + 1);
  const std::string value = std::string(TrimWhitespace(answers.Sub(0, first).text()));
  const Marked wrong =
      first == kNpos ? answers.Sub(answers.size()) : answers.Sub(first + 1, second);
  const Marked right = second == kNpos ? answers.Sub(answers.size()) : answers.Sub(second + 1);
  const std::optional<std::string> wrong_text = Markdown(wrong, format, report);
  const std::optional<std::string> right_text = Markdown(right, format, report);
  if (!wrong_text || !right_text) return std::nullopt;
  domain::TrueFalse spec;
  spec.answer = value == "T" || value == "TRUE";
  (spec.answer ? spec.true_feedback : spec.false_feedback) = {*right_text, ""};
  (spec.answer ? spec.false_feedback : spec.true_feedback) = {*wrong_text, ""};
  return spec;
}

std::optional<domain::ShortText> Reader::Short(const Marked& answers, SourceFormat format,
                                               Report& report) {
  std::vector<Marked> pieces = SplitAnswers(answers, "=");
  if (pieces.front().Trim().empty()) {
    pieces.erase(pieces.begin());
  } else {
    pieces.front() = Marked().AppendEscaped("=", pieces.front().line()).Append(pieces.front());
  }
  domain::ShortText spec;
  bool ok = true;
  for (const Marked& piece : pieces) {
    const Marked body = piece.Sub(1).Trim();
    const Weighted weighted = ReadWeight(body, report);
    ok = ok && !weighted.bad;
    if (weighted.weight && *weighted.weight < 0) {
      report.Unsupported(body.line(),
                         "a negative weight on a short answer: Practica scores "
                         "short answers from 0 to 100%");
      ok = false;
    }
    const WithFeedback parts = SplitFeedback(weighted.rest);
    Marked text = parts.text;
    const FormatTag tag = gift::ReadFormatTag(text);
    if (tag.result == FormatTag::Result::kUnknown) {
      report.Error(text.line(), "unknown format [" + tag.name + "]: " + std::string(kFormats));
      ok = false;
    } else if (tag.result == FormatTag::Result::kKnown) {
      text = text.Sub(tag.length).Trim();  // an answer is compared as typed, whatever its format
    }
    if (text.empty()) {
      report.Error(body.line(), "an empty answer");
      ok = false;
      continue;
    }
    domain::TextAnswer answer = ShortAnswerText(text);
    answer.score = weighted.weight.value_or(1);
    const std::optional<std::string> feedback = Markdown(parts.feedback, format, report);
    if (!feedback) ok = false;
    answer.feedback = {feedback.value_or(""), ""};
    spec.answers.push_back(std::move(answer));
  }
  if (!ok) return std::nullopt;
  return spec;
}

std::optional<domain::Numeric> Reader::Number(const Marked& answers, SourceFormat format,
                                              Report& report) {
  Marked body = answers.Sub(1);  // after '#'
  Marked wrong;
  bool has_wrong = false;
  if (const size_t tilde = body.Find("~"); tilde != kNpos) {
    wrong = body.Sub(tilde + 1).Trim();
    has_wrong = true;
    body = body.Sub(0, tilde);
  }
  std::vector<Marked> pieces = SplitAnswers(body, "=");
  if (pieces.front().Trim().empty()) {
    pieces.erase(pieces.begin());
  } else {
    pieces.front() = Marked().AppendEscaped("=", pieces.front().line()).Append(pieces.front());
  }
  if (pieces.empty()) {
    report.Error(answers.line(), "a numerical question needs an answer after '#'");
    return std::nullopt;
  }
  domain::Numeric spec;
  bool ok = true;
  const auto read_number = [&](const Marked& piece, double& out, std::string_view what) {
    const std::string text(TrimWhitespace(piece.text()));
    const std::optional<double> value = ParseNumber(text);
    if (!value) {
      report.Error(piece.line(), std::string(what) + " '" + text +
                                     "' is not a number (write digits with a decimal point: 3.5, "
                                     "-2, 1e3)");
      ok = false;
      return;
    }
    out = *value;
  };
  for (const Marked& piece : pieces) {
    const Marked body_text = piece.Sub(1).Trim();
    const Weighted weighted = ReadWeight(body_text, report);
    ok = ok && !weighted.bad;
    if (weighted.weight && *weighted.weight < 0) {
      report.Unsupported(body_text.line(),
                         "a negative weight on a numerical answer: Practica "
                         "scores numerical answers from 0 to 100%");
      ok = false;
    }
    const WithFeedback parts = SplitFeedback(weighted.rest);
    domain::NumericAnswer answer;
    answer.score = weighted.weight.value_or(1);
    const Marked& value = parts.text;
    if (value.empty()) {
      report.Error(body_text.line(), "an empty answer: write a number, such as 5, 5:0.1 or 4..6");
      ok = false;
      continue;
    }
    if (value.text() == "*") {
      answer.range = std::pair{gift::CatchAllLow(), gift::CatchAllHigh()};
    } else if (const size_t dots = value.Find(".."); dots != kNpos) {
      std::pair<double, double> range;
      read_number(value.Sub(0, dots), range.first, "the low end");
      read_number(value.Sub(dots + 2), range.second, "the high end");
      if (ok && range.first > range.second) {
        report.Error(value.line(), "the range " + value.text() +
                                       " has its low end above its "
                                       "high end");
        ok = false;
      }
      answer.range = range;
    } else if (const size_t colon = value.Find(":"); colon != kNpos) {
      double number = 0, tolerance = 0;
      read_number(value.Sub(0, colon), number, "the answer");
      read_number(value.Sub(colon + 1), tolerance, "the tolerance");
      if (ok && tolerance < 0) {
        report.Error(value.line(), "the tolerance in " + value.text() + " is negative");
        ok = false;
      }
      answer.value = number;
      answer.tolerance = {tolerance, false};
    } else {
      double number = 0;
      read_number(value, number, "the answer");
      answer.value = number;
    }
    const std::optional<std::string> feedback = Markdown(parts.feedback, format, report);
    if (!feedback) ok = false;
    answer.feedback = {feedback.value_or(""), ""};
    spec.answers.push_back(std::move(answer));
  }
  if (has_wrong) {
    // ~#feedback: what any other number gets (Moodle's "*" answer, scoring 0).
    if (!wrong.StartsWith("#")) {
      report.Error(wrong.line(),
                   "after '~' a numerical question takes feedback for any other "
                   "answer: ~#feedback");
      return std::nullopt;
    }
    const std::optional<std::string> feedback = Markdown(wrong.Sub(1), format, report);
    if (!feedback) return std::nullopt;
    domain::NumericAnswer other;
    other.range = std::pair{gift::CatchAllLow(), gift::CatchAllHigh()};
    other.score = 0;
    other.feedback = {*feedback, ""};
    spec.answers.push_back(std::move(other));
  }
  if (!ok) return std::nullopt;
  return spec;
}

// Lines of the text, without a byte order mark, with any line ending.
std::vector<Marked::Line> SplitLines(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<Marked::Line> lines;
  int number = 1;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n' || text[i] == '\r') {
      lines.push_back({number++, std::string(text.substr(start, i - start))});
      if (i + 1 < text.size() && text[i] == '\r' && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  return lines;
}

bool IsBlankLine(std::string_view line) { return TrimWhitespace(line).empty(); }

bool IsCommentLine(std::string_view line) { return TrimWhitespace(line).starts_with("//"); }

// The first control character other than the whitespace ones (tab, line feed, vertical tab, form
// feed, carriage return): C0, DEL and, in valid UTF-8, C1 (U+0080 to U+009F, encoded C2 80–9F).
std::optional<size_t> FindControlCharacter(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && (c < 0x09 || c > 0x0D)) || c == 0x7F) return i;
    if (c == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return i;
    }
  }
  return std::nullopt;
}

}  // namespace

bool GiftFile::HasErrors() const {
  return std::any_of(problems.begin(), problems.end(),
                     [](const GiftProblem& p) { return p.kind == Kind::kError; });
}

bool GiftFile::HasUnsupported() const {
  return std::any_of(problems.begin(), problems.end(),
                     [](const GiftProblem& p) { return p.kind == Kind::kUnsupported; });
}

GiftFile ParseGift(std::string_view text) {
  GiftFile file;
  const auto fail = [&](int line, std::string message) {
    file.problems.push_back({Kind::kError, line, "", std::move(message)});
    return file;
  };
  if (text.size() > kMaxGiftBytes) {
    return fail(
        0, "the file is larger than " + std::to_string(kMaxGiftBytes / (1024 * 1024)) + " MiB");
  }
  if (const std::optional<size_t> bad = FindInvalidUtf8(text)) {
    return fail(LineAt(text, *bad), "the file is not UTF-8 text (save it as UTF-8)");
  }
  if (const std::optional<size_t> control = FindControlCharacter(text)) {
    const unsigned code = static_cast<unsigned char>(text[*control]) == 0xC2
                              ? static_cast<unsigned char>(text[*control + 1])
                              : static_cast<unsigned char>(text[*control]);
    char name[8];
    std::snprintf(name, sizeof name, "U+%04X", code);
    return fail(LineAt(text, *control), std::string("the file holds a control character (") + name +
                                            "), which no question text can carry");
  }

  Reader reader(file);
  const std::vector<Marked::Line> lines = SplitLines(text);
  size_t questions = 0;
  size_t i = 0;
  while (i < lines.size()) {
    if (IsBlankLine(lines[i].text)) {
      ++i;
      continue;
    }
    // One question: the lines up to the next blank line; comment lines are set aside.
    std::vector<Marked::Line> body;
    std::string comments;
    for (; i < lines.size() && !IsBlankLine(lines[i].text); ++i) {
      if (IsCommentLine(lines[i].text)) {
        comments += lines[i].text + "\n";
      } else {
        body.push_back(lines[i]);
      }
    }
    if (body.empty()) continue;
    const std::string_view first = TrimWhitespace(body.front().text);
    if (first.starts_with("$CATEGORY:")) {
      reader.SetCategory(CategoryName(first.substr(10)));
      body.erase(body.begin());
      if (body.empty()) continue;
    }
    if (++questions > kMaxQuestions) {
      return fail(body.front().number,
                  "the file has more than " + std::to_string(kMaxQuestions) + " questions");
    }
    reader.Question(Marked::FromLines(body), comments);
  }
  std::stable_sort(file.problems.begin(), file.problems.end(),
                   [](const GiftProblem& a, const GiftProblem& b) { return a.line < b.line; });
  return file;
}

}  // namespace practica::content
