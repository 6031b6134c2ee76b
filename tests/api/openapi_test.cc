#include "api/openapi.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <set>

#include "api/routes.h"
#include "auth/password.h"
#include "store/memory/memory_authoring_store.h"
#include "store/memory/memory_progress_store.h"
#include "store/memory/memory_user_store.h"
#include "unused_analytics.h"

namespace practica::api {
namespace {

// Routing only needs a store to exist; these tests never call it.
class UnusedStore final : public store::ContentStore {
 public:
  Status PutCourse(const domain::Course&) override { return Unused(); }
  Status DeleteCourse(std::string_view) override { return Unused(); }
  Result<std::vector<store::CourseSummary>> ListCourses(std::string_view, int) override {
    return Unused();
  }
  Result<store::CourseOutline> GetCourseOutline(std::string_view) override { return Unused(); }
  Result<domain::Course> GetCourse(std::string_view) override { return Unused(); }
  Result<domain::Lesson> GetLesson(std::string_view, std::string_view) override { return Unused(); }
  Result<domain::Exercise> GetExercise(std::string_view, std::string_view) override {
    return Unused();
  }
  Result<int64_t> CountCourses() override { return Unused(); }
  Result<int64_t> ContentVersion() override { return Unused(); }
  Status Ping() override { return Unused(); }

 private:
  static Error Unused() { return Error::Internal("not used by this test"); }
};

std::string Lower(std::string_view method) {
  std::string out(method);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

TEST(OpenApi, ListsExactlyTheRoutesTheRouterHas) {
  UnusedStore store;
  store::memory::MemoryUserStore users;
  const auto hasher = auth::MakeArgon2idHasher({8u << 20, 1});
  const auth::TokenSigner tokens({{"k1", std::string(32, 'k')}});
  const auth::SecretBox secrets(std::string(32, 's'));
  const FakeClock clock;
  AccountService accounts(users, *hasher, tokens, secrets, clock);
  store::memory::MemoryProgressStore progress;
  LearningApi learning(store, progress, users, clock);
  testing::UnusedAnalytics analytics_store;
  store::AnalyticsRecorder recorder(analytics_store);
  store::memory::MemoryAuthoringStore authoring_store;
  const CourseAccess access(authoring_store);
  AnalyticsApi analytics(store, analytics_store, recorder, clock, access);
  XapiApi xapi(store, analytics_store, recorder, clock, nullptr);
  CoursePublisher publisher(authoring_store, store, clock);
  AuthoringApi authoring(authoring_store, store, users, publisher, clock);
  Services services{store, users, progress, accounts, learning, analytics, {}};
  services.xapi = &xapi;
  services.authoring = &authoring;
  const http::Router router = BuildRouter(services);
  std::set<std::pair<std::string, std::string>> routed;
  for (const http::Route& route : router.routes()) {
    routed.emplace(route.pattern, Lower(http::ToString(route.method)));
  }

  const boost::json::value doc = boost::json::parse(OpenApiJson());
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      if (method == "parameters") continue;
      documented.emplace(std::string(path), std::string(method));
      EXPECT_TRUE(operation.as_object().contains("operationId")) << path << " " << method;
    }
  }
  EXPECT_EQ(routed, documented);
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
}

TEST(OpenApi, EveryReferenceResolves) {
  const boost::json::value doc = boost::json::parse(OpenApiJson());
  std::vector<const boost::json::value*> stack{&doc};
  int refs = 0;
  while (!stack.empty()) {
    const boost::json::value* value = stack.back();
    stack.pop_back();
    if (value->is_object()) {
      for (const auto& [key, inner] : value->as_object()) {
        if (key == "$ref") {
          ++refs;
          std::string_view ref = inner.as_string();
          ASSERT_TRUE(ref.starts_with("#/")) << ref;
          const boost::json::value* target = &doc;
          ref.remove_prefix(2);
          while (!ref.empty()) {
            const size_t slash = ref.find('/');
            const std::string key_part(ref.substr(0, slash));
            ASSERT_TRUE(target->is_object() && target->as_object().contains(key_part))
                << "unresolved " << inner.as_string();
            target = &target->as_object().at(key_part);
            ref = slash == std::string_view::npos ? std::string_view() : ref.substr(slash + 1);
          }
        }
        stack.push_back(&inner);
      }
    } else if (value->is_array()) {
      for (const auto& inner : value->as_array()) stack.push_back(&inner);
    }
  }
  EXPECT_GT(refs, 10);
}

}  // namespace
}  // namespace practica::api
