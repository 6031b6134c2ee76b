#include "api/json_fields.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/string.hpp>

namespace practica::api {

JsonFields::JsonFields(const boost::json::object& object,
                       std::initializer_list<std::string_view> allowed,
                       std::initializer_list<std::string_view> ignored)
    : object_(object) {
  for (const auto& [key, value] : object_) {
    const std::string_view name = key;
    const bool known = std::find(allowed.begin(), allowed.end(), name) != allowed.end() ||
                       std::find(ignored.begin(), ignored.end(), name) != ignored.end();
    if (!known) errors_.push_back({std::string(name), "is not a field of this request"});
  }
}

std::optional<std::string> JsonFields::String(std::string_view name, bool required,
                                              size_t max_bytes) {
  const auto* value = object_.if_contains(name);
  if (value == nullptr || value->is_null()) {
    if (required) errors_.push_back({std::string(name), "is required"});
    return std::nullopt;
  }
  if (!value->is_string()) {
    errors_.push_back({std::string(name), "must be a string"});
    return std::nullopt;
  }
  const std::string_view text = value->get_string();
  if (text.size() > max_bytes) {
    errors_.push_back(
        {std::string(name), "must be at most " + std::to_string(max_bytes) + " bytes"});
    return std::nullopt;
  }
  return std::string(text);
}

std::optional<bool> JsonFields::Bool(std::string_view name, bool required) {
  const auto* value = object_.if_contains(name);
  if (value == nullptr || value->is_null()) {
    if (required) errors_.push_back({std::string(name), "is required"});
    return std::nullopt;
  }
  if (!value->is_bool()) {
    errors_.push_back({std::string(name), "must be true or false"});
    return std::nullopt;
  }
  return value->get_bool();
}

std::optional<int64_t> JsonFields::Integer(std::string_view name, bool required, int64_t min,
                                           int64_t max) {
  const auto* value = Value(name, required);
  if (value == nullptr) return std::nullopt;
  std::optional<int64_t> number;
  if (value->is_int64()) number = value->get_int64();
  if (value->is_uint64() && value->get_uint64() <= static_cast<uint64_t>(max)) {
    number = static_cast<int64_t>(value->get_uint64());
  }
  if (!number || *number < min || *number > max) {
    errors_.push_back({std::string(name), "must be a whole number from " + std::to_string(min) +
                                              " to " + std::to_string(max)});
    return std::nullopt;
  }
  return number;
}

std::optional<std::vector<std::string>> JsonFields::StringList(std::string_view name, bool required,
                                                               size_t max_items, size_t max_bytes) {
  const auto* value = Value(name, required);
  if (value == nullptr) return std::nullopt;
  const boost::json::array* array = value->if_array();
  if (array == nullptr) {
    errors_.push_back({std::string(name), "must be a list of strings"});
    return std::nullopt;
  }
  if (array->size() > max_items) {
    errors_.push_back(
        {std::string(name), "must have at most " + std::to_string(max_items) + " entries"});
    return std::nullopt;
  }
  std::vector<std::string> strings;
  bool ok = true;
  for (size_t i = 0; i < array->size(); ++i) {
    const std::string field = std::string(name) + "[" + std::to_string(i) + "]";
    const boost::json::string* text = (*array)[i].if_string();
    if (text == nullptr) {
      errors_.push_back({field, "must be a string"});
      ok = false;
    } else if (text->size() > max_bytes) {
      errors_.push_back({field, "must be at most " + std::to_string(max_bytes) + " bytes"});
      ok = false;
    } else {
      strings.emplace_back(*text);
    }
  }
  if (!ok) return std::nullopt;
  return strings;
}

const boost::json::value* JsonFields::Value(std::string_view name, bool required) {
  const auto* value = object_.if_contains(name);
  if (value == nullptr || value->is_null()) {
    if (required) errors_.push_back({std::string(name), "is required"});
    return nullptr;
  }
  return value;
}

void JsonFields::Fail(std::string field, std::string message) {
  errors_.push_back({std::move(field), std::move(message)});
}

Status JsonFields::Finish() const {
  if (errors_.empty()) return Status::Ok();
  return Error::Invalid("The request has invalid fields.", errors_);
}

}  // namespace practica::api
