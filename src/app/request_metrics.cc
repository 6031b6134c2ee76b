#include "app/request_metrics.h"

#include <algorithm>
#include <cmath>

#include "aws/emf.h"

namespace practica::app {
namespace {

constexpr std::string_view kAttemptsPrefix = "/api/exercises/";
constexpr std::string_view kAttemptsSuffix = "/attempts";

bool IsAttempt(http::Method method, std::string_view path) {
  return method == http::Method::kPost && path.starts_with(kAttemptsPrefix) &&
         path.ends_with(kAttemptsSuffix) &&
         path.size() > kAttemptsPrefix.size() + kAttemptsSuffix.size() &&
         path.substr(kAttemptsPrefix.size(),
                     path.size() - kAttemptsPrefix.size() - kAttemptsSuffix.size())
                 .find('/') == std::string_view::npos;
}

uint64_t Take(std::atomic<uint64_t>& counter) {
  return counter.exchange(0, std::memory_order_relaxed);
}

}  // namespace

int RequestMetrics::BucketFor(double ms) {
  if (!(ms >= kFirstBoundMs)) return 0;  // also NaN
  const int bucket =
      1 + static_cast<int>(std::floor(std::log(ms / kFirstBoundMs) / std::log(kGrowth)));
  return std::min(bucket, kBuckets - 1);
}

double RequestMetrics::BucketValueMs(int bucket) {
  if (bucket <= 0) return kFirstBoundMs / 2;
  const double lower = kFirstBoundMs * std::pow(kGrowth, bucket - 1);
  return lower * std::sqrt(kGrowth);
}

void RequestMetrics::Record(http::Method method, std::string_view path, int status,
                            std::chrono::steady_clock::duration elapsed) {
  requests_.fetch_add(1, std::memory_order_relaxed);
  if (status >= 500) {
    server_errors_.fetch_add(1, std::memory_order_relaxed);
  } else if (status >= 400) {
    client_errors_.fetch_add(1, std::memory_order_relaxed);
  }
  if (status == 201 && IsAttempt(method, path)) {
    attempts_graded_.fetch_add(1, std::memory_order_relaxed);
  }
  if (status == 200 && method == http::Method::kPost && path == "/api/auth/login") {
    sign_ins_.fetch_add(1, std::memory_order_relaxed);
  }
  const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
  latency_[static_cast<size_t>(BucketFor(ms))].fetch_add(1, std::memory_order_relaxed);
}

RequestMetrics::Snapshot RequestMetrics::TakeSnapshot() {
  Snapshot snapshot;
  snapshot.requests = Take(requests_);
  snapshot.client_errors = Take(client_errors_);
  snapshot.server_errors = Take(server_errors_);
  snapshot.attempts_graded = Take(attempts_graded_);
  snapshot.sign_ins = Take(sign_ins_);
  for (size_t i = 0; i < latency_.size(); ++i) snapshot.latency[i] = Take(latency_[i]);
  return snapshot;
}

std::vector<double> RequestMetrics::LatencyValues(const Snapshot& snapshot, size_t max_values) {
  uint64_t total = 0;
  for (const uint64_t count : snapshot.latency) total += count;
  std::vector<double> values;
  if (total == 0 || max_values == 0) return values;
  if (total <= max_values) {
    for (int i = 0; i < kBuckets; ++i) {
      values.insert(values.end(), snapshot.latency[static_cast<size_t>(i)], BucketValueMs(i));
    }
    return values;
  }
  // The value below which (k + 0.5) / max_values of the requests fall, for each k.
  int bucket = 0;
  uint64_t below = snapshot.latency[0];  // requests in buckets up to `bucket`
  for (size_t k = 0; k < max_values; ++k) {
    const double rank = (static_cast<double>(k) + 0.5) / static_cast<double>(max_values) *
                        static_cast<double>(total);
    while (static_cast<double>(below) <= rank && bucket + 1 < kBuckets) {
      ++bucket;
      below += snapshot.latency[static_cast<size_t>(bucket)];
    }
    values.push_back(BucketValueMs(bucket));
  }
  return values;
}

std::string RequestMetrics::FormatLine(const Snapshot& snapshot, int64_t timestamp_ms) const {
  const auto count = [](uint64_t n) { return std::vector<double>{static_cast<double>(n)}; };
  aws::EmfDocument document;
  document.name_space = std::string(kMetricsNamespace);
  document.dimensions = {{"Mode", mode_}};
  document.timestamp_ms = timestamp_ms;
  document.metrics = {
      {"Requests", "Count", count(snapshot.requests)},
      {"ClientErrors", "Count", count(snapshot.client_errors)},
      {"ServerErrors", "Count", count(snapshot.server_errors)},
      {"AttemptsGraded", "Count", count(snapshot.attempts_graded)},
      {"SignIns", "Count", count(snapshot.sign_ins)},
      {"Latency", "Milliseconds", LatencyValues(snapshot, aws::kEmfMaxValues)},
  };
  return aws::FormatEmf(document);
}

MetricsFlusher::MetricsFlusher(RequestMetrics& metrics, Sink sink,
                               std::chrono::milliseconds interval)
    : metrics_(metrics), sink_(std::move(sink)), interval_(interval) {
  thread_ = std::thread([this] { Run(); });
}

MetricsFlusher::~MetricsFlusher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  FlushOnce();  // what the last interval counted
}

void MetricsFlusher::FlushOnce() {
  const RequestMetrics::Snapshot snapshot = metrics_.TakeSnapshot();
  if (!snapshot.empty()) sink_(metrics_.FormatLine(snapshot, UnixMillis()));
}

void MetricsFlusher::Run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    FlushOnce();
    lock.lock();
  }
}

int64_t UnixMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace practica::app
