#include "api/json_fields.h"

#include <algorithm>

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

Status JsonFields::Finish() const {
  if (errors_.empty()) return Status::Ok();
  return Error::Invalid("The request has invalid fields.", errors_);
}

}  // namespace practica::api
