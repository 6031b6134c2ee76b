// A learner's answer from JSON into domain::Answer, checked against the exercise type's shape
// (DESIGN.md "Contract details"). Errors are kInvalid with field "answer".
#pragma once

#include <boost/json/value.hpp>

#include "common/error.h"
#include "domain/grading.h"

namespace practica::api {

Result<domain::Answer> DecodeAnswer(domain::ExerciseType type, const boost::json::value& json);

}  // namespace practica::api
