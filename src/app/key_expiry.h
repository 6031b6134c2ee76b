// Forgets idempotency keys once they are old enough (ProgressStore::ForgetIdempotencyKeys): the
// API promises to keep a key at least 24 hours (DESIGN.md, attempts), and keeping them longer only
// costs space (SQLite) or item size (DynamoDB).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "common/clock.h"
#include "store/progress_store.h"

namespace practica::app {

class KeyExpiry {
 public:
  // Keys older than this are forgotten: the promised 24 hours plus an hour of slack for clocks.
  static constexpr int64_t kKeepSeconds = 25 * 3600;

  // Forgets once now, then every `interval` until destroyed, on its own thread. A failure is
  // logged and tried again at the next round.
  KeyExpiry(store::ProgressStore& store, const Clock& clock,
            std::chrono::milliseconds interval = std::chrono::hours(1));
  ~KeyExpiry();
  KeyExpiry(const KeyExpiry&) = delete;
  KeyExpiry& operator=(const KeyExpiry&) = delete;

  int64_t rounds() const;  // rounds completed, for tests

 private:
  void Run();

  store::ProgressStore& store_;
  const Clock& clock_;
  const std::chrono::milliseconds interval_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  int64_t rounds_ = 0;
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace practica::app
