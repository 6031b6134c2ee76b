#include "app/request_metrics.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace practica::app {
namespace {

namespace json = boost::json;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using Method = http::Method;

TEST(RequestMetrics, CountsAnswersByClassAttemptsAndSignIns) {
  RequestMetrics metrics("lambda");
  metrics.Record(Method::kGet, "/api/courses", 200, milliseconds(3));
  metrics.Record(Method::kPost, "/api/exercises/drills.add/attempts", 201, milliseconds(9));
  metrics.Record(Method::kPost, "/api/exercises/drills.add/attempts", 409, milliseconds(2));
  metrics.Record(Method::kPost, "/api/exercises/drills.add/hints", 201, milliseconds(2));
  metrics.Record(Method::kPost, "/api/auth/login", 200, milliseconds(300));
  metrics.Record(Method::kPost, "/api/auth/login", 401, milliseconds(280));
  metrics.Record(Method::kGet, "/api/me", 503, milliseconds(1));
  const RequestMetrics::Snapshot snapshot = metrics.TakeSnapshot();
  EXPECT_EQ(snapshot.requests, 7u);
  EXPECT_EQ(snapshot.client_errors, 2u);
  EXPECT_EQ(snapshot.server_errors, 1u);
  EXPECT_EQ(snapshot.attempts_graded, 1u);
  EXPECT_EQ(snapshot.sign_ins, 1u);
  uint64_t latencies = 0;
  for (const uint64_t n : snapshot.latency) latencies += n;
  EXPECT_EQ(latencies, 7u);
  // Taken: the next snapshot starts from nothing.
  EXPECT_TRUE(metrics.TakeSnapshot().empty());
}

TEST(RequestMetrics, BucketsHoldTheirLatencyWithinTwelvePercent) {
  for (const double ms : {0.2, 1.0, 3.7, 15.0, 250.0, 2'900.0, 60'000.0}) {
    const double value = RequestMetrics::BucketValueMs(RequestMetrics::BucketFor(ms));
    EXPECT_NEAR(value / ms, 1.0, 0.12) << ms;
  }
  EXPECT_EQ(RequestMetrics::BucketFor(0.01), 0);
  EXPECT_EQ(RequestMetrics::BucketFor(1e12), RequestMetrics::kBuckets - 1);
}

TEST(RequestMetrics, LatencyValuesAreEachRequestUpToOneHundred) {
  RequestMetrics metrics("server");
  for (int i = 0; i < 3; ++i) metrics.Record(Method::kGet, "/api/courses", 200, milliseconds(10));
  metrics.Record(Method::kGet, "/api/courses", 200, milliseconds(1000));
  const std::vector<double> values = RequestMetrics::LatencyValues(metrics.TakeSnapshot(), 100);
  ASSERT_EQ(values.size(), 4u);
  EXPECT_NEAR(values[0], 10, 1.2);
  EXPECT_NEAR(values[2], 10, 1.2);
  EXPECT_NEAR(values[3], 1000, 120);
}

TEST(RequestMetrics, PastOneHundredTheValuesAreTheQuantilesSoP99Holds) {
  RequestMetrics metrics("server");
  // 990 fast requests and 10 slow ones: p50 is fast, p99 (the 990th of 1000) is at the border,
  // and the slowest 1 % are the slow ones.
  for (int i = 0; i < 990; ++i) metrics.Record(Method::kGet, "/api/courses", 200, milliseconds(5));
  for (int i = 0; i < 10; ++i) metrics.Record(Method::kGet, "/api/courses", 200, milliseconds(800));
  const std::vector<double> values = RequestMetrics::LatencyValues(metrics.TakeSnapshot(), 100);
  ASSERT_EQ(values.size(), 100u);
  EXPECT_NEAR(values[49], 5, 0.6);   // p50
  EXPECT_NEAR(values[98], 5, 0.6);   // 98.5 %: still fast
  EXPECT_NEAR(values[99], 800, 96);  // 99.5 %: slow
  for (size_t i = 1; i < values.size(); ++i) EXPECT_LE(values[i - 1], values[i]);
}

TEST(RequestMetrics, FormatLineIsOneEmfDocumentInThePracticaNamespace) {
  RequestMetrics metrics("lambda");
  metrics.Record(Method::kPost, "/api/auth/login", 200, milliseconds(120));
  metrics.Record(Method::kGet, "/api/nope", 404, microseconds(800));
  const std::string line = metrics.FormatLine(metrics.TakeSnapshot(), 1'764'115'200'000);
  const json::object root = json::parse(line).as_object();
  const json::object& directive = root.at("_aws").at("CloudWatchMetrics").at(0).as_object();
  EXPECT_EQ(directive.at("Namespace").as_string(), "Practica");
  EXPECT_EQ(root.at("Mode").as_string(), "lambda");
  EXPECT_EQ(root.at("Requests").to_number<double>(), 2);
  EXPECT_EQ(root.at("ClientErrors").to_number<double>(), 1);
  EXPECT_EQ(root.at("ServerErrors").to_number<double>(), 0);
  EXPECT_EQ(root.at("SignIns").to_number<double>(), 1);
  EXPECT_EQ(root.at("Latency").as_array().size(), 2u);
  std::vector<std::string> names;
  for (const json::value& metric : directive.at("Metrics").as_array()) {
    names.emplace_back(metric.at("Name").as_string());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Requests", "ClientErrors", "ServerErrors",
                                             "AttemptsGraded", "SignIns", "Latency"}));
}

TEST(RequestMetrics, ConcurrentRecordsAreAllCounted) {
  RequestMetrics metrics("server");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&metrics] {
      for (int i = 0; i < 10'000; ++i) {
        metrics.Record(Method::kGet, "/api/courses", 500, microseconds(i));
      }
    });
  }
  uint64_t seen = 0;
  for (int i = 0; i < 20; ++i) seen += metrics.TakeSnapshot().server_errors;  // while they run
  for (std::thread& thread : threads) thread.join();
  seen += metrics.TakeSnapshot().server_errors;
  EXPECT_EQ(seen, 40'000u);
}

TEST(MetricsFlusher, WritesEachIntervalThatCountedAndOnceMoreAtTheEnd) {
  RequestMetrics metrics("server");
  std::mutex mutex;
  std::vector<std::string> lines;
  {
    MetricsFlusher flusher(
        metrics,
        [&](std::string_view line) {
          std::lock_guard lock(mutex);
          lines.emplace_back(line);
        },
        milliseconds(20));
    metrics.Record(Method::kGet, "/api/courses", 200, milliseconds(1));
    std::this_thread::sleep_for(milliseconds(100));  // several intervals, one with requests
    metrics.Record(Method::kGet, "/api/courses", 200, milliseconds(1));
  }
  std::lock_guard lock(mutex);
  ASSERT_EQ(lines.size(), 2u);  // empty intervals write nothing; the last one is flushed
  for (const std::string& line : lines) {
    EXPECT_EQ(json::parse(line).at("Requests").to_number<double>(), 1);
  }
}

}  // namespace
}  // namespace practica::app
