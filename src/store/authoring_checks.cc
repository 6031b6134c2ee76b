#include "store/authoring_checks.h"

#include <algorithm>
#include <set>
#include <utility>

#include "common/text.h"
#include "store/course_checks.h"

namespace practica::store {

Status CheckCourseDocument(std::string_view slug, const domain::Course& document) {
  if (document.slug != slug) {
    return Error::Invalid("the document of course " + Quoted(slug) + " is course " +
                          Quoted(document.slug));
  }
  if (Status keys = CheckCourseKeys(document); !keys.ok()) return keys;
  std::set<std::string_view> lessons;
  std::set<std::string_view> exercises;
  for (size_t l = 0; l < document.lessons.size(); ++l) {
    const domain::Lesson& lesson = document.lessons[l];
    const std::string where = "lessons[" + std::to_string(l) + "]";
    if (!lessons.insert(lesson.slug).second) {
      return Error::Invalid("course " + Quoted(slug) + " has two lessons " + Quoted(lesson.slug),
                            {{where + ".slug", "is already used by another lesson"}});
    }
    for (size_t e = 0; e < lesson.exercises.size(); ++e) {
      if (!exercises.insert(lesson.exercises[e].id).second) {
        return Error::Invalid(
            "course " + Quoted(slug) + " has two exercises " + Quoted(lesson.exercises[e].id),
            {{where + ".exercises[" + std::to_string(e) + "].id",
              "is already used by another exercise"}});
      }
    }
  }
  return Status::Ok();
}

std::vector<std::string> NormalizeOwners(std::vector<std::string> owners) {
  std::sort(owners.begin(), owners.end());
  owners.erase(std::unique(owners.begin(), owners.end()), owners.end());
  return owners;
}

Error StaleRevision(std::string_view slug, int64_t expected, int64_t actual) {
  Error error = Error::Conflict("the draft of course " + Quoted(slug) + " is at revision " +
                                std::to_string(actual) + ", not " + std::to_string(expected));
  error.type = std::string(kStaleRevision);
  return error;
}

VersionInfo MakeVersionInfo(int number, const domain::Course& content,
                            const Publication& publication, int64_t draft_revision) {
  VersionInfo info;
  info.number = number;
  info.published_by = publication.published_by;
  info.published_at = publication.published_at;
  info.source = publication.source;
  info.draft_revision = draft_revision;
  info.title = content.title;
  info.lesson_count = static_cast<int>(content.lessons.size());
  info.exercise_count = content.ExerciseCount();
  return info;
}

}  // namespace practica::store
