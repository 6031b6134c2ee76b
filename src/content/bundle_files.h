// Where a bundle's files come from (a folder, or a zip in memory: bundle_zip.h), the checks every
// bundle file gets whatever its source, and all-or-nothing writes to disk.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"
#include "content/problem_list.h"
#include "domain/course.h"

namespace practica::content {

// No bundle file may be larger than this: a lesson is text, and a reader must stay bounded.
inline constexpr std::uintmax_t kMaxBundleFileBytes = 1024 * 1024;

// The files of one bundle, by paths relative to its root with '/' between segments
// ("lessons/01-averages.md"). ReadBundleFrom asks only for course.yaml and lesson files.
class BundleSource {
 public:
  virtual ~BundleSource() = default;

  // The names of the entries directly inside lessons/ ("01-averages.md"), in any order; nullopt
  // when there is no lessons/ folder.
  virtual std::optional<std::vector<std::string>> ListLessonsFolder() const = 0;

  // Whether something exists at `relative` (a file or not).
  virtual bool Exists(const std::string& relative) const = 0;

  // The file at `relative` as text, checked by CheckBundleText. A missing, unreadable or
  // non-regular file is reported against `relative` and gives nullopt.
  virtual std::optional<std::string> Read(const std::string& relative, ProblemList& problems) = 0;
};

// A bundle folder on disk. Symbolic links are refused: one could make an imported bundle read
// any file on the server.
class FolderSource final : public BundleSource {
 public:
  explicit FolderSource(std::filesystem::path dir) : dir_(std::move(dir)) {}

  std::optional<std::vector<std::string>> ListLessonsFolder() const override;
  bool Exists(const std::string& relative) const override;
  std::optional<std::string> Read(const std::string& relative, ProblemList& problems) override;

 private:
  std::filesystem::path dir_;
};

// The checks every bundle file gets, whatever its source: at most kMaxBundleFileBytes, and valid
// UTF-8 (a bad byte is reported with its line). Gives the text back, or nullopt.
std::optional<std::string> CheckBundleText(std::string text, const std::string& relative,
                                           ProblemList& problems);

// Reads and validates the bundle in `source`, exactly as ReadBundle (bundle.h) describes.
Result<domain::Course> ReadBundleFrom(BundleSource& source);

// Writes every (path, content) so that each path holds either its old content or its complete new
// content, never a part: everything goes to temporary files in the target folders first (flushed
// to disk), and only when all of them are written are they renamed over their targets.
Status WriteFilesAtomically(
    const std::vector<std::pair<std::filesystem::path, std::string>>& files);

}  // namespace practica::content
