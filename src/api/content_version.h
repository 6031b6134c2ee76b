// Which version of the content is current, asked of the store at most once per `recheck`.
// The content caches (ContentCache, CourseIndex) drop their entries when it changes; a change
// made by another process (`practica import`) therefore shows within `recheck`. Thread-safe: one
// thread asks the store while the others go on with the version they last saw.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "store/content_store.h"

namespace practica::api {

class ContentVersion {
 public:
  explicit ContentVersion(store::ContentStore& store,
                          std::chrono::milliseconds recheck = std::chrono::milliseconds(1000))
      : store_(store), recheck_(recheck) {}

  // The current version; -1 until the store has answered once. A store error keeps the last
  // version (an outage shows in /api/ready, not as emptied caches).
  int64_t Current();

  // Makes the next Current() ask the store.
  void Expire() { next_check_ns_.store(0, std::memory_order_relaxed); }

 private:
  store::ContentStore& store_;
  const std::chrono::steady_clock::duration recheck_;
  std::atomic<int64_t> next_check_ns_{0};
  std::atomic<int64_t> version_{-1};
};

}  // namespace practica::api
