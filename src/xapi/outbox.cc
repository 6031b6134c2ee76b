#include "xapi/outbox.h"

#include <algorithm>
#include <optional>
#include <random>
#include <system_error>
#include <vector>

#include "common/log.h"
#include "store/sqlite/database.h"
#include "store/sqlite/migrations.h"

namespace practica::xapi {
namespace {

using namespace std::chrono_literals;
using store::sqlite::Database;
using SqlStatement = store::sqlite::Statement;
using store::sqlite::TransactionMode;

constexpr std::string_view kOutboxTable = R"sql(
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY,
  statement_id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL,
  statement TEXT NOT NULL,
  queued_at INTEGER NOT NULL
);
CREATE INDEX outbox_by_user ON outbox (user_id);
)sql";

constexpr store::Migration kMigrations[] = {{1, "xAPI outbox", kOutboxTable}};

// Rows the last statement changed, on this connection.
Result<int64_t> Changes(Database& db) {
  Result<SqlStatement> changes = db.Prepare("SELECT changes()");
  if (!changes.ok()) return std::move(changes).error();
  Result<bool> row = changes->Step();
  if (!row.ok()) return std::move(row).error();
  return *row ? changes->ColumnInt(0) : 0;
}

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<std::unique_ptr<Outbox>> Outbox::Open(const std::filesystem::path& file,
                                             std::unique_ptr<LrsClient> lrs, Options options) {
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  Result<std::unique_ptr<Database>> db = Database::Open(file);
  if (!db.ok()) return std::move(db).error();
  Result<store::MigrationReport> migrated = store::sqlite::Migrate(**db, kMigrations);
  if (!migrated.ok()) return std::move(migrated).error();
  int64_t queued = 0;
  {
    Result<SqlStatement> count = (*db)->Prepare("SELECT count(*) FROM outbox");
    if (!count.ok()) return std::move(count).error();
    Result<bool> row = count->Step();
    if (!row.ok()) return std::move(row).error();
    queued = count->ColumnInt(0);
  }
  if (queued > 0) log::Info("xAPI statements waiting from an earlier run", {{"queued", queued}});
  return std::unique_ptr<Outbox>(
      new Outbox(std::move(db).value(), std::move(lrs), options, queued));
}

Outbox::Outbox(std::unique_ptr<Database> db, std::unique_ptr<LrsClient> lrs, Options options,
               int64_t queued)
    : options_(options), lrs_(std::move(lrs)), db_(std::move(db)) {
  stats_.queued = queued;
  sender_ = std::thread([this] { Run(); });
}

Outbox::~Outbox() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  sender_.join();
  if (stats_.queued > 0) {
    log::Info("xAPI statements kept for the next start", {{"queued", stats_.queued}});
  }
}

Status Outbox::Enqueue(std::span<const Statement> statements) {
  if (statements.empty()) return Status::Ok();
  std::lock_guard db_lock(db_mutex_);
  size_t room = 0;
  {
    std::lock_guard lock(mutex_);
    room = static_cast<size_t>(std::max<int64_t>(0, options_.max_queued - stats_.queued));
    if (room < statements.size()) {
      stats_.dropped += static_cast<int64_t>(statements.size() - room);
      log::Error("xAPI outbox full: statements dropped",
                 {{"dropped_total", stats_.dropped}, {"queued", stats_.queued}});
    }
  }
  if (room == 0) return Status::Ok();
  statements = statements.first(std::min(room, statements.size()));

  Result<store::sqlite::Transaction> transaction = db_->Begin(TransactionMode::kImmediate);
  if (!transaction.ok()) return std::move(transaction).error();
  const int64_t now = NowSeconds();
  int64_t inserted = 0;
  for (const xapi::Statement& statement : statements) {
    Result<SqlStatement> insert = db_->Prepare(
        "INSERT INTO outbox (statement_id, user_id, statement, queued_at) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (statement_id) DO NOTHING");
    if (!insert.ok()) return std::move(insert).error();
    insert->BindText(1, statement.id)
        .BindText(2, statement.user_id)
        .BindText(3, statement.json)
        .BindInt(4, now);
    if (Status run = insert->Run(); !run.ok()) return run;
    Result<int64_t> changed = Changes(*db_);
    if (!changed.ok()) return std::move(changed).error();
    inserted += *changed;
  }
  if (Status committed = transaction->Commit(); !committed.ok()) return committed;
  {
    std::lock_guard lock(mutex_);
    stats_.queued += inserted;
  }
  wake_.notify_one();
  return Status::Ok();
}

