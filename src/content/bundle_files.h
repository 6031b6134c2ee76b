// The file-system side of bundles: bounded, validated reads and all-or-nothing writes.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"
#include "content/problem_list.h"

namespace practica::content {

// No bundle file may be larger than this: a lesson is text, and a reader must stay bounded.
inline constexpr std::uintmax_t kMaxBundleFileBytes = 1024 * 1024;

// Reads `dir`/`relative` as UTF-8 text. A missing, unreadable, oversized or non-UTF-8 file, or a
// symbolic link, is reported against `relative` and gives nullopt.
std::optional<std::string> ReadBundleFile(const std::filesystem::path& dir,
                                          const std::string& relative, ProblemList& problems);

// Writes every (path, content) so that each path holds either its old content or its complete new
// content, never a part: everything goes to temporary files in the target folders first (flushed
// to disk), and only when all of them are written are they renamed over their targets.
Status WriteFilesAtomically(
    const std::vector<std::pair<std::filesystem::path, std::string>>& files);

}  // namespace practica::content
