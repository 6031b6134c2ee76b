// What a learner may see of an exercise before grading.
//
// This is the only code that turns a domain::Exercise into JSON for learners. It lists prompts,
// options and items, never answer keys, correct flags, feedback, tolerances, hints or explanations.
// Orderings and matchings are shuffled here, because their authored order is the answer: by a
// secret of the process, so that no one else can undo the shuffle, and the same way every time
// within the process, so that responses cache.
#pragma once

#include <boost/json/object.hpp>

#include "domain/exercise.h"

namespace practica::api {

// `course` is the exercise's course slug; the result's "ref" ("course.exercise") names the exercise
// in /api/exercises/{ref}/… routes.
boost::json::object PublicExercise(const domain::Exercise& exercise, std::string_view course);

}  // namespace practica::api
