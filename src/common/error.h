// Errors as values at layer boundaries (STYLE.md rule 5).
//
// An Error carries a small code that says what kind of failure it is; http/problem.cc is the one
// place that maps a code to an HTTP status. Exceptions are reserved for bugs and start-up
// configuration and never cross a Result-returning boundary.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace practica {

enum class ErrorCode {
  kInvalid,             // the caller sent something malformed or out of range
  kNotFound,            // the thing asked for does not exist (or is not visible to the caller)
  kConflict,            // the request clashes with current state
  kUnprocessable,       // well-formed, but cannot be applied (e.g. a reused idempotency key)
  kPreconditionFailed,  // a condition the caller set (If-Match) no longer holds
  kUnauthorized,        // no valid credentials
  kForbidden,           // credentials valid, permission missing
  kTooLarge,            // a size limit was exceeded
  kRateLimited,         // too many requests; Error::retry_after says when to try again
  kUnavailable,         // a dependency is down or out of capacity; retrying may help
  kInternal,            // a bug or an unexpected failure
};

std::string_view ToString(ErrorCode code);

// One problem with one named field of the input ("lessons[2].title", "answer").
struct FieldError {
  std::string field;
  std::string message;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::vector<FieldError> fields;
  std::string type = {};    // a more specific problem type than the code's, e.g. "mfa-required"
  int64_t retry_after = 0;  // seconds, for kRateLimited

  static Error Invalid(std::string message, std::vector<FieldError> fields = {}) {
    return {ErrorCode::kInvalid, std::move(message), std::move(fields)};
  }
  static Error NotFound(std::string message) {
    return {ErrorCode::kNotFound, std::move(message), {}};
  }
  static Error Conflict(std::string message) {
    return {ErrorCode::kConflict, std::move(message), {}};
  }
  static Error PreconditionFailed(std::string message) {
    return {ErrorCode::kPreconditionFailed, std::move(message), {}};
  }
  static Error Unavailable(std::string message) {
    return {ErrorCode::kUnavailable, std::move(message), {}};
  }
  static Error Internal(std::string message) {
    return {ErrorCode::kInternal, std::move(message), {}};
  }
  static Error Unauthorized(std::string message, std::string type = {}) {
    return {ErrorCode::kUnauthorized, std::move(message), {}, std::move(type)};
  }
  static Error Forbidden(std::string message, std::string type = {}) {
    return {ErrorCode::kForbidden, std::move(message), {}, std::move(type)};
  }
  static Error RateLimited(std::string message, int64_t retry_after_seconds) {
    return {ErrorCode::kRateLimited, std::move(message), {}, {}, retry_after_seconds};
  }
};

// Either a value or an Error. Deliberately small: construct from either, test with ok(), read with
// value()/error(). Reading the wrong side is a bug and aborts in debug builds.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value)
      : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

// Result<void>: success carries nothing.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error)
      : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)

  static Status Ok() { return {}; }
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace practica
