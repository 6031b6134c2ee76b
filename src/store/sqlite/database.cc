#include "store/sqlite/database.h"

#include <sqlite3.h>

#include <climits>
#include <utility>

namespace practica::store::sqlite {
namespace {

// SQL text in error messages: enough to recognise the statement, not a wall of DDL.
std::string Abbreviated(const char* sql) {
  std::string text = sql != nullptr ? sql : "";
  constexpr size_t kMax = 80;
  if (text.size() > kMax) text = text.substr(0, kMax) + "…";
  return text;
}

}  // namespace

Error MapSqliteError(int extended_code, std::string_view context, std::string_view detail) {
  std::string message(context);
  auto with = [&](std::string_view explanation) {
    message += ": ";
    message += explanation;
    if (!detail.empty()) {
      message += " (";
      message += detail;
      message += ")";
    }
    return std::move(message);
  };
  switch (extended_code & 0xff) {
    case SQLITE_CONSTRAINT:
      return Error::Conflict(with("constraint violated"));
    case SQLITE_FULL:
      return Error::Unavailable(with("the disk is full (or the database reached its size limit)"));
    case SQLITE_IOERR:
      return Error::Unavailable(
          with("I/O error on the database file (code " + std::to_string(extended_code) + ")"));
    case SQLITE_BUSY:
      return Error::Unavailable(
          with("the database is locked by another connection and the busy timeout expired"));
    case SQLITE_LOCKED:
      return Error::Unavailable(with("a table is locked by another statement"));
    case SQLITE_CANTOPEN:
      return Error::Unavailable(with("cannot open the database file"));
    case SQLITE_READONLY:
      return Error::Unavailable(with("the database file is read-only"));
    case SQLITE_NOMEM:
      return Error::Unavailable(with("out of memory"));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Error::Internal(with("the file is corrupt or not an SQLite database"));
    default:
      return Error::Internal(with(sqlite3_errstr(extended_code)));
  }
}

// Statement ------------------------------------------------------------------------------------

Statement::Statement(Database* database, sqlite3_stmt* statement, bool* cache_in_use)
    : database_(database), statement_(statement), cache_in_use_(cache_in_use) {}

Statement::Statement(Statement&& other) noexcept
    : database_(std::exchange(other.database_, nullptr)),
      statement_(std::exchange(other.statement_, nullptr)),
      cache_in_use_(std::exchange(other.cache_in_use_, nullptr)),
      bind_error_(other.bind_error_),
      bind_error_index_(other.bind_error_index_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    Release();
    database_ = std::exchange(other.database_, nullptr);
    statement_ = std::exchange(other.statement_, nullptr);
    cache_in_use_ = std::exchange(other.cache_in_use_, nullptr);
    bind_error_ = other.bind_error_;
    bind_error_index_ = other.bind_error_index_;
  }
  return *this;
}

Statement::~Statement() { Release(); }

void Statement::Release() {
  if (statement_ == nullptr) return;
  if (cache_in_use_ != nullptr) {
    // Resetting ends the implicit read transaction an unfinished SELECT holds open, which would
    // otherwise pin an old snapshot and keep the WAL from being checkpointed.
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
    *cache_in_use_ = false;
  } else {
    sqlite3_finalize(statement_);
  }
  statement_ = nullptr;
  cache_in_use_ = nullptr;
}

Statement& Statement::BindText(int index, std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies the bytes, so the caller's buffer need not outlive Step.
  // A null data pointer would bind SQL NULL; an empty view (std::string_view{}) means ''.
  const char* data = text.data() != nullptr ? text.data() : "";
  const int rc = text.size() > INT_MAX
                     ? SQLITE_TOOBIG
                     : sqlite3_bind_text(statement_, index, data, static_cast<int>(text.size()),
                                         SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_ == 0) {
    bind_error_ = rc;
    bind_error_index_ = index;
  }
  return *this;
}

Statement& Statement::BindInt(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(statement_, index, value);
  if (rc != SQLITE_OK && bind_error_ == 0) {
    bind_error_ = rc;
    bind_error_index_ = index;
  }
  return *this;
}

