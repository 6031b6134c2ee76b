// Course bundles (../shared/CONTENT-FORMAT.md, docs/CONTENT.md): a folder with course.yaml and one
// Markdown file per lesson, exercises in fenced ```exercise blocks.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/course.h"

namespace practica::content {

// One problem found in a bundle. `file` is relative to the bundle folder; `line` is 1-based
// (0 when the problem concerns the file as a whole).
struct BundleProblem {
  std::string file;
  int line = 0;
  std::string message;
  // The path of the offending field within its YAML document ("options[2].correct"), when the
  // problem is about one; empty for the document as a whole or a problem outside YAML.
  std::string field = {};

  std::string ToString() const;  // "lessons/01-averages.md:12: message"
};

// Reads and validates a whole bundle. On any problem, returns ErrorCode::kInvalid with every
// problem found (as far as parsing could go) in Error::fields, field = "FILE:LINE", message = what
// is wrong; nothing partial is ever returned. All Markdown is rendered to HTML.
Result<domain::Course> ReadBundle(const std::filesystem::path& dir);

// One file of a bundle: its path relative to the bundle folder ('/'-separated) and its text.
struct BundleFile {
  std::string path;
  std::string content;
};

// The files of `course` as a bundle, in the order WriteBundle writes them (the lessons, then
// course.yaml), proven to read back as `course` (see WriteBundle) or refused with kInvalid.
Result<std::vector<BundleFile>> FormatBundle(const domain::Course& course);

// Writes `course` as a bundle into `dir` (created if missing; existing course.yaml and lesson files
// of the same names are replaced). ReadBundle(WriteBundle(c)) == c: the files are formatted and
// read back in memory first, and a course that would not read back equal (invalid content, or
// Markdown blocks with leading or trailing blank lines) is refused with kInvalid before anything
// is written. A lesson without a file_name is written as "NN-slug.md" (NN its 1-based position).
// Each file is replaced atomically (temporary file, fsync, rename): never half written.
Status WriteBundle(const domain::Course& course, const std::filesystem::path& dir);

}  // namespace practica::content
