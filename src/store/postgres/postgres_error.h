// libpqxx's exceptions turned into the project's Error values, in one place.
//
// Mapping, by SQLSTATE class where the server sent one:
//   broken or refused connection, 08 connection exception, 57P0x server shut down or starting,
//   53 insufficient resources (disk full, out of memory, too many connections), 57014 statement
//   timeout, 55P03 lock timeout, 40 transaction rollback (serialization failure, deadlock: only
//   after the pool's retries are spent), a commit whose outcome is unknown   → kUnavailable
//   23 integrity constraint violation (unique, foreign key, check)          → kConflict
//   22 data exception (text that is not UTF-8, a NUL byte, a number out of range) → kInvalid
//   anything else (42 undefined table or column: a bug or an unmigrated database) → kInternal
// Messages are "<context>: <the first line of the server's message> (SQLSTATE xxxxx)". Only the
// first line is kept because the DETAIL line of a constraint violation quotes the offending values
// (an email, a token hash); the password of the connection string is redacted from what remains.
#pragma once

#include <exception>
#include <string_view>

#include "common/error.h"

namespace practica::store::postgres {

// `context` says what was being done ("connecting to PostgreSQL", "migration 1 (user tables)").
Error MapPostgresError(const std::exception& error, std::string_view context,
                       std::string_view connection_string);

}  // namespace practica::store::postgres
