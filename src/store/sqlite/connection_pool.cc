#include "store/sqlite/connection_pool.h"

#include <utility>

namespace practica::store::sqlite {

ConnectionPool::Lease::Lease(ConnectionPool* pool, std::unique_ptr<Database> database)
    : pool_(pool), database_(std::move(database)) {}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), database_(std::move(other.database_)) {}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr && database_ != nullptr) pool_->Return(std::move(database_));
}

ConnectionPool::ConnectionPool(std::filesystem::path file, DatabaseOptions options, int max_size)
    : file_(std::move(file)), options_(options), max_size_(max_size < 1 ? 1 : max_size) {}

Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [this] { return !idle_.empty() || open_count_ < max_size_; });
    if (!idle_.empty()) {
      std::unique_ptr<Database> database = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(database));
    }
    ++open_count_;  // reserve the slot, then open outside the lock (opening does file I/O)
  }
  Result<std::unique_ptr<Database>> opened = Database::Open(file_, options_);
  if (!opened.ok()) {
    {
      std::lock_guard lock(mutex_);
      --open_count_;
    }
    returned_.notify_one();
    return std::move(opened).error();
  }
  return Lease(this, std::move(opened).value());
}

void ConnectionPool::Return(std::unique_ptr<Database> database) {
  {
    std::lock_guard lock(mutex_);
    // A connection is returned between calls, so no transaction should be open; if a bug left one
    // open, dropping the connection rolls it back rather than leaking it to the next caller.
    if (database->InTransaction()) {
      --open_count_;
      database.reset();
    } else {
      idle_.push_back(std::move(database));
    }
  }
  returned_.notify_one();
}

}  // namespace practica::store::sqlite
