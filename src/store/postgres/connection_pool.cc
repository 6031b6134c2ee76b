#include "store/postgres/connection_pool.h"

#include <pqxx/except>
#include <random>
#include <thread>
#include <utility>

#include "store/postgres/postgres_error.h"

namespace practica::store::postgres {
namespace {

// Full jitter over an exponentially growing window (5, 10, 20 ms): transactions that collided
// do not collide again in lockstep.
void BackOff(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  const int window_ms = 5 << (attempt - 1);
  std::uniform_int_distribution<int> delay(0, window_ms);
  std::this_thread::sleep_for(std::chrono::milliseconds(delay(random)));
}

}  // namespace

Result<std::unique_ptr<pqxx::connection>> Connect(const std::string& connection_string,
                                                  std::span<const PreparedStatement> statements) {
  try {
    auto connection = std::make_unique<pqxx::connection>(connection_string);
    for (const PreparedStatement& statement : statements) {
      connection->prepare(statement.name, std::string(statement.sql));
    }
    return connection;
  } catch (const std::exception& error) {
    return MapPostgresError(error, "connecting to PostgreSQL", connection_string);
  }
}

ConnectionPool::Lease::Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> connection,
                             bool reused)
    : pool_(pool), connection_(std::move(connection)), reused_(reused) {}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      connection_(std::move(other.connection_)),
      reused_(other.reused_) {}

ConnectionPool::Lease::~Lease() {
  if (pool_ == nullptr) return;  // moved from
  if (connection_) {
    pool_->Return(std::move(connection_));
  } else {
    pool_->Forget();
  }
}

void ConnectionPool::Lease::Discard() { connection_.reset(); }

ConnectionPool::ConnectionPool(std::string connection_string, PoolOptions options,
                               std::span<const PreparedStatement> statements)
    : connection_string_(std::move(connection_string)),
      options_(options),
      statements_(statements) {}

Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  std::unique_lock lock(mutex_);
  const bool ready = available_.wait_for(lock, options_.acquire_timeout, [&] {
    return !idle_.empty() || open_count_ < options_.max_connections;
  });
  if (!ready) {
    return Error::Unavailable("all " + std::to_string(options_.max_connections) +
                              " PostgreSQL connections stayed busy for " +
                              std::to_string(options_.acquire_timeout.count()) + " ms");
  }
  if (!idle_.empty()) {
    std::unique_ptr<pqxx::connection> connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(connection), true);
  }
  ++open_count_;  // the slot is ours while we connect, outside the lock
  lock.unlock();
  Result<std::unique_ptr<pqxx::connection>> connection = Connect(connection_string_, statements_);
  if (!connection.ok()) {
    Forget();
    return std::move(connection).error();
  }
  return Lease(this, std::move(connection).value(), false);
}

void ConnectionPool::Return(std::unique_ptr<pqxx::connection> connection) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  available_.notify_one();
}

void ConnectionPool::Forget() {
  {
    std::lock_guard lock(mutex_);
    --open_count_;
  }
  available_.notify_one();
}

void ConnectionPool::DiscardIdle() {
  std::vector<std::unique_ptr<pqxx::connection>> discarded;
  {
    std::lock_guard lock(mutex_);
    discarded.swap(idle_);
    open_count_ -= static_cast<int>(discarded.size());
  }
  available_.notify_all();
  // `discarded` closes its connections here, outside the lock.
}

std::optional<Error> ConnectionPool::Recover(const std::exception_ptr& failure, Lease& lease,
                                             int attempt) {
  constexpr std::string_view kContext = "PostgreSQL";
  try {
    std::rethrow_exception(failure);
  } catch (const pqxx::in_doubt_error& error) {
    lease.Discard();
    return MapPostgresError(error, kContext, connection_string_);
  } catch (const pqxx::statement_completion_unknown& error) {
    lease.Discard();
    return MapPostgresError(error, kContext, connection_string_);
  } catch (const pqxx::transaction_rollback& error) {
    if (attempt >= kMaxAttempts) return MapPostgresError(error, kContext, connection_string_);
    BackOff(attempt);
    return std::nullopt;
  } catch (const std::exception& error) {
    // A terminated backend shows up as broken_connection, or as an SQL error (57P01) after which
    // the connection is closed.
    const bool broken =
        dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr || !lease->is_open();
    if (!broken) return MapPostgresError(error, kContext, connection_string_);
    const bool was_idle = lease.reused();
    lease.Discard();
    DiscardIdle();
    // A connection that died while idle says nothing about the server now: try a fresh one. A
    // fresh connection that breaks does: the server is gone.
    if (was_idle && attempt < kMaxAttempts) return std::nullopt;
    return MapPostgresError(error, kContext, connection_string_);
  }
}

}  // namespace practica::store::postgres
