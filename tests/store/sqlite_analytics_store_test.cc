#include "store/sqlite/sqlite_analytics_store.h"

#include <gtest/gtest.h>

#include <memory>

#include "analytics_store_contract.h"
#include "sqlite_raw.h"
#include "temp_dir.h"

namespace practica::store::sqlite {
namespace {

using testing::AnalyticsStoreAdapter;
using testing::AnalyticsStoreContractTest;
using testing::AnalyticsStoreHarness;
using testing::TempDir;

class SqliteAnalyticsHarness : public AnalyticsStoreHarness {
 public:
  SqliteAnalyticsHarness() {
    auto opened = SqliteAnalyticsStore::Open(dir_.path() / "analytics.db");
    if (opened.ok()) {
      store_ = std::move(opened).value();
    } else {
      ADD_FAILURE() << opened.error().message;
    }
  }
  AnalyticsStore& store() override { return *store_; }
  bool ok() const { return store_ != nullptr; }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;  // declared first: destroyed after the store
  std::unique_ptr<SqliteAnalyticsStore> store_;
};

std::unique_ptr<AnalyticsStoreHarness> MakeSqliteAnalyticsHarness() {
  auto harness = std::make_unique<SqliteAnalyticsHarness>();
  if (!harness->ok()) return nullptr;
  return harness;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, AnalyticsStoreContractTest,
                         ::testing::Values(AnalyticsStoreAdapter{"sqlite",
                                                                 MakeSqliteAnalyticsHarness}),
                         testing::AnalyticsAdapterName);

TEST(SqliteAnalyticsStore, MigratingTwiceChangesNothingAndForgettingLeavesNoTrace) {
  SqliteAnalyticsHarness harness;
  ASSERT_TRUE(harness.ok());
  const auto file = harness.dir().path() / "analytics.db";
  Result<MigrationReport> again = SqliteAnalyticsStore::MigrateFile(file);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(again->changed());
  EXPECT_EQ(again->to_version, 1);

  ASSERT_TRUE(harness.store().Record(testing::SampleEvents()).ok());
  ASSERT_TRUE(harness.store().ForgetLearner("u3").ok());
  auto raw = testing::OpenRaw(file);
  // Count() appends its argument to "SELECT count(*) FROM ".
  EXPECT_EQ(testing::Count(*raw, "attempt_events WHERE user_id = 'u3'"), 0);
  EXPECT_EQ(testing::Count(*raw, "activity_events WHERE user_id = 'u3'"), 0);
  EXPECT_EQ(testing::Count(*raw, "attempt_events WHERE user_id LIKE 'anon_%' AND answer = ''"), 3);
}

}  // namespace
}  // namespace practica::store::sqlite
