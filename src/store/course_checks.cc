#include "store/course_checks.h"

#include <string>
#include <utility>
#include <vector>

namespace practica::store {

Status CheckCourseKeys(const domain::Course& course) {
  constexpr const char* kRule = "must be 1 to 64 characters from a-z, 0-9 and '-'";
  std::vector<FieldError> errors;
  if (!domain::IsValidSlug(course.slug)) errors.push_back({"slug", kRule});
  for (size_t l = 0; l < course.lessons.size(); ++l) {
    const domain::Lesson& lesson = course.lessons[l];
    const std::string prefix = "lessons[" + std::to_string(l) + "]";
    if (!domain::IsValidSlug(lesson.slug)) errors.push_back({prefix + ".slug", kRule});
    for (size_t e = 0; e < lesson.exercises.size(); ++e) {
      if (!domain::IsValidSlug(lesson.exercises[e].id)) {
        errors.push_back({prefix + ".exercises[" + std::to_string(e) + "].id", kRule});
      }
    }
  }
  if (errors.empty()) return Status::Ok();
  return Error::Invalid("course \"" + course.slug + "\" has invalid ids", std::move(errors));
}

}  // namespace practica::store
