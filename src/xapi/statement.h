// xAPI 1.0.3 statements from what analytics keeps: an attempt becomes "answered", a lesson or a
// course whose exercises are all solved becomes "completed". Pure: the same inputs give the same
// statement, byte for byte, with the same id, so a statement sent twice (a retry, a replayed
// stream record, a download imported into the LRS that already has it) is one statement there.
//
// What a statement holds (docs/PRIVACY.md "xAPI"): the learner as an account {homePage: the
// platform's public address, name: the platform's user id} — never an email or a name; the
// exercise, lesson and course as activities whose ids are IRIs under that address
// (BASE/courses/C, BASE/courses/C/lessons/L, BASE/courses/C/exercises/E) with their titles and
// the prompt's Markdown; for an answer, the score (scaled = raw in [0, 1], after the retry
// penalty), success (correct), the answer as submitted (the response), the time taken (duration)
// and when (timestamp); the exercise version as context.revision and the attempt number as a
// context extension.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "domain/course.h"
#include "store/analytics_store.h"

namespace practica::xapi {

// The version of the specification the statements and requests follow (X-Experience-API-Version).
inline constexpr std::string_view kXapiVersion = "1.0.3";
inline constexpr std::string_view kVerbAnswered = "http://adlnet.gov/expapi/verbs/answered";
inline constexpr std::string_view kVerbCompleted = "http://adlnet.gov/expapi/verbs/completed";

// One statement, ready to send.
struct Statement {
  std::string id;       // a UUID, the statement's "id"
  std::string user_id;  // whose it is (the actor's account name), to forget a learner's
  std::string json;     // the statement as one JSON object
  friend bool operator==(const Statement&, const Statement&) = default;
};

// A course as statements name it: titles, prompts, and where each exercise sits.
class CourseOutline {
 public:
  struct Placed {
    const domain::Lesson* lesson = nullptr;
    const domain::Exercise* exercise = nullptr;
  };
  explicit CourseOutline(std::shared_ptr<const domain::Course> course);

  const domain::Course& course() const { return *course_; }
  const domain::Lesson* FindLesson(std::string_view slug) const;
  // Null for an exercise the course no longer has.
  const Placed* FindExercise(std::string_view id) const;

 private:
  std::shared_ptr<const domain::Course> course_;
  std::map<std::string, Placed, std::less<>> exercises_;
};

// Builds statements under one public address. Thread-safe (immutable).
class StatementBuilder {
 public:
  // `public_url`: the platform's address, an absolute http(s) URL (a trailing '/' is dropped).
  explicit StatementBuilder(std::string_view public_url);

  const std::string& public_url() const { return base_; }

  // "answered" for one attempt. `course` (may be null: a course since deleted) supplies titles
  // and the prompt, and says whether the platform grades the exercise: an ungraded answer (an
  // essay) has no score and no success, only completion.
  Statement Answered(const store::AttemptEvent& attempt, const CourseOutline* course) const;
  // "completed" for a lesson (`lesson` set) or the whole course, at `at` (Unix seconds). One id
  // per learner and activity, whenever it is built.
  Statement Completed(std::string_view user_id, const CourseOutline& course,
                      const domain::Lesson* lesson, int64_t at) const;

  std::string CourseIri(std::string_view course) const;
  std::string LessonIri(std::string_view course, std::string_view lesson) const;
  std::string ExerciseIri(std::string_view course, std::string_view exercise) const;

 private:
  std::string base_;
};

// An RFC 4122 name-based UUID (version 5, SHA-1) of `name` in Practica's own namespace.
std::string NameBasedUuid(std::string_view name);
// ISO 8601 durations as xAPI wants them, to 0.01 s: 1500 → "PT1.5S", 3723000 → "PT1H2M3S".
std::string IsoDuration(int64_t milliseconds);
// RFC 3339 in UTC: "2027-01-15T08:00:00Z".
std::string IsoTimestamp(int64_t unix_seconds);

// Whether the attempt solves its exercise: a correct answer, or any answer to an exercise the
// platform does not grade (an essay is done once answered), as the progress store counts it.
bool Solves(const store::AttemptEvent& attempt, const CourseOutline* course);

}  // namespace practica::xapi
