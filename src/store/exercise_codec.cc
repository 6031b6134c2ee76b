#include "store/exercise_codec.h"

#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <variant>

namespace practica::store {
namespace {

namespace json = boost::json;
using domain::RichText;

// ---------------------------------------------------------------------------------------------
// Parsing.
//
// boost::json::parse (Boost 1.81) rounds about one decimal number in five to a neighbouring
// double, which would make the codec lossy. This handler builds the same DOM as boost::json::parser
// but converts every floating-point literal again with std::from_chars, which is exact.
class ExactNumberHandler {
 public:
  // NOLINTBEGIN(readability-identifier-naming): basic_parser requires these names.
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) { return true; }
  bool on_object_end(std::size_t n, json::error_code&) {
    stack_.push_object(n);
    return true;
  }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t n, json::error_code&) {
    stack_.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    stack_.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    stack_.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    stack_.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    stack_.push_string(s);
    return true;
  }
  // A number split across input buffers arrives in parts; the codec parses one buffer, but
  // collecting the parts keeps the handler correct regardless.
  bool on_number_part(json::string_view s, json::error_code&) {
    number_text_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    number_text_.clear();
    stack_.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    number_text_.clear();
    stack_.push_uint64(u);
    return true;
  }
  bool on_double(double approximate, json::string_view s, json::error_code&) {
    number_text_.append(s.data(), s.size());
    double exact = approximate;
    const char* first = number_text_.data();
    const char* last = first + number_text_.size();
    const auto [end, ec] = std::from_chars(first, last, exact);
    if (ec == std::errc::result_out_of_range) number_out_of_range_ = true;
    // JSON number syntax is a subset of from_chars' syntax, so anything else cannot happen; the
    // parser's own value is still a sound fallback.
    if (ec != std::errc() || end != last) exact = approximate;
    number_text_.clear();
    stack_.push_double(exact);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    stack_.push_bool(b);
    return true;
  }
  bool on_null(json::error_code&) {
    stack_.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
  // NOLINTEND(readability-identifier-naming)

  json::value_stack& Stack() { return stack_; }
  bool NumberOutOfRange() const { return number_out_of_range_; }

 private:
  json::value_stack stack_;
  std::string number_text_;
  bool number_out_of_range_ = false;
};

Result<json::value> ParseJson(std::string_view text, std::string_view what) {
  json::parse_options options;
  // Stored strings may hold any bytes (see the header); the encoder writes them unchanged.
  options.allow_invalid_utf8 = true;
  json::basic_parser<ExactNumberHandler> parser(options);
  parser.handler().Stack().reset();
  json::error_code ec;
  const std::size_t consumed = parser.write_some(false, text.data(), text.size(), ec);
  if (ec) {
    return Error::Invalid(std::string(what) + ": malformed JSON at offset " +
                          std::to_string(consumed) + ": " + ec.message());
  }
  if (consumed != text.size()) {
    return Error::Invalid(std::string(what) + ": unexpected text after the JSON value at offset " +
                          std::to_string(consumed));
  }
  if (parser.handler().NumberOutOfRange()) {
    return Error::Invalid(std::string(what) + ": a number is out of the range of a double");
  }
  return parser.handler().Stack().release();
}

// ---------------------------------------------------------------------------------------------
// Encoding.

// json::value(…) is spelled out: a braced return would pick the initializer-list constructor and
// build a one-element array.
// NOLINTBEGIN(modernize-return-braced-init-list)
json::value Text(std::string_view s) { return json::value(json::string_view(s.data(), s.size())); }

json::value Number(double d) {
  // JSON has no literal for these; Boost would write "Infinity", which no parser accepts.
  if (std::isnan(d)) return json::value("NaN");
  if (std::isinf(d)) return json::value(d > 0 ? "Infinity" : "-Infinity");
  return json::value(d);
}
// NOLINTEND(modernize-return-braced-init-list)

json::value Rich(const RichText& text) {
  return json::object{{"markdown", Text(text.markdown)}, {"html", Text(text.html)}};
}

template <class T, class F>
json::value ArrayOf(const std::vector<T>& elements, F encode_one) {
  json::array array;
  array.reserve(elements.size());
  for (const T& element : elements) array.push_back(encode_one(element));
  return array;
}

json::value Strings(const std::vector<std::string>& strings) {
  return ArrayOf(strings, [](const std::string& s) { return Text(s); });
}

json::value Option(const domain::ChoiceOption& option) {
  json::object o{{"id", Text(option.id)},
                 {"text", Rich(option.text)},
                 {"correct", option.correct},
                 {"feedback", Rich(option.feedback)}};
  if (option.score) o["score"] = Number(*option.score);
  return o;
}

json::value ItemValue(const domain::Item& item) {
  return json::object{{"id", Text(item.id)}, {"text", Rich(item.text)}};
}

json::value ScoringValue(domain::Scoring scoring) { return Text(domain::ToString(scoring)); }

json::object NumericSpec(const domain::Numeric& numeric) {
  json::object spec;
  spec["answers"] = ArrayOf(numeric.answers, [](const domain::NumericAnswer& answer) {
    json::object o;
    if (answer.value) o["value"] = Number(*answer.value);
    o["tolerance"] = json::object{{"value", Number(answer.tolerance.value)},
                                  {"relative", answer.tolerance.relative}};
    if (answer.range) {
      o["range"] = json::array{Number(answer.range->first), Number(answer.range->second)};
    }
    o["score"] = Number(answer.score);
    o["feedback"] = Rich(answer.feedback);
    return json::value(std::move(o));
  });
  return spec;
}

json::object ShortTextSpec(const domain::ShortText& short_text) {
  json::object spec;
  spec["answers"] = ArrayOf(short_text.answers, [](const domain::TextAnswer& answer) {
    return json::object{{"text", Text(answer.text)},
                        {"regex", Text(answer.regex)},
                        {"score", Number(answer.score)},
                        {"feedback", Rich(answer.feedback)}};
  });
  spec["case_sensitive"] = short_text.case_sensitive;
  spec["accents_strict"] = short_text.accents_strict;
  return spec;
}

json::value GapValue(const domain::ClozeGap& gap) {
  return std::visit(
      [](const auto& spec) -> json::value {
        using T = std::decay_t<decltype(spec)>;
        json::object o;
        if constexpr (std::is_same_v<T, domain::Numeric>) {
          o = NumericSpec(spec);
          o["type"] = "numeric";
        } else if constexpr (std::is_same_v<T, domain::ShortText>) {
          o = ShortTextSpec(spec);
          o["type"] = "short_text";
        } else {
          static_assert(std::is_same_v<T, domain::ChoiceGap>);
          o["type"] = "choice";
          o["options"] = Strings(spec.options);
          o["answer"] = Text(spec.answer);
        }
        return o;
      },
      gap.spec);
}

json::object Spec(const domain::ExerciseSpec& exercise_spec) {
  return std::visit(
      [](const auto& spec) -> json::object {
        using T = std::decay_t<decltype(spec)>;
        if constexpr (std::is_same_v<T, domain::SingleChoice>) {
          return {{"options", ArrayOf(spec.options, Option)}, {"shuffle", spec.shuffle}};
        } else if constexpr (std::is_same_v<T, domain::MultipleChoice>) {
          return {{"options", ArrayOf(spec.options, Option)},
                  {"scoring", ScoringValue(spec.scoring)},
                  {"shuffle", spec.shuffle}};
        } else if constexpr (std::is_same_v<T, domain::TrueFalse>) {
          return {{"answer", spec.answer},
                  {"true_feedback", Rich(spec.true_feedback)},
                  {"false_feedback", Rich(spec.false_feedback)}};
        } else if constexpr (std::is_same_v<T, domain::Numeric>) {
          return NumericSpec(spec);
        } else if constexpr (std::is_same_v<T, domain::ShortText>) {
          return ShortTextSpec(spec);
        } else if constexpr (std::is_same_v<T, domain::Cloze>) {
          return {{"gaps", ArrayOf(spec.gaps, GapValue)}};
        } else if constexpr (std::is_same_v<T, domain::Ordering>) {
          return {{"items", ArrayOf(spec.items, ItemValue)},
                  {"scoring", ScoringValue(spec.scoring)}};
        } else if constexpr (std::is_same_v<T, domain::Matching>) {
          return {{"pairs", ArrayOf(spec.pairs,
                                    [](const domain::MatchingPair& pair) {
                                      return json::object{{"left", ItemValue(pair.left)},
                                                          {"right", ItemValue(pair.right)}};
                                    })},
                  {"distractors", ArrayOf(spec.distractors, ItemValue)}};
        } else if constexpr (std::is_same_v<T, domain::Essay>) {
          return {};
        } else {
          static_assert(std::is_same_v<T, domain::Formula>);
          return {{"answer", Text(spec.answer)},
                  {"variables", ArrayOf(spec.variables,
                                        [](const domain::FormulaVariable& variable) {
                                          return json::object{{"name", Text(variable.name)},
                                                              {"low", Number(variable.low)},
                                                              {"high", Number(variable.high)}};
                                        })},
                  {"samples", spec.samples},
                  {"tolerance", Number(spec.tolerance)}};
        }
      },
      exercise_spec);
}

json::value ExerciseValue(const domain::Exercise& exercise) {
  json::object o;
  o["id"] = Text(exercise.id);
  o["type"] = Text(domain::ToString(exercise.type()));
  o["prompt"] = Rich(exercise.prompt);
  o["hints"] = ArrayOf(exercise.hints, Rich);
  o["explanation"] = Rich(exercise.explanation);
  if (exercise.max_attempts) o["max_attempts"] = *exercise.max_attempts;
  o["penalty"] = Number(exercise.penalty);
  o["tags"] = Strings(exercise.tags);
  o["spec"] = Spec(exercise.spec);
  return json::value(std::move(o));
}

json::value BlockValue(const domain::LessonBlock& block) {
  using Kind = domain::LessonBlock::Kind;
  json::object o;
  o["kind"] = block.kind == Kind::kMarkdown ? "markdown" : "exercise";
  if (block.kind == Kind::kMarkdown || !block.text.markdown.empty() || !block.text.html.empty()) {
    o["text"] = Rich(block.text);
  }
  if (block.kind == Kind::kExercise || !block.exercise_id.empty()) {
    o["exercise_id"] = Text(block.exercise_id);
  }
  return json::value(std::move(o));
}

// ---------------------------------------------------------------------------------------------
// Decoding.

// Where a value sits in the document, kept as a chain of stack frames so that the happy path
// builds no strings; only an error turns it into text ("spec.options[1].correct").
struct Path {
  static constexpr std::size_t kNoIndex = std::numeric_limits<std::size_t>::max();
  const Path* parent = nullptr;
  std::string_view key;
  std::size_t index = kNoIndex;

