#include "api/answer_json.h"

#include <cmath>

namespace practica::api {
namespace {

constexpr size_t kMaxItems = 200;    // ids in a list or pairs in a map
constexpr size_t kMaxText = 10'000;  // bytes of one string

Error Wrong(std::string what) {
  return Error::Invalid("The answer has the wrong shape.", {{"answer", std::move(what)}});
}

Result<std::string> Text(const boost::json::value& json, std::string_view what) {
  if (!json.is_string()) return Wrong("must be " + std::string(what));
  if (json.get_string().size() > kMaxText) return Wrong("is too long");
  return std::string(json.get_string());
}

Result<domain::AnswerList> Strings(const boost::json::value& json, std::string_view what) {
  if (!json.is_array()) return Wrong("must be " + std::string(what));
  const auto& array = json.get_array();
  if (array.size() > kMaxItems) return Wrong("has too many entries");
  domain::AnswerList list;
  for (const auto& item : array) {
    if (!item.is_string()) return Wrong("must be " + std::string(what));
    if (item.get_string().size() > kMaxText) return Wrong("has an entry that is too long");
    list.emplace_back(item.get_string());
  }
  return list;
}

}  // namespace

Result<domain::Answer> DecodeAnswer(domain::ExerciseType type, const boost::json::value& json) {
  using domain::ExerciseType;
  switch (type) {
    case ExerciseType::kSingleChoice: {
      auto id = Text(json, "an option id (a string)");
      if (!id.ok()) return id.error();
      return domain::Answer(std::move(id).value());
    }
    case ExerciseType::kShortText: {
      auto text = Text(json, "a string");
      if (!text.ok()) return text.error();
      return domain::Answer(std::move(text).value());
    }
    case ExerciseType::kFormula: {
      auto text = Text(json, "an expression (a string)");
      if (!text.ok()) return text.error();
      return domain::Answer(std::move(text).value());
    }
    case ExerciseType::kEssay: {
      auto text = Text(json, "the text of your answer (a string)");
      if (!text.ok()) return text.error();
      return domain::Answer(std::move(text).value());
    }
    case ExerciseType::kMultipleChoice: {
      auto ids = Strings(json, "a list of option ids");
      if (!ids.ok()) return ids.error();
      return domain::Answer(std::move(ids).value());
    }
    case ExerciseType::kOrdering: {
      auto ids = Strings(json, "a list of item ids in order");
      if (!ids.ok()) return ids.error();
      return domain::Answer(std::move(ids).value());
    }
    case ExerciseType::kCloze: {
      auto gaps = Strings(json, "a list of strings, one per gap");
      if (!gaps.ok()) return gaps.error();
      return domain::Answer(std::move(gaps).value());
    }
    case ExerciseType::kTrueFalse:
      if (!json.is_bool()) return Wrong("must be true or false");
      return domain::Answer(json.get_bool());
    case ExerciseType::kNumeric: {
      if (!json.is_number()) return Wrong("must be a number");
      const double value = json.to_number<double>();
      if (!std::isfinite(value)) return Wrong("must be a finite number");
      return domain::Answer(value);
    }
    case ExerciseType::kMatching: {
      if (!json.is_object()) return Wrong("must be an object of left id → right id");
      const auto& object = json.get_object();
      if (object.size() > kMaxItems) return Wrong("has too many pairs");
      domain::AnswerMap pairs;
      for (const auto& [left, right] : object) {
        if (!right.is_string()) return Wrong("must map each left id to a right id (a string)");
        pairs.emplace(std::string(left), std::string(right.get_string()));
      }
      return domain::Answer(std::move(pairs));
    }
  }
  return Wrong("is not supported for this exercise");
}

}  // namespace practica::api
