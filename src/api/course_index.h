// Whole courses in memory, indexed by exercise, for the write path and progress: which lesson an
// exercise is in, its definition, how many exercises a course has. Revalidated against
// ContentStore::ContentVersion() at most once a second, like ContentCache. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/content_version.h"
#include "common/error.h"
#include "store/content_store.h"

namespace practica::api {

struct IndexedCourse {
  domain::Course course;
  struct Entry {
    const domain::Lesson* lesson;
    const domain::Exercise* exercise;
    // The first 16 hex digits of the SHA-256 of the exercise's stored JSON: attempts record it,
    // so analytics can tell answers to an edited exercise from answers to the old one.
    std::string version;
  };
  std::map<std::string, Entry, std::less<>> exercises;  // by exercise id
};

struct ExerciseRef {
  std::string course;
  std::string exercise;
};

// The version fingerprint of an exercise definition: the first 16 hex digits of the SHA-256 of its
// stored JSON (store/exercise_codec.h). Attempts record it; the authoring store keeps every
// published definition under it.
std::string ExerciseFingerprint(const domain::Exercise& exercise);

// "everyday-data.mean-basic" → {course, exercise}; nullopt unless both are slugs.
std::optional<ExerciseRef> ParseExerciseRef(std::string_view ref);
std::string MakeExerciseRef(std::string_view course, std::string_view exercise);

class CourseIndex {
 public:
  explicit CourseIndex(store::ContentStore& content) : content_(content), version_watch_(content) {}

  // kNotFound for an unknown course.
  Result<std::shared_ptr<const IndexedCourse>> Get(std::string_view course);

 private:
  // Drops every course when the content version has moved.
  void DropIfStale();

  store::ContentStore& content_;
  ContentVersion version_watch_;
  std::shared_mutex mutex_;
  int64_t version_ = -1;  // GUARDED_BY(mutex_)
  std::unordered_map<std::string, std::shared_ptr<const IndexedCourse>> courses_;  // GUARDED_BY
};

}  // namespace practica::api
