// course.yaml ⇄ the course fields, and the rules that span the whole course.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "content/lesson_file.h"
#include "content/problem_list.h"
#include "domain/course.h"

namespace practica::content {

inline constexpr std::string_view kCourseFile = "course.yaml";
inline constexpr std::string_view kLessonsDir = "lessons";

// "lessons/<file_name>.md", relative to the bundle folder.
std::string LessonFilePath(std::string_view file_name);

// One entry of course.yaml's `lessons:` list.
struct LessonRef {
  std::string file_name;  // the stem: lessons/<file_name>.md
  int line = 0;           // in course.yaml
};

struct ParsedCourse {
  domain::Course course;                          // without lessons
  std::optional<std::vector<LessonRef>> lessons;  // absent: every lessons/*.md in name order
};

// True for a lesson file stem that stays inside lessons/: [A-Za-z0-9._-]{1,100}, not starting
// with a dot.
bool IsValidLessonFileName(std::string_view name);

// Parses course.yaml and reports its problems. Gives nullopt only when the text is not a YAML
// mapping at all; otherwise whatever could be read, so that the lessons can be checked too even
// when a course field is wrong (the caller decides by the problem count).
std::optional<ParsedCourse> ParseCourseFile(const std::string& text, ProblemList& problems);

// course.yaml for `course`, always with the `lessons:` list.
std::string FormatCourseFile(const domain::Course& course);

// Puts the lessons into `course` after checking what spans lessons: lesson slugs and exercise
// ids are unique within the course, and the course has a lesson.
std::optional<domain::Course> AssembleCourse(domain::Course course,
                                             std::vector<ParsedLesson> lessons,
                                             ProblemList& problems);

}  // namespace practica::content
