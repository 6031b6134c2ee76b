// Publishing: the one code path that writes what learners see (the ContentStore) on behalf of
// authoring, so that what learners see is always a version the AuthoringStore recorded, and every
// exercise definition an attempt can point at is kept (store/authoring_store.h).
//
// Every change records first and writes the content store second: a version (with its exercise
// versions) exists before any learner can answer it. When the content store then fails, the live
// version is put back as it was (best effort) and the error returned; the version stays in the
// history, as every version does.
//
// Thread-safe. Changes of this process are serialised (one mutex), so two publishes here cannot
// leave the content store behind the live version; across processes (several Lambda instances)
// two publishes of one course in the same moment can, and publishing again repairs it.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "store/authoring_store.h"
#include "store/content_store.h"

namespace practica::api {

class CoursePublisher {
 public:
  CoursePublisher(store::AuthoringStore& authoring, store::ContentStore& content,
                  const Clock& clock)
      : authoring_(authoring), content_(content), clock_(clock) {}

  struct Outcome {
    store::AuthoredCourse course;
    bool new_version = false;  // false: an existing version was made live again
  };

  // Publishes `draft` (as read, at draft.course.revision) by `by`: checked as a bundle would be
  // (content::FormatBundle; kInvalid with fields "course" or "lessons[i]"), recorded as a new
  // version that is live (kConflict type store::kStaleRevision when the draft moved on), then
  // written to the content store. A draft without unpublished changes makes its newest version
  // live again instead of repeating it.
  Result<Outcome> PublishDraft(const store::Draft& draft, std::string_view by);

  // Publishes the content of `version` again as a new version, which also becomes the draft, if
  // the draft is still at `expected_revision`. History is never rewritten.
  Result<Outcome> Rollback(std::string_view slug, int version, int64_t expected_revision,
                           std::string_view by);

  // Takes the course out of the catalog (its draft and versions stay; publishing brings it back).
  Result<store::AuthoredCourse> Unpublish(std::string_view slug);

  // A course read from a bundle (`practica import`, the seed content, an uploaded zip), by `by`
  // (empty for no person): a new course is created with it as version 1, an existing one gets it
  // as a new version that is also its draft (a draft with unpublished changes is replaced; the
  // outcome says so). Live at once.
  struct Imported {
    store::AuthoredCourse course;
    bool replaced_unpublished_draft = false;
  };
  Result<Imported> Import(const domain::Course& course, std::string_view by);

  // The authoring record of a course learners can see but authoring never recorded (published
  // before authoring existed): created with what the content store holds as version 1, live.
  // Safe to race: a second caller gets the first one's record.
  Result<store::AuthoredCourse> Adopt(std::string_view slug);

 private:
  // REQUIRES: mutex_ is held. Writes `content` for learners; on failure sets the live version
  // back to `previous_live` and returns the error.
  Status WriteLive(const domain::Course& content, std::optional<int> previous_live);
  store::Publication PublicationOf(const domain::Course& content, std::string_view by,
                                   std::string source) const;

  store::AuthoringStore& authoring_;
  store::ContentStore& content_;
  const Clock& clock_;
  std::mutex mutex_;
};

// The fingerprints of every exercise of `course`, as a Publication lists them.
std::vector<store::ExerciseVersion> ExerciseVersionsOf(const domain::Course& course);

}  // namespace practica::api
