#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace practica::http {

double RateLimiter::Refill(Bucket& bucket, const RateLimit& limit, int64_t now_ms) {
  const double per_ms = limit.per_minute / 60'000.0;
  const auto elapsed = static_cast<double>(std::max<int64_t>(0, now_ms - bucket.updated_ms));
  bucket.tokens = std::min(limit.burst, bucket.tokens + elapsed * per_ms);
  bucket.updated_ms = now_ms;
  return bucket.tokens;
}

int64_t RateLimiter::WaitSeconds(double tokens, const RateLimit& limit) {
  const double wait_ms = (1 - tokens) / (limit.per_minute / 60'000.0);
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait_ms / 1000)));
}

int64_t RateLimiter::Acquire(std::string_view key, const RateLimit& limit, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) Evict(now_ms, limit);
    it = buckets_.emplace(std::string(key), Bucket{limit.burst, now_ms}).first;
  }
  Bucket& bucket = it->second;
  if (Refill(bucket, limit, now_ms) >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  return WaitSeconds(bucket.tokens, limit);
}

int64_t RateLimiter::Peek(std::string_view key, const RateLimit& limit, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) return 0;
  const double tokens = Refill(it->second, limit, now_ms);
  return tokens >= 1 ? 0 : WaitSeconds(tokens, limit);
}

void RateLimiter::Evict(int64_t now_ms, const RateLimit& limit) {
  const double per_ms = limit.per_minute / 60'000.0;
  std::erase_if(buckets_, [&](const auto& entry) {
    const auto elapsed = static_cast<double>(now_ms - entry.second.updated_ms);
    return entry.second.tokens + elapsed * per_ms >= limit.burst;
  });
  if (buckets_.size() < max_keys_) return;
  // Still full of active buckets (a flood of addresses): forget the stalest half.
  std::vector<std::pair<int64_t, std::string>> by_age;
  by_age.reserve(buckets_.size());
  for (const auto& [key, bucket] : buckets_) by_age.emplace_back(bucket.updated_ms, key);
  std::nth_element(by_age.begin(), by_age.begin() + static_cast<long>(by_age.size() / 2),
                   by_age.end());
  for (size_t i = 0; i < by_age.size() / 2; ++i) buckets_.erase(by_age[i].second);
}

}  // namespace practica::http
