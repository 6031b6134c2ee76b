// /api/authoring/…: instructors (their own courses) and admins (every course) write courses in
// the browser (issue 9, part 1). Every route requires Access::kInstructor, and every route on a
// course first checks that the caller may manage it (course_access.h: someone else's course is
// 404). A course an admin reaches that authoring never recorded (published before authoring
// existed) is adopted: recorded as version 1 (course_publisher.h).
//
// The draft is one whole course (store/authoring_store.h) with a revision: GET answers it with
// ETag "N" (its revision), and every change answers the changed draft with its new ETag. A change
// sent with If-Match that names another revision is refused with 412; without If-Match a change
// applies to the newest draft (the read, change and conditional write are retried when another
// change slipped in between). Changes are checked by the content layer's own rules
// (content/authoring.h): exercises in their bundle fields, read by the bundle's exercise parser,
// with problems naming the field ("exercise.options[1].correct"); lessons read as their file
// would be; the whole course checked as a bundle when it is published.
//
// Shapes (JSON):
//   course      {slug, title, owners: [user id], revision, latest_version|null, live_version|null,
//                status: "draft"|"published"|"unpublished", unpublished_changes, created_at,
//                updated_at}
//   draft       course + {summary, language, tags, lessons: [lesson]}
//   lesson      {slug, title, blocks: [{"markdown": text} | {"exercise": id}],
//                exercises: [exercise form]}        (exercises in the order blocks place them)
//   exercise    the fields of an ```exercise block (docs/CONTENT.md) as JSON
//
// Handlers are thread-safe and block (store round trips, rendering): routes mark them blocking.
#pragma once

#include <functional>

#include "api/course_access.h"
#include "api/course_publisher.h"
#include "common/clock.h"
#include "http/router.h"
#include "store/authoring_store.h"
#include "store/content_store.h"
#include "store/user_store.h"

namespace practica::api {

class AuthoringApi {
 public:
  AuthoringApi(store::AuthoringStore& authoring, store::ContentStore& content,
               store::UserStore& users, CoursePublisher& publisher, const Clock& clock)
      : authoring_(authoring),
        content_(content),
        users_(users),
        publisher_(publisher),
        access_(authoring),
        clock_(clock) {}

  // GET /api/authoring/courses: the caller's courses (admins: every course, with those published
  // before authoring existed), by slug, paged. POST: a new draft; the caller owns it.
  Result<http::Response> ListCourses(const http::Request& request);
  Result<http::Response> CreateCourse(const http::Request& request);
  // GET /api/authoring/courses/{course}: the draft (answer keys included). PATCH: its own
  // fields (title, summary, language, tags).
  Result<http::Response> GetDraft(const http::Request& request);
  Result<http::Response> UpdateCourse(const http::Request& request);
  // GET …/owners; PUT …/owners {owners: [user id]} (admins only).
  Result<http::Response> GetOwners(const http::Request& request);
  Result<http::Response> SetOwners(const http::Request& request);

  // POST …/lessons {slug, title, markdown?, position?}; PATCH …/lessons/{lesson} {title?,
  // blocks?}; DELETE …/lessons/{lesson}; PUT …/lesson-order {lessons: [slug]}.
  Result<http::Response> AddLesson(const http::Request& request);
  Result<http::Response> UpdateLesson(const http::Request& request);
  Result<http::Response> DeleteLesson(const http::Request& request);
  Result<http::Response> ReorderLessons(const http::Request& request);

  // POST …/lessons/{lesson}/exercises {exercise, position?}; GET, PUT {exercise}, DELETE
  // …/exercises/{exercise}; POST …/exercises/{exercise}/move {lesson, position?}.
  Result<http::Response> AddExercise(const http::Request& request);
  Result<http::Response> GetExercise(const http::Request& request);
  Result<http::Response> UpdateExercise(const http::Request& request);
  Result<http::Response> DeleteExercise(const http::Request& request);
  Result<http::Response> MoveExercise(const http::Request& request);
  // POST …/exercises/{exercise}/try {answer}: graded against the draft by the real grader;
  // nothing is stored.
  Result<http::Response> TryExercise(const http::Request& request);

  // POST …/publish, …/unpublish; GET …/versions, …/versions/{version};
  // POST …/versions/{version}/rollback; GET …/exercise-versions/{fingerprint}.
  Result<http::Response> Publish(const http::Request& request);
  Result<http::Response> Unpublish(const http::Request& request);
  Result<http::Response> ListVersions(const http::Request& request);
  Result<http::Response> GetVersion(const http::Request& request);
  Result<http::Response> Rollback(const http::Request& request);
  Result<http::Response> GetExerciseVersion(const http::Request& request);

  // POST /api/authoring/preview {markdown, inline?}: the HTML import would store; maths is left
  // for KaTeX in the browser, as everywhere.
  Result<http::Response> Preview(const http::Request& request);

  // GET …/bundle: the draft as a bundle zip (content/bundle_zip.h, docs/CONTENT.md), the same
  // bytes `practica export COURSE out.zip` writes for that content: application/zip, as the
  // attachment "<course>.zip", ETag its revision. PUT …/bundle (the zip as the body, at most
  // content::kMaxBundleZipBytes): the draft replaced by the course in the zip, read and checked
  // whole as `practica import` reads one, with problems naming the entry and line
  // ("<course>.zip/lessons/01-a.md:12"); the zip's slug must be the course's. Like every
  // change it makes a draft (POST …/publish makes it live) and honours If-Match.
  Result<http::Response> DownloadBundle(const http::Request& request);
  Result<http::Response> UploadBundle(const http::Request& request);

  // GET …/gift: the draft as Moodle GIFT text (content/gift.h; text/plain, attachment
  // "<course>.gift"); what GIFT cannot hold refuses the export (400, a field "exercise ID" each)
  // unless ?skip_unsupported=true, which leaves it out and lists it in X-Gift-Skipped. PUT …/gift
  // (the GIFT text as the body): the draft's lessons become the file's, one per $CATEGORY, its
  // course fields stay; every problem is a field "<course>.gift:LINE" and nothing changes, unless
  // ?skip_unsupported=true leaves out what Practica cannot represent (listed in the answer's
  // "gift_problems"). A draft, like every change: POST …/publish makes it live.
  Result<http::Response> DownloadGift(const http::Request& request);
  Result<http::Response> UploadGift(const http::Request& request);

 private:
  // The record of the request's {course} when the caller may manage it (adopting a course an
  // admin reaches that authoring never recorded); kNotFound otherwise.
  Result<store::AuthoredCourse> Manage(const http::Request& request);
  // A change of the draft: reads it (checking If-Match), applies `change`, saves it on the
  // revision read, and answers the new draft with `status`.
  using Change = std::function<Status(domain::Course& draft)>;
  Result<http::Response> Edit(const http::Request& request, int status, const Change& change);

  store::AuthoringStore& authoring_;
  store::ContentStore& content_;
  store::UserStore& users_;
  CoursePublisher& publisher_;
  CourseAccess access_;
  const Clock& clock_;
};

}  // namespace practica::api
