// ContentStore: the port through which everything reads and replaces course content.
//
// Adapters: store/sqlite (single machine), store/dynamodb, store/memory (the fake). All methods
// are thread-safe. A course is replaced or removed as a whole and atomically: readers see the old
// course or the new one (or none), never a mix, and a failed replace changes nothing.
//
// What the store holds is what learners see: the published version of each course. Drafts and
// the history of versions live in the AuthoringStore (authoring_store.h), which writes here when a
// course is published and removes the course when it is unpublished.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/course.h"

namespace practica::store {

// What the catalog lists about a course, without its lessons.
struct CourseSummary {
  std::string slug;
  std::string title;
  std::string summary;
  std::string language;
  std::vector<std::string> tags;
  int lesson_count = 0;
  int exercise_count = 0;
  friend bool operator==(const CourseSummary&, const CourseSummary&) = default;
};

// A lesson's place in its course outline.
struct LessonOutline {
  std::string slug;
  std::string title;
  int exercise_count = 0;
  friend bool operator==(const LessonOutline&, const LessonOutline&) = default;
};

struct CourseOutline {
  CourseSummary course;
  std::vector<LessonOutline> lessons;  // in course order
};

class ContentStore {
 public:
  virtual ~ContentStore() = default;

  // Inserts the course, or replaces every lesson and exercise of the course with the same slug.
  virtual Status PutCourse(const domain::Course& course) = 0;

  // Removes the course with every lesson and exercise (unpublishing): afterwards every read of it
  // is kNotFound and it is not listed, and the content version has changed. kNotFound when there
  // is no such course (nothing changes then). Learners' progress lives elsewhere and is kept.
  virtual Status DeleteCourse(std::string_view course) = 0;

  // Courses ordered by slug, at most `limit`, starting after `after_slug` (cursor pagination).
  virtual Result<std::vector<CourseSummary>> ListCourses(std::string_view after_slug,
                                                         int limit) = 0;

  virtual Result<CourseOutline> GetCourseOutline(std::string_view course) = 0;

  // The full course with every lesson and exercise (answer keys included): for export.
  virtual Result<domain::Course> GetCourse(std::string_view course) = 0;

  virtual Result<domain::Lesson> GetLesson(std::string_view course, std::string_view lesson) = 0;

  virtual Result<domain::Exercise> GetExercise(std::string_view course,
                                               std::string_view exercise) = 0;

  // How many courses exist (the first start loads the demo course when there are none).
  virtual Result<int64_t> CountCourses() = 0;

  // A number that changes whenever any content changes; caches key on it.
  virtual Result<int64_t> ContentVersion() = 0;

  // Cheap round trip to the backing store, for /api/ready.
  virtual Status Ping() = 0;
};

}  // namespace practica::store
