// Rules every AnalyticsStore adapter shares, so that they refuse the same batches and forget
// learners the same way.
#pragma once

#include <string>

#include "common/error.h"
#include "store/analytics_store.h"

namespace practica::store {

// kInvalid, naming the event, unless every event has an event_id and a user_id, attempts have a
// course and an exercise and a finite score in [0, 1], and course events (enrolments, lesson
// views) have a course.
Status CheckEventBatch(const EventBatch& batch);

// The random id ForgetLearner gives a learner's events: "anon_" and 128 random bits in hex.
std::string NewAnonymousLearnerId();

}  // namespace practica::store
