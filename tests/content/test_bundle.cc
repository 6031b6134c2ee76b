#include "content/test_bundle.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

namespace practica::content::testing {

TempDir::TempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "practica-content-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void TempDir::Write(const std::string& relative, std::string_view text) const {
  const std::filesystem::path file = path_ / relative;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << "cannot write " << file;
}

std::filesystem::path Fixture(const std::string& name) {
  return std::filesystem::path(PRACTICA_SOURCE_DIR) / "tests/content/fixtures" / name;
}

std::string Describe(const Error& error) {
  std::string text = error.message + "\n";
  for (const FieldError& field : error.fields) text += field.field + ": " + field.message + "\n";
  return text;
}

}  // namespace practica::content::testing