  Path Key(std::string_view child) const { return {this, child, kNoIndex}; }
  Path Index(std::size_t i) const { return {this, {}, i}; }

  std::string ToString() const {
    std::string text = parent != nullptr ? parent->ToString() : std::string();
    if (index != kNoIndex) {
      text += '[' + std::to_string(index) + ']';
    } else if (!key.empty()) {
      if (!text.empty()) text += '.';
      text += key;
    }
    return text;
  }
};

// Reads typed values out of a parsed document. Every Read* returns false once a problem has been
// recorded; the first problem is the one reported.
class Reader {
 public:
  explicit Reader(std::string_view what) : what_(what) {}

  Error TakeError() const { return Error::Invalid(std::string(what_) + ": " + error_); }

  bool Fail(const Path& path, std::string_view problem) {
    const std::string where = path.ToString();
    error_ = where.empty() ? std::string(problem) : where + ": " + std::string(problem);
    return false;
  }

  const json::object* Object(const json::value& value, const Path& path) {
    const json::object* object = value.if_object();
    if (object == nullptr) Fail(path, "expected an object");
    return object;
  }

  const json::array* Array(const json::value& value, const Path& path) {
    const json::array* array = value.if_array();
    if (array == nullptr) Fail(path, "expected an array");
    return array;
  }

