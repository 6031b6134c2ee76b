#include "http/rate_limiter.h"

#include <gtest/gtest.h>

namespace practica::http {
namespace {

TEST(RateLimiter, AllowsABurstThenRefillsAtTheRate) {
  RateLimiter limiter;
  const RateLimit limit{3, 60};  // 3 at once, then one a second
  EXPECT_EQ(limiter.Acquire("ip", limit, 0), 0);
  EXPECT_EQ(limiter.Acquire("ip", limit, 0), 0);
  EXPECT_EQ(limiter.Acquire("ip", limit, 0), 0);
  EXPECT_EQ(limiter.Acquire("ip", limit, 0), 1);    // wait a second
  EXPECT_EQ(limiter.Acquire("ip", limit, 999), 1);  // not yet
  EXPECT_EQ(limiter.Acquire("ip", limit, 1000), 0);
  EXPECT_EQ(limiter.Acquire("other", limit, 1000), 0);  // keys are independent
}

TEST(RateLimiter, RetryAfterCountsWholeSeconds) {
  RateLimiter limiter;
  const RateLimit slow{1, 2};  // one every 30 s
  EXPECT_EQ(limiter.Acquire("k", slow, 0), 0);
  EXPECT_EQ(limiter.Acquire("k", slow, 0), 30);
  EXPECT_EQ(limiter.Acquire("k", slow, 20'000), 10);
}

TEST(RateLimiter, PeekTakesNothing) {
  RateLimiter limiter;
  const RateLimit limit{2, 60};
  EXPECT_EQ(limiter.Peek("k", limit, 0), 0);
  EXPECT_EQ(limiter.Peek("k", limit, 0), 0);
  limiter.Acquire("k", limit, 0);
  limiter.Acquire("k", limit, 0);
  EXPECT_EQ(limiter.Peek("k", limit, 0), 1);
  EXPECT_EQ(limiter.Peek("k", limit, 1000), 0);
}

TEST(RateLimiter, MemoryStaysBoundedUnderAFloodOfKeys) {
  RateLimiter limiter(100);
  const RateLimit limit{1, 1};
  for (int i = 0; i < 10'000; ++i) limiter.Acquire("client-" + std::to_string(i), limit, i);
  // The newest client is still limited: its bucket was kept.
  EXPECT_GT(limiter.Acquire("client-9999", limit, 10'000), 0);
}

}  // namespace
}  // namespace practica::http
