// When a learner completes a lesson or a course, for "completed" statements.
//
// The rule (docs/ARCHITECTURE.md "xAPI"): a lesson is completed when each of its exercises is
// solved, the course when each of its exercises is; "solved" is the progress store's: a correct
// answer, or any answer to an exercise the platform does not grade (Solves). The moment is that
// of the attempt that solved the last of them. Lessons and courses without exercises are never
// reported: nothing a learner does marks them. Exercises a course no longer has do not count.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/analytics_store.h"
#include "xapi/statement.h"

namespace practica::xapi {

using SolvedExercises = std::set<std::string, std::less<>>;

// Whether each exercise of the lesson, or of the course, is in `solved` (false without any).
bool LessonCompleted(const domain::Lesson& lesson, const SolvedExercises& solved);
bool CourseCompleted(const domain::Course& course, const SolvedExercises& solved);

// What an attempt that solved `exercise` completes, given every exercise the learner has solved
// in the course (including this one).
struct Completion {
  const domain::Lesson* lesson = nullptr;  // the exercise's lesson, when now complete
  bool course = false;
};
Completion CompletedBy(const CourseOutline& course, std::string_view exercise,
                       const SolvedExercises& solved);

// A course's statements rebuilt from its attempt events (the xAPI download): "answered" for each
// attempt in [since, until), "completed" for each lesson and course completed in it. Completions
// depend on earlier attempts, so Add takes every attempt event of the course from the first on,
// in (occurred_at, event_id) order; those before `since` only count towards completions.
// Statements come out in the order of the events (a completion right after its attempt), with
// the ids and JSON the live feed sends.
class CourseHistory {
 public:
  CourseHistory(const StatementBuilder& builder, const CourseOutline& course, int64_t since,
                int64_t until);
  // Appends the event's statements to `out`.
  void Add(const store::AttemptEvent& event, std::vector<Statement>& out);

 private:
  const StatementBuilder& builder_;
  const CourseOutline& course_;
  const int64_t since_;
  const int64_t until_;
  std::map<std::string, SolvedExercises, std::less<>> solved_;  // by learner
};

}  // namespace practica::xapi
