// The learner's write path and standing: attempts (graded, idempotent, group-committed), hints,
// progress and review cards. Handlers parse and format; the rules are domain/ (grading,
// scheduling) applied in the plan handed to ProgressStore::SubmitAttempt.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "api/course_index.h"
#include "common/clock.h"
#include "http/router.h"
#include "store/analytics_recorder.h"
#include "store/progress_store.h"
#include "store/user_store.h"

namespace practica::api {

class LearningApi {
 public:
  // With `analytics`, each stored attempt is handed to it (store/analytics_ingest.h) once
  // committed. Leave it null when something else ingests attempts (the DynamoDB Streams handler).
  LearningApi(store::ContentStore& content, store::ProgressStore& progress, store::UserStore& users,
              const Clock& clock, store::AnalyticsRecorder* analytics = nullptr)
      : courses_(content),
        progress_(progress),
        users_(users),
        clock_(clock),
        analytics_(analytics) {}

  // POST /api/exercises/{exercise}/attempts (asynchronous: answers after the group commit)
  void SubmitAttempt(const http::Request& request, http::Reply reply);
  // POST /api/exercises/{exercise}/hints
  Result<http::Response> NextHint(const http::Request& request);
  // GET /api/me/progress and /api/me/progress/{course}
  Result<http::Response> AllProgress(const http::Request& request);
  Result<http::Response> CourseProgress(const http::Request& request);
  // GET /api/me/reviews, POST /api/me/reviews/{exercise}
  Result<http::Response> DueReviews(const http::Request& request);
  Result<http::Response> RateReview(const http::Request& request);

 private:
  struct Located {
    std::shared_ptr<const IndexedCourse> course;
    IndexedCourse::Entry entry;
  };
  Result<Located> Locate(std::string_view ref);
  // The learner's local day today (their time zone; cached for a minute).
  int64_t LocalDayOf(std::string_view user_id, int64_t now);

  CourseIndex courses_;
  store::ProgressStore& progress_;
  store::UserStore& users_;
  const Clock& clock_;
  store::AnalyticsRecorder* analytics_;

  std::mutex in_flight_mutex_;
  std::unordered_set<std::string> in_flight_;  // "user|key" of attempts not yet answered

  struct CachedZone {
    std::string name;
    int64_t loaded_at = 0;
  };
  std::mutex zones_mutex_;
  std::unordered_map<std::string, CachedZone> zones_;  // by user id
};

}  // namespace practica::api
