// The published catalog: course list, course outlines and lessons (DESIGN.md "HTTP API").
#pragma once

#include "api/content_cache.h"
#include "http/router.h"
#include "store/content_store.h"

namespace practica::api {

class CatalogApi {
 public:
  explicit CatalogApi(store::ContentStore& content) : content_(content), cache_(content) {}

  // GET /api/courses?limit=&cursor=
  Result<http::Response> ListCourses(const http::Request& request);
  // GET /api/courses/{course}
  Result<http::Response> GetCourse(const http::Request& request);
  // GET /api/courses/{course}/lessons/{lesson}: HTML, exercises without keys, neighbours.
  Result<http::Response> GetLesson(const http::Request& request);

 private:
  store::ContentStore& content_;
  ContentCache cache_;
};

}  // namespace practica::api
