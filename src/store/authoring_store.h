// AuthoringStore: the port that keeps what instructors write and the history of what they
// published (issue 9). Learners never read it: what they see is the ContentStore, which holds the
// live version of each course and is written when a course is published (content_store.h).
//
// Per course it holds:
//   - the owners: user ids (instructors) who may manage the course; admins manage every course;
//   - the draft: one whole-course document (exercise_codec.h, EncodeCourse) with a revision that
//     starts at 1 and grows by one with every change, for optimistic concurrency: every change
//     names the revision it was made from, and a change made from an older one is refused;
//   - the published versions 1, 2, 3, …: each a whole-course document with who published it,
//     when and how. Versions are only ever added, never changed or removed: a rollback publishes
//     an old version's content again under a new number;
//   - which version is live (learners see it), or none (unpublished);
//   - every exercise definition any version published, by its fingerprint (the first 16 hex
//     digits of the SHA-256 of its exercise_codec JSON, as attempts record it), so an attempt's
//     exercise can always be shown as the learner saw it.
//
// Adapters: store/sqlite (practica.db), store/dynamodb (the content table), store/memory (the
// fake). All pass tests/store/authoring_store_contract.h. Every method may be called from any
// thread, concurrently; each change is atomic: it happens whole or not at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/course.h"

namespace practica::store {

// Error::type of the kConflict a change gets when the draft's revision moved on.
inline constexpr std::string_view kStaleRevision = "stale-revision";

// A course as its authors manage it, without its documents.
struct AuthoredCourse {
  std::string slug;
  std::string title;                // the draft's title
  std::vector<std::string> owners;  // user ids, sorted, each once
  int64_t revision = 0;             // the draft's revision
  int latest_version = 0;           // the newest published version; 0: never published
  std::optional<int> live_version;  // the version learners see; none: unpublished
  int64_t published_revision = 0;   // the draft revision the newest version was made from
  int64_t created_at = 0;
  int64_t updated_at = 0;  // the last change of the draft, the owners or the live version

  // True when the draft holds changes no version has published yet.
  bool HasUnpublishedChanges() const {
    return latest_version == 0 || revision != published_revision;
  }
  friend bool operator==(const AuthoredCourse&, const AuthoredCourse&) = default;
};

struct Draft {
  AuthoredCourse course;
  domain::Course content;
};

// One published version, without its document.
struct VersionInfo {
  int number = 0;
  std::string published_by;  // a user id; empty when no person did it (a bundle import)
  int64_t published_at = 0;
  std::string source;          // "publish", "rollback", "import" or "adopt" (see Publication)
  int64_t draft_revision = 0;  // the draft revision it was made from
  std::string title;
  int lesson_count = 0;
  int exercise_count = 0;
  friend bool operator==(const VersionInfo&, const VersionInfo&) = default;
};

// An exercise definition as some version published it.
struct ExerciseVersion {
  std::string fingerprint;  // see above; [0-9a-f]{16}
  domain::Exercise exercise;
  int first_version = 0;     // the first version that published it (set by the store)
  int64_t published_at = 0;  // when that version was published (set by the store)
  friend bool operator==(const ExerciseVersion&, const ExerciseVersion&) = default;
};

// Who publishes, and how. `source` says what made the version:
//   publish   the draft, published by an author
//   rollback  an earlier version's content, published again (it becomes the draft too)
//   import    a course bundle (`practica import`, the seed content, an upload)
//   adopt     a course that was published before authoring existed, recorded as version 1
struct Publication {
  std::string published_by;
  std::string source = "publish";
  int64_t published_at = 0;
  // The fingerprint of every exercise of the published content (the caller computes them, see
  // api/course_index.h); each one the course has not published before is kept.
  std::vector<ExerciseVersion> exercises;
};

class AuthoringStore {
 public:
  virtual ~AuthoringStore() = default;

  // A new course with `draft` at revision 1 and `owners` (any order, duplicates dropped). With
  // `publish`, the draft is also published as version 1 and is live. kConflict when a course
  // with the slug exists; kInvalid when the draft's ids are not slugs (course_checks.h).
  virtual Result<AuthoredCourse> CreateCourse(const domain::Course& draft,
                                              const std::vector<std::string>& owners, int64_t now,
                                              const std::optional<Publication>& publish) = 0;

  // kNotFound when there is no such course.
  virtual Result<AuthoredCourse> GetCourse(std::string_view slug) = 0;
  virtual Result<Draft> GetDraft(std::string_view slug) = 0;

  // Courses ordered by slug, after `after_slug`, at most `limit` (kInvalid below 1); with an
  // `owner`, only the courses it owns.
  virtual Result<std::vector<AuthoredCourse>> ListCourses(std::string_view owner,
                                                          std::string_view after_slug,
                                                          int limit) = 0;

  // Replaces the draft, if its revision is still `expected_revision`, at revision + 1.
  // kConflict with type kStaleRevision when it is not; kInvalid when draft.slug is another slug
  // or an id is not a slug.
  virtual Result<AuthoredCourse> SaveDraft(std::string_view slug, const domain::Course& draft,
                                           int64_t expected_revision, int64_t now) = 0;

  // Replaces the owners (the draft's revision does not change).
  virtual Result<AuthoredCourse> SetOwners(std::string_view slug,
                                           const std::vector<std::string>& owners, int64_t now) = 0;

  // Publishes `content` as version latest_version + 1 and makes it live, if the draft's revision
  // is still `expected_revision` (kConflict with type kStaleRevision otherwise, and nothing is
  // recorded). With `replace_draft`, `content` also becomes the draft (at revision + 1);
  // otherwise `content` is taken to be the draft at `expected_revision`. published_revision
  // becomes the draft's revision after the call.
  virtual Result<AuthoredCourse> Publish(std::string_view slug, const domain::Course& content,
                                         int64_t expected_revision, bool replace_draft,
                                         const Publication& publication) = 0;

  // Makes an existing version live, or none (unpublishing). kNotFound for a version the course
  // does not have.
  virtual Result<AuthoredCourse> SetLiveVersion(std::string_view slug, std::optional<int> version,
                                                int64_t now) = 0;

  // Every version, newest first.
  virtual Result<std::vector<VersionInfo>> ListVersions(std::string_view slug) = 0;
  // A version's content; kNotFound for a version the course does not have.
  virtual Result<domain::Course> GetVersion(std::string_view slug, int version) = 0;

  // An exercise definition the course published; kNotFound when it published none with it.
  virtual Result<ExerciseVersion> GetExerciseVersion(std::string_view slug,
                                                     std::string_view fingerprint) = 0;

  // Cheap round trip to the backing store, for /api/ready.
  virtual Status Ping() = 0;
};

}  // namespace practica::store