Status Outbox::ForgetLearner(std::string_view user_id) {
  std::lock_guard db_lock(db_mutex_);
  Result<SqlStatement> erase = db_->Prepare("DELETE FROM outbox WHERE user_id = ?1");
  if (!erase.ok()) return std::move(erase).error();
  erase->BindText(1, user_id);
  if (Status run = erase->Run(); !run.ok()) return run;
  Result<int64_t> erased = Changes(*db_);
  if (!erased.ok()) return std::move(erased).error();
  std::lock_guard lock(mutex_);
  stats_.queued -= *erased;
  return Status::Ok();
}

bool Outbox::WaitUntilEmpty(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [&] { return stats_.queued == 0; });
}

Outbox::Stats Outbox::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void Outbox::Run() {
  int failures = 0;  // deliveries in a row that ended in "not now"
  auto last_warning = std::chrono::steady_clock::time_point{};
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || stats_.queued > 0; });
    if (stopping_) return;
    lock.unlock();
    const std::optional<LrsAnswer> not_now = SendOnce();
    lock.lock();
    idle_.notify_all();
    if (!not_now) {
      if (failures > 0) log::Info("xAPI delivery resumed", {{"failed_tries", failures}});
      failures = 0;
      continue;
    }
    ++failures;
    ++stats_.failures;
    const std::chrono::milliseconds wait = Backoff(failures, not_now->retry_after);
    const auto now = std::chrono::steady_clock::now();
    if (failures == 1 || now - last_warning > 1min) {
      last_warning = now;
      log::Warn("xAPI statements not delivered; will retry",
                {{"status", not_now->status},
                 {"detail", not_now->detail},
                 {"queued", stats_.queued},
                 {"failed_tries", failures},
                 {"retry_in_ms", static_cast<int64_t>(wait.count())}});
    }
    wake_.wait_for(lock, wait, [&] { return stopping_; });
  }
}

std::optional<LrsAnswer> Outbox::SendOnce() {
  std::vector<xapi::Statement> batch;
  const auto unreadable = [](const Error& error) {
    LrsAnswer answer;
    answer.detail = "the outbox cannot be read: " + error.message;
    return answer;
  };
  {
    std::lock_guard db_lock(db_mutex_);
    Result<SqlStatement> oldest =
        db_->Prepare("SELECT statement_id, user_id, statement FROM outbox ORDER BY seq LIMIT ?1");
    if (!oldest.ok()) return unreadable(oldest.error());
    oldest->BindInt(1, static_cast<int64_t>(options_.max_batch));
    while (true) {
      Result<bool> row = oldest->Step();
      if (!row.ok()) return unreadable(row.error());
      if (!*row) break;
      batch.push_back({oldest->ColumnString(0), oldest->ColumnString(1), oldest->ColumnString(2)});
    }
  }
  if (batch.empty()) {
    std::lock_guard lock(mutex_);
    stats_.queued = 0;  // forgotten meanwhile
    return std::nullopt;
  }

  const DeliveryReport report = Deliver(*lrs_, batch);

  int64_t removed = 0;
  {
    std::lock_guard db_lock(db_mutex_);
    Status deleted = [&]() -> Status {
      Result<store::sqlite::Transaction> transaction = db_->Begin(TransactionMode::kImmediate);
      if (!transaction.ok()) return std::move(transaction).error();
      for (const std::string& id : report.settled) {
        Result<SqlStatement> erase = db_->Prepare("DELETE FROM outbox WHERE statement_id = ?1");
        if (!erase.ok()) return std::move(erase).error();
        erase->BindText(1, id);
        if (Status run = erase->Run(); !run.ok()) return run;
        Result<int64_t> erased = Changes(*db_);
        if (!erased.ok()) return std::move(erased).error();
        removed += *erased;
      }
      return transaction->Commit();
    }();
    if (!deleted.ok()) {
      // They stay queued and go out again: harmless, their ids make the LRS keep one of each.
      log::Error("xAPI delivered statements not removed from the outbox",
                 {{"error", deleted.error().message}});
      removed = 0;
    }
  }
  std::lock_guard lock(mutex_);
  stats_.queued -= removed;
  stats_.sent += report.stored;
  stats_.refused += report.refused;
  return report.retry;
}

std::chrono::milliseconds Outbox::Backoff(int failures_in_a_row,
                                          std::chrono::milliseconds asked) const {
  if (asked.count() > 0) return std::min<std::chrono::milliseconds>(asked, std::chrono::hours(1));
  // Exponential, with "equal jitter": half the step fixed, half random, so senders that failed
  // together spread out and none retries at once.
  std::chrono::milliseconds step = options_.first_backoff;
  for (int i = 1; i < failures_in_a_row && step < options_.max_backoff; ++i) step *= 2;
  step = std::min(step, options_.max_backoff);
  thread_local std::minstd_rand random{std::random_device{}()};
  const int64_t half = step.count() / 2;
  std::uniform_int_distribution<int64_t> jitter(0, std::max<int64_t>(0, step.count() - half));
  return std::chrono::milliseconds(half + jitter(random));
}

}  // namespace practica::xapi