  // A member that must be present.
  const json::value* Member(const json::object& object, std::string_view key, const Path& path) {
    const json::value* value = object.if_contains(json::string_view(key.data(), key.size()));
    if (value == nullptr) Fail(path.Key(key), "missing");
    return value;
  }

  // A member that may be absent (nullptr then, and no error).
  static const json::value* OptionalMember(const json::object& object, std::string_view key) {
    return object.if_contains(json::string_view(key.data(), key.size()));
  }

  bool String(const json::value& value, const Path& path, std::string& out) {
    const json::string* s = value.if_string();
    if (s == nullptr) return Fail(path, "expected a string");
    out.assign(s->data(), s->size());
    return true;
  }

  bool Bool(const json::value& value, const Path& path, bool& out) {
    const bool* b = value.if_bool();
    if (b == nullptr) return Fail(path, "expected true or false");
    out = *b;
    return true;
  }

  bool Number(const json::value& value, const Path& path, double& out) {
    if (const double* d = value.if_double()) {
      out = *d;
    } else if (const std::int64_t* i = value.if_int64()) {
      out = static_cast<double>(*i);
    } else if (const std::uint64_t* u = value.if_uint64()) {
      out = static_cast<double>(*u);
    } else if (const json::string* s = value.if_string(); s != nullptr && *s == "NaN") {
      out = std::numeric_limits<double>::quiet_NaN();
    } else if (s != nullptr && *s == "Infinity") {
      out = std::numeric_limits<double>::infinity();
    } else if (s != nullptr && *s == "-Infinity") {
      out = -std::numeric_limits<double>::infinity();
    } else {
      return Fail(path, "expected a number");
    }
    return true;
  }