Statement& Statement::BindDouble(int index, double value) {
  const int rc = sqlite3_bind_double(statement_, index, value);
  if (rc != SQLITE_OK && bind_error_ == 0) {
    bind_error_ = rc;
    bind_error_index_ = index;
  }
  return *this;
}

Statement& Statement::BindNull(int index) {
  const int rc = sqlite3_bind_null(statement_, index);
  if (rc != SQLITE_OK && bind_error_ == 0) {
    bind_error_ = rc;
    bind_error_index_ = index;
  }
  return *this;
}

Result<bool> Statement::Step() {
  if (bind_error_ != 0) {
    return MapSqliteError(bind_error_, "binding parameter " + std::to_string(bind_error_index_) +
                                           " of " + Abbreviated(sqlite3_sql(statement_)));
  }
  const int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return database_->LastError(rc, "running " + Abbreviated(sqlite3_sql(statement_)));
}

Status Statement::Run() {
  while (true) {
    Result<bool> row = Step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return Status::Ok();
  }
}

int64_t Statement::ColumnInt(int column) const { return sqlite3_column_int64(statement_, column); }

double Statement::ColumnDouble(int column) const {
  return sqlite3_column_double(statement_, column);
}

std::string_view Statement::ColumnText(int column) const {
  // sqlite3_column_text before sqlite3_column_bytes, as SQLite's documentation prescribes.
  const unsigned char* text = sqlite3_column_text(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text), static_cast<size_t>(size)};
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

// Transaction ----------------------------------------------------------------------------------

Transaction::Transaction(Transaction&& other) noexcept
    : database_(std::exchange(other.database_, nullptr)) {}

// NOLINTNEXTLINE(bugprone-exception-escape): only std::bad_alloc can escape; terminating is right.
Transaction::~Transaction() {
  if (database_ == nullptr || !database_->InTransaction()) return;
  // A failed ROLLBACK leaves nothing better to do: SQLite rolls the transaction back itself when
  // the connection closes or the next BEGIN fails.
  if (Result<Statement> rollback = database_->Prepare("ROLLBACK"); rollback.ok()) {
    (void)rollback->Run();
  }
}

Status Transaction::Commit() {
  if (database_ == nullptr) return Error::Internal("Commit on a finished transaction");
  Result<Statement> commit = database_->Prepare("COMMIT");
  if (!commit.ok()) return std::move(commit).error();
  Status status = commit->Run();
  // On failure the transaction may still be open; the destructor rolls it back.
  if (status.ok()) database_ = nullptr;
  return status;
}

// Database -------------------------------------------------------------------------------------

Database::Database(sqlite3* connection, std::filesystem::path file)
    : connection_(connection), file_(std::move(file)) {}

Database::~Database() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.statement);
  // sqlite3_close_v2 defers the close if a statement were still alive instead of failing.
  sqlite3_close_v2(connection_);
}

Result<std::unique_ptr<Database>> Database::Open(const std::filesystem::path& file,
                                                 const DatabaseOptions& options) {
  // NOMUTEX: SQLite's multi-thread mode. The header's thread rule (one thread at a time per
  // connection) makes the per-connection mutex redundant.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (options.create) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error =
        MapSqliteError(raw != nullptr ? sqlite3_extended_errcode(raw) : rc,
                       "opening " + file.string(), raw != nullptr ? sqlite3_errmsg(raw) : "");
    sqlite3_close_v2(raw);
    return error;
  }
  std::unique_ptr<Database> database(new Database(raw, file));
  sqlite3_extended_result_codes(raw, 1);
  const auto timeout = options.busy_timeout.count();
  sqlite3_busy_timeout(raw, timeout > INT_MAX ? INT_MAX : static_cast<int>(timeout));

  auto fail = [&file](const Error& error) {
    return Error{error.code, "opening " + file.string() + ": " + error.message, {}};
  };
  // Reading the schema makes a file that is not a database fail here rather than on first use.
  if (Status s = database->Execute("SELECT count(*) FROM sqlite_schema"); !s.ok()) {
    return fail(s.error());
  }
  if (!options.read_only) {
    Result<Statement> journal = database->Prepare("PRAGMA journal_mode = WAL");
    if (!journal.ok()) return fail(journal.error());
    Result<bool> row = journal->Step();
    if (!row.ok()) return fail(row.error());
    const std::string mode = *row ? journal->ColumnString(0) : "";
    if (mode != "wal") {
      return Error::Unavailable("opening " + file.string() +
                                ": could not switch to WAL mode (journal_mode is \"" + mode +
                                "\"); the file system may not support shared memory");
    }
  }
  // Reads go through a memory map instead of a read() per page, and up to 32 MiB of pages stay
  // cached per connection (the cache grows only with use). Durability is unchanged: every commit
  // still fsyncs the WAL (synchronous = FULL).
  std::string settings =
      "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA mmap_size = 268435456; "
      "PRAGMA cache_size = -32768;";
  if (options.read_only) settings += " PRAGMA query_only = ON;";
  if (Status s = database->Execute(settings); !s.ok()) return fail(s.error());
  return database;
}

