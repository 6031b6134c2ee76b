#include "api/routes.h"

#include <memory>

#include "api/catalog.h"
#include "api/openapi.h"
#include "api/system.h"

namespace practica::api {

http::Router BuildRouter(const Services& services) {
  using http::Method;
  auto system = std::make_shared<SystemApi>(services.content);
  auto catalog = std::make_shared<CatalogApi>(services.content);

  http::Router router;
  router.Add(Method::kGet, "/api/health", [system](const auto& r) { return system->Health(r); });
  router.Add(Method::kGet, "/api/ready", [system](const auto& r) { return system->Ready(r); });
  router.Add(Method::kGet, "/api/openapi.json", [](const auto& r) { return OpenApiDocument(r); });

  router.Add(Method::kGet, "/api/courses",
             [catalog](const auto& r) { return catalog->ListCourses(r); });
  router.Add(Method::kGet, "/api/courses/{course}",
             [catalog](const auto& r) { return catalog->GetCourse(r); });
  router.Add(Method::kGet, "/api/courses/{course}/lessons/{lesson}",
             [catalog](const auto& r) { return catalog->GetLesson(r); });
  return router;
}

}  // namespace practica::api