  bool Int(const json::value& value, const Path& path, int& out) {
    const std::int64_t* i = value.if_int64();
    if (i == nullptr) return Fail(path, value.is_uint64() ? "out of range" : "expected an integer");
    if (*i < INT_MIN || *i > INT_MAX) return Fail(path, "out of range");
    out = static_cast<int>(*i);
    return true;
  }

  bool Rich(const json::value& value, const Path& path, RichText& out) {
    const json::object* object = Object(value, path);
    return object != nullptr && Field(*object, "markdown", path, out.markdown, &Reader::String) &&
           Field(*object, "html", path, out.html, &Reader::String);
  }

  bool Scoring(const json::value& value, const Path& path, domain::Scoring& out) {
    std::string name;
    if (!String(value, path, name)) return false;
    const std::optional<domain::Scoring> scoring = domain::ParseScoring(name);
    if (!scoring) return Fail(path, "unknown scoring \"" + name + "\"");
    out = *scoring;
    return true;
  }

  // Reads the required member `key` of `object` with `read` (a Reader member or any callable
  // taking (Reader&, const json::value&, const Path&, T&)).
  template <class T, class ReadFn>
  bool Field(const json::object& object, std::string_view key, const Path& path, T& out,
             ReadFn read) {
    const json::value* value = Member(object, key, path);
    return value != nullptr && std::invoke(read, *this, *value, path.Key(key), out);
  }

  // Reads an array with `read_element` applied to each element.
  template <class T, class ReadFn>
  bool List(const json::value& value, const Path& path, std::vector<T>& out, ReadFn read_element) {
    const json::array* array = Array(value, path);
    if (array == nullptr) return false;
    out.clear();
    out.resize(array->size());
    for (std::size_t i = 0; i < array->size(); ++i) {
      if (!std::invoke(read_element, *this, (*array)[i], path.Index(i), out[i])) return false;
    }
    return true;
  }

