// ReadBundle: course.yaml, then each lesson file, then the course-wide checks. Every problem is
// collected; the course is returned only if there was none.
#include <algorithm>

#include "content/bundle.h"
#include "content/bundle_files.h"
#include "content/course_file.h"
#include "content/lesson_file.h"

namespace practica::content {
namespace {

// A bound on the work one bundle can cause, like the per-file size limit.
constexpr size_t kMaxLessons = 1000;

// Without a `lessons:` list: every lessons/*.md (not hidden), in name order.
std::vector<LessonRef> ListLessonFiles(const BundleSource& source, ProblemList& problems) {
  std::vector<LessonRef> refs;
  const std::optional<std::vector<std::string>> names = source.ListLessonsFolder();
  if (!names) {
    problems.Add(std::string(kLessonsDir), 0,
                 "course.yaml lists no lessons and there is no lessons/ folder to take them from");
    return refs;
  }
  for (const std::string& name : *names) {
    const std::filesystem::path path(name);
    const std::string stem = path.stem().string();
    if (path.extension() != ".md" || stem.empty() || stem.front() == '.') continue;
    if (!IsValidLessonFileName(stem)) {
      problems.Add(LessonFilePath(stem), 0,
                   "the file name may only use letters, digits, '.', '_' and '-'");
      continue;
    }
    refs.push_back({stem, 0});
  }
  std::sort(refs.begin(), refs.end(),
            [](const LessonRef& a, const LessonRef& b) { return a.file_name < b.file_name; });
  return refs;
}

}  // namespace

Result<domain::Course> ReadBundle(const std::filesystem::path& dir) {
  FolderSource source(dir);
  return ReadBundleFrom(source);
}

Result<domain::Course> ReadBundleFrom(BundleSource& source) {
  ProblemList problems;
  const std::optional<std::string> course_text = source.Read(std::string(kCourseFile), problems);
  if (!course_text) return problems.ToError();
  std::optional<ParsedCourse> parsed = ParseCourseFile(*course_text, problems);
  if (!parsed) return problems.ToError();

  const std::vector<LessonRef> refs =
      parsed->lessons ? std::move(*parsed->lessons) : ListLessonFiles(source, problems);
  if (refs.size() > kMaxLessons) {
    problems.Add(std::string(kCourseFile), 0,
                 "the course has " + std::to_string(refs.size()) + " lessons; at most " +
                     std::to_string(kMaxLessons) + " are allowed");
    return problems.ToError();
  }
  std::vector<ParsedLesson> lessons;
  for (const LessonRef& ref : refs) {
    const std::string path = LessonFilePath(ref.file_name);
    if (ref.line > 0 && !source.Exists(path)) {
      problems.Add(std::string(kCourseFile), ref.line,
                   "lesson '" + ref.file_name + "' is listed, but " + path + " does not exist");
      continue;
    }
    const std::optional<std::string> text = source.Read(path, problems);
    if (!text) continue;
    if (std::optional<ParsedLesson> lesson =
            ParseLessonFile(*text, path, ref.file_name, problems)) {
      lessons.push_back(std::move(*lesson));
    }
  }
  // The course-wide checks run over the lessons that did parse, unless none did for reasons
  // already reported (then "the course has no lessons" would only add noise).
  std::optional<domain::Course> course;
  if (!lessons.empty() || refs.empty()) {
    course = AssembleCourse(std::move(parsed->course), std::move(lessons), problems);
  }
  if (!problems.empty() || !course) return problems.ToError();
  return std::move(*course);
}

}  // namespace practica::content
