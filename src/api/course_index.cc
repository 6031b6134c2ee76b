#include "api/course_index.h"

#include <mutex>

namespace practica::api {

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

void CourseIndex::Revalidate() {
  const int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
  int64_t due = next_check_ns_.load(std::memory_order_relaxed);
  if (now < due) return;
  const int64_t second = std::chrono::nanoseconds(std::chrono::seconds(1)).count();
  if (!next_check_ns_.compare_exchange_strong(due, now + second)) return;
  Result<int64_t> version = content_.ContentVersion();
  if (!version.ok()) return;
  std::unique_lock lock(mutex_);
  if (*version != version_) {
    courses_.clear();
    version_ = *version;
  }
}

Result<std::shared_ptr<const IndexedCourse>> CourseIndex::Get(std::string_view course) {
  Revalidate();
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
      indexed->exercises.emplace(exercise.id, IndexedCourse::Entry{&lesson, &exercise});
    }
  }
  std::unique_lock lock(mutex_);
  courses_[std::string(course)] = indexed;
  return std::shared_ptr<const IndexedCourse>(std::move(indexed));
}

}  // namespace practica::api