  // Reads the member `key` of `object` with `read` when it is there; leaves `out` alone if not.
  template <class T, class ReadFn>
  bool OptionalField(const json::object& object, std::string_view key, const Path& path, T& out,
                     ReadFn read) {
    const json::value* value = OptionalMember(object, key);
    return value == nullptr || std::invoke(read, *this, *value, path.Key(key), out);
  }

  template <class T, class ReadFn>
  bool ListField(const json::object& object, std::string_view key, const Path& path,
                 std::vector<T>& out, ReadFn read_element) {
    const json::value* value = Member(object, key, path);
    return value != nullptr && List(*value, path.Key(key), out, read_element);
  }

 private:
  std::string_view what_;
  std::string error_;
};

bool ReadStringElement(Reader& r, const json::value& v, const Path& p, std::string& out) {
  return r.String(v, p, out);
}

bool ReadRichElement(Reader& r, const json::value& v, const Path& p, RichText& out) {
  return r.Rich(v, p, out);
}

bool ReadOption(Reader& r, const json::value& v, const Path& p, domain::ChoiceOption& out) {
  const json::object* o = r.Object(v, p);
  if (o == nullptr || !r.Field(*o, "id", p, out.id, &Reader::String) ||
      !r.Field(*o, "text", p, out.text, &Reader::Rich) ||
      !r.Field(*o, "correct", p, out.correct, &Reader::Bool) ||
      !r.Field(*o, "feedback", p, out.feedback, &Reader::Rich)) {
    return false;
  }
  if (const json::value* score = Reader::OptionalMember(*o, "score")) {
    return r.Number(*score, p.Key("score"), out.score.emplace());
  }
  return true;
}

bool ReadItem(Reader& r, const json::value& v, const Path& p, domain::Item& out) {
  const json::object* o = r.Object(v, p);
  return o != nullptr && r.Field(*o, "id", p, out.id, &Reader::String) &&
         r.Field(*o, "text", p, out.text, &Reader::Rich);
}

bool ReadRange(Reader& r, const json::value& v, const Path& p, std::pair<double, double>& out) {
  const json::array* a = r.Array(v, p);
  if (a == nullptr) return false;
  if (a->size() != 2) return r.Fail(p, "expected [low, high]");
  return r.Number((*a)[0], p.Index(0), out.first) && r.Number((*a)[1], p.Index(1), out.second);
}

bool ReadTolerance(Reader& r, const json::value& v, const Path& p, domain::Tolerance& out) {
  const json::object* o = r.Object(v, p);
  return o != nullptr && r.Field(*o, "value", p, out.value, &Reader::Number) &&
         r.Field(*o, "relative", p, out.relative, &Reader::Bool);
}

bool ReadNumericAnswer(Reader& r, const json::value& v, const Path& p, domain::NumericAnswer& out) {
  const json::object* o = r.Object(v, p);
  if (o == nullptr) return false;
  if (const json::value* value = Reader::OptionalMember(*o, "value")) {
    if (!r.Number(*value, p.Key("value"), out.value.emplace())) return false;
  }
  if (const json::value* range = Reader::OptionalMember(*o, "range")) {
    if (!ReadRange(r, *range, p.Key("range"), out.range.emplace())) return false;
  }
  return r.Field(*o, "tolerance", p, out.tolerance, ReadTolerance) &&
         r.Field(*o, "score", p, out.score, &Reader::Number) &&
         r.Field(*o, "feedback", p, out.feedback, &Reader::Rich);
}

bool ReadTextAnswer(Reader& r, const json::value& v, const Path& p, domain::TextAnswer& out) {
  const json::object* o = r.Object(v, p);
  return o != nullptr && r.Field(*o, "text", p, out.text, &Reader::String) &&
         r.Field(*o, "regex", p, out.regex, &Reader::String) &&
         r.Field(*o, "score", p, out.score, &Reader::Number) &&
         r.Field(*o, "feedback", p, out.feedback, &Reader::Rich);
}

bool ReadNumericSpec(Reader& r, const json::object& o, const Path& p, domain::Numeric& out) {
  return r.ListField(o, "answers", p, out.answers, ReadNumericAnswer);
}

bool ReadShortTextSpec(Reader& r, const json::object& o, const Path& p, domain::ShortText& out) {
  return r.ListField(o, "answers", p, out.answers, ReadTextAnswer) &&
         r.Field(o, "case_sensitive", p, out.case_sensitive, &Reader::Bool) &&
         r.Field(o, "accents_strict", p, out.accents_strict, &Reader::Bool);
}

bool ReadGap(Reader& r, const json::value& v, const Path& p, domain::ClozeGap& out) {
  const json::object* o = r.Object(v, p);
  std::string type;
  if (o == nullptr || !r.Field(*o, "type", p, type, &Reader::String)) return false;
  if (type == "numeric") return ReadNumericSpec(r, *o, p, out.spec.emplace<domain::Numeric>());
  if (type == "short_text") {
    return ReadShortTextSpec(r, *o, p, out.spec.emplace<domain::ShortText>());
  }
  if (type == "choice") {
    auto& gap = out.spec.emplace<domain::ChoiceGap>();
    return r.ListField(*o, "options", p, gap.options, ReadStringElement) &&
           r.Field(*o, "answer", p, gap.answer, &Reader::String);
  }
  return r.Fail(p.Key("type"), "unknown gap type \"" + type + "\"");
}

bool ReadPair(Reader& r, const json::value& v, const Path& p, domain::MatchingPair& out) {
  const json::object* o = r.Object(v, p);
  return o != nullptr && r.Field(*o, "left", p, out.left, ReadItem) &&
         r.Field(*o, "right", p, out.right, ReadItem);
}

bool ReadVariable(Reader& r, const json::value& v, const Path& p, domain::FormulaVariable& out) {
  const json::object* o = r.Object(v, p);
  return o != nullptr && r.Field(*o, "name", p, out.name, &Reader::String) &&
         r.Field(*o, "low", p, out.low, &Reader::Number) &&
         r.Field(*o, "high", p, out.high, &Reader::Number);
}

bool ReadSpec(Reader& r, const json::object& o, const Path& p, domain::ExerciseType type,
              domain::ExerciseSpec& out) {
  using domain::ExerciseType;
  switch (type) {
    case ExerciseType::kSingleChoice: {
      auto& spec = out.emplace<domain::SingleChoice>();
      return r.ListField(o, "options", p, spec.options, ReadOption) &&
             r.Field(o, "shuffle", p, spec.shuffle, &Reader::Bool);
    }
    case ExerciseType::kMultipleChoice: {
      auto& spec = out.emplace<domain::MultipleChoice>();
      return r.ListField(o, "options", p, spec.options, ReadOption) &&
             r.Field(o, "scoring", p, spec.scoring, &Reader::Scoring) &&
             r.Field(o, "shuffle", p, spec.shuffle, &Reader::Bool);
    }
    case ExerciseType::kTrueFalse: {
      // The feedback fields came later: documents stored before them have none.
      auto& spec = out.emplace<domain::TrueFalse>();
      return r.Field(o, "answer", p, spec.answer, &Reader::Bool) &&
             r.OptionalField(o, "true_feedback", p, spec.true_feedback, &Reader::Rich) &&
             r.OptionalField(o, "false_feedback", p, spec.false_feedback, &Reader::Rich);
    }
    case ExerciseType::kNumeric:
      return ReadNumericSpec(r, o, p, out.emplace<domain::Numeric>());
    case ExerciseType::kShortText:
      return ReadShortTextSpec(r, o, p, out.emplace<domain::ShortText>());
    case ExerciseType::kCloze:
      return r.ListField(o, "gaps", p, out.emplace<domain::Cloze>().gaps, ReadGap);
    case ExerciseType::kOrdering: {
      auto& spec = out.emplace<domain::Ordering>();
      return r.ListField(o, "items", p, spec.items, ReadItem) &&
             r.Field(o, "scoring", p, spec.scoring, &Reader::Scoring);
    }
    case ExerciseType::kMatching: {
      auto& spec = out.emplace<domain::Matching>();
      return r.ListField(o, "pairs", p, spec.pairs, ReadPair) &&
             r.ListField(o, "distractors", p, spec.distractors, ReadItem);
    }
    case ExerciseType::kFormula: {
      auto& spec = out.emplace<domain::Formula>();
      return r.Field(o, "answer", p, spec.answer, &Reader::String) &&
             r.ListField(o, "variables", p, spec.variables, ReadVariable) &&
             r.Field(o, "samples", p, spec.samples, &Reader::Int) &&
             r.Field(o, "tolerance", p, spec.tolerance, &Reader::Number);
    }
    case ExerciseType::kEssay:
      out.emplace<domain::Essay>();
      return true;
  }
  return r.Fail(p, "unknown exercise type");
}

bool ReadExercise(Reader& r, const json::value& v, const Path& p, domain::Exercise& out) {
  const json::object* o = r.Object(v, p);
  if (o == nullptr) return false;
  std::string type_name;
  if (!r.Field(*o, "type", p, type_name, &Reader::String)) return false;
  const std::optional<domain::ExerciseType> type = domain::ParseExerciseType(type_name);
  if (!type) return r.Fail(p.Key("type"), "unknown exercise type \"" + type_name + "\"");
  if (!r.Field(*o, "id", p, out.id, &Reader::String) ||
      !r.Field(*o, "prompt", p, out.prompt, &Reader::Rich) ||
      !r.ListField(*o, "hints", p, out.hints, ReadRichElement) ||
      !r.Field(*o, "explanation", p, out.explanation, &Reader::Rich) ||
      !r.Field(*o, "penalty", p, out.penalty, &Reader::Number) ||
      !r.ListField(*o, "tags", p, out.tags, ReadStringElement)) {
    return false;
  }
  if (const json::value* max_attempts = Reader::OptionalMember(*o, "max_attempts")) {
    if (!r.Int(*max_attempts, p.Key("max_attempts"), out.max_attempts.emplace())) return false;
  }
  const json::value* spec = r.Member(*o, "spec", p);
  if (spec == nullptr) return false;
  const Path spec_path = p.Key("spec");
  const json::object* spec_object = r.Object(*spec, spec_path);
  return spec_object != nullptr && ReadSpec(r, *spec_object, spec_path, *type, out.spec);
}

bool ReadBlock(Reader& r, const json::value& v, const Path& p, domain::LessonBlock& out) {
  using Kind = domain::LessonBlock::Kind;
  const json::object* o = r.Object(v, p);
  std::string kind;
  if (o == nullptr || !r.Field(*o, "kind", p, kind, &Reader::String)) return false;
  if (kind == "markdown") {
    out.kind = Kind::kMarkdown;
  } else if (kind == "exercise") {
    out.kind = Kind::kExercise;
  } else {
    return r.Fail(p.Key("kind"), "unknown block kind \"" + kind + "\"");
  }
  // The field of the block's own kind is required; the other one is present only when the
  // encoder found it non-empty.
  const json::value* text = Reader::OptionalMember(*o, "text");
  if (text != nullptr || out.kind == Kind::kMarkdown) {
    if (!r.Field(*o, "text", p, out.text, &Reader::Rich)) return false;
  }
  const json::value* exercise_id = Reader::OptionalMember(*o, "exercise_id");
  if (exercise_id != nullptr || out.kind == Kind::kExercise) {
    if (!r.Field(*o, "exercise_id", p, out.exercise_id, &Reader::String)) return false;
  }
  return true;
}

bool ReadLesson(Reader& r, const json::value& v, const Path& p, domain::Lesson& out) {
  const json::object* o = r.Object(v, p);
  return o != nullptr && r.Field(*o, "slug", p, out.slug, &Reader::String) &&
         r.Field(*o, "title", p, out.title, &Reader::String) &&
         r.Field(*o, "file_name", p, out.file_name, &Reader::String) &&
         r.ListField(*o, "blocks", p, out.blocks, ReadBlock) &&
         r.ListField(*o, "exercises", p, out.exercises, ReadExercise);
}

bool ReadCourse(Reader& r, const json::value& v, const Path& p, domain::Course& out) {
  const json::object* o = r.Object(v, p);
  return o != nullptr && r.Field(*o, "slug", p, out.slug, &Reader::String) &&
         r.Field(*o, "title", p, out.title, &Reader::String) &&
         r.Field(*o, "summary", p, out.summary, &Reader::String) &&
         r.Field(*o, "language", p, out.language, &Reader::String) &&
         r.ListField(*o, "tags", p, out.tags, ReadStringElement) &&
         r.ListField(*o, "lessons", p, out.lessons, ReadLesson);
}

// Parses `text` and reads its root with `read`.
template <class T, class ReadFn>
Result<T> Decode(std::string_view text, std::string_view what, ReadFn read) {
  Result<json::value> document = ParseJson(text, what);
  if (!document.ok()) return std::move(document).error();
  Reader reader(what);
  T out{};
  if (!read(reader, *document, Path{}, out)) return reader.TakeError();
  return out;
}

}  // namespace

