#include "api/routes.h"

#include <memory>

#include "api/catalog.h"
#include "api/openapi.h"
#include "api/system.h"
#include "content/bundle_zip.h"

namespace practica::api {

http::Router BuildRouter(const Services& services) {
  using http::Access;
  using http::Method;
  using http::RouteOptions;
  auto system = std::make_shared<SystemApi>(services.content, services.users, services.progress);
  auto catalog =
      std::make_shared<CatalogApi>(services.content, services.lesson_views, services.clock);
  auto accounts = std::make_shared<AccountsApi>(services.accounts, services.cookies);

  // Route options: who may call, the body limit, whether the handler blocks (it then runs on the
  // server's worker pool), and the per-client rate limit.
  const bool reads_block = services.stores_block;
  const RouteOptions public_read{Access::kPublic, 0, reads_block, {}};
  const RouteOptions auth_entry{Access::kPublic, 4096, true, services.auth_per_client};
  const RouteOptions signed_in{Access::kSignedIn, 0, reads_block, {}};
  const RouteOptions signed_in_write{Access::kSignedIn, 4096, true, {}};
  const RouteOptions admin_read{Access::kAdmin, 0, reads_block, {}};
  const RouteOptions admin_write{Access::kAdmin, 4096, true, {}};

  http::Router router;
  router.Add(Method::kGet, "/api/health", [system](const auto& r) { return system->Health(r); });
  router.Add(Method::kGet, "/api/ready", public_read,
             [system](const auto& r) { return system->Ready(r); });
  router.Add(Method::kGet, "/api/openapi.json", [](const auto& r) { return OpenApiDocument(r); });

  router.Add(Method::kGet, "/api/courses", public_read,
             [catalog](const auto& r) { return catalog->ListCourses(r); });
  router.Add(Method::kGet, "/api/courses/{course}", public_read,
             [catalog](const auto& r) { return catalog->GetCourse(r); });
  router.Add(Method::kGet, "/api/courses/{course}/lessons/{lesson}", public_read,
             [catalog](const auto& r) { return catalog->GetLesson(r); });

  router.Add(Method::kPost, "/api/auth/signup", auth_entry,
             [accounts](const auto& r) { return accounts->SignUp(r); });
  router.Add(Method::kPost, "/api/auth/login", auth_entry,
             [accounts](const auto& r) { return accounts->LogIn(r); });
  router.Add(Method::kPost, "/api/auth/refresh", auth_entry,
             [accounts](const auto& r) { return accounts->Refresh(r); });
  router.Add(Method::kPost, "/api/auth/logout", {Access::kPublic, 4096, true, {}},
             [accounts](const auto& r) { return accounts->LogOut(r); });

  router.Add(Method::kGet, "/api/me", signed_in,
             [accounts](const auto& r) { return accounts->GetMe(r); });
  router.Add(Method::kPatch, "/api/me", signed_in_write,
             [accounts](const auto& r) { return accounts->PatchMe(r); });
  router.Add(Method::kDelete, "/api/me", signed_in_write,
             [accounts](const auto& r) { return accounts->DeleteMe(r); });
  router.Add(Method::kPost, "/api/me/password", signed_in_write,
             [accounts](const auto& r) { return accounts->ChangePassword(r); });
  router.Add(Method::kGet, "/api/me/export", signed_in,
             [accounts](const auto& r) { return accounts->Export(r); });
  router.Add(Method::kPost, "/api/me/mfa/totp", signed_in_write,
             [accounts](const auto& r) { return accounts->StartTotp(r); });
  router.Add(Method::kPost, "/api/me/mfa/totp/confirm", signed_in_write,
             [accounts](const auto& r) { return accounts->ConfirmTotp(r); });
  router.Add(Method::kDelete, "/api/me/mfa/totp", signed_in_write,
             [accounts](const auto& r) { return accounts->DisableTotp(r); });

  LearningApi* learning = &services.learning;
  // Asynchronous: the store answers once the attempt is durable (a group commit with SQLite).
  const RouteOptions answer{Access::kSignedIn, 32 * 1024, reads_block, {}};
  router.AddAsync(Method::kPost, "/api/exercises/{exercise}/attempts", answer,
                  [learning](const auto& r, http::Reply reply) {
                    learning->SubmitAttempt(r, std::move(reply));
                  });
  router.Add(Method::kPost, "/api/exercises/{exercise}/hints", signed_in_write,
             [learning](const auto& r) { return learning->NextHint(r); });
  router.Add(Method::kGet, "/api/me/progress", signed_in,
             [learning](const auto& r) { return learning->AllProgress(r); });
  router.Add(Method::kGet, "/api/me/progress/{course}", signed_in,
             [learning](const auto& r) { return learning->CourseProgress(r); });
  router.Add(Method::kGet, "/api/me/reviews", signed_in,
             [learning](const auto& r) { return learning->DueReviews(r); });
  router.Add(Method::kPost, "/api/me/reviews/{exercise}", signed_in_write,
             [learning](const auto& r) { return learning->RateReview(r); });

  // Analytics reads scan a course's events: always on the worker pool.
  AnalyticsApi* analytics = &services.analytics;
  const RouteOptions instructor_read{Access::kInstructor, 0, true, {}};
  router.Add(Method::kGet, "/api/analytics/courses/{course}/items", instructor_read,
             [analytics](const auto& r) { return analytics->Items(r); });
  router.Add(Method::kGet, "/api/analytics/courses/{course}/funnel", instructor_read,
             [analytics](const auto& r) { return analytics->Funnel(r); });
  router.Add(Method::kGet, "/api/analytics/courses/{course}/completions", instructor_read,
             [analytics](const auto& r) { return analytics->Completions(r); });
  router.Add(Method::kGet, "/api/analytics/courses/{course}/activity", instructor_read,
             [analytics](const auto& r) { return analytics->Activity(r); });
  router.Add(Method::kGet, "/api/analytics/courses/{course}/retention", instructor_read,
             [analytics](const auto& r) { return analytics->Retention(r); });

  // A course's xAPI statements, rebuilt from its analytics events: the same access as analytics.
  if (XapiApi* xapi = services.xapi) {
    router.Add(Method::kGet, "/api/authoring/courses/{course}/xapi", instructor_read,
               [xapi](const auto& r) { return xapi->CourseStatements(r); });
  }

  // Authoring: instructors (their own courses) and admins. Every handler checks the course's
  // ownership first; all of them run on the worker pool (store round trips, rendering).
  if (AuthoringApi* authoring = services.authoring) {
    const RouteOptions author_read{Access::kInstructor, 0, true, {}};
    const RouteOptions author_write{Access::kInstructor, 16 * 1024, true, {}};
    const RouteOptions exercise_write{Access::kInstructor, 256 * 1024, true, {}};
    const RouteOptions markdown_write{Access::kInstructor, 1024 * 1024, true, {}};
    const auto add = [&](Method method, const std::string& path, const RouteOptions& options,
                         Result<http::Response> (AuthoringApi::*handler)(const http::Request&)) {
      router.Add(method, path, options,
                 [authoring, handler](const auto& r) { return (authoring->*handler)(r); });
    };
    add(Method::kGet, "/api/authoring/courses", author_read, &AuthoringApi::ListCourses);
    add(Method::kPost, "/api/authoring/courses", author_write, &AuthoringApi::CreateCourse);
    add(Method::kPost, "/api/authoring/preview", markdown_write, &AuthoringApi::Preview);
    add(Method::kGet, "/api/authoring/courses/{course}", author_read, &AuthoringApi::GetDraft);
    add(Method::kPatch, "/api/authoring/courses/{course}", author_write,
        &AuthoringApi::UpdateCourse);
    add(Method::kGet, "/api/authoring/courses/{course}/owners", author_read,
        &AuthoringApi::GetOwners);
    add(Method::kPut, "/api/authoring/courses/{course}/owners", author_write,
        &AuthoringApi::SetOwners);
    add(Method::kPost, "/api/authoring/courses/{course}/lessons", markdown_write,
        &AuthoringApi::AddLesson);
    add(Method::kPatch, "/api/authoring/courses/{course}/lessons/{lesson}", markdown_write,
        &AuthoringApi::UpdateLesson);
    add(Method::kDelete, "/api/authoring/courses/{course}/lessons/{lesson}", author_write,
        &AuthoringApi::DeleteLesson);
    add(Method::kPut, "/api/authoring/courses/{course}/lesson-order", author_write,
        &AuthoringApi::ReorderLessons);
    add(Method::kPost, "/api/authoring/courses/{course}/lessons/{lesson}/exercises", exercise_write,
        &AuthoringApi::AddExercise);
    add(Method::kGet, "/api/authoring/courses/{course}/exercises/{exercise}", author_read,
        &AuthoringApi::GetExercise);
    add(Method::kPut, "/api/authoring/courses/{course}/exercises/{exercise}", exercise_write,
        &AuthoringApi::UpdateExercise);
    add(Method::kDelete, "/api/authoring/courses/{course}/exercises/{exercise}", author_write,
        &AuthoringApi::DeleteExercise);
    add(Method::kPost, "/api/authoring/courses/{course}/exercises/{exercise}/move", author_write,
        &AuthoringApi::MoveExercise);
    add(Method::kPost, "/api/authoring/courses/{course}/exercises/{exercise}/try", exercise_write,
        &AuthoringApi::TryExercise);
    add(Method::kPost, "/api/authoring/courses/{course}/publish", author_write,
        &AuthoringApi::Publish);
    add(Method::kPost, "/api/authoring/courses/{course}/unpublish", author_write,
        &AuthoringApi::Unpublish);
    add(Method::kGet, "/api/authoring/courses/{course}/versions", author_read,
        &AuthoringApi::ListVersions);
    add(Method::kGet, "/api/authoring/courses/{course}/versions/{version}", author_read,
        &AuthoringApi::GetVersion);
    add(Method::kPost, "/api/authoring/courses/{course}/versions/{version}/rollback", author_write,
        &AuthoringApi::Rollback);
    add(Method::kGet, "/api/authoring/courses/{course}/exercise-versions/{fingerprint}",
        author_read, &AuthoringApi::GetExerciseVersion);
    // A course as a zip: the upload may be large (the server reads a body over its usual limit
    // only for callers this route admits: http::Pipeline::BodyLimit), and reading one is work.
    const RouteOptions bundle_write{Access::kInstructor, content::kMaxBundleZipBytes, true,
                                    http::RateLimit{20, 60}};
    add(Method::kGet, "/api/authoring/courses/{course}/bundle", author_read,
        &AuthoringApi::DownloadBundle);
    add(Method::kPut, "/api/authoring/courses/{course}/bundle", bundle_write,
        &AuthoringApi::UploadBundle);
    // A GIFT file is text: a question bank of thousands of questions fits in 8 MiB.
    const RouteOptions gift_write{Access::kInstructor, 8 * 1024 * 1024, true,
                                  http::RateLimit{20, 60}};
    add(Method::kGet, "/api/authoring/courses/{course}/gift", author_read,
        &AuthoringApi::DownloadGift);
    add(Method::kPut, "/api/authoring/courses/{course}/gift", gift_write,
        &AuthoringApi::UploadGift);
  }

  router.Add(Method::kGet, "/api/admin/users", admin_read,
             [accounts](const auto& r) { return accounts->ListUsers(r); });
  router.Add(Method::kPatch, "/api/admin/users/{id}", admin_write,
             [accounts](const auto& r) { return accounts->PatchUser(r); });
  return router;
}

}  // namespace practica::api
