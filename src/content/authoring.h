// What the authoring API needs of the content layer: exercises to and from their JSON form, and
// lessons from the pieces an author edits. Everything goes through the same parsers as a bundle
// (exercise_yaml.h, lesson_file.h), so the API and `practica import` accept exactly the same
// content and report the same problems.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/course.h"

namespace practica::content {

// An exercise from its JSON form: a JSON object with the fields of an ```exercise block
// (CONTENT-FORMAT.md, docs/CONTENT.md; numbers, booleans and strings where the YAML has them).
// It is read by ParseExercise, so every rule of a bundle applies and all Markdown is rendered.
// kInvalid with one FieldError per problem: the field is the path of the offending field after
// `prefix` ("exercise" → "exercise.options[1].correct", or "exercise" for the exercise as a
// whole), the message says what is wrong.
Result<domain::Exercise> ExerciseFromJson(const boost::json::value& json, std::string_view prefix);

// The JSON form of `exercise`: FormatExercise's fields (defaults left out, shorthands used),
// with ids and texts as strings, numbers as numbers and flags as booleans.
// ExerciseFromJson(ExerciseToJson(e)) == e for every valid e.
boost::json::value ExerciseToJson(const domain::Exercise& exercise);

// Ok, or kInvalid with FieldErrors ("slug", "title", "language", "tags[1]", …) when the course's
// own fields (not its lessons) would not be valid in course.yaml.
Status CheckCourseFields(const domain::Course& course);

// One piece of a lesson body as an author edits it: Markdown, or (when `exercise` is set) an
// exercise placed there.
struct LessonPiece {
  std::string markdown;
  const domain::Exercise* exercise = nullptr;
};

// The lesson `slug` titled `title` whose body is `pieces`, read exactly as its lesson file would
// be (lesson_file.h): Markdown between two exercises becomes one block, without leading and
// trailing blank lines, rendered; blank Markdown is dropped. A lesson without pieces has no
// blocks (a bundle refuses that, so publishing it will fail; a draft may hold it).
// kInvalid with FieldErrors: "title" or "slug" (the front matter's rules), or "blocks[i]" for a
// Markdown piece that would not read back as Markdown (it opens an ```exercise block, or a code
// fence it leaves open swallows what follows).
Result<domain::Lesson> AssembleLesson(const std::string& slug, const std::string& title,
                                      const std::string& file_name,
                                      const std::vector<LessonPiece>& pieces);

}  // namespace practica::content
