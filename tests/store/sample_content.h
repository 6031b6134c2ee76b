// Test content that uses every exercise type and sets every field to a non-default value, so a
// store or codec that drops or mangles anything fails an equality check.
#pragma once

#include <string>
#include <vector>

#include "domain/course.h"
#include "domain/exercise.h"

namespace practica::store::testing {

// One exercise of each type, in ExerciseType order, ids "<prefix>single-choice", …
std::vector<domain::Exercise> EveryTypeExercises(const std::string& id_prefix = "");

// A course with three lessons holding EveryTypeExercises() between Markdown blocks (plus an
// empty lesson). `generation` is written into every title, prompt and Markdown block, so a
// reader can tell which PutCourse a value came from.
domain::Course FullCourse(const std::string& slug, int generation = 1);

// A small course: `lesson_count` lessons with one true/false exercise each.
domain::Course SmallCourse(const std::string& slug, int lesson_count = 1);

}  // namespace practica::store::testing
