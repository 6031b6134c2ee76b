#include "api/content_version.h"

namespace practica::api {

int64_t ContentVersion::Current() {
  const int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
  int64_t due = next_check_ns_.load(std::memory_order_relaxed);
  if (now >= due && next_check_ns_.compare_exchange_strong(due, now + recheck_.count())) {
    if (Result<int64_t> version = store_.ContentVersion(); version.ok()) {
      version_.store(*version, std::memory_order_release);
    }
  }
  return version_.load(std::memory_order_acquire);
}

}  // namespace practica::api
