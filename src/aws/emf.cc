#include "aws/emf.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace practica::aws {

namespace json = boost::json;

std::string FormatEmf(const EmfDocument& document) {
  json::object root;
  json::array dimension_names;
  const size_t dimensions = std::min(document.dimensions.size(), kEmfMaxDimensions);
  for (size_t i = 0; i < dimensions; ++i) {
    const auto& [name, value] = document.dimensions[i];
    dimension_names.emplace_back(name);
    root[name] = value;
  }
  json::array definitions;
  for (const EmfMetric& metric : document.metrics) {
    if (metric.values.empty()) continue;
    if (definitions.size() == kEmfMaxMetrics) break;
    json::object definition;
    definition["Name"] = metric.name;
    definition["Unit"] = metric.unit;
    definitions.emplace_back(std::move(definition));
    if (metric.values.size() == 1) {
      root[metric.name] = metric.values.front();
    } else {
      json::array values;
      const size_t count = std::min(metric.values.size(), kEmfMaxValues);
      for (size_t i = 0; i < count; ++i) values.emplace_back(metric.values[i]);
      root[metric.name] = std::move(values);
    }
  }
  json::object directive;
  directive["Namespace"] = document.name_space;
  directive["Dimensions"] = json::array{std::move(dimension_names)};
  directive["Metrics"] = std::move(definitions);
  json::object aws;
  aws["Timestamp"] = document.timestamp_ms;
  aws["CloudWatchMetrics"] = json::array{std::move(directive)};
  root["_aws"] = std::move(aws);
  return json::serialize(root);
}

}  // namespace practica::aws
