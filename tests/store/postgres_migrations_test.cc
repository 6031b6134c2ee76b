#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "postgres_test_database.h"
#include "store/postgres/migrations.h"
#include "store/postgres/postgres_user_store.h"

namespace practica::store::postgres {
namespace {

using testing::TestSchema;

// The rows of schema_migrations, "1 user tables, 2 …".
std::string AppliedMigrations(const TestSchema& schema) {
  return schema
      .Exec(
          "SELECT coalesce(string_agg(version || ' ' || name, ', ' ORDER BY version), '') "
          "FROM schema_migrations")[0][0]
      .as<std::string>();
}

bool TableExists(const TestSchema& schema, const std::string& table) {
  return schema.Exec("SELECT to_regclass('" + table + "') IS NOT NULL")[0][0].as<bool>();
}

TEST(PostgresMigrationsTest, AFreshDatabaseGetsEveryMigrationAndASecondRunChangesNothing) {
  TestSchema schema;
  Result<MigrationReport> first = MigratePostgres(schema.url());
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->from_version, 0);
  EXPECT_EQ(first->to_version, LatestSchemaVersion());
  EXPECT_TRUE(TableExists(schema, "users"));
  const std::string applied = AppliedMigrations(schema);
  EXPECT_EQ(applied,
            "1 user tables, 2 analytics events, 3 attempt listing, 4 analytics integer ids");

  Result<MigrationReport> second = MigratePostgres(schema.url());
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_FALSE(second->changed());
  EXPECT_EQ(second->to_version, LatestSchemaVersion());
  EXPECT_EQ(AppliedMigrations(schema), applied);
}

TEST(PostgresMigrationsTest, ALaterBuildAppliesOnlyWhatIsNew) {
  TestSchema schema;
  const std::array<Migration, 2> migrations = {
      Migration{1, "a", "CREATE TABLE a (x integer)"},
      Migration{2, "b", "CREATE TABLE b (x integer)"},
  };
  ASSERT_TRUE(MigratePostgres(schema.url(), std::span(migrations).first(1)).ok());
  schema.Exec("INSERT INTO a VALUES (42)");
  Result<MigrationReport> report = MigratePostgres(schema.url(), migrations);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->from_version, 1);
  EXPECT_EQ(report->to_version, 2);
  EXPECT_EQ(schema.Exec("SELECT x FROM a")[0][0].as<int>(), 42);
  EXPECT_EQ(AppliedMigrations(schema), "1 a, 2 b");
}

// Several processes migrating at once (containers of one deploy starting together): the advisory
// lock lets each migration run once. The sleep keeps the first migration's transaction open long
// enough for every other caller to arrive while it runs.
TEST(PostgresMigrationsTest, ConcurrentMigrationsApplyEachMigrationOnce) {
  TestSchema schema;
  const std::array<Migration, 2> migrations = {
      Migration{1, "slow", "CREATE TABLE a (x integer); SELECT pg_sleep(0.3);"},
      Migration{2, "b", "CREATE TABLE b (x integer)"},
  };
  constexpr int kCallers = 6;
  std::atomic<int> failed{0};
  std::atomic<int> changed{0};
  std::latch start(kCallers);
  std::vector<std::thread> callers;
  callers.reserve(kCallers);
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&] {
      start.arrive_and_wait();
      Result<MigrationReport> report = MigratePostgres(schema.url(), migrations);
      if (!report.ok()) {
        ADD_FAILURE() << report.error().message;
        ++failed;
      } else if (report->changed()) {
        ++changed;
        EXPECT_EQ(report->to_version, 2);
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_GE(changed.load(), 1);
  EXPECT_EQ(AppliedMigrations(schema), "1 slow, 2 b");
}

TEST(PostgresMigrationsTest, PracticasOwnListIsSafeToRunConcurrently) {
  TestSchema schema;
  constexpr int kCallers = 4;
  std::vector<std::thread> callers;
  callers.reserve(kCallers);
  std::atomic<int> failed{0};
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&] {
      Result<MigrationReport> report = MigratePostgres(schema.url());
      if (!report.ok()) {
        ADD_FAILURE() << report.error().message;
        ++failed;
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(AppliedMigrations(schema),
            "1 user tables, 2 analytics events, 3 attempt listing, 4 analytics integer ids");
}

TEST(PostgresMigrationsTest, AFailedMigrationLeavesThePreviousVersionWhole) {
  TestSchema schema;
  const std::array<Migration, 2> migrations = {
      Migration{1, "a", "CREATE TABLE a (x integer)"},
      Migration{2, "broken", "CREATE TABLE b (x integer); SELECT no_such_column FROM a;"},
  };
  Result<MigrationReport> report = MigratePostgres(schema.url(), migrations);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message.find("migration 2 (broken)"), std::string::npos)
      << report.error().message;
  EXPECT_EQ(AppliedMigrations(schema), "1 a");
  EXPECT_TRUE(TableExists(schema, "a"));
  EXPECT_FALSE(TableExists(schema, "b"));  // DDL rolled back with the rest of migration 2
}

TEST(PostgresMigrationsTest, ADatabaseFromANewerPracticaIsRefusedAndUntouched) {
  TestSchema schema;
  ASSERT_TRUE(MigratePostgres(schema.url()).ok());
  const int newer = LatestSchemaVersion() + 1;
  schema.Exec("INSERT INTO schema_migrations (version, name) VALUES (" + std::to_string(newer) +
              ", 'from the future')");
  const std::string applied = AppliedMigrations(schema);

  Result<MigrationReport> migrated = MigratePostgres(schema.url());
  ASSERT_FALSE(migrated.ok());
  EXPECT_EQ(migrated.error().code, ErrorCode::kConflict);
  EXPECT_NE(migrated.error().message.find("newer"), std::string::npos);
  Result<std::unique_ptr<PostgresUserStore>> opened = PostgresUserStore::Open(schema.url());
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kConflict);
  EXPECT_EQ(AppliedMigrations(schema), applied);
}

TEST(PostgresMigrationsTest, OpeningAnUnmigratedDatabaseSaysToMigrate) {
  TestSchema schema;
  Result<std::unique_ptr<PostgresUserStore>> opened = PostgresUserStore::Open(schema.url());
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kConflict);
  EXPECT_NE(opened.error().message.find("practica migrate"), std::string::npos)
      << opened.error().message;
  EXPECT_FALSE(TableExists(schema, "users"));  // opening a store never migrates
  EXPECT_FALSE(TableExists(schema, "schema_migrations"));
}

TEST(PostgresMigrationsTest, AListWithAGapIsABug) {
  TestSchema schema;
  const std::array<Migration, 2> migrations = {
      Migration{1, "a", "CREATE TABLE a (x integer)"},
      Migration{3, "c", "CREATE TABLE c (x integer)"},
  };
  Result<MigrationReport> report = MigratePostgres(schema.url(), migrations);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, ErrorCode::kInternal);
  EXPECT_FALSE(TableExists(schema, "a"));
}

}  // namespace
}  // namespace practica::store::postgres
