// Ingest: from a stored attempt to the analytics events it stands for. One pure function, so the
// single-node server (after the attempt's commit) and the DynamoDB Streams handler (from the
// exercise item's log, in AWS) cannot count an attempt differently.
#pragma once

#include <string>

#include "store/analytics_store.h"
#include "store/progress_store.h"

namespace practica::store {

// An attempt as the progress store keeps it, with where it belongs.
struct StoredAttempt {
  std::string user_id;
  std::string course;
  std::string lesson;
  std::string exercise;
  AttemptRecord attempt;
};

// The attempt's event (event_id = attempt id) and the learner's enrolment in the course
// (EnrolmentEventId: recorded once, by whichever comes first of this and a lesson view).
EventBatch IngestAttempt(const StoredAttempt& stored);

}  // namespace practica::store
