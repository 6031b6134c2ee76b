// A bounded pool of reader connections to one SQLite file.
//
// WAL mode lets any number of connections read while one writes, each from its own snapshot, but a
// connection serves one thread at a time. The pool opens connections lazily, up to `max_size`,
// keeps them (and their cached prepared statements) for reuse, and makes callers wait when all are
// lent out. Thread-safe: Acquire may be called from any thread.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "common/error.h"
#include "store/sqlite/database.h"

namespace practica::store::sqlite {

class ConnectionPool {
 public:
  // A connection lent to one caller; returned to the pool on destruction.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    Database& operator*() const { return *database_; }
    Database* operator->() const { return database_.get(); }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<Database> database);
    ConnectionPool* pool_;
    std::unique_ptr<Database> database_;
  };

  // REQUIRES: max_size >= 1.
  ConnectionPool(std::filesystem::path file, DatabaseOptions options, int max_size);
  // REQUIRES: every Lease has been destroyed.
  ~ConnectionPool() = default;

  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // An idle connection, or a newly opened one while fewer than max_size exist, or else the first
  // one returned. Fails only when opening a connection fails.
  Result<Lease> Acquire();

 private:
  void Return(std::unique_ptr<Database> database);

  const std::filesystem::path file_;
  const DatabaseOptions options_;
  const int max_size_;

  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Database>> idle_;  // GUARDED_BY(mutex_)
  int open_count_ = 0;  // GUARDED_BY(mutex_): idle, lent out, or being opened
};

}  // namespace practica::store::sqlite
