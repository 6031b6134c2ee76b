#include "app/application.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace practica::app {
namespace {

namespace fs = std::filesystem;

class ApplicationTest : public ::testing::Test {
 protected:
  ApplicationTest() {
    dir_ = fs::temp_directory_path() /
           ("practica-app-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    config_.data_dir = dir_;
    config_.seed_content = "";
  }
  ~ApplicationTest() override { fs::remove_all(dir_); }

  fs::path dir_;
  Config config_;
};

TEST_F(ApplicationTest, TheApiExpiresIdempotencyKeysAndCountsWhenAsked) {
  config_.metrics = "emf";
  Result<std::unique_ptr<Application>> app = Application::Open(config_, {.static_files = false});
  ASSERT_TRUE(app.ok()) << app.error().message;
  EXPECT_TRUE((*app)->expires_keys());
  EXPECT_NE((*app)->metrics(), nullptr);
}

TEST_F(ApplicationTest, MetricsAreOffUnlessAsked) {
  Result<std::unique_ptr<Application>> app = Application::Open(config_, {.static_files = false});
  ASSERT_TRUE(app.ok()) << app.error().message;
  EXPECT_EQ((*app)->metrics(), nullptr);
}

TEST_F(ApplicationTest, StreamIngestOpensOnlyTheAnalyticsStoreAndStartsNoHousekeeping) {
  ApplicationOptions options{.static_files = false};
  options.purpose = ApplicationOptions::Purpose::kStreamIngest;
  Result<std::unique_ptr<Application>> app = Application::Open(config_, options);
  ASSERT_TRUE(app.ok()) << app.error().message;
  EXPECT_FALSE((*app)->expires_keys());
  EXPECT_EQ((*app)->metrics(), nullptr);
  // Nothing but analytics.db: the content, users and progress file was never opened, nor the
  // key file made.
  EXPECT_TRUE(fs::exists(config_.AnalyticsFile()));
  EXPECT_FALSE(fs::exists(config_.DatabaseFile()));
  EXPECT_FALSE(fs::exists(config_.KeyFile()));
  // A batch without attempts is still answered.
  Result<std::string> answer = (*app)->IngestStream(
      R"({"Records":[{"eventSource":"aws:dynamodb","eventName":"REMOVE","dynamodb":{}}]})");
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(*answer, R"({"batchItemFailures":[]})");
}

TEST(XapiPasswordFromSecret, TakesThePasswordMemberOrTheWholeString) {
  EXPECT_EQ(XapiPasswordFromSecret("plain secret"), "plain secret");
  EXPECT_EQ(XapiPasswordFromSecret(R"({"username":"lrs","password":"p4ss"})"), "p4ss");
  EXPECT_EQ(XapiPasswordFromSecret(R"({"username":"lrs"})"), R"({"username":"lrs"})");
  EXPECT_EQ(XapiPasswordFromSecret("[1,2]"), "[1,2]");
}

}  // namespace
}  // namespace practica::app
