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

ConnectionPool::Lease::Lease(ConnectionPool* pool, Pooled connection, bool reused)
    : pool_(pool), connection_(std::move(connection)), reused_(reused) {}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      connection_(std::move(other.connection_)),
      reused_(other.reused_) {}

ConnectionPool::Lease::~Lease() {
  if (pool_ == nullptr) return;  // moved from
  if (connection_.link) {
    pool_->Return(std::move(connection_));
  } else {
    pool_->Forget();
  }
}

void ConnectionPool::Lease::Discard() { connection_.link.reset(); }

ConnectionPool::ConnectionPool(ConnectionSource source, PoolOptions options,
                               std::span<const PreparedStatement> statements)
    : source_(std::move(source)), options_(options), statements_(statements) {}

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
    Pooled connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(connection), true);
  }
  ++open_count_;  // the slot is ours while we connect, outside the lock
  lock.unlock();
  Result<Pooled> connection = Open();
  if (!connection.ok()) {
    Forget();
    return std::move(connection).error();
  }
  return Lease(this, std::move(connection).value(), false);
}

Result<ConnectionPool::Pooled> ConnectionPool::Open() {
  // A source that cannot answer (Secrets Manager unreachable, a malformed secret) means no
  // database for this call, whatever the kind of its error.
  const auto unavailable = [](Error error) {
    error.code = ErrorCode::kUnavailable;
    return error;
  };
  Result<std::string> target = source_(false);
  if (!target.ok()) return unavailable(std::move(target).error());
  bool refused = false;
  auto connection = Connect(*target, statements_, options_.connect_timeout, &refused);
  if (connection.ok()) return Pooled{std::move(connection).value(), std::move(target).value()};
  if (!refused) return std::move(connection).error();

  // The server refused the credentials: they may have been rotated since the source read them.
  Result<std::string> fresh = source_(true);
  if (!fresh.ok()) {
    return Error::Unavailable(connection.error().message +
                              "; reading the credentials again failed: " + fresh.error().message);
  }
  if (*fresh == *target) {
    return Error::Unavailable(connection.error().message +
                              "; the credentials, read again, are the same");
  }
  connection = Connect(*fresh, statements_, options_.connect_timeout, &refused);
  if (connection.ok()) return Pooled{std::move(connection).value(), std::move(fresh).value()};
  if (!refused) return std::move(connection).error();
  return Error::Unavailable(connection.error().message +
                            "; the credentials were refused again after reading them again");
}

void ConnectionPool::Return(Pooled connection) {
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
  std::vector<Pooled> discarded;
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
  const std::string& connection_string = lease.connection_string();
  try {
    std::rethrow_exception(failure);
  } catch (const pqxx::in_doubt_error& error) {
    lease.Discard();
    return MapPostgresError(error, kContext, connection_string);
  } catch (const pqxx::statement_completion_unknown& error) {
    lease.Discard();
    return MapPostgresError(error, kContext, connection_string);
  } catch (const pqxx::transaction_rollback& error) {
    if (attempt >= kMaxAttempts) return MapPostgresError(error, kContext, connection_string);
    BackOff(attempt);
    return std::nullopt;
  } catch (const std::exception& error) {
    // A terminated backend shows up as broken_connection, or as an SQL error (57P01) after which
    // the connection is closed.
    const bool broken =
        dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr || !lease->is_open();
    if (!broken) return MapPostgresError(error, kContext, connection_string);
    const bool was_idle = lease.reused();
    lease.Discard();
    DiscardIdle();
    // A connection that died while idle says nothing about the server now: try a fresh one. A
    // fresh connection that breaks does: the server is gone.
    if (was_idle && attempt < kMaxAttempts) return std::nullopt;
    return MapPostgresError(error, kContext, connection_string);
  }
}

}  // namespace practica::store::postgres
