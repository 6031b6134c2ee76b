// A bounded pool of connections to one PostgreSQL database, and the one place that runs a store's
// work on them: retries, reconnection and the mapping of libpqxx's exceptions to Error values.
//
// Internal to store/postgres: this header includes libpqxx, so only the adapters' .cc files
// include it, and nothing outside store/postgres compiles against libpqxx.
//
// Guarantees:
//   - At most PoolOptions::max_connections connections exist. Acquire hands out an idle one
//     (most recently used first), opens a new one while below the limit, or waits up to
//     acquire_timeout for one to come back, then fails with kUnavailable.
//   - Each new connection asks the ConnectionSource for its connection string, and opening it
//     takes at most PoolOptions::connect_timeout when the string sets no connect_timeout
//     (connect.h). When the server refuses the credentials (SQLSTATE class 28), the pool asks the
//     source once more with refresh=true (the password may have been rotated) and, if that gives a
//     different string, connects once more with it. A second refusal, or the same string again,
//     is kUnavailable saying the credentials were refused: never the password, never the string.
//   - A connection found broken (the server restarted, pg_terminate_backend, a network cut) is
//     closed and not returned, and so are the idle ones, which the same event has most likely
//     broken too; the next Acquire opens fresh ones. So the store recovers by itself once the
//     server is back, without a restart of the program. While the server is down, a call fails
//     as fast as connecting fails (a refused TCP connection: at once).
//   - Autocommit and Transact retry work whose failure left nothing behind: on a connection that
//     had been idle in the pool and turned out dead (the work never reached the server, or its
//     transaction died with the connection), and after a serialization failure or deadlock
//     (40001, 40P01; with jittered backoff), at most kMaxAttempts times in all. A connection that
//     breaks during COMMIT is never retried: the outcome is unknown, and the caller gets
//     kUnavailable saying so.
//   - Statements are prepared: each connection defines the pool's PreparedStatements when it
//     opens, and libpqxx prepares each on the server at its first use.
//
// Thread-safe: any thread may call Acquire, Autocommit and Transact concurrently; a connection
// serves one thread at a time. The source is called without the pool's lock held.
#pragma once

#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <pqxx/nontransaction>
#include <pqxx/transaction>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/error.h"
#include "store/postgres/connect.h"
#include "store/postgres/connection_source.h"
#include "store/postgres/pool_options.h"

namespace practica::store::postgres {

class ConnectionPool {
 public:
  // An open connection, and the connection string it was opened with: the password Recover
  // redacts from messages (the source may have moved on to another since).
  struct Pooled {
    std::unique_ptr<Connection> link;
    std::string connection_string;
  };

  // A connection lent to one caller; returned to the pool on destruction unless discarded.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    Connection& operator*() const { return *connection_.link; }
    Connection* operator->() const { return connection_.link.get(); }
    // Whether the connection served earlier callers (and may have died while idle).
    bool reused() const { return reused_; }
    const std::string& connection_string() const { return connection_.connection_string; }
    // The connection is broken: close it rather than return it.
    void Discard();

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, Pooled connection, bool reused);
    ConnectionPool* pool_;
    Pooled connection_;
    bool reused_;
  };

  // `statements` must outlive the pool. REQUIRES: options.max_connections >= 1.
  ConnectionPool(ConnectionSource source, PoolOptions options,
                 std::span<const PreparedStatement> statements);
  // REQUIRES: every Lease has been destroyed.
  ~ConnectionPool() = default;
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  Result<Lease> Acquire();

  // Runs `work(pqxx::transaction_base&)`, which returns a Status or a Result<T>, and returns what
  // it returned, or the Error of a failure it threw (after the retries above). `work` may run
  // more than once, so it must not have effects outside the database.
  //   Autocommit: no transaction, one round trip; for ONE statement (which sees one snapshot by
  //               itself) that may run twice: a read, or a write that sets a value (a retry after
  //               a lost reply must not change the answer).
  //   Transact:   one READ COMMITTED transaction, committed when `work` succeeds and rolled back
  //               when it returns an error. READ COMMITTED takes a new snapshot per statement, so
  //               work that checks before it writes locks what it checked (SELECT … FOR UPDATE,
  //               or a conditional UPDATE, which the server re-checks after waiting for a lock).
  //   Snapshot:   one READ ONLY REPEATABLE READ transaction: every statement of `work` reads the
  //               snapshot its first statement took (reads that take several statements).
  template <class Work>
  auto Autocommit(Work&& work) {
    return Run<pqxx::nontransaction>(work);
  }
  template <class Work>
  auto Transact(Work&& work) {
    return Run<pqxx::work>(work);
  }
  template <class Work>
  auto Snapshot(Work&& work) {
    return Run<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(work);
  }

 private:
  static constexpr int kMaxAttempts = 4;

  template <class Transaction, class Work>
  auto Run(Work& work) {
    using Outcome = std::invoke_result_t<Work&, pqxx::transaction_base&>;
    for (int attempt = 1;; ++attempt) {
      Result<Lease> lease = Acquire();
      if (!lease.ok()) return Outcome(std::move(lease).error());
      try {
        Transaction transaction(**lease);
        Outcome outcome = work(static_cast<pqxx::transaction_base&>(transaction));
        if (outcome.ok()) transaction.commit();
        return outcome;  // on an error, the transaction's destructor rolls it back
      } catch (...) {
        std::optional<Error> error = Recover(std::current_exception(), *lease, attempt);
        if (error) return Outcome(std::move(*error));
      }
    }
  }

  // After work on `lease` threw `failure` in attempt `attempt`: nullopt to run it again, else the
  // Error to return. Discards the connection (and the idle ones) when it is broken.
  std::optional<Error> Recover(const std::exception_ptr& failure, Lease& lease, int attempt);
  // Opens a connection with the source's connection string, reading it again once when the
  // server refuses the credentials. Called without mutex_ held.
  Result<Pooled> Open();
  void Return(Pooled connection);
  void Forget();  // a lent connection was discarded
  void DiscardIdle();

  const ConnectionSource source_;
  const PoolOptions options_;
  const std::span<const PreparedStatement> statements_;

  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<Pooled> idle_;  // GUARDED_BY(mutex_)
  int open_count_ = 0;        // GUARDED_BY(mutex_): idle, lent out, or being opened
};

}  // namespace practica::store::postgres
