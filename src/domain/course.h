// Courses and lessons: the content a learner works through.
#pragma once

#include <string>
#include <vector>

#include "domain/exercise.h"

namespace practica::domain {

// A lesson's body in reading order: Markdown text with exercises at the places they appear.
struct LessonBlock {
  enum class Kind { kMarkdown, kExercise };
  Kind kind = Kind::kMarkdown;
  RichText text;            // kMarkdown
  std::string exercise_id;  // kExercise: the id of one of the lesson's exercises
  friend bool operator==(const LessonBlock&, const LessonBlock&) = default;
};

struct Lesson {
  std::string slug;
  std::string title;
  std::string file_name;  // bundle file stem, e.g. "01-averages"; export writes it back
  std::vector<LessonBlock> blocks;
  std::vector<Exercise> exercises;  // in the order they appear in blocks

  // The lesson HTML with an empty slot element where each exercise sits:
  // <div class="exercise-slot" data-exercise-id="ID"></div>
  std::string Html() const;
  friend bool operator==(const Lesson&, const Lesson&) = default;
};

struct Course {
  std::string slug;  // [a-z0-9-]{1,64}, unique on the platform
  std::string title;
  std::string summary;  // plain text
  std::string language = "en";
  std::vector<std::string> tags;
  std::vector<Lesson> lessons;  // in course order

  int ExerciseCount() const;
  friend bool operator==(const Course&, const Course&) = default;
};

}  // namespace practica::domain
