// ContentStore in memory: the fake for fast tests of code above the port (api/, app/). It passes
// the same contract suite as the real adapters (tests/store/content_store_contract.h).
//
// Every course is an immutable snapshot behind a shared_ptr: PutCourse swaps the pointer under
// an exclusive lock, reads copy the pointer under a shared lock and build their answer from the
// snapshot outside it, so a read sees one course version, never a mix.
// Thread-safe: every method may be called from any thread. Nothing survives the object.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "store/content_store.h"

namespace practica::store::memory {

class MemoryContentStore final : public ContentStore {
 public:
  MemoryContentStore() = default;

  // Checks ids like every adapter (course_checks.h: kInvalid), and rejects a duplicate lesson
  // slug or exercise id within the course with kConflict, as the SQLite constraints do.
  Status PutCourse(const domain::Course& course) override;
  Status DeleteCourse(std::string_view course) override;
  Result<std::vector<CourseSummary>> ListCourses(std::string_view after_slug, int limit) override;
  Result<CourseOutline> GetCourseOutline(std::string_view course) override;
  Result<domain::Course> GetCourse(std::string_view course) override;
  Result<domain::Lesson> GetLesson(std::string_view course, std::string_view lesson) override;
  Result<domain::Exercise> GetExercise(std::string_view course, std::string_view exercise) override;
  Result<int64_t> CountCourses() override;
  Result<int64_t> ContentVersion() override;
  Status Ping() override;

 private:
  Result<std::shared_ptr<const domain::Course>> Find(std::string_view course) const;

  mutable std::shared_mutex mutex_;
  std::map<std::string, std::shared_ptr<const domain::Course>, std::less<>>
      courses_;          // GUARDED_BY(mutex_)
  int64_t version_ = 0;  // GUARDED_BY(mutex_)
};

}  // namespace practica::store::memory
