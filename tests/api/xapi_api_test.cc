// The xAPI download: statements rebuilt from the course's analytics events, in the range, as one
// JSON array, with the ids the live feed gives them.
#include "api/xapi_api.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "../store/temp_dir.h"
#include "common/calendar.h"
#include "store/memory/memory_content_store.h"
#include "store/sqlite/sqlite_analytics_store.h"

namespace practica::api {
namespace {

namespace json = boost::json;

domain::Course Algebra() {
  domain::Course course;
  course.slug = "algebra";
  course.title = "Algebra";
  for (const auto& [slug, ids] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"one", {"e1", "e2"}}, {"two", {"e3"}}}) {
    domain::Lesson lesson;
    lesson.slug = slug;
    lesson.title = "Lesson " + slug;
    lesson.file_name = slug;
    for (const std::string& id : ids) {
      domain::Exercise exercise;
      exercise.id = id;
      exercise.prompt.markdown = "Solve " + id + ".";
      domain::NumericAnswer answer;
      answer.value = 1;
      exercise.spec = domain::Numeric{{answer}};
      lesson.exercises.push_back(exercise);
    }
    course.lessons.push_back(lesson);
  }
  return course;
}

class XapiApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(content_.PutCourse(Algebra()).ok());
    auto opened = store::sqlite::SqliteAnalyticsStore::Open(dir_.path() / "analytics.db");
    ASSERT_TRUE(opened.ok());
    analytics_ = std::move(opened).value();
    recorder_.emplace(*analytics_);
    api_.emplace(content_, *analytics_, *recorder_, clock_, &builder_);
  }

  void Record(const std::string& id, const std::string& user, const std::string& exercise,
              bool correct, int64_t day) {
    store::EventBatch batch;
    batch.attempts.push_back({id, user, "algebra", exercise == "e3" ? "two" : "one", exercise, "v1",
                              1, correct ? 1.0 : 0.0, correct, "1", 2000, day * 86400 + 3600});
    recorder_->Add(std::move(batch));  // the download flushes the recorder first
  }

  Result<http::Response> Get(std::string course, std::string query) {
    http::Request request;
    request.path_params = {{"course", std::move(course)}};
    request.query = std::move(query);
    return api_->CourseStatements(request);
  }

  static std::vector<std::string> Verbs(const http::Response& response) {
    std::vector<std::string> verbs;
    const json::value statements = json::parse(response.body);
    for (const json::value& s : statements.as_array()) {
      std::string object(s.at("object").at("id").as_string());
      verbs.push_back(std::string(s.at("actor").at("account").at("name").as_string()) + " " +
                      std::string(s.at("verb").at("display").at("en-US").as_string()) + " " +
                      object.substr(object.rfind('/') + 1));
    }
    return verbs;
  }

  const int64_t today_ = *ParseDay("2027-01-20");
  FakeClock clock_{today_ * 86400 + 12 * 3600};
  store::testing::TempDir dir_;
  store::memory::MemoryContentStore content_;
  std::unique_ptr<store::sqlite::SqliteAnalyticsStore> analytics_;
  std::optional<store::AnalyticsRecorder> recorder_;
  const xapi::StatementBuilder builder_{"https://practica.example"};
  std::optional<XapiApi> api_;
};

TEST_F(XapiApiTest, ReturnsTheRangesStatementsAsOneArray) {
  Record("a1", "u1", "e1", true, today_ - 10);  // before the range
  Record("a2", "u1", "e2", true, today_ - 2);   // completes lesson one
  Record("a3", "u2", "e1", false, today_ - 1);
  Record("a4", "u1", "e3", true, today_);  // completes lesson two and the course
  const std::string from = FormatDay(today_ - 5);
  Result<http::Response> response = Get("algebra", "from=" + from);
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->headers.Get("Content-Type"), "application/json");
  EXPECT_EQ(response->headers.Get("Content-Disposition"),
            "attachment; filename=\"algebra-xapi-" + from + "-2027-01-20.json\"");
  EXPECT_EQ(Verbs(*response), (std::vector<std::string>{
                                  "u1 answered e2", "u1 completed one", "u2 answered e1",
                                  "u1 answered e3", "u1 completed two", "u1 completed algebra"}));
  // The live feed's statement for the same attempt, byte for byte.
  store::AttemptEvent a2{"a2", "u1", "algebra", "one", "e2", "v1",
                         1,    1.0,  true,      "1",   2000, (today_ - 2) * 86400 + 3600};
  const xapi::CourseOutline outline(std::make_shared<const domain::Course>(Algebra()));
  EXPECT_EQ(json::parse(response->body).as_array().at(0),
            json::parse(builder_.Answered(a2, &outline).json));
}

TEST_F(XapiApiTest, AnEmptyRangeIsAnEmptyArrayAndBadInputIsRefused) {
  Result<http::Response> empty = Get("algebra", "");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->body, "[]");
  Result<http::Response> unknown = Get("geometry", "");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  Result<http::Response> bad = Get("algebra", "from=yesterday");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalid);
}

TEST_F(XapiApiTest, WithoutAPublicAddressItSaysWhatIsMissing) {
  XapiApi unconfigured(content_, *analytics_, *recorder_, clock_, nullptr);
  http::Request request;
  request.path_params = {{"course", "algebra"}};
  Result<http::Response> response = unconfigured.CourseStatements(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(response.error().message.find("PRACTICA_PUBLIC_URL"), std::string::npos);
}

}  // namespace
}  // namespace practica::api
