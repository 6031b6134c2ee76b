// Token buckets keyed by a string (a client address, an account): abuse limits for sign-up,
// sign-in and refresh. Thread-safe. Memory is bounded: past `max_keys` buckets, buckets that have
// refilled completely (and so carry no information) are dropped first, then the oldest.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/access.h"

namespace practica::http {

class RateLimiter {
 public:
  explicit RateLimiter(size_t max_keys = 100'000) : max_keys_(max_keys) {}

  // Takes one token from `key`'s bucket at time `now_ms` (a monotonic clock in milliseconds).
  // Returns 0 when allowed, else the whole seconds until a token is available (Retry-After).
  int64_t Acquire(std::string_view key, const RateLimit& limit, int64_t now_ms);

  // Like Acquire, but takes nothing: 0 when a token is there, else the seconds to wait. For limits
  // that count only failures (wrong passwords): Peek before the attempt, Acquire after a failure.
  int64_t Peek(std::string_view key, const RateLimit& limit, int64_t now_ms);

 private:
  struct Bucket {
    double tokens = 0;
    int64_t updated_ms = 0;
  };
  // The bucket's tokens at `now_ms`, refilled. REQUIRES: mutex_ held.
  static double Refill(Bucket& bucket, const RateLimit& limit, int64_t now_ms);
  static int64_t WaitSeconds(double tokens, const RateLimit& limit);
  void Evict(int64_t now_ms, const RateLimit& limit);  // REQUIRES: mutex_ held

  const size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;  // GUARDED_BY(mutex_)
};

}  // namespace practica::http
