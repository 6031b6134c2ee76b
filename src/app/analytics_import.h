// `practica analytics import FILE`: analytics events from a JSON Lines file into the analytics
// store, for bringing history from elsewhere, re-ingesting, benchmarks and tests. One event per
// line, as its "type" says:
//   {"type": "attempt", "event_id", "user_id", "course", "lesson", "exercise",
//    "exercise_version", "attempt_number", "score", "correct", "answer", "time_taken_ms",
//    "occurred_at"}                             (exercise_version, answer, time_taken_ms optional)
//   {"type": "signup" | "login" | "enrolment" | "lesson_view", "event_id", "user_id",
//    "course", "lesson", "occurred_at"}        (course and lesson where the kind needs them)
// Every line is read and checked before anything is written; a bad line stops the import with
// FILE:LINE and what is wrong. Events are written in batches, each all or nothing; since events are
// idempotent, an import that failed part-way can simply be run again.
#pragma once

#include <cstdint>
#include <filesystem>

#include "app/config.h"
#include "common/error.h"
#include "store/analytics_store.h"

namespace practica::app {

// The events of `file`, or kInvalid naming FILE:LINE.
Result<store::EventBatch> ReadEventLines(const std::filesystem::path& file);

// Reads `file` and records it in the analytics store `config` names; the number of events.
Result<int64_t> ImportAnalyticsEvents(const Config& config, const std::filesystem::path& file);

}  // namespace practica::app
