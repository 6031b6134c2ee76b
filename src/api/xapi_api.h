// GET /api/authoring/courses/{course}/xapi: a course's xAPI statements as one JSON array, the
// form an LRS imports (POST /statements takes an array).
//
// The statements are rebuilt from the course's analytics events (xapi::CourseHistory), not read
// from the outbox: so the download works in every deployment (the outbox exists only where
// PRACTICA_XAPI_ENDPOINT is set, and only until the LRS has its statements) and covers history
// recorded before xAPI was turned on or imported with `practica analytics import`. They are the
// statements, ids included, that the live feed sends: importing a download into the LRS that got
// them live adds nothing. ?from=&to= as the analytics routes (ParseDayRange): "answered" for each
// attempt in the range, "completed" for each lesson and course completed in it (from every
// attempt before the range's end, since a completion depends on earlier ones). A range holding
// more than kMaxStatements is refused (400 naming `from`), so that one download stays bounded.
#pragma once

#include "api/course_access.h"
#include "api/course_index.h"
#include "common/clock.h"
#include "http/router.h"
#include "store/analytics_recorder.h"
#include "store/analytics_store.h"
#include "xapi/statement.h"

namespace practica::api {

class XapiApi {
 public:
  static constexpr size_t kMaxStatements = 50'000;

  // `statements` null: no PRACTICA_PUBLIC_URL, under which statement ids and activities are
  // made; the route then answers 503 saying so.
  // With `access`, instructors download only the courses they own (course_access.h), as with the
  // analytics routes; admins every course.
  XapiApi(store::ContentStore& content, store::AnalyticsStore& store,
          store::AnalyticsRecorder& recorder, const Clock& clock,
          const xapi::StatementBuilder* statements, const CourseAccess* access = nullptr)
      : courses_(content),
        store_(store),
        recorder_(recorder),
        clock_(clock),
        statements_(statements),
        access_(access) {}

  Result<http::Response> CourseStatements(const http::Request& request);

 private:
  CourseIndex courses_;
  store::AnalyticsStore& store_;
  store::AnalyticsRecorder& recorder_;
  const Clock& clock_;
  const xapi::StatementBuilder* statements_;
  const CourseAccess* access_;
};

}  // namespace practica::api
