// CloudWatch Embedded Metric Format (EMF): metrics written as one JSON log line, which CloudWatch
// Logs turns into metrics without an API call. Lambda extracts them from the function's stdout;
// elsewhere CloudWatch Logs extracts them only from events sent with the header
// `x-amzn-logs-format: json/emf` (the CloudWatch agent does; ECS's awslogs driver does not), so
// infra/lib/observability.ts reads a container's lines with metric filters instead.
//
// One document: {"_aws": {"Timestamp": ms, "CloudWatchMetrics": [{"Namespace", "Dimensions":
// [[names…]], "Metrics": [{"Name", "Unit"}…]}]}, "<dimension>": "value", "<metric>": number or
// [numbers…]}. Limits from the specification: at most 100 metrics, 9 dimensions, and 100 values
// in one metric's array.
//
// Pure: no I/O, any thread.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace practica::aws {

struct EmfMetric {
  std::string name;
  std::string unit;  // a CloudWatch unit: "Count", "Milliseconds", …
  // One value, or several (each a sample, e.g. one request's latency): CloudWatch computes the
  // statistics, percentiles included, over every value it receives.
  std::vector<double> values;
};

struct EmfDocument {
  std::string name_space;                                       // "Practica"
  std::vector<std::pair<std::string, std::string>> dimensions;  // name → value, ≤ 9
  std::vector<EmfMetric> metrics;                               // ≤ 100, each ≤ 100 values
  int64_t timestamp_ms = 0;                                     // Unix time in milliseconds
};

inline constexpr size_t kEmfMaxMetrics = 100;
inline constexpr size_t kEmfMaxDimensions = 9;
inline constexpr size_t kEmfMaxValues = 100;

// The document as one line of JSON (no newline). Metrics without values are left out; a metric
// with more values than the limit keeps the first kEmfMaxValues; past kEmfMaxMetrics metrics or
// kEmfMaxDimensions dimensions the rest are left out: callers keep within the limits, and a
// line CloudWatch would reject whole is worse than a shorter one.
std::string FormatEmf(const EmfDocument& document);

}  // namespace practica::aws
