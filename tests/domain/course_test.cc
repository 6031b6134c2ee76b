#include "domain/course.h"

#include <gtest/gtest.h>

namespace practica::domain {
namespace {

TEST(Lesson, HtmlPlacesASlotWhereEachExerciseSits) {
  Lesson lesson;
  lesson.blocks = {{LessonBlock::Kind::kMarkdown, {"Intro", "<p>Intro</p>\n"}, ""},
                   {LessonBlock::Kind::kExercise, {}, "mean-basic"},
                   {LessonBlock::Kind::kMarkdown, {"After", "<p>After</p>\n"}, ""}};
  EXPECT_EQ(lesson.Html(),
            "<p>Intro</p>\n<div class=\"exercise-slot\" data-exercise-id=\"mean-basic\"></div>\n"
            "<p>After</p>\n");
}

TEST(Course, CountsExercisesOverLessons) {
  Course course;
  course.lessons.resize(2);
  course.lessons[0].exercises.resize(3);
  course.lessons[1].exercises.resize(2);
  EXPECT_EQ(course.ExerciseCount(), 5);
  EXPECT_EQ(Course{}.ExerciseCount(), 0);
}

}  // namespace
}  // namespace practica::domain
