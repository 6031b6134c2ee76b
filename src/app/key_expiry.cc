#include "app/key_expiry.h"

#include "common/log.h"

namespace practica::app {

KeyExpiry::KeyExpiry(store::ProgressStore& store, const Clock& clock,
                     std::chrono::milliseconds interval)
    : store_(store), clock_(clock), interval_(interval) {
  thread_ = std::thread([this] { Run(); });
}

KeyExpiry::~KeyExpiry() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

int64_t KeyExpiry::rounds() const {
  std::lock_guard lock(mutex_);
  return rounds_;
}

void KeyExpiry::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    if (Status forgotten = store_.ForgetIdempotencyKeys(clock_.NowSeconds() - kKeepSeconds);
        !forgotten.ok()) {
      log::Warn("forgetting old idempotency keys failed; trying again later",
                {{"error", forgotten.error().message}});
    }
    lock.lock();
    ++rounds_;
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace practica::app
