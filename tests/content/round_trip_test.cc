// ReadBundle(WriteBundle(c)) == c over every good fixture and every course in the demo content.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "content/bundle.h"
#include "content/markdown.h"
#include "content/test_bundle.h"

namespace practica::content {
namespace {

using testing::Describe;
using testing::Fixture;
using testing::TempDir;

std::vector<std::filesystem::path> CourseFolders(const std::filesystem::path& root) {
  std::vector<std::filesystem::path> folders;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
    if (std::filesystem::exists(entry.path() / "course.yaml")) folders.push_back(entry.path());
  }
  std::sort(folders.begin(), folders.end());
  return folders;
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Reads `folder`, writes it, reads that back and expects the same course; writing the result
// again must give byte-identical files.
void ExpectRoundTrip(const std::filesystem::path& folder) {
  SCOPED_TRACE(folder.string());
  Result<domain::Course> original = ReadBundle(folder);
  ASSERT_TRUE(original.ok()) << Describe(original.error());
  const TempDir first;
  const Status written = WriteBundle(*original, first.path());
  ASSERT_TRUE(written.ok()) << Describe(written.error());
  Result<domain::Course> back = ReadBundle(first.path());
  ASSERT_TRUE(back.ok()) << Describe(back.error());
  EXPECT_TRUE(*back == *original);

  const TempDir second;
  ASSERT_TRUE(WriteBundle(*back, second.path()).ok());
  EXPECT_EQ(ReadText(second.path() / "course.yaml"), ReadText(first.path() / "course.yaml"));
  for (const domain::Lesson& lesson : back->lessons) {
    const std::string file = "lessons/" + lesson.file_name + ".md";
    EXPECT_EQ(ReadText(second.path() / file), ReadText(first.path() / file)) << file;
  }
}

TEST(RoundTrip, EveryFixture) {
  const std::vector<std::filesystem::path> folders = CourseFolders(Fixture(""));
  ASSERT_GE(folders.size(), 10u) << "one fixture per exercise type";
  for (const std::filesystem::path& folder : folders) ExpectRoundTrip(folder);
}

TEST(RoundTrip, DemoContent) {
  const std::vector<std::filesystem::path> folders =
      CourseFolders(std::filesystem::path(PRACTICA_SOURCE_DIR) / "content");
  if (folders.empty()) GTEST_SKIP() << "no course in content/ yet";
  for (const std::filesystem::path& folder : folders) ExpectRoundTrip(folder);
}

// Values that are easy to lose on the way: relative tolerances that are not exact in binary,
// non-default flags, multi-line feedback, Markdown that YAML would misread.
TEST(RoundTrip, AwkwardValues) {
  Result<domain::Course> course = ReadBundle(Fixture("numeric"));
  ASSERT_TRUE(course.ok()) << Describe(course.error());
  domain::Exercise& exercise = course->lessons[0].exercises[3];
  auto& answers = std::get<domain::Numeric>(exercise.spec).answers;
  answers[0].tolerance = {0.07, true};
  answers[0].feedback = MakeRichText("- looks like a list\n- yes: it is\n");
  answers[1].range = std::pair{-1e-300, 1e300};
  exercise.hints = {MakeInlineRichText("true"), MakeInlineRichText("# not a comment")};
  exercise.tags = {"a, b", "[x]"};
  exercise.max_attempts = 1;
  exercise.penalty = 1.0 / 3;

  const TempDir dir;
  const Status written = WriteBundle(*course, dir.path());
  ASSERT_TRUE(written.ok()) << Describe(written.error());
  Result<domain::Course> back = ReadBundle(dir.path());
  ASSERT_TRUE(back.ok()) << Describe(back.error());
  EXPECT_TRUE(*back == *course);
}

}  // namespace
}  // namespace practica::content