Status Database::Execute(std::string_view sql) {
  const std::string text(sql);  // sqlite3_exec wants a NUL-terminated string
  char* message = nullptr;
  const int rc = sqlite3_exec(connection_, text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Status::Ok();
  const std::string detail = message != nullptr ? message : "";
  sqlite3_free(message);
  return MapSqliteError(sqlite3_extended_errcode(connection_),
                        "executing " + Abbreviated(text.c_str()), detail);
}

Result<Statement> Database::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Statement(this, it->second.statement, &it->second.in_use);
  }
  if (sql.size() > INT_MAX) return Error::Invalid("SQL text too long");
  sqlite3_stmt* statement = nullptr;
  const char* tail = nullptr;
  // PERSISTENT tells SQLite the statement will be reused many times (it allocates accordingly).
  const unsigned flags = it == cache_.end() ? SQLITE_PREPARE_PERSISTENT : 0;
  const int rc = sqlite3_prepare_v3(connection_, sql.data(), static_cast<int>(sql.size()), flags,
                                    &statement, &tail);
  if (rc != SQLITE_OK) {
    return LastError(rc, "preparing " + Abbreviated(std::string(sql).c_str()));
  }
  const std::string_view rest = sql.substr(static_cast<size_t>(tail - sql.data()));
  if (statement == nullptr || rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
    sqlite3_finalize(statement);
    return Error::Internal("Prepare takes exactly one SQL statement: " +
                           Abbreviated(std::string(sql).c_str()));
  }
  if (it != cache_.end()) return Statement(this, statement, nullptr);  // nested use
  CachedStatement& cached =
      cache_.emplace(std::string(sql), CachedStatement{statement, true}).first->second;
  return Statement(this, statement, &cached.in_use);
}

Result<Transaction> Database::Begin(TransactionMode mode) {
  Result<Statement> begin =
      Prepare(mode == TransactionMode::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  if (!begin.ok()) return std::move(begin).error();
  if (Status s = begin->Run(); !s.ok()) return std::move(s).error();
  return Transaction(this);
}

bool Database::InTransaction() const { return sqlite3_get_autocommit(connection_) == 0; }

Result<int64_t> Database::PragmaInt(std::string_view pragma) {
  // PRAGMA names cannot be bound as parameters; accept only a bare name, never data.
  if (pragma.empty() ||
      pragma.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string_view::npos) {
    return Error::Internal("not a PRAGMA name: " + std::string(pragma));
  }
  Result<Statement> statement = Prepare("PRAGMA " + std::string(pragma));
  if (!statement.ok()) return std::move(statement).error();
  Result<bool> row = statement->Step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return Error::Internal("PRAGMA " + std::string(pragma) + " returned no row");
  return statement->ColumnInt(0);
}

Error Database::LastError(int rc, std::string_view context) const {
  return MapSqliteError(rc, context, sqlite3_errmsg(connection_));
}

}  // namespace practica::store::sqlite
