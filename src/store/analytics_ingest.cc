#include "store/analytics_ingest.h"

namespace practica::store {

EventBatch IngestAttempt(const StoredAttempt& stored) {
  const AttemptRecord& attempt = stored.attempt;
  EventBatch batch;
  batch.attempts.push_back(AttemptEvent{.event_id = attempt.attempt_id,
                                        .user_id = stored.user_id,
                                        .course = stored.course,
                                        .lesson = stored.lesson,
                                        .exercise = stored.exercise,
                                        .exercise_version = attempt.exercise_version,
                                        .attempt_number = attempt.attempt_number,
                                        .score = attempt.score,
                                        .correct = attempt.correct,
                                        .answer = attempt.answer_json,
                                        .time_taken_ms = attempt.time_taken_ms,
                                        .occurred_at = attempt.created_at});
  batch.activity.push_back(
      ActivityEvent{.event_id = EnrolmentEventId(stored.user_id, stored.course),
                    .kind = ActivityKind::kEnrolment,
                    .user_id = stored.user_id,
                    .course = stored.course,
                    .lesson = {},
                    .occurred_at = attempt.created_at});
  return batch;
}

}  // namespace practica::store
