#include "store/sqlite/batch_writer.h"

#include <algorithm>
#include <string>

namespace practica::store::sqlite {
namespace {

// What every job of a failed batch is told. Nothing of the batch was written and the failure was
// none of the jobs' doing, so retrying may help (kUnavailable), unless the file is corrupt.
Error BatchFailed(const Error& cause, std::string_view what) {
  const ErrorCode code =
      cause.code == ErrorCode::kInternal ? ErrorCode::kInternal : ErrorCode::kUnavailable;
  return Error{code, std::string(what) + "; nothing of it was written: " + cause.message, {}};
}

}  // namespace

BatchWriter::BatchWriter(std::unique_ptr<Database> database, const Options& options)
    : options_(options), database_(std::move(database)) {
  thread_ = std::thread([this] { Run(); });
}

BatchWriter::~BatchWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_all();
  thread_.join();
}

void BatchWriter::Submit(std::unique_ptr<WriteJob> job) {
  bool accepted = false;
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queue_.size() < static_cast<size_t>(std::max(options_.max_queued, 1))) {
      queue_.push_back(std::move(job));
      accepted = true;
    }
  }
  if (accepted) {
    queued_.notify_one();
    return;
  }
  job->Finish(Error::Unavailable(
      "the store's writer is shutting down or has too many writes waiting; try again later"));
}

BatchWriter::Stats BatchWriter::stats() const {
  return Stats{commits_.load(std::memory_order_relaxed),
               committed_jobs_.load(std::memory_order_relaxed),
               failed_batches_.load(std::memory_order_relaxed),
               largest_batch_.load(std::memory_order_relaxed)};
}

void BatchWriter::Run() {
  const size_t limit =
      options_.group_commit ? static_cast<size_t>(std::max(options_.max_batch, 1)) : 1;
  std::vector<std::unique_ptr<WriteJob>> batch;
  batch.reserve(limit);
  while (true) {
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and every queued job is finished
      const size_t take = std::min(limit, queue_.size());
      std::move(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take),
                std::back_inserter(batch));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));
    }
    // The lock is released while writing, so submitters queue the next batch meanwhile.
    WriteBatch(batch);
    batch.clear();
  }
}

void BatchWriter::WriteBatch(std::span<const std::unique_ptr<WriteJob>> jobs) {
  std::vector<Status> statuses(jobs.size());
  Status batch = [&]() -> Status {
    Result<Transaction> transaction = database_->Begin(TransactionMode::kImmediate);
    if (!transaction.ok()) return BatchFailed(transaction.error(), "starting a write failed");
    for (size_t i = 0; i < jobs.size(); ++i) {
      Result<Status> applied = ApplyUnderSavepoint(*jobs[i]);
      if (!applied.ok()) return std::move(applied).error();
      statuses[i] = std::move(applied).value();
    }
    if (Status committed = transaction->Commit(); !committed.ok()) {
      return BatchFailed(committed.error(),
                         "committing a batch of " + std::to_string(jobs.size()) + " writes failed");
    }
    return Status::Ok();
  }();  // a transaction not committed has been rolled back here

  if (batch.ok()) {
    commits_.fetch_add(1, std::memory_order_relaxed);
    committed_jobs_.fetch_add(static_cast<int64_t>(jobs.size()), std::memory_order_relaxed);
    // Only this thread writes the counters; the atomics are for readers elsewhere.
    const auto size = static_cast<int64_t>(jobs.size());
    if (size > largest_batch_.load(std::memory_order_relaxed)) {
      largest_batch_.store(size, std::memory_order_relaxed);
    }
  } else {
    failed_batches_.fetch_add(1, std::memory_order_relaxed);
  }
  for (size_t i = 0; i < jobs.size(); ++i) {
    jobs[i]->Finish(batch.ok() ? std::move(statuses[i]) : batch);
  }
}

Result<Status> BatchWriter::ApplyUnderSavepoint(WriteJob& job) {
  if (Status s = Exec("SAVEPOINT job"); !s.ok()) return BatchFailed(s.error(), "a write failed");
  Status applied = job.Apply(*database_);
  if (applied.ok()) {
    Status released = Exec("RELEASE job");
    if (released.ok()) return Status::Ok();
    applied = std::move(released);
  }
  // Some errors (a full disk, an I/O error, RAISE(ROLLBACK)) make SQLite roll back the whole
  // transaction: the jobs before this one are gone too, so the batch fails as a whole.
  if (!database_->InTransaction()) {
    return BatchFailed(applied.error(), "the batch's transaction was rolled back");
  }
  if (Status s = Exec("ROLLBACK TO job"); !s.ok()) return BatchFailed(s.error(), "a write failed");
  if (Status s = Exec("RELEASE job"); !s.ok()) return BatchFailed(s.error(), "a write failed");
  return applied;
}

Status BatchWriter::Exec(std::string_view sql) {
  Result<Statement> statement = database_->Prepare(sql);
  if (!statement.ok()) return std::move(statement).error();
  return statement->Run();
}

}  // namespace practica::store::sqlite