std::string EncodeExercise(const domain::Exercise& exercise) {
  return json::serialize(ExerciseValue(exercise));
}

Result<domain::Exercise> DecodeExercise(std::string_view json_text) {
  return Decode<domain::Exercise>(json_text, "exercise", ReadExercise);
}

std::string EncodeLessonBlocks(const std::vector<domain::LessonBlock>& blocks) {
  return json::serialize(ArrayOf(blocks, BlockValue));
}

Result<std::vector<domain::LessonBlock>> DecodeLessonBlocks(std::string_view json_text) {
  return Decode<std::vector<domain::LessonBlock>>(
      json_text, "lesson blocks",
      [](Reader& r, const json::value& v, const Path& p, std::vector<domain::LessonBlock>& out) {
        return r.List(v, p, out, ReadBlock);
      });
}

std::string EncodeStrings(const std::vector<std::string>& strings) {
  return json::serialize(Strings(strings));
}

std::string EncodeCourse(const domain::Course& course) {
  json::object o;
  o["slug"] = Text(course.slug);
  o["title"] = Text(course.title);
  o["summary"] = Text(course.summary);
  o["language"] = Text(course.language);
  o["tags"] = Strings(course.tags);
  o["lessons"] = ArrayOf(course.lessons, [](const domain::Lesson& lesson) {
    return json::value(json::object{{"slug", Text(lesson.slug)},
                                    {"title", Text(lesson.title)},
                                    {"file_name", Text(lesson.file_name)},
                                    {"blocks", ArrayOf(lesson.blocks, BlockValue)},
                                    {"exercises", ArrayOf(lesson.exercises, ExerciseValue)}});
  });
  return json::serialize(o);
}

Result<domain::Course> DecodeCourse(std::string_view json_text) {
  return Decode<domain::Course>(json_text, "course", ReadCourse);
}

Result<std::vector<std::string>> DecodeStrings(std::string_view json_text) {
  return Decode<std::vector<std::string>>(
      json_text, "string list",
      [](Reader& r, const json::value& v, const Path& p, std::vector<std::string>& out) {
        return r.List(v, p, out, ReadStringElement);
      });
}

}  // namespace practica::store
