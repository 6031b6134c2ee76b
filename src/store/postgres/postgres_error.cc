#include "store/postgres/postgres_error.h"

#include <pqxx/except>
#include <string>

#include "common/text.h"
#include "store/postgres/connection_url.h"

namespace practica::store::postgres {
namespace {

// The first line of a libpq message, without its "ERROR:  " or "FATAL:  " severity prefix.
std::string_view FirstLine(std::string_view message) {
  message = message.substr(0, message.find('\n'));
  for (const std::string_view severity : {"ERROR:  ", "FATAL:  ", "PANIC:  "}) {
    if (StartsWith(message, severity)) return TrimWhitespace(message.substr(severity.size()));
  }
  return TrimWhitespace(message);
}

ErrorCode CodeForSqlState(std::string_view state) {
  const std::string_view sqlstate_class = state.substr(0, 2);
  if (sqlstate_class == "08" || sqlstate_class == "53" || sqlstate_class == "40" ||
      StartsWith(state, "57P") || state == "57014" || state == "55P03") {
    return ErrorCode::kUnavailable;
  }
  if (sqlstate_class == "23") return ErrorCode::kConflict;
  if (sqlstate_class == "22") return ErrorCode::kInvalid;
  return ErrorCode::kInternal;
}

}  // namespace

Error MapPostgresError(const std::exception& error, std::string_view context,
                       std::string_view connection_string) {
  auto describe = [&](std::string_view what) {
    std::string message(context);
    message += ": ";
    message += RedactPassword(FirstLine(what), connection_string);
    return message;
  };
  if (dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr ||
      dynamic_cast<const pqxx::statement_completion_unknown*>(&error) != nullptr) {
    return Error::Unavailable(std::string(context) +
                              ": the connection to PostgreSQL broke while the change was being "
                              "committed; it may or may not have been made");
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr) {
    return Error::Unavailable(describe(error.what()));
  }
  if (dynamic_cast<const pqxx::transaction_rollback*>(&error) != nullptr) {
    return Error::Unavailable(describe(error.what()) + " (retried; still conflicting)");
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error); sql != nullptr) {
    std::string message = describe(sql->what());
    if (!sql->sqlstate().empty()) message += " (SQLSTATE " + sql->sqlstate() + ")";
    return Error{CodeForSqlState(sql->sqlstate()), std::move(message), {}};
  }
  return Error::Internal(describe(error.what()));
}

}  // namespace practica::store::postgres
