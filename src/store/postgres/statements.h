// Running the stores' prepared statements with their parameters, for every PostgreSQL adapter.
//
// Internal to store/postgres: this header includes libpqxx.
//
// Text parameters: libpq sends them NUL-terminated, so a NUL byte would cut the text short without
// a word, and PostgreSQL text cannot hold one anyway. Such text is refused the way the server
// refuses bytes that are not UTF-8 (a pqxx::data_exception with SQLSTATE 22021, which
// postgres_error.h maps to kInvalid).
//
// Array parameters: libpqxx 6 converts no containers, so a list travels as one parameter in
// PostgreSQL's array literal syntax ('{"a","b"}'), cast in the statement ($1::text[]), and
// unnest() turns parallel arrays into rows: a batch of any size is one statement and one round
// trip.
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/result>
#include <pqxx/transaction_base>
#include <span>
#include <string>
#include <string_view>

#include "store/postgres/connect.h"

namespace practica::store::postgres {

// Throws pqxx::data_exception (SQLSTATE 22021) when `text` holds a NUL byte.
void RefuseNul(std::string_view text);

// One parameter as libpqxx takes it, checked.
template <class T>
const T& Param(const T& value) {
  return value;
}
const std::string& Param(const std::string& text);
std::string Param(std::string_view text);  // libpqxx 6 takes no std::string_view
const std::optional<std::string>& Param(const std::optional<std::string>& text);

template <class... Args>
pqxx::result Exec(pqxx::transaction_base& transaction, const PreparedStatement& statement,
                  const Args&... args) {
  return transaction.exec_prepared(statement.name, Param(args)...);
}

// Builds one array literal, element by element. Text elements are quoted and escaped (checked for
// NUL bytes); numbers are written exactly (doubles in their shortest form that reads back the
// same).
class ArrayLiteral {
 public:
  ArrayLiteral() = default;
  void AddText(std::string_view text);
  void AddInt(int64_t number);
  void AddDouble(double number);
  void AddBool(bool value);
  void AddNull();
  // The literal, '{…}'.
  std::string Take() &&;

 private:
  void Separate();
  std::string literal_ = "{";
};

std::string TextArray(std::span<const std::string> texts);

}  // namespace practica::store::postgres
