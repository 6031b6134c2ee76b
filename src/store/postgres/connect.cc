#include "store/postgres/connect.h"

#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <pqxx/except>
#include <utility>
#include <vector>

#include "store/postgres/postgres_error.h"

namespace practica::store::postgres {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr std::string_view kContext = "connecting to PostgreSQL";

struct FinishConnection {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
using LibpqConnection = std::unique_ptr<PGconn, FinishConnection>;

// A connection that Connect opened, handed from Adopt to AdoptOpened on the same thread (libpqxx
// constructs the policy itself, from a string, so it cannot be given the connection directly).
thread_local PGconn* t_opened = nullptr;

std::unique_ptr<Connection> Adopt(LibpqConnection opened) {
  t_opened = opened.release();
  try {
    auto connection = std::make_unique<Connection>(std::string());
    return connection;
  } catch (...) {
    if (t_opened != nullptr) PQfinish(std::exchange(t_opened, nullptr));
    throw;
  }
}

// The deadline of one connection attempt: the connection string's connect_timeout (libpq reads 1
// as 2), or `fallback` when it sets none (libpq would wait without end).
milliseconds TimeoutOf(PGconn* connection, milliseconds fallback) {
  PQconninfoOption* options = PQconninfo(connection);
  if (options == nullptr) return fallback;
  milliseconds timeout = fallback;
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (std::strcmp(option->keyword, "connect_timeout") != 0 || option->val == nullptr) continue;
    const std::string_view text(option->val);
    int seconds = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (error == std::errc() && end == text.data() + text.size() && seconds > 0) {
      timeout = std::chrono::seconds(std::max(seconds, 2));
    }
  }
  PQconninfoFree(options);
  return timeout;
}

// Runs libpq's connection state machine (PQconnectPoll) to its end or the deadline. Returns ""
// when connected, else libpq's account of the failure.
std::string Drive(PGconn* connection, milliseconds timeout) {
  const steady_clock::time_point deadline = steady_clock::now() + timeout;
  // libpq: right after PQconnectStart, behave as if PQconnectPoll had said "writing".
  PostgresPollingStatusType state = PGRES_POLLING_WRITING;
  while (true) {
    if (state == PGRES_POLLING_OK) return {};
    if (state == PGRES_POLLING_FAILED) return PQerrorMessage(connection);
    // The socket changes when libpq moves on to the next address or host.
    const int socket = PQsocket(connection);
    if (socket < 0) return PQerrorMessage(connection);
    const auto left = std::chrono::ceil<milliseconds>(deadline - steady_clock::now());
    if (left.count() <= 0) {
      return "no answer from the server within " + std::to_string(timeout.count()) +
             " ms (connect_timeout)";
    }
    pollfd waiting{socket, static_cast<short>(state == PGRES_POLLING_READING ? POLLIN : POLLOUT),
                   0};
    const int ready = ::poll(&waiting, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) return std::string("poll: ") + std::strerror(errno);
    if (ready > 0) state = PQconnectPoll(connection);
  }
}

bool IsSqlStateChar(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); }

// Where a verbose message's SQLSTATE ("FATAL:  28P01: ") starts at `at`, a position just past a
// severity's ":  ".
bool SqlStateAt(std::string_view message, size_t at) {
  if (at + 7 > message.size()) return false;
  for (size_t i = at; i < at + 5; ++i) {
    if (!IsSqlStateChar(message[i])) return false;
  }
  return message.substr(at + 5, 2) == ": ";
}

// The failure as the caller sees it: the line that has the server's answer (else the first), the
// SQLSTATE moved to the end, the password redacted.
Error ConnectError(std::string_view message, const std::string& connection_string,
                   const std::string& sqlstate) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < message.size();) {
    const size_t end = std::min(message.find('\n', start), message.size());
    lines.push_back(message.substr(start, end - start));
    start = end + 1;
  }
  std::string line = lines.empty() ? std::string("the connection failed") : std::string(lines[0]);
  if (!sqlstate.empty()) {
    const std::string marker = ":  " + sqlstate + ": ";
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
      const size_t at = it->find(marker);
      if (at == std::string_view::npos) continue;
      line = std::string(it->substr(0, at + 3)) + std::string(it->substr(at + marker.size()));
      break;
    }
  }
  Error error = MapPostgresError(pqxx::broken_connection(line), kContext, connection_string);
  if (!sqlstate.empty()) error.message += " (SQLSTATE " + sqlstate + ")";
  return error;
}

}  // namespace

AdoptOpened::handle AdoptOpened::do_startconnect(handle orig) {
  if (orig != nullptr) return orig;
  handle opened = std::exchange(t_opened, nullptr);
  if (opened == nullptr) throw pqxx::broken_connection("the connection to PostgreSQL was lost");
  return opened;
}

std::string ConnectionSqlState(std::string_view message) {
  std::string found;
  for (size_t at = message.find(":  "); at != std::string_view::npos;
       at = message.find(":  ", at + 1)) {
    if (SqlStateAt(message, at + 3)) found = std::string(message.substr(at + 3, 5));
  }
  return found;
}

Result<std::unique_ptr<Connection>> Connect(const std::string& connection_string,
                                            std::span<const PreparedStatement> statements,
                                            milliseconds default_timeout,
                                            bool* credentials_refused) {
  if (credentials_refused != nullptr) *credentials_refused = false;
  LibpqConnection opened(PQconnectStart(connection_string.c_str()));
  if (opened == nullptr) return Error::Unavailable(std::string(kContext) + ": out of memory");
  // Set before libpq reads the server's first answer, which PQconnectStart has not done yet.
  PQsetErrorVerbosity(opened.get(), PQERRORS_VERBOSE);
  std::string failure = PQstatus(opened.get()) == CONNECTION_BAD
                            ? std::string(PQerrorMessage(opened.get()))
                            : Drive(opened.get(), TimeoutOf(opened.get(), default_timeout));
  if (PQstatus(opened.get()) != CONNECTION_OK) {
    const std::string sqlstate = ConnectionSqlState(failure);
    if (credentials_refused != nullptr) *credentials_refused = sqlstate.starts_with("28");
    return ConnectError(failure, connection_string, sqlstate);
  }
  PQsetErrorVerbosity(opened.get(), PQERRORS_DEFAULT);
  try {
    std::unique_ptr<Connection> connection = Adopt(std::move(opened));
    for (const PreparedStatement& statement : statements) {
      connection->prepare(statement.name, std::string(statement.sql));
    }
    return connection;
  } catch (const std::exception& error) {
    return MapPostgresError(error, kContext, connection_string);
  }
}

}  // namespace practica::store::postgres
