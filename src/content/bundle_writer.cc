// WriteBundle: format every file in memory, prove that it reads back as the same course, and only
// then replace the files on disk.
#include <set>
#include <system_error>

#include "content/bundle.h"
#include "content/bundle_files.h"
#include "content/course_file.h"
#include "content/lesson_file.h"

namespace practica::content {
namespace {

// Names lessons that have no file name yet "NN-slug", in course order.
Status AssignFileNames(domain::Course& course) {
  std::set<std::string> used;
  for (size_t i = 0; i < course.lessons.size(); ++i) {
    domain::Lesson& lesson = course.lessons[i];
    if (lesson.file_name.empty()) {
      const std::string number = std::to_string(i + 1);
      lesson.file_name = (number.size() < 2 ? "0" + number : number) + "-" + lesson.slug;
    }
    if (!IsValidLessonFileName(lesson.file_name)) {
      return Error::Invalid("lesson '" + lesson.slug + "' has the file name '" + lesson.file_name +
                            "', which may only use letters, digits, '.', '_' and '-'");
    }
    if (!used.insert(lesson.file_name).second) {
      return Error::Invalid("two lessons have the file name '" + lesson.file_name + "'");
    }
  }
  return Status::Ok();
}

// Reads the formatted files back exactly as ReadBundle would, and compares with `course`.
Status VerifyRoundTrip(const domain::Course& course, const std::string& course_text,
                       const std::vector<std::string>& lesson_texts) {
  ProblemList problems;
  std::optional<ParsedCourse> parsed = ParseCourseFile(course_text, problems);
  std::vector<ParsedLesson> lessons;
  for (size_t i = 0; i < lesson_texts.size(); ++i) {
    const std::string& file_name = course.lessons[i].file_name;
    if (auto lesson =
            ParseLessonFile(lesson_texts[i], LessonFilePath(file_name), file_name, problems)) {
      lessons.push_back(std::move(*lesson));
    }
  }
  std::optional<domain::Course> back;
  if (parsed && problems.empty())
    back = AssembleCourse(parsed->course, std::move(lessons), problems);
  if (!problems.empty() || !back) {
    Error error = problems.ToError();
    error.message = "the course is not valid as a bundle: " + error.message;
    return error;
  }
  if (*back == course) return Status::Ok();
  // Name the first lesson that differs, to make the cause findable.
  for (size_t i = 0; i < course.lessons.size() && i < back->lessons.size(); ++i) {
    if (!(back->lessons[i] == course.lessons[i])) {
      return Error::Invalid("lesson '" + course.lessons[i].slug +
                            "' would not read back unchanged (Markdown blocks must not begin or "
                            "end with blank lines and must end with a newline; every exercise "
                            "must be placed once, in order)");
    }
  }
  return Error::Invalid("the course fields would not read back unchanged");
}

}  // namespace

Result<std::vector<BundleFile>> FormatBundle(const domain::Course& original) {
  domain::Course course = original;
  if (Status named = AssignFileNames(course); !named.ok()) return std::move(named).error();

  std::string course_text = FormatCourseFile(course);
  std::vector<std::string> lesson_texts;
  for (const domain::Lesson& lesson : course.lessons) {
    Result<std::string> text = FormatLessonFile(lesson);
    if (!text.ok()) return std::move(text).error();
    lesson_texts.push_back(std::move(text).value());
  }
  if (Status verified = VerifyRoundTrip(course, course_text, lesson_texts); !verified.ok()) {
    return std::move(verified).error();
  }
  std::vector<BundleFile> files;
  for (size_t i = 0; i < course.lessons.size(); ++i) {
    files.push_back({LessonFilePath(course.lessons[i].file_name), std::move(lesson_texts[i])});
  }
  // course.yaml last: it names the lessons, so it should only change once they are in place.
  files.push_back({std::string(kCourseFile), std::move(course_text)});
  return files;
}

Status WriteBundle(const domain::Course& course, const std::filesystem::path& dir) {
  Result<std::vector<BundleFile>> formatted = FormatBundle(course);
  if (!formatted.ok()) return std::move(formatted).error();

  std::error_code ec;
  std::filesystem::create_directories(dir / kLessonsDir, ec);
  if (ec)
    return Error::Internal("cannot create " + (dir / kLessonsDir).string() + ": " + ec.message());
  std::vector<std::pair<std::filesystem::path, std::string>> files;
  for (BundleFile& file : *formatted) files.emplace_back(dir / file.path, std::move(file.content));
  return WriteFilesAtomically(files);
}

}  // namespace practica::content
