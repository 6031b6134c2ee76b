// One lesson file ⇄ a domain::Lesson: YAML front matter between `---` lines, then Markdown with
// exercises in fenced ```exercise blocks.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "content/problem_list.h"
#include "domain/course.h"

namespace practica::content {

struct ParsedLesson {
  domain::Lesson lesson;
  std::string file;  // relative to the bundle, "lessons/01-averages.md"
  int slug_line = 0;
  std::vector<int> exercise_id_lines;  // parallel to lesson.exercises
};

// The slug a lesson gets without a `slug:` field: the file stem without an "NN-" prefix.
std::string DefaultLessonSlug(std::string_view file_name);

// Parses a lesson file's text (already checked to be UTF-8). `file` is the bundle-relative path
// for reports, `file_name` the stem. Reports problems and gives nullopt if there were any.
//
// Markdown blocks are the text between exercise blocks with leading and trailing blank lines
// removed, ending in one newline; blocks that would be empty are dropped. A fence (``` or ~~~,
// three or more, indented at most three spaces) whose info string is exactly "exercise" holds an
// exercise; any other fenced code block, and whatever it contains, stays Markdown.
std::optional<ParsedLesson> ParseLessonFile(std::string_view text, const std::string& file,
                                            const std::string& file_name, ProblemList& problems);

// The file text for `lesson`. Exercise fences are made longer than any backtick run inside the
// exercise's YAML, so that no text can close them early.
Result<std::string> FormatLessonFile(const domain::Lesson& lesson);

}  // namespace practica::content
