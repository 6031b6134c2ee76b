// Group commit: one writer thread owns the one writer connection and writes queued jobs in
// batches, one IMMEDIATE transaction and one fsync'ed COMMIT per batch (DESIGN.md "Data": batch
// concurrent writes instead of weakening durability).
//
// A batch is every job queued when the writer turns to the queue, up to Options::max_batch, in
// submission order. For each job in turn the writer opens a SAVEPOINT, runs WriteJob::Apply, and
// releases the savepoint, or rolls back to it when Apply failed, so a failed job leaves nothing and
// the others go on. Jobs run one after another inside the transaction, so a job sees the writes of
// the jobs before it, committed or not. Then one COMMIT; only after it returns is any job finished:
//   - COMMIT succeeded: each job's Finish gets its own Apply status (Ok: its writes are durable);
//   - BEGIN or COMMIT failed, or SQLite rolled the whole transaction back in the middle (a full
//     disk, an I/O error, a trigger's RAISE(ROLLBACK)): nothing of the batch is written, and every
//     job's Finish gets the same error, kUnavailable (kInternal for a corrupt file).
//
// Thread model: Submit and Call may be called from any thread. Apply and Finish run on the writer
// thread, except that a job refused at Submit (shutting down, queue full) is finished on the
// calling thread. Call blocks its caller until the job is finished; it refuses to run on the
// writer thread itself (it would wait for itself) with kInternal. The destructor stops taking
// jobs, finishes every queued one (draining the queue) and joins the thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/error.h"
#include "store/sqlite/database.h"

namespace practica::store::sqlite {

// One unit of work for the BatchWriter. Apply is called at most once, Finish exactly once.
class WriteJob {
 public:
  virtual ~WriteJob() = default;
  // Runs inside the batch's transaction, under the job's own savepoint; an error rolls back what
  // this job wrote, and only that. Writer thread.
  virtual Status Apply(Database& db) = 0;
  // The job's outcome, once the batch's transaction has ended (see the file comment). Writer
  // thread, or the Submit caller's when the job was refused.
  virtual void Finish(Status status) = 0;
};

class BatchWriter {
 public:
  struct Options {
    bool group_commit = true;  // false: one transaction (and one fsync) per job
    int max_batch = 256;       // jobs per transaction at most (>= 1)
    // Jobs waiting at most; Submit refuses more with kUnavailable, so overload is answered with
    // 503 instead of unbounded memory and latency.
    int max_queued = 16384;
  };

  // Counters since construction; each is read atomically, the set is not a snapshot.
  struct Stats {
    int64_t commits = 0;         // batches committed
    int64_t committed_jobs = 0;  // jobs in committed batches, whatever their own status
    int64_t failed_batches = 0;  // batches whose BEGIN or COMMIT failed or that SQLite rolled back
    int64_t largest_batch = 0;
  };

  // Takes the writer connection and starts the writer thread.
  // REQUIRES: no transaction is open on `database`.
  BatchWriter(std::unique_ptr<Database> database, const Options& options);
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;
  // Finishes every queued job, then joins the writer thread. REQUIRES: not called on the writer
  // thread (e.g. from a Finish), and no Submit or Call is in progress or will follow.
  ~BatchWriter();

  // Queues `job`; returns at once. Refused with kUnavailable (Finish on this thread) while
  // shutting down or when max_queued jobs are waiting.
  void Submit(std::unique_ptr<WriteJob> job);

  // Runs `work(Database&)` (returning Status or Result<T>) as one job and waits for its outcome:
  // `work`'s value once the batch committed, or the batch's error.
  template <class Work>
  std::invoke_result_t<Work&, Database&> Call(Work work);

  bool OnWriterThread() const { return std::this_thread::get_id() == thread_.get_id(); }

  Stats stats() const;

 private:
  void Run();
  void WriteBatch(std::span<const std::unique_ptr<WriteJob>> jobs);
  // The job's own status, or (outer error) an error that ends the whole batch.
  Result<Status> ApplyUnderSavepoint(WriteJob& job);
  Status Exec(std::string_view sql);

  const Options options_;
  const std::unique_ptr<Database> database_;  // writer thread only, once the thread runs

  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<std::unique_ptr<WriteJob>> queue_;  // GUARDED_BY(mutex_)
  bool stopping_ = false;                        // GUARDED_BY(mutex_)

  std::atomic<int64_t> commits_{0};
  std::atomic<int64_t> committed_jobs_{0};
  std::atomic<int64_t> failed_batches_{0};
  std::atomic<int64_t> largest_batch_{0};

  std::thread thread_;  // last: started once everything above exists
};

template <class Work>
std::invoke_result_t<Work&, Database&> BatchWriter::Call(Work work) {
  using Outcome = std::invoke_result_t<Work&, Database&>;  // Status or Result<T>
  if (OnWriterThread()) {
    return Outcome(
        Error::Internal("a blocking store write was made from the store's writer thread"
                        " (a callback); it would wait for itself"));
  }
  class CallJob final : public WriteJob {
   public:
    explicit CallJob(Work w) : work_(std::move(w)) {}
    Status Apply(Database& db) override {
      outcome_.emplace(work_(db));
      if (outcome_->ok()) return Status::Ok();
      return outcome_->error();
    }
    void Finish(Status status) override {
      if (!status.ok()) {
        promise_.set_value(Outcome(std::move(status).error()));
      } else {
        promise_.set_value(std::move(*outcome_));
      }
    }
    std::future<Outcome> Future() { return promise_.get_future(); }

   private:
    Work work_;
    std::optional<Outcome> outcome_;
    std::promise<Outcome> promise_;
  };
  auto job = std::make_unique<CallJob>(std::move(work));
  std::future<Outcome> outcome = job->Future();
  Submit(std::move(job));
  return outcome.get();
}

}  // namespace practica::store::sqlite
