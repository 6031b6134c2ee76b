// Reading fields of a JSON request object, strictly: unknown fields are errors (so a client can
// not set what it must not — mass assignment), types and lengths are checked, and every problem
// names its field.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace practica::api {

class JsonFields {
 public:
  // `allowed` lists every field the endpoint knows; `ignored` ones are accepted and dropped.
  JsonFields(const boost::json::object& object, std::initializer_list<std::string_view> allowed,
             std::initializer_list<std::string_view> ignored = {});

  // A string of at most `max_bytes` bytes (valid UTF-8 is guaranteed by the body parser).
  std::optional<std::string> String(std::string_view name, bool required, size_t max_bytes);
  std::optional<bool> Bool(std::string_view name, bool required);
  // A whole number from `min` to `max`.
  std::optional<int64_t> Integer(std::string_view name, bool required, int64_t min, int64_t max);
  // An array of at most `max_items` strings, each of at most `max_bytes` bytes.
  std::optional<std::vector<std::string>> StringList(std::string_view name, bool required,
                                                     size_t max_items, size_t max_bytes);
  // The field's value, of any type (null counts as absent), for the caller to read.
  const boost::json::value* Value(std::string_view name, bool required);

  // Records a problem found by the caller, so Finish reports it with the others.
  void Fail(std::string field, std::string message);

  // Ok, or kInvalid with every problem found so far.
  Status Finish() const;

 private:
  const boost::json::object& object_;
  std::vector<FieldError> errors_;
};

}  // namespace practica::api
