#include "store/memory/memory_content_store.h"

#include <mutex>
#include <set>
#include <utility>

#include "common/text.h"
#include "store/course_checks.h"

namespace practica::store::memory {
namespace {

CourseSummary SummaryOf(const domain::Course& course) {
  return {course.slug,           course.title, course.summary,
          course.language,       course.tags,  static_cast<int>(course.lessons.size()),
          course.ExerciseCount()};
}

Status CheckUnique(const domain::Course& course) {
  std::set<std::string_view> lessons;
  std::set<std::string_view> exercises;
  for (const domain::Lesson& lesson : course.lessons) {
    if (!lessons.insert(lesson.slug).second) {
      return Error::Conflict("course " + Quoted(course.slug) + " has two lessons " +
                             Quoted(lesson.slug));
    }
    for (const domain::Exercise& exercise : lesson.exercises) {
      if (!exercises.insert(exercise.id).second) {
        return Error::Conflict("course " + Quoted(course.slug) + " has two exercises " +
                               Quoted(exercise.id));
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Status MemoryContentStore::PutCourse(const domain::Course& course) {
  if (Status s = CheckCourseKeys(course); !s.ok()) return s;
  if (Status s = CheckUnique(course); !s.ok()) return s;
  auto snapshot = std::make_shared<const domain::Course>(course);  // copied outside the lock
  std::unique_lock lock(mutex_);
  courses_[course.slug] = std::move(snapshot);
  ++version_;
  return Status::Ok();
}

Status MemoryContentStore::DeleteCourse(std::string_view course) {
  std::unique_lock lock(mutex_);
  const auto it = courses_.find(course);
  if (it == courses_.end()) return Error::NotFound("course " + Quoted(course) + " not found");
  courses_.erase(it);
  ++version_;
  return Status::Ok();
}

Result<std::shared_ptr<const domain::Course>> MemoryContentStore::Find(
    std::string_view course) const {
  std::shared_lock lock(mutex_);
  const auto it = courses_.find(course);
  if (it == courses_.end()) return Error::NotFound("course " + Quoted(course) + " not found");
  return it->second;
}

Result<std::vector<CourseSummary>> MemoryContentStore::ListCourses(std::string_view after_slug,
                                                                   int limit) {
  if (limit < 1) return Error::Invalid("limit must be at least 1");
  std::vector<std::shared_ptr<const domain::Course>> page;
  {
    std::shared_lock lock(mutex_);
    for (auto it = courses_.upper_bound(after_slug);
         it != courses_.end() && static_cast<int>(page.size()) < limit; ++it) {
      page.push_back(it->second);
    }
  }
  std::vector<CourseSummary> summaries;
  summaries.reserve(page.size());
  for (const auto& course : page) summaries.push_back(SummaryOf(*course));
  return summaries;
}

Result<CourseOutline> MemoryContentStore::GetCourseOutline(std::string_view course) {
  Result<std::shared_ptr<const domain::Course>> found = Find(course);
  if (!found.ok()) return std::move(found).error();
  CourseOutline outline{SummaryOf(**found), {}};
  for (const domain::Lesson& lesson : (*found)->lessons) {
    outline.lessons.push_back(
        {lesson.slug, lesson.title, static_cast<int>(lesson.exercises.size())});
  }
  return outline;
}

Result<domain::Course> MemoryContentStore::GetCourse(std::string_view course) {
  Result<std::shared_ptr<const domain::Course>> found = Find(course);
  if (!found.ok()) return std::move(found).error();
  return **found;
}

Result<domain::Lesson> MemoryContentStore::GetLesson(std::string_view course,
                                                     std::string_view lesson) {
  Result<std::shared_ptr<const domain::Course>> found = Find(course);
  if (!found.ok()) return std::move(found).error();
  for (const domain::Lesson& candidate : (*found)->lessons) {
    if (candidate.slug == lesson) return candidate;
  }
  return Error::NotFound("lesson " + Quoted(lesson) + " not found in course " + Quoted(course));
}

Result<domain::Exercise> MemoryContentStore::GetExercise(std::string_view course,
                                                         std::string_view exercise) {
  Result<std::shared_ptr<const domain::Course>> found = Find(course);
  if (!found.ok()) return std::move(found).error();
  for (const domain::Lesson& lesson : (*found)->lessons) {
    for (const domain::Exercise& candidate : lesson.exercises) {
      if (candidate.id == exercise) return candidate;
    }
  }
  return Error::NotFound("exercise " + Quoted(exercise) + " not found in course " + Quoted(course));
}

Result<int64_t> MemoryContentStore::CountCourses() {
  std::shared_lock lock(mutex_);
  return static_cast<int64_t>(courses_.size());
}

Result<int64_t> MemoryContentStore::ContentVersion() {
  std::shared_lock lock(mutex_);
  return version_;
}

Status MemoryContentStore::Ping() { return Status::Ok(); }

}  // namespace practica::store::memory
