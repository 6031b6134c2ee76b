#include "store/analytics_recorder.h"

#include <algorithm>

#include "common/log.h"

namespace practica::store {

using namespace std::chrono_literals;

AnalyticsRecorder::AnalyticsRecorder(AnalyticsStore& store, Options options,
                                     RecordedEventsFollower* follower)
    : store_(store), options_(options), follower_(follower), writer_([this] { Run(); }) {}

AnalyticsRecorder::~AnalyticsRecorder() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

void AnalyticsRecorder::Add(EventBatch events) {
  const size_t count = events.attempts.size() + events.activity.size();
  if (count == 0) return;
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (QueuedLocked() + count > options_.max_queued) {
      stats_.dropped += static_cast<int64_t>(count);
      const auto now = std::chrono::steady_clock::now();
      if (now - last_drop_log_ > 60s) {
        last_drop_log_ = now;
        log::Warn("analytics queue full: events dropped", {{"dropped_total", stats_.dropped}});
      }
      return;
    }
    for (AttemptEvent& event : events.attempts) attempts_.push_back(std::move(event));
    for (ActivityEvent& event : events.activity) activity_.push_back(std::move(event));
    added_ += count;
    wake = QueuedLocked() >= options_.max_batch;
  }
  if (wake) wake_.notify_one();
}

void AnalyticsRecorder::Enrol(const std::string& user_id, const std::string& course, int64_t at) {
  {
    std::lock_guard lock(mutex_);
    if (enrolled_.size() > 100'000) enrolled_.clear();  // a bound, not a correctness matter
    if (!enrolled_.emplace(user_id, course).second) return;
  }
  EventBatch batch;
  batch.activity.push_back(
      {EnrolmentEventId(user_id, course), ActivityKind::kEnrolment, user_id, course, {}, at});
  Add(std::move(batch));
}

Status AnalyticsRecorder::Flush() {
  std::unique_lock lock(mutex_);
  const uint64_t target = added_;
  const uint64_t writes_before = writes_;
  flush_to_ = std::max(flush_to_, target);
  ++flush_calls_;
  wake_.notify_one();
  written_.wait(lock, [&] {
    return done_ >= target || stopping_ || (writes_ > writes_before && !last_error_.ok());
  });
  if (done_ >= target) return Status::Ok();
  if (!last_error_.ok()) return last_error_;
  return Error::Unavailable("the analytics recorder is stopping");
}

Status AnalyticsRecorder::ForgetLearner(std::string_view user_id) {
  if (Status flushed = Flush(); !flushed.ok()) return flushed;
  if (Status forgotten = store_.ForgetLearner(user_id); !forgotten.ok()) return forgotten;
  return follower_ != nullptr ? follower_->ForgetLearner(user_id) : Status::Ok();
}

bool AnalyticsRecorder::Pending() const {
  std::lock_guard lock(mutex_);
  return done_ < added_;
}

AnalyticsRecorder::Stats AnalyticsRecorder::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void AnalyticsRecorder::Run() {
  std::unique_lock lock(mutex_);
  std::chrono::milliseconds backoff{0};
  uint64_t flush_calls_at_failure = 0;
  while (true) {
    const auto wait = backoff.count() > 0 ? backoff : options_.flush_every;
    // During a back-off only a Flush called since the failure cuts the wait short: the one that
    // saw the failure has had its answer, and retrying for it at once would spin on a store
    // that is down.
    wake_.wait_for(lock, wait, [&] {
      const bool flush_due =
          flush_to_ > done_ && (backoff.count() == 0 || flush_calls_ != flush_calls_at_failure);
      return stopping_ || flush_due ||
             (backoff.count() == 0 && QueuedLocked() >= options_.max_batch);
    });
    if (QueuedLocked() == 0) {
      if (stopping_) return;
      continue;
    }
    // Attempts first, then activity, at most max_batch; they stay queued until written.
    EventBatch batch;
    const size_t from_attempts = std::min(attempts_.size(), options_.max_batch);
    const size_t from_activity = std::min(activity_.size(), options_.max_batch - from_attempts);
    batch.attempts.assign(attempts_.begin(),
                          attempts_.begin() + static_cast<std::ptrdiff_t>(from_attempts));
    batch.activity.assign(activity_.begin(),
                          activity_.begin() + static_cast<std::ptrdiff_t>(from_activity));
    lock.unlock();
    Status recorded = store_.Record(batch);
    // Before the batch counts as written: a Flush (and so ForgetLearner) waits for the follower.
    // If it fails (xapi.db on a full disk), the batch is retried like a failed Record.
    if (recorded.ok() && follower_ != nullptr) recorded = follower_->Recorded(batch);
    lock.lock();
    ++writes_;
    const size_t count = from_attempts + from_activity;
    if (recorded.ok() || recorded.error().code == ErrorCode::kInvalid) {
      // An invalid batch would fail for ever: drop it, loudly, rather than block the queue.
      if (!recorded.ok()) {
        log::Error("analytics events refused; dropped",
                   {{"events", static_cast<int64_t>(count)}, {"error", recorded.error().message}});
        stats_.dropped += static_cast<int64_t>(count);
      } else {
        stats_.written += static_cast<int64_t>(count);
      }
      attempts_.erase(attempts_.begin(),
                      attempts_.begin() + static_cast<std::ptrdiff_t>(from_attempts));
      activity_.erase(activity_.begin(),
                      activity_.begin() + static_cast<std::ptrdiff_t>(from_activity));
      done_ += count;
      last_error_ = Status::Ok();
      backoff = std::chrono::milliseconds{0};
    } else {
      ++stats_.failures;
      last_error_ = recorded;
      log::Warn("analytics events not written; will retry",
                {{"events", static_cast<int64_t>(count)}, {"error", recorded.error().message}});
      if (stopping_) {
        written_.notify_all();
        return;
      }
      backoff = std::min<std::chrono::milliseconds>(std::max(backoff * 2, 500ms), 30s);
      flush_calls_at_failure = flush_calls_;
    }
    written_.notify_all();
  }
}

}  // namespace practica::store
