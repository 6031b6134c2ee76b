// CatalogApi's lesson views: a signed-in lesson read counts once per learner and lesson an hour,
// whichever I/O thread serves the reads and however many catalogs a process holds.
#include "api/catalog.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>
#include <vector>

#include "store/memory/memory_content_store.h"
#include "unused_analytics.h"

namespace practica::api {
namespace {

// Keeps the lesson views it is given; nothing else is used here.
class ViewLog final : public testing::UnusedAnalytics {
 public:
  Status Record(const store::EventBatch& batch) override {
    std::lock_guard lock(mutex_);
    for (const store::ActivityEvent& event : batch.activity) {
      if (event.kind == store::ActivityKind::kLessonView) views_.push_back(event);
    }
    return Status::Ok();
  }
  std::vector<store::ActivityEvent> views() const {
    std::lock_guard lock(mutex_);
    return views_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<store::ActivityEvent> views_;
};

class CatalogViewsTest : public ::testing::Test {
 protected:
  CatalogViewsTest() {
    domain::Course course;
    course.slug = "drills";
    course.title = "Drills";
    for (const char* slug : {"basics", "more"}) {
      domain::Lesson lesson;
      lesson.slug = slug;
      lesson.title = slug;
      lesson.file_name = slug;
      lesson.blocks = {{domain::LessonBlock::Kind::kMarkdown, {"Text.", "<p>Text.</p>"}, ""}};
      course.lessons.push_back(lesson);
    }
    EXPECT_TRUE(content_.PutCourse(course).ok());
  }

  // GET lesson as `user` (empty: anonymous) through `catalog`; the response must be 200.
  static void Read(CatalogApi& catalog, const std::string& user,
                   const std::string& lesson = "basics") {
    http::Request request;
    request.path_params = {{"course", "drills"}, {"lesson", lesson}};
    if (!user.empty()) {
      request.principal = http::Principal{user, domain::Role::kLearner, "ses_" + user, false};
    }
    Result<http::Response> response = catalog.GetLesson(request);
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->status, 200);
  }

  // The views the recorder has written, as "user/lesson@time".
  std::vector<std::string> Views(store::AnalyticsRecorder& recorder, const ViewLog& log) {
    EXPECT_TRUE(recorder.Flush().ok());
    std::vector<std::string> out;
    for (const store::ActivityEvent& view : log.views()) {
      out.push_back(view.user_id + "/" + view.lesson + "@" + std::to_string(view.occurred_at));
    }
    return out;
  }

  store::memory::MemoryContentStore content_;
  FakeClock clock_{1'000'000};
};

TEST_F(CatalogViewsTest, CountsOneViewPerLearnerAndLessonAnHour) {
  ViewLog log;
  store::AnalyticsRecorder recorder(log);
  CatalogApi catalog(content_, &recorder, &clock_);
  Read(catalog, "usr_a");
  Read(catalog, "usr_a");
  Read(catalog, "");  // anonymous reads are not views
  Read(catalog, "usr_b");
  Read(catalog, "usr_a", "more");
  clock_.Advance(3599);
  Read(catalog, "usr_a");
  EXPECT_EQ(Views(recorder, log),
            (std::vector<std::string>{"usr_a/basics@1000000", "usr_b/basics@1000000",
                                      "usr_a/more@1000000"}));
  clock_.Advance(1);
  Read(catalog, "usr_a");
  Read(catalog, "usr_a");
  EXPECT_EQ(Views(recorder, log).back(), "usr_a/basics@1003600");
  EXPECT_EQ(Views(recorder, log).size(), 4u);
}

TEST_F(CatalogViewsTest, ReadsOnOtherThreadsShareTheHour) {
  ViewLog log;
  store::AnalyticsRecorder recorder(log);
  CatalogApi catalog(content_, &recorder, &clock_);
  Read(catalog, "usr_a");
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      Read(catalog, "usr_a");
      Read(catalog, "usr_c");
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(Views(recorder, log),
            (std::vector<std::string>{"usr_a/basics@1000000", "usr_c/basics@1000000"}));
}

TEST_F(CatalogViewsTest, EachCatalogKeepsItsOwnHour) {
  // A thread's memory of recorded views belongs to one catalog: a second catalog in the same
  // process (a test, or an application rebuilt) records its first view again.
  ViewLog first_log, second_log;
  store::AnalyticsRecorder first_recorder(first_log), second_recorder(second_log);
  {
    CatalogApi first(content_, &first_recorder, &clock_);
    Read(first, "usr_a");
  }
  CatalogApi second(content_, &second_recorder, &clock_);
  Read(second, "usr_a");
  EXPECT_EQ(Views(first_recorder, first_log).size(), 1u);
  EXPECT_EQ(Views(second_recorder, second_log), (std::vector<std::string>{"usr_a/basics@1000000"}));
}

}  // namespace
}  // namespace practica::api
