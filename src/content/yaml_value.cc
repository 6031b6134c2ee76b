#include "content/yaml_value.h"

#include <algorithm>

#include "content/numbers.h"

namespace practica::content {
namespace {

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbouring letters ("titel" → "title") each count one.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

int YamlSource::LineOf(const YAML::Mark& mark, int fallback) const {
  if (mark.is_null() || mark.line < 0) return fallback;
  return first_line + mark.line;
}

void YamlSource::Report(int line, std::string message, std::string field) const {
  problems->Add(file, line, std::move(message), std::move(field));
}

std::optional<YAML::Node> LoadYaml(const std::string& text, const YamlSource& source) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    source.Report(source.LineOf(e.mark, source.first_line), "YAML syntax error: " + e.msg);
  } catch (const std::exception& e) {
    source.Report(source.first_line, std::string("YAML error: ") + e.what());
  }
  return std::nullopt;
}

void YamlValue::Report(std::string_view message) const {
  if (path_.empty()) {
    source_->Report(line_, "the " + source_->what + " " + std::string(message));
  } else {
    source_->Report(line_, "'" + path_ + "' " + std::string(message), path_);
  }
}

std::optional<std::string> YamlValue::String() const {
  if (!node_.IsScalar()) {
    Report("must be a string");
    return std::nullopt;
  }
  return node_.Scalar();
}

std::optional<std::string> YamlValue::NonEmptyString() const {
  std::optional<std::string> text = String();
  if (text && IsBlank(*text)) {
    Report("must not be empty");
    return std::nullopt;
  }
  return text;
}

std::optional<double> YamlValue::Number() const {
  std::optional<double> value;
  if (node_.IsScalar()) value = ParseNumber(node_.Scalar());
  if (!value) Report("must be a number");
  return value;
}

std::optional<std::int64_t> YamlValue::Integer() const {
  std::optional<std::int64_t> value;
  if (node_.IsScalar()) value = ParseInteger(node_.Scalar());
  if (!value) Report("must be a whole number");
  return value;
}

std::optional<bool> YamlValue::Bool() const {
  bool value = false;
  // A quoted scalar ("true", 'yes') is a string in YAML, not a boolean.
  if (node_.IsScalar() && node_.Tag() != "!" && YAML::convert<bool>::decode(node_, value)) {
    return value;
  }
  Report("must be true or false");
  return std::nullopt;
}

std::optional<std::vector<YamlValue>> YamlValue::Items() const {
  if (!node_.IsSequence()) {
    Report("must be a list");
    return std::nullopt;
  }
  std::vector<YamlValue> items;
  items.reserve(node_.size());
  for (size_t i = 0; i < node_.size(); ++i) {
    const YAML::Node item = node_[i];
    items.emplace_back(item, source_->LineOf(item.Mark(), line_),
                       path_ + "[" + std::to_string(i) + "]", source_);
  }
  return items;
}

std::optional<std::vector<std::string>> YamlValue::StringList() const {
  const std::optional<std::vector<YamlValue>> items = Items();
  if (!items) return std::nullopt;
  std::vector<std::string> strings;
  bool ok = true;
  for (const YamlValue& item : *items) {
    std::optional<std::string> text = item.NonEmptyString();
    if (text) {
      strings.push_back(std::move(*text));
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return strings;
}

std::optional<std::pair<double, double>> YamlValue::NumberPair() const {
  if (!node_.IsSequence() || node_.size() != 2) {
    Report("must be a list of two numbers [low, high]");
    return std::nullopt;
  }
  const std::optional<std::vector<YamlValue>> items = Items();
  const std::optional<double> low = (*items)[0].Number();
  const std::optional<double> high = (*items)[1].Number();
  if (!low || !high) return std::nullopt;
  return std::pair{*low, *high};
}

std::optional<YamlMap> YamlMap::From(const YamlValue& value) {
  if (!value.node().IsMap()) {
    value.Report("must be a mapping of fields");
    return std::nullopt;
  }
  const YamlSource& source = value.source();
  std::vector<Entry> entries;
  for (const auto& pair : value.node()) {
    const int key_line = source.LineOf(pair.first.Mark(), value.line());
    if (!pair.first.IsScalar()) {
      source.Report(key_line, "a field name must be a plain string");
      continue;
    }
    const std::string& key = pair.first.Scalar();
    const bool duplicate = std::any_of(entries.begin(), entries.end(),
                                       [&](const Entry& entry) { return entry.key == key; });
    if (duplicate) {
      source.Report(key_line, "duplicate field '" + key + "'",
                    value.path().empty() ? key : value.path() + "." + key);
      continue;
    }
    entries.push_back({key, key_line, pair.second});
  }
  return YamlMap(value, std::move(entries));
}

std::string YamlMap::ChildPath(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

bool YamlMap::Has(std::string_view key) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const Entry& entry) { return entry.key == key; });
}

std::optional<YamlValue> YamlMap::Get(std::string_view key) const {
  for (const Entry& entry : entries_) {
    if (entry.key != key) continue;
    // yaml-cpp marks an empty value at the next token, so an empty value takes its key's line.
    const int line =
        entry.value.IsNull() ? entry.key_line : source_->LineOf(entry.value.Mark(), entry.key_line);
    return YamlValue(entry.value, line, ChildPath(key), source_);
  }
  return std::nullopt;
}

std::optional<YamlValue> YamlMap::Require(std::string_view key) const {
  std::optional<YamlValue> value = Get(key);
  if (!value) {
    source_->Report(line_,
                    path_.empty()
                        ? "missing required field '" + std::string(key) + "'"
                        : "'" + path_ + "' is missing required field '" + std::string(key) + "'",
                    ChildPath(key));
  }
  return value;
}

std::vector<std::pair<std::string, YamlValue>> YamlMap::Fields() const {
  std::vector<std::pair<std::string, YamlValue>> fields;
  for (const Entry& entry : entries_) fields.emplace_back(entry.key, *Get(entry.key));
  return fields;
}

void YamlMap::CheckKeys(std::initializer_list<std::string_view> allowed) const {
  CheckKeys(std::vector<std::string_view>(allowed));
}

void YamlMap::CheckKeys(const std::vector<std::string_view>& allowed) const {
  for (const Entry& entry : entries_) {
    if (std::find(allowed.begin(), allowed.end(), entry.key) != allowed.end()) continue;
    std::string message = "unknown field '" + ChildPath(entry.key) + "'";
    if (const auto suggestion = SuggestKey(entry.key, allowed)) {
      message += " (did you mean '" + std::string(*suggestion) + "'?)";
    }
    source_->Report(entry.key_line, std::move(message), ChildPath(entry.key));
  }
}

std::optional<std::string_view> SuggestKey(std::string_view word,
                                           const std::vector<std::string_view>& candidates) {
  std::optional<std::string_view> best;
  size_t best_distance = 0;
  for (std::string_view candidate : candidates) {
    const size_t distance = EditDistance(word, candidate);
    if (!best || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  // A third of the word may be wrong, at least one letter: "tolerence", "promt", "optons".
  if (best && best_distance <= std::max<size_t>(1, word.size() / 3)) return best;
  return std::nullopt;
}

}  // namespace practica::content
