// GET /api/analytics/courses/{course}/{items|funnel|completions|activity|retention}: what
// instructors read about a course, as JSON or, with ?format=csv, as a CSV download.
//
// Every route takes `from` and `to` (YYYY-MM-DD, UTC, both included; by default the 90 days
// ending today); `activity` also takes interval=day|week|month. The store answers counts and
// moments (store/analytics_store.h); this file adds the course's shape (which exercises each
// lesson holds, from the content), the statistics (domain/item_statistics.h) and the formats.
// Before reading, the recorder's queue is flushed, so an instructor sees every acknowledged event.
// Instructors read only the courses they own (course_access.h: others are 404); admins read all.
#pragma once

#include "api/course_access.h"
#include "api/course_index.h"
#include "common/clock.h"
#include "http/router.h"
#include "store/analytics_recorder.h"
#include "store/analytics_store.h"

namespace practica::api {

class AnalyticsApi {
 public:
  // `access` decides who may read a course's analytics: its owners and admins.
  AnalyticsApi(store::ContentStore& content, store::AnalyticsStore& store,
               store::AnalyticsRecorder& recorder, const Clock& clock, const CourseAccess& access)
      : courses_(content), store_(store), recorder_(recorder), clock_(clock), access_(access) {}

  Result<http::Response> Items(const http::Request& request);
  Result<http::Response> Funnel(const http::Request& request);
  Result<http::Response> Completions(const http::Request& request);
  Result<http::Response> Activity(const http::Request& request);
  Result<http::Response> Retention(const http::Request& request);

 private:
  struct Query;
  Result<Query> Begin(const http::Request& request);

  CourseIndex courses_;
  store::AnalyticsStore& store_;
  store::AnalyticsRecorder& recorder_;
  const Clock& clock_;
  const CourseAccess& access_;
};

// The range of ?from=&to= (both optional), or kInvalid naming the field: not a date, before
// 2000 or after 2100, `from` after `to`, or more than 3660 days long. `today` is an epoch day.
Result<store::DayRange> ParseDayRange(const http::Request& request, int64_t today);

// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; text that a
// spreadsheet would run as a formula (= + - @ tab CR at the start) is prefixed with a quote.
std::string CsvField(std::string_view text);

}  // namespace practica::api
