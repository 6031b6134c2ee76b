#include "xapi/completion.h"

#include <algorithm>

namespace practica::xapi {

bool LessonCompleted(const domain::Lesson& lesson, const SolvedExercises& solved) {
  return !lesson.exercises.empty() && std::all_of(lesson.exercises.begin(), lesson.exercises.end(),
                                                  [&](const domain::Exercise& exercise) {
                                                    return solved.contains(exercise.id);
                                                  });
}

bool CourseCompleted(const domain::Course& course, const SolvedExercises& solved) {
  bool any = false;
  for (const domain::Lesson& lesson : course.lessons) {
    if (lesson.exercises.empty()) continue;
    if (!LessonCompleted(lesson, solved)) return false;
    any = true;
  }
  return any;
}

Completion CompletedBy(const CourseOutline& course, std::string_view exercise,
                       const SolvedExercises& solved) {
  Completion completion;
  const CourseOutline::Placed* placed = course.FindExercise(exercise);
  if (placed == nullptr || !LessonCompleted(*placed->lesson, solved)) return completion;
  completion.lesson = placed->lesson;
  completion.course = CourseCompleted(course.course(), solved);
  return completion;
}

CourseHistory::CourseHistory(const StatementBuilder& builder, const CourseOutline& course,
                             int64_t since, int64_t until)
    : builder_(builder), course_(course), since_(since), until_(until) {}

void CourseHistory::Add(const store::AttemptEvent& event, std::vector<Statement>& out) {
  if (event.occurred_at >= until_) return;
  const bool in_range = event.occurred_at >= since_;
  if (in_range) out.push_back(builder_.Answered(event, &course_));
  if (!Solves(event, &course_)) return;
  auto& solved = solved_[event.user_id];
  if (!solved.insert(event.exercise).second) return;  // solved before: nothing new completes
  const Completion completion = CompletedBy(course_, event.exercise, solved);
  if (!in_range) return;
  if (completion.lesson) {
    out.push_back(builder_.Completed(event.user_id, course_, completion.lesson, event.occurred_at));
  }
  if (completion.course) {
    out.push_back(builder_.Completed(event.user_id, course_, nullptr, event.occurred_at));
  }
}

}  // namespace practica::xapi
