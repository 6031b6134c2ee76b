#include "aws/emf.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <vector>

namespace practica::aws {
namespace {

namespace json = boost::json;

EmfDocument Sample() {
  EmfDocument document;
  document.name_space = "Practica";
  document.dimensions = {{"Mode", "lambda"}};
  document.timestamp_ms = 1'764'115'200'123;
  document.metrics = {{"Requests", "Count", {3}},
                      {"Latency", "Milliseconds", {1.5, 2.5, 40}},
                      {"SignIns", "Count", {}}};
  return document;
}

// Checks `line` against the specification's rules (docs.aws.amazon.com, CloudWatch "Specification:
// Embedded metric format"): a JSON object whose _aws member holds Timestamp (integer
// milliseconds) and CloudWatchMetrics, an array of directives each with Namespace, Dimensions (an
// array of arrays of at most 9 names, each a string member of the root) and Metrics (at most 100
// definitions, each naming a root member that is a number or an array of at most 100 numbers).
void ExpectValidEmf(const std::string& line) {
  ASSERT_EQ(line.find('\n'), std::string::npos) << "one line";
  boost::system::error_code ec;
  const json::value root = json::parse(line, ec);
  ASSERT_FALSE(ec) << line;
  ASSERT_TRUE(root.is_object());
  const json::object& object = root.get_object();
  const json::value* aws = object.if_contains("_aws");
  ASSERT_NE(aws, nullptr);
  ASSERT_TRUE(aws->is_object());
  ASSERT_TRUE(aws->get_object().at("Timestamp").is_int64());
  const json::array& directives = aws->get_object().at("CloudWatchMetrics").as_array();
  ASSERT_FALSE(directives.empty());
  for (const json::value& directive : directives) {
    const json::object& d = directive.as_object();
    EXPECT_TRUE(d.at("Namespace").is_string());
    const json::array& sets = d.at("Dimensions").as_array();
    ASSERT_FALSE(sets.empty());
    for (const json::value& set : sets) {
      EXPECT_LE(set.as_array().size(), 9u);
      for (const json::value& name : set.as_array()) {
        const json::value* target = object.if_contains(name.as_string());
        ASSERT_NE(target, nullptr) << name;
        EXPECT_TRUE(target->is_string()) << name;
      }
    }
    const json::array& metrics = d.at("Metrics").as_array();
    EXPECT_LE(metrics.size(), 100u);
    for (const json::value& metric : metrics) {
      const json::string& name = metric.as_object().at("Name").as_string();
      const json::value* target = object.if_contains(name);
      ASSERT_NE(target, nullptr) << name;
      if (target->is_array()) {
        EXPECT_LE(target->as_array().size(), 100u) << name;
        for (const json::value& v : target->as_array()) EXPECT_TRUE(v.is_number()) << name;
      } else {
        EXPECT_TRUE(target->is_number()) << name;
      }
    }
  }
}

TEST(FormatEmf, WritesOneValidDocumentWithTheDirectiveAndTheValues) {
  const std::string line = FormatEmf(Sample());
  ExpectValidEmf(line);
  const json::object root = json::parse(line).as_object();
  EXPECT_EQ(root.at("_aws").at("Timestamp").as_int64(), 1'764'115'200'123);
  const json::object& directive = root.at("_aws").at("CloudWatchMetrics").at(0).as_object();
  EXPECT_EQ(directive.at("Namespace").as_string(), "Practica");
  EXPECT_EQ(json::serialize(directive.at("Dimensions")), R"([["Mode"]])");
  EXPECT_EQ(root.at("Mode").as_string(), "lambda");
  EXPECT_EQ(root.at("Requests").to_number<double>(), 3);
  std::vector<double> latency;
  for (const json::value& v : root.at("Latency").as_array())
    latency.push_back(v.to_number<double>());
  EXPECT_EQ(latency, (std::vector<double>{1.5, 2.5, 40}));
  EXPECT_EQ(json::serialize(directive.at("Metrics")),
            R"([{"Name":"Requests","Unit":"Count"},{"Name":"Latency","Unit":"Milliseconds"}])");
}

TEST(FormatEmf, LeavesOutMetricsWithoutValues) {
  const json::object root = json::parse(FormatEmf(Sample())).as_object();
  EXPECT_FALSE(root.contains("SignIns"));
}

TEST(FormatEmf, KeepsWithinTheSpecificationsLimits) {
  EmfDocument document = Sample();
  document.metrics.clear();
  for (int i = 0; i < 120; ++i) {
    document.metrics.push_back({"M" + std::to_string(i), "Count", {1}});
  }
  document.metrics.push_back({"Many", "Count", std::vector<double>(150, 2.0)});
  for (int i = 0; i < 12; ++i) {
    document.dimensions.emplace_back("D" + std::to_string(i), "v");
  }
  const std::string line = FormatEmf(document);
  ExpectValidEmf(line);
  const json::object root = json::parse(line).as_object();
  const json::object& directive = root.at("_aws").at("CloudWatchMetrics").at(0).as_object();
  EXPECT_EQ(directive.at("Metrics").as_array().size(), 100u);
  EXPECT_EQ(directive.at("Dimensions").at(0).as_array().size(), 9u);
}

TEST(FormatEmf, CapsAnArrayAtOneHundredValues) {
  EmfDocument document = Sample();
  document.metrics = {{"Latency", "Milliseconds", std::vector<double>(150, 2.0)}};
  const json::object root = json::parse(FormatEmf(document)).as_object();
  EXPECT_EQ(root.at("Latency").as_array().size(), 100u);
}

}  // namespace
}  // namespace practica::aws
