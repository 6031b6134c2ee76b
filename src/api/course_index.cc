#include "api/course_index.h"

#include <mutex>

#include "auth/crypto.h"
#include "store/exercise_codec.h"

namespace practica::api {

std::string ExerciseFingerprint(const domain::Exercise& exercise) {
  return auth::Sha256Hex(store::EncodeExercise(exercise)).substr(0, 16);
}

std::optional<ExerciseRef> ParseExerciseRef(std::string_view ref) {
  const size_t dot = ref.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  ExerciseRef parsed{std::string(ref.substr(0, dot)), std::string(ref.substr(dot + 1))};
  if (!domain::IsValidSlug(parsed.course) || !domain::IsValidSlug(parsed.exercise)) {
    return std::nullopt;
  }
  return parsed;
}

std::string MakeExerciseRef(std::string_view course, std::string_view exercise) {
  std::string ref(course);
  ref += '.';
  ref += exercise;
  return ref;
}

void CourseIndex::DropIfStale() {
  const int64_t current = version_watch_.Current();
  {
    std::shared_lock lock(mutex_);
    if (current == version_) return;
  }
  std::unique_lock lock(mutex_);
  if (current != version_) {
    courses_.clear();
    version_ = current;
  }
}

Result<std::shared_ptr<const IndexedCourse>> CourseIndex::Get(std::string_view course) {
  DropIfStale();
  {
    std::shared_lock lock(mutex_);
    if (auto it = courses_.find(std::string(course)); it != courses_.end()) return it->second;
  }
  Result<domain::Course> loaded = content_.GetCourse(course);
  if (!loaded.ok()) return loaded.error();
  auto indexed = std::make_shared<IndexedCourse>();
  indexed->course = std::move(loaded).value();
  for (const domain::Lesson& lesson : indexed->course.lessons) {
    for (const domain::Exercise& exercise : lesson.exercises) {
      indexed->exercises.emplace(
          exercise.id, IndexedCourse::Entry{&lesson, &exercise, ExerciseFingerprint(exercise)});
    }
  }
  std::unique_lock lock(mutex_);
  courses_[std::string(course)] = indexed;
  return std::shared_ptr<const IndexedCourse>(std::move(indexed));
}

}  // namespace practica::api
