// Time as a port (STYLE.md rule 2): code that needs "now" takes a Clock, so tests control time.
#pragma once

#include <chrono>
#include <cstdint>

namespace practica {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowSeconds() const = 0;  // Unix time
};

class SystemClock final : public Clock {
 public:
  int64_t NowSeconds() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that stands still until moved; for tests.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t now = 1'800'000'000) : now_(now) {}
  int64_t NowSeconds() const override { return now_; }
  void Advance(int64_t seconds) { now_ += seconds; }

 private:
  int64_t now_;
};

}  // namespace practica
