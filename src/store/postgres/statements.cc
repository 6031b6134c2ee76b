#include "store/postgres/statements.h"

#include <charconv>
#include <pqxx/except>
#include <system_error>

namespace practica::store::postgres {

void RefuseNul(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) {
    throw pqxx::data_exception("a text parameter contains a NUL byte", "", "22021");
  }
}

const std::string& Param(const std::string& text) {
  RefuseNul(text);
  return text;
}

std::string Param(std::string_view text) {
  RefuseNul(text);
  return std::string(text);
}

const std::optional<std::string>& Param(const std::optional<std::string>& text) {
  if (text) RefuseNul(*text);
  return text;
}

void ArrayLiteral::Separate() {
  if (literal_.size() > 1) literal_ += ',';
}

void ArrayLiteral::AddText(std::string_view text) {
  RefuseNul(text);
  Separate();
  // Quoted, every element: an unquoted empty string, NULL or text with braces, commas or spaces
  // would read as something else. Inside quotes only '"' and '\' need a backslash.
  literal_ += '"';
  for (const char c : text) {
    if (c == '"' || c == '\\') literal_ += '\\';
    literal_ += c;
  }
  literal_ += '"';
}

void ArrayLiteral::AddInt(int64_t number) {
  Separate();
  literal_ += std::to_string(number);
}

void ArrayLiteral::AddDouble(double number) {
  Separate();
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, number);
  if (error != std::errc())
    throw pqxx::data_exception("a number does not fit its text", "", "22003");
  literal_.append(buffer, end);
}

void ArrayLiteral::AddBool(bool value) {
  Separate();
  literal_ += value ? 't' : 'f';
}

void ArrayLiteral::AddNull() {
  Separate();
  literal_ += "NULL";
}

std::string ArrayLiteral::Take() && {
  literal_ += '}';
  return std::move(literal_);
}

std::string TextArray(std::span<const std::string> texts) {
  ArrayLiteral array;
  for (const std::string& text : texts) array.AddText(text);
  return std::move(array).Take();
}

}  // namespace practica::store::postgres
