// The published catalog: course list, course outlines and lessons (DESIGN.md "HTTP API").
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "api/content_cache.h"
#include "common/clock.h"
#include "http/router.h"
#include "store/analytics_recorder.h"
#include "store/content_store.h"

namespace practica::api {

class CatalogApi {
 public:
  // With `analytics`, a signed-in learner's lesson read counts as a lesson view (and enrols them
  // in the course).
  explicit CatalogApi(store::ContentStore& content, store::AnalyticsRecorder* analytics = nullptr,
                      const Clock* clock = nullptr)
      : content_(content),
        cache_(content),
        analytics_(analytics),
        clock_(clock),
        views_id_(NextViewsId()) {}

  // GET /api/courses?limit=&cursor=
  Result<http::Response> ListCourses(const http::Request& request);
  // GET /api/courses/{course}
  Result<http::Response> GetCourse(const http::Request& request);
  // GET /api/courses/{course}/lessons/{lesson}: HTML, exercises without keys, neighbours.
  Result<http::Response> GetLesson(const http::Request& request);

 private:
  static uint64_t NextViewsId();
  store::ContentStore& content_;
  ContentCache cache_;
  // A lesson view for analytics; one per learner and lesson an hour (reloads are not views).
  void RecordView(const http::Request& request, std::string_view course, std::string_view lesson);

  store::AnalyticsRecorder* analytics_;
  const Clock* clock_;
  const uint64_t views_id_;  // tells this catalog's entries in the per-thread view memo
  std::mutex views_mutex_;
  std::unordered_map<uint64_t, int64_t> last_view_;  // digest of user, course, lesson → time
};

}  // namespace practica::api
