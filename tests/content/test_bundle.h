// Helpers for bundle tests: a temporary folder per test and assertions on reported problems.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/error.h"
#include "domain/course.h"

namespace practica::content::testing {

// A fresh folder under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `text` to path()/relative, creating folders as needed.
  void Write(const std::string& relative, std::string_view text) const;

 private:
  std::filesystem::path path_;
};

// tests/content/fixtures/NAME in the source tree.
std::filesystem::path Fixture(const std::string& name);

// "course.yaml:3: message" lines, one per FieldError, for failure messages.
std::string Describe(const Error& error);

}  // namespace practica::content::testing
