// The xAPI outbox: statements queued durably, and a thread that delivers them to the LRS.
//
// Durable: Enqueue returns once the statements are in DATA_DIR/xapi.db, an SQLite file of its
// own (WAL, synchronous=FULL, like every Practica file): the LRS is someone else's server, and
// its outages must not touch practica.db's writer or analytics.db, nor they the outbox. Rows are
// deleted only once the LRS has acknowledged them (stored, or already there: 409) or refused them
// for good (lrs_client.h); so a statement queued before a crash or a restart is sent after it,
// and may be sent twice, which its id makes harmless.
//
// The sender thread takes the oldest rows, up to `max_batch` in one POST (Deliver), in queue
// order. When the LRS cannot take them (network, 5xx, 429, wrong credentials), it waits — the
// Retry-After the LRS asked for, or an exponential back-off with jitter from `first_backoff` to
// `max_backoff` — and tries the same rows again; a refused statement is dropped and logged, so it
// never blocks the queue. Past `max_queued` rows (an LRS gone for days), new statements are
// dropped and counted rather than fill the disk.
//
// Layout (version 1): outbox(seq INTEGER PRIMARY KEY — the queue order, statement_id UNIQUE —
// a statement is queued once, user_id — to forget a learner, statement — the JSON, queued_at).
//
// Thread-safe. The destructor stops the sender (a request in flight ends within the LRS timeout)
// and keeps what is queued.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>
#include <thread>

#include "common/error.h"
#include "xapi/lrs_client.h"
#include "xapi/statement.h"

namespace practica::store::sqlite {
class Database;
}

namespace practica::xapi {

class Outbox {
 public:
  struct Options {
    size_t max_batch = 100;  // statements per POST
    std::chrono::milliseconds first_backoff{1000};
    std::chrono::milliseconds max_backoff{std::chrono::minutes(5)};
    int64_t max_queued = 1'000'000;
  };
  struct Stats {
    int64_t queued = 0;    // rows waiting now
    int64_t sent = 0;      // acknowledged by the LRS (stored or already there)
    int64_t refused = 0;   // refused by the LRS for good, dropped
    int64_t dropped = 0;   // not queued: the outbox was full
    int64_t failures = 0;  // deliveries that ended in "not now"
  };

  // Opens (creating and migrating) `file` and starts the sender, which begins with what an
  // earlier run left queued.
  static Result<std::unique_ptr<Outbox>> Open(const std::filesystem::path& file,
                                              std::unique_ptr<LrsClient> lrs, Options options);
  static Result<std::unique_ptr<Outbox>> Open(const std::filesystem::path& file,
                                              std::unique_ptr<LrsClient> lrs) {
    return Open(file, std::move(lrs), Options{});
  }
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Queues the statements in one transaction (a statement already queued is skipped) and wakes
  // the sender. kUnavailable when the disk fails; Ok, counting them as dropped, when full.
  Status Enqueue(std::span<const Statement> statements);
  // Deletes the learner's queued statements (those handed to the LRS already, or in flight, are
  // beyond recall).
  Status ForgetLearner(std::string_view user_id);
  // Waits until nothing is queued, or `timeout`; whether the queue is empty. For tests and for
  // reporting at shutdown.
  bool WaitUntilEmpty(std::chrono::milliseconds timeout);
  Stats stats() const;

 private:
  Outbox(std::unique_ptr<store::sqlite::Database> db, std::unique_ptr<LrsClient> lrs,
         Options options, int64_t queued);
  void Run();
  // One delivery of the oldest rows: nothing when it went through, else the answer that said
  // "not now" (with the wait the LRS asked for, if any).
  std::optional<LrsAnswer> SendOnce();
  std::chrono::milliseconds Backoff(int failures_in_a_row, std::chrono::milliseconds asked) const;

  const Options options_;
  std::unique_ptr<LrsClient> lrs_;

  std::mutex db_mutex_;  // the connection is used by one thread at a time
  std::unique_ptr<store::sqlite::Database> db_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;  // the sender: statements queued, stopping
  std::condition_variable idle_;  // WaitUntilEmpty: a delivery finished
  Stats stats_;                   // queued is the row count
  bool stopping_ = false;
  std::thread sender_;  // last: starts after everything above exists
};

}  // namespace practica::xapi
