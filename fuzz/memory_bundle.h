// A course bundle held in memory, for the bundle fuzz target: the files of a bundle written one
// after another, each after a line "@@@ PATH" (PATH relative to the bundle's root), with one
// newline between a file and the next marker. Text before the first marker is ignored. The seeds in
// corpus/bundle are written this way by fuzz/seeds.cc from real bundles.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "content/bundle_files.h"
#include "content/problem_list.h"

namespace practica::fuzz {

inline constexpr std::string_view kFileMarker = "@@@ ";

class MemoryBundle final : public content::BundleSource {
 public:
  // Splits `text` into files: each runs from the line after its marker to the newline before the
  // next marker (or the end). A path given twice keeps its last content.
  static MemoryBundle Parse(std::string_view text) {
    MemoryBundle bundle;
    const std::string separator = "\n" + std::string(kFileMarker);
    size_t at = text.substr(0, kFileMarker.size()) == kFileMarker ? 0 : text.find(separator);
    if (at != 0 && at != std::string_view::npos) ++at;
    while (at != std::string_view::npos && at < text.size()) {
      const size_t begin = at + kFileMarker.size();
      size_t next = text.find(separator, begin);
      const std::string_view chunk = text.substr(
          begin, next == std::string_view::npos ? std::string_view::npos : next - begin);
      const size_t newline = chunk.find('\n');
      std::string& content = bundle.files_[std::string(chunk.substr(0, newline))];
      content = newline == std::string_view::npos ? "" : std::string(chunk.substr(newline + 1));
      at = next == std::string_view::npos ? next : next + 1;
    }
    return bundle;
  }

  // The text Parse reads back as `files`, or nullopt when a file holds a marker line of its own.
  static std::optional<std::string> Format(const std::vector<content::BundleFile>& files) {
    const std::string separator = "\n" + std::string(kFileMarker);
    std::string text;
    for (const auto& file : files) {
      if (file.content.find(separator) != std::string::npos ||
          file.content.substr(0, kFileMarker.size()) == kFileMarker) {
        return std::nullopt;
      }
      if (!text.empty()) text.push_back('\n');
      text.append(kFileMarker).append(file.path).push_back('\n');
      text.append(file.content);
    }
    return text;
  }

  std::optional<std::vector<std::string>> ListLessonsFolder() const override {
    const std::string prefix = "lessons/";
    std::set<std::string> names;
    for (const auto& [path, content] : files_) {
      if (path.compare(0, prefix.size(), prefix) != 0) continue;
      const std::string rest = path.substr(prefix.size());
      names.insert(rest.substr(0, rest.find('/')));
    }
    if (names.empty()) return std::nullopt;
    return std::vector<std::string>(names.begin(), names.end());
  }

  bool Exists(const std::string& relative) const override { return files_.count(relative) > 0; }

  std::optional<std::string> Read(const std::string& relative,
                                  content::ProblemList& problems) override {
    const auto found = files_.find(relative);
    if (found == files_.end()) {
      problems.Add(relative, 0, "the file does not exist");
      return std::nullopt;
    }
    return content::CheckBundleText(found->second, relative, problems);
  }

 private:
  std::map<std::string, std::string> files_;
};

}  // namespace practica::fuzz
