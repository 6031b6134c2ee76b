// Opening one PostgreSQL connection, for ConnectionPool and MigratePostgres.
//
// Internal to store/postgres: this header includes libpqxx.
//
// Connect drives libpq's non-blocking connect itself instead of leaving it to pqxx::connection's
// constructor, for three guarantees the constructor does not give:
//   - A deadline. libpq waits without end when the connection string sets no connect_timeout, so
//     one database host that drops packets would hang every call that opens a connection, and the
//     pool slots they hold. Connect gives up after `default_timeout` then (and after
//     connect_timeout, at least 2 s as libpq reads it, when the string sets one; for a string
//     naming several hosts it bounds the whole attempt, not each host).
//   - Telling a refusal of the credentials from every other failure, by the SQLSTATE the server
//     sent (class 28: invalid authorization: 28P01 a wrong password, which is also what SCRAM
//     answers for a user that does not exist; 28000 no pg_hba.conf entry or no such role), never
//     by the message, which the server's lc_messages may translate. libpq keeps no SQLSTATE for a
//     failed connection, so Connect asks for verbose messages while connecting, which put it
//     before the text ("FATAL:  28P01: password authentication failed …"), and reads it there.
//   - No reconnection behind the pool's back. libpqxx 6 reopens a broken connection on its next
//     use with the connection string it was opened with, whose password may have been rotated
//     out since; a connection from Connect stays broken instead (broken_connection), and the
//     pool opens a fresh one from its ConnectionSource.
#pragma once

#include <chrono>
#include <memory>
#include <pqxx/basic_connection>
#include <pqxx/connectionpolicy>
#include <span>
#include <string>
#include <string_view>

#include "common/error.h"
#include "store/postgres/pool_options.h"

namespace practica::store::postgres {

// A statement that every connection of a pool prepares under `name`.
struct PreparedStatement {
  const char* name;
  std::string_view sql;
};

// The libpqxx connection policy of Connect's connections: it takes over the connection that
// Connect opened, and refuses to open another (which libpqxx asks for when a broken connection is
// used again). Only Connect makes these.
class AdoptOpened final : public pqxx::connectionpolicy {
 public:
  explicit AdoptOpened(const std::string& options) : pqxx::connectionpolicy(options) {}
  handle do_startconnect(handle orig) override;
};

// A connection from Connect. Keep it as this type: pqxx::connection_base has no virtual
// destructor, so deleting one through a connection_base pointer would leak the connection.
using Connection = pqxx::basic_connection_base<AdoptOpened>;

// Opens one connection to `connection_string` (a postgresql:// URL or libpq key=value string) and
// defines `statements` on it. Every failure (unreachable or starting server, refused credentials,
// malformed connection string, the deadline) is kUnavailable, with the server's first line of
// explanation, its SQLSTATE when it sent one, and the password redacted. `credentials_refused`,
// when given, is set to whether the server refused the credentials (SQLSTATE class 28).
Result<std::unique_ptr<Connection>> Connect(
    const std::string& connection_string, std::span<const PreparedStatement> statements,
    std::chrono::milliseconds default_timeout = PoolOptions{}.connect_timeout,
    bool* credentials_refused = nullptr);

// The SQLSTATE of a verbose libpq connection error ("… failed: FATAL:  28P01: password …"), the
// last one when several addresses were tried; "" when there is none (the server was not reached).
// Exposed for tests.
std::string ConnectionSqlState(std::string_view message);

}  // namespace practica::store::postgres
