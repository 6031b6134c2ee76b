// Typed, located access to yaml-cpp nodes for the bundle reader.
//
// Every accessor reports what is wrong (wrong type, missing field, unknown field) to the
// ProblemList with the file and the 1-based line in that file, and returns nullopt instead of
// throwing, so that one bad field never hides the others. yaml-cpp exceptions stop here.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "content/problem_list.h"

namespace practica::content {

// Where a YAML text sits: its file and the file line of its first line, so that yaml-cpp's
// 0-based marks turn into the file's line numbers.
struct YamlSource {
  std::string file;
  int first_line = 1;
  ProblemList* problems = nullptr;
  std::string what = "YAML";  // names the document root in messages: "the exercise needs …"

  int LineOf(const YAML::Mark& mark, int fallback) const;
  // `field` is the path of the field the problem is about (BundleProblem::field), if any.
  void Report(int line, std::string message, std::string field = {}) const;
};

// Parses `text`; a syntax error is reported (at its line) and gives nullopt.
std::optional<YAML::Node> LoadYaml(const std::string& text, const YamlSource& source);

// A node with its position and its path from the document root ("options[2].id"), for messages.
class YamlValue {
 public:
  YamlValue(YAML::Node node, int line, std::string path, const YamlSource* source)
      : node_(std::move(node)), line_(line), path_(std::move(path)), source_(source) {}

  const YAML::Node& node() const { return node_; }
  int line() const { return line_; }
  const std::string& path() const { return path_; }
  const YamlSource& source() const { return *source_; }

  // Reports "'PATH' MESSAGE" (or "the WHAT MESSAGE" for the root) at this value's line.
  void Report(std::string_view message) const;

  std::optional<std::string> String() const;          // any scalar, as written
  std::optional<std::string> NonEmptyString() const;  // … and not blank
  std::optional<double> Number() const;
  std::optional<std::int64_t> Integer() const;
  std::optional<bool> Bool() const;
  // Each item of a sequence; reports and gives nullopt if this is not a sequence.
  std::optional<std::vector<YamlValue>> Items() const;
  // A sequence of strings, each non-empty.
  std::optional<std::vector<std::string>> StringList() const;
  // [low, high]: a sequence of exactly two numbers.
  std::optional<std::pair<double, double>> NumberPair() const;

 private:
  YAML::Node node_;
  int line_;
  std::string path_;
  const YamlSource* source_;
};

// A mapping read field by field. Construction reports duplicate keys and non-string keys.
class YamlMap {
 public:
  // Reports and gives nullopt when `value` is not a mapping.
  static std::optional<YamlMap> From(const YamlValue& value);

  int line() const { return line_; }
  bool Has(std::string_view key) const;
  // The field, if present. Its line is the value's line, or the key's for an empty value.
  std::optional<YamlValue> Get(std::string_view key) const;
  // Like Get, but reports "missing required field 'KEY'" at the mapping's line when absent.
  std::optional<YamlValue> Require(std::string_view key) const;
  // Reports every key not in `allowed`, suggesting the closest allowed key for a likely typo.
  void CheckKeys(std::initializer_list<std::string_view> allowed) const;
  void CheckKeys(const std::vector<std::string_view>& allowed) const;
  // Every field in document order, e.g. for a map of names to values.
  std::vector<std::pair<std::string, YamlValue>> Fields() const;

 private:
  struct Entry {
    std::string key;
    int key_line = 0;
    YAML::Node value;
  };
  YamlMap(const YamlValue& value, std::vector<Entry> entries)
      : line_(value.line()),
        path_(value.path()),
        source_(&value.source()),
        entries_(std::move(entries)) {}
  std::string ChildPath(std::string_view key) const;

  int line_;
  std::string path_;
  const YamlSource* source_;
  std::vector<Entry> entries_;
};

// The closest of `candidates` to `word` if it is a plausible typo of it (small edit distance).
std::optional<std::string_view> SuggestKey(std::string_view word,
                                           const std::vector<std::string_view>& candidates);

}  // namespace practica::content
