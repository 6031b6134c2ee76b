// What practica reports as CloudWatch metrics (namespace "Practica", one dimension, Mode):
// requests, 4xx and 5xx answers, latency, attempts graded and sign-ins, counted as the pipeline
// answers each request (http::PipelineOptions::observe) and written out as one Embedded Metric
// Format line (aws/emf.h) per Lambda invocation or per interval of a server.
//
// The hot path is a few relaxed atomic increments: no lock, no allocation. A snapshot takes and
// zeroes each counter in turn, so a request that lands during it counts in this interval or the
// next, never in both and never in neither.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "http/message.h"

namespace practica::app {

inline constexpr std::string_view kMetricsNamespace = "Practica";

class RequestMetrics {
 public:
  // Latency buckets: bucket i holds latencies in [kFirstBoundMs·kGrowth^(i-1), kFirstBoundMs·
  // kGrowth^i) milliseconds, bucket 0 everything under kFirstBoundMs and the last everything
  // above: 0.1 ms to about 5 minutes within ±12 %.
  static constexpr int kBuckets = 80;
  static constexpr double kFirstBoundMs = 0.1;
  static constexpr double kGrowth = 1.25;

  struct Snapshot {
    uint64_t requests = 0;
    uint64_t client_errors = 0;  // 4xx
    uint64_t server_errors = 0;  // 5xx
    uint64_t attempts_graded = 0;
    uint64_t sign_ins = 0;
    std::array<uint64_t, kBuckets> latency{};  // requests per bucket
    bool empty() const { return requests == 0; }
  };

  // `mode` is the Mode dimension's value: "lambda" or "server".
  explicit RequestMetrics(std::string mode) : mode_(std::move(mode)) {}

  // Thread-safe, lock-free. An attempt is graded when POST /api/exercises/{e}/attempts answers
  // 201; a sign-in is POST /api/auth/login answering 200.
  void Record(http::Method method, std::string_view path, int status,
              std::chrono::steady_clock::duration elapsed);

  // The counts since the last snapshot; zeroes them. Thread-safe.
  Snapshot TakeSnapshot();

  // One EMF line for `snapshot` at `timestamp_ms` (Unix milliseconds): counts, and Latency as up
  // to 100 millisecond values that stand for the requests: each request's bucket when there were
  // at most 100, else the histogram's 100 quantiles (0.5 %, 1.5 %, … 99.5 %), so that CloudWatch's
  // p50 and p99 over the line come from the whole interval.
  std::string FormatLine(const Snapshot& snapshot, int64_t timestamp_ms) const;

  static int BucketFor(double ms);
  static double BucketValueMs(int bucket);  // the geometric middle of the bucket's bounds
  static std::vector<double> LatencyValues(const Snapshot& snapshot, size_t max_values);

 private:
  const std::string mode_;
  std::atomic<uint64_t> requests_{0};
  std::atomic<uint64_t> client_errors_{0};
  std::atomic<uint64_t> server_errors_{0};
  std::atomic<uint64_t> attempts_graded_{0};
  std::atomic<uint64_t> sign_ins_{0};
  std::array<std::atomic<uint64_t>, kBuckets> latency_{};
};

// Writes the metrics out every `interval` from its own thread (a server: `practica serve`), and
// once more when destroyed; an interval without requests writes nothing.
class MetricsFlusher {
 public:
  using Sink = std::function<void(std::string_view line)>;
  MetricsFlusher(RequestMetrics& metrics, Sink sink,
                 std::chrono::milliseconds interval = std::chrono::seconds(60));
  ~MetricsFlusher();
  MetricsFlusher(const MetricsFlusher&) = delete;
  MetricsFlusher& operator=(const MetricsFlusher&) = delete;

 private:
  void Run();
  void FlushOnce();

  RequestMetrics& metrics_;
  const Sink sink_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;     // last: starts once the rest is ready
};

// Unix time in milliseconds, for the lines' timestamps.
int64_t UnixMillis();

}  // namespace practica::app
