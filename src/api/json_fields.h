// Reading fields of a JSON request object, strictly: unknown fields are errors (so a client can
// not set what it must not — mass assignment), types and lengths are checked, and every problem
// names its field.
#pragma once

#include <boost/json/object.hpp>
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

  // Ok, or kInvalid with every problem found so far.
  Status Finish() const;

 private:
  const boost::json::object& object_;
  std::vector<FieldError> errors_;
};

}  // namespace practica::api
