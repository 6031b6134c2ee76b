#include "domain/course.h"

namespace practica::domain {

std::string Lesson::Html() const {
  std::string html;
  for (const LessonBlock& block : blocks) {
    if (block.kind == LessonBlock::Kind::kMarkdown) {
      html += block.text.html;
    } else {
      // Exercise ids are slugs ([a-z0-9-]), so they need no escaping inside the attribute.
      html += "<div class=\"exercise-slot\" data-exercise-id=\"";
      html += block.exercise_id;
      html += "\"></div>\n";
    }
  }
  return html;
}

int Course::ExerciseCount() const {
  int count = 0;
  for (const Lesson& lesson : lessons) count += static_cast<int>(lesson.exercises.size());
  return count;
}

}  // namespace practica::domain
