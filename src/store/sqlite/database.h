// A thin RAII layer over one SQLite connection: opening with the project's durability settings,
// cached prepared statements with bound parameters, scoped transactions, and SQLite result codes
// turned into Error values.
//
// Every connection is opened with
//   journal_mode=WAL   readers never block the writer and the writer never blocks readers;
//   synchronous=FULL   COMMIT returns only after the WAL is fsync'ed: an acknowledged write
//                      survives a power cut (DESIGN.md "Data");
//   foreign_keys=ON    the schema's REFERENCES clauses are enforced;
//   busy_timeout       another connection (or process) holding the write lock is waited for, up
//                      to the timeout, before a call fails with kUnavailable.
//
// Error mapping (MapSqliteError): SQLITE_CONSTRAINT → kConflict; SQLITE_FULL, SQLITE_IOERR,
// SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_NOMEM → kUnavailable (with a
// message that says which); anything else (corrupt file, misuse, a bug) → kInternal.
//
// Thread rules: a Database, and the Statements and Transactions it hands out, are used by one
// thread at a time (the connection is opened in SQLite's multi-thread mode, without its internal
// mutex). Different Database objects may be used concurrently, including on the same file.
// No SQLite header is included here, so users of this header do not depend on sqlite3.h.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace practica::store::sqlite {

struct DatabaseOptions {
  // How long a call waits for another connection's write lock before failing with kUnavailable.
  std::chrono::milliseconds busy_timeout{5000};
  // A reader: PRAGMA query_only, so a bug cannot write through it; journal mode left as is.
  bool read_only = false;
  // Create the file when it does not exist (the directory must exist).
  bool create = true;
};

// Turns an SQLite (extended) result code into an Error. `context` says what was being done
// ("preparing …", "opening /path"); `detail` is sqlite3_errmsg's text, when there is one.
Error MapSqliteError(int extended_code, std::string_view context, std::string_view detail = {});

class Database;

// One use of a prepared statement. Binding is 1-based, like SQLite's ?NNN parameters; a failed
// Bind is reported by the next Step or Run, so binds can be chained without checks between them.
// Column accessors are 0-based and valid only after Step returned true; a string_view from
// ColumnText lives until the next Step or the Statement's destruction.
// Destruction resets the statement (ending the read it may hold open) and returns it to the
// connection's cache. REQUIRES: the Database outlives the Statement.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& BindText(int index, std::string_view text);
  Statement& BindInt(int index, int64_t value);
  Statement& BindDouble(int index, double value);
  Statement& BindNull(int index);

  // Advances to the next row: true when a row is available, false when the statement is done.
  Result<bool> Step();
  // Steps until done, discarding any rows (INSERT, UPDATE, DELETE, DDL).
  Status Run();

  int64_t ColumnInt(int column) const;
  double ColumnDouble(int column) const;
  std::string_view ColumnText(int column) const;
  std::string ColumnString(int column) const { return std::string(ColumnText(column)); }
  bool ColumnIsNull(int column) const;

 private:
  friend class Database;
  Statement(Database* database, sqlite3_stmt* statement, bool* cache_in_use);
  void Release();

  Database* database_ = nullptr;
  sqlite3_stmt* statement_ = nullptr;
  // The cache entry's "in use" flag when the Database's cache owns the statement; nullptr when
  // this Statement owns it and finalizes it.
  bool* cache_in_use_ = nullptr;
  int bind_error_ = 0;  // the first failed bind's result code, reported by Step
  int bind_error_index_ = 0;
};

enum class TransactionMode {
  kDeferred,   // BEGIN: a read snapshot from the first read; for reads only
  kImmediate,  // BEGIN IMMEDIATE: takes the write lock now, so the transaction cannot fail with
               // SQLITE_BUSY halfway through when it starts writing
};

// A transaction that rolls back unless Commit succeeded. REQUIRES: the Database outlives it.
class Transaction {
 public:
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status Commit();

 private:
  friend class Database;
  explicit Transaction(Database* database) : database_(database) {}
  Database* database_;
};

class Database {
 public:
  // Opens (and by default creates) `file` and applies the settings above. A file that is not an
  // SQLite database fails here, not on first use.
  static Result<std::unique_ptr<Database>> Open(const std::filesystem::path& file,
                                                const DatabaseOptions& options);
  static Result<std::unique_ptr<Database>> Open(const std::filesystem::path& file) {
    return Open(file, DatabaseOptions{});
  }

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  // REQUIRES: no Statement or Transaction of this Database is alive.
  ~Database();

  // Runs one or more SQL statements that take no parameters: DDL, PRAGMAs. Never pass it text
  // that contains data; use Prepare and Bind*.
  Status Execute(std::string_view sql);

  // A prepared statement for `sql` (one statement), compiled on first use and cached for the
  // life of the connection. If the cached one is in use (a nested use of the same SQL), a fresh
  // one is compiled for this use.
  Result<Statement> Prepare(std::string_view sql);

  Result<Transaction> Begin(TransactionMode mode);

  // True while a transaction is open on this connection.
  bool InTransaction() const;

  // The value of an integer PRAGMA (user_version, foreign_keys, synchronous, …).
  Result<int64_t> PragmaInt(std::string_view pragma);

  const std::filesystem::path& file() const { return file_; }

  // The Error for result code `rc` on this connection, with sqlite3_errmsg's detail.
  Error LastError(int rc, std::string_view context) const;

 private:
  friend class Statement;
  Database(sqlite3* connection, std::filesystem::path file);

  sqlite3* connection_;
  std::filesystem::path file_;
  struct CachedStatement {
    sqlite3_stmt* statement = nullptr;
    bool in_use = false;
  };
  std::map<std::string, CachedStatement, std::less<>> cache_;
};

}  // namespace practica::store::sqlite
