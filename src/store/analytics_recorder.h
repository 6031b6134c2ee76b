// AnalyticsRecorder: hands events to an AnalyticsStore off the request path, in batches.
//
// Add never blocks and never fails the request that produced the events: they are queued, and
// one thread writes what has gathered every `flush_every` (or sooner, once `max_batch` are
// waiting) in one AnalyticsStore::Record. When the store fails, the batch stays queued and is
// tried again after a back-off (up to 30 s), so an outage delays analytics without losing them;
// past `max_queued` waiting events new ones are dropped and counted (logged once a minute).
// Events are at-most-once across a crash of the process: what was queued and not yet written is
// lost (up to `flush_every` of events when the store is healthy). Recording is idempotent, so
// writing a batch twice is harmless.
//
// A follower (RecordedEventsFollower) is a second consumer of the same events: each batch the
// store took is handed to it on the writer thread before the batch counts as written, so Flush
// also waits for the follower, and ForgetLearner tells it after the store. A batch the follower
// could not take stays queued and is tried again, store and follower both (the store takes it
// again as a no-op), so a follower's outage delays its events without losing them either.
//
// Thread-safe. Flush waits until everything added before it is written (or the store failed);
// the destructor writes what is queued (one try) and joins the thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include "store/analytics_store.h"

namespace practica::store {

// What else consumes the events the recorder writes (the xAPI feed, xapi/feed.h). Must outlive
// the recorder, and must not throw.
class RecordedEventsFollower {
 public:
  virtual ~RecordedEventsFollower() = default;
  // On the recorder's thread, after AnalyticsStore::Record took `batch`; the time it takes
  // delays the next write, so slow work (the network) belongs on a thread of its own. An error
  // means the follower kept nothing of the batch it needs: the batch is handed to it again later,
  // so taking one twice must be harmless. kInvalid drops the batch (it would fail for ever).
  virtual Status Recorded(const EventBatch& batch) = 0;
  // From AnalyticsRecorder::ForgetLearner, after the store forgot the learner.
  virtual Status ForgetLearner(std::string_view user_id) = 0;
};

class AnalyticsRecorder {
 public:
  struct Options {
    std::chrono::milliseconds flush_every{200};
    size_t max_batch = 2000;
    size_t max_queued = 200'000;
  };
  struct Stats {
    int64_t written = 0;   // events written
    int64_t dropped = 0;   // events dropped because the queue was full
    int64_t failures = 0;  // failed Record calls
  };

  AnalyticsRecorder(AnalyticsStore& store, Options options,
                    RecordedEventsFollower* follower = nullptr);
  explicit AnalyticsRecorder(AnalyticsStore& store) : AnalyticsRecorder(store, Options{}) {}
  ~AnalyticsRecorder();
  AnalyticsRecorder(const AnalyticsRecorder&) = delete;
  AnalyticsRecorder& operator=(const AnalyticsRecorder&) = delete;

  void Add(EventBatch events);
  // The learner's enrolment in the course, once per process (the store would ignore the repeats,
  // but this spares writing them).
  void Enrol(const std::string& user_id, const std::string& course, int64_t at);
  // Waits until every event added before the call is written; the store's error if the write
  // failed (the events stay queued for the next try).
  Status Flush();
  // Flushes (so the learner's queued events are among those forgotten), then
  // AnalyticsStore::ForgetLearner, then the follower's.
  Status ForgetLearner(std::string_view user_id);
  Stats stats() const;
  // Whether events are waiting to be written.
  bool Pending() const;

 private:
  void Run();
  size_t QueuedLocked() const { return attempts_.size() + activity_.size(); }

  AnalyticsStore& store_;
  const Options options_;
  RecordedEventsFollower* const follower_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;     // the writer: events queued, a flush asked for, stopping
  std::condition_variable written_;  // flushers: a write finished
  std::deque<AttemptEvent> attempts_;
  std::deque<ActivityEvent> activity_;
  std::set<std::pair<std::string, std::string>> enrolled_;
  uint64_t added_ = 0;        // events ever queued
  uint64_t done_ = 0;         // events ever written (or dropped)
  uint64_t flush_to_ = 0;     // a flusher waits for done_ >= this
  uint64_t flush_calls_ = 0;  // Flush calls ever
  uint64_t writes_ = 0;       // Record calls finished
  Status last_error_ = Status::Ok();
  Stats stats_;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point last_drop_log_{};
  std::thread writer_;  // last: starts after everything above exists
};

}  // namespace practica::store
