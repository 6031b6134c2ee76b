#include "store/sqlite/sqlite_content_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "content_store_contract.h"
#include "sample_content.h"
#include "sqlite_raw.h"
#include "store/sqlite/database.h"
#include "store/sqlite/migrations.h"
#include "temp_dir.h"

namespace practica::store::sqlite {
namespace {

using testing::ContentStoreAdapter;
using testing::ContentStoreContractTest;
using testing::ContentStoreHarness;
using testing::TempDir;

class SqliteHarness : public ContentStoreHarness {
 public:
  SqliteHarness() {
    Result<std::unique_ptr<SqliteContentStore>> opened =
        SqliteContentStore::Open(dir_.path() / "practica.db");
    if (opened.ok()) {
      store_ = std::move(opened).value();
    } else {
      ADD_FAILURE() << opened.error().message;
    }
  }
  ContentStore& store() override { return *store_; }
  bool ok() const { return store_ != nullptr; }

 private:
  TempDir dir_;  // declared first: destroyed after the store
  std::unique_ptr<SqliteContentStore> store_;
};

std::unique_ptr<ContentStoreHarness> MakeSqliteHarness() {
  auto harness = std::make_unique<SqliteHarness>();
  if (!harness->ok()) return nullptr;
  return harness;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ContentStoreContractTest,
                         ::testing::Values(ContentStoreAdapter{"sqlite", MakeSqliteHarness}),
                         testing::AdapterName);

using testing::Count;
using testing::OpenRaw;

class SqliteContentStoreTest : public ::testing::Test {
 protected:
  std::filesystem::path file() const { return dir_.path() / "practica.db"; }

  std::unique_ptr<SqliteContentStore> OpenStore() {
    Result<std::unique_ptr<SqliteContentStore>> store = SqliteContentStore::Open(file());
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(store).value() : nullptr;
  }

  TempDir dir_;
};

TEST_F(SqliteContentStoreTest, OpenCreatesAMigratedWalDatabase) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(std::filesystem::exists(file()));
  auto raw = OpenRaw(file());
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(*raw->PragmaInt("user_version"), LatestSchemaVersion());
  EXPECT_EQ(*raw->PragmaInt("synchronous"), 2);  // FULL
  EXPECT_EQ(*raw->PragmaInt("foreign_keys"), 1);
  Result<Statement> mode = raw->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  ASSERT_TRUE(*mode->Step());
  EXPECT_EQ(mode->ColumnText(0), "wal");
}

TEST_F(SqliteContentStoreTest, MigrationsAreIdempotent) {
  Result<MigrationReport> first = MigrateFile(file());
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->from_version, 0);
  EXPECT_EQ(first->to_version, LatestSchemaVersion());
  EXPECT_TRUE(first->changed());

  Result<MigrationReport> second = MigrateFile(file());
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->from_version, LatestSchemaVersion());
  EXPECT_FALSE(second->changed());

  // Opening the store migrates again, changing nothing, and keeps what was stored.
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->PutCourse(testing::SmallCourse("alpha")).ok());
  }
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->CountCourses(), 1);
  auto raw = OpenRaw(file());
  EXPECT_EQ(*raw->PragmaInt("user_version"), LatestSchemaVersion());
  EXPECT_EQ(Count(*raw, "content_version"), 1);
}

TEST_F(SqliteContentStoreTest, ADatabaseFromANewerPracticaIsRefused) {
  ASSERT_TRUE(MigrateFile(file()).ok());
  const int newer = LatestSchemaVersion() + 1;
  {
    auto raw = OpenRaw(file());
    ASSERT_TRUE(raw->Execute("PRAGMA user_version = " + std::to_string(newer)).ok());
  }
  Result<std::unique_ptr<SqliteContentStore>> store = SqliteContentStore::Open(file());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kConflict);
  EXPECT_NE(store.error().message.find("schema version " + std::to_string(newer)),
            std::string::npos)
      << store.error().message;
  EXPECT_NE(store.error().message.find("newer"), std::string::npos) << store.error().message;

  Result<MigrationReport> migrated = MigrateFile(file());
  ASSERT_FALSE(migrated.ok());
  EXPECT_EQ(migrated.error().code, ErrorCode::kConflict);
  EXPECT_EQ(*OpenRaw(file())->PragmaInt("user_version"), newer);  // untouched
}

TEST_F(SqliteContentStoreTest, AFailedMigrationLeavesThePreviousVersion) {
  const Migration migrations[] = {
      {1, "first", "CREATE TABLE first_table (x INTEGER) STRICT;"},
      {2, "second",
       "CREATE TABLE second_table (x INTEGER) STRICT; INSERT INTO nowhere VALUES (1);"},
  };
  auto raw = OpenRaw(file());
  Result<MigrationReport> migrated = Migrate(*raw, migrations);
  ASSERT_FALSE(migrated.ok());
  EXPECT_NE(migrated.error().message.find("migration 2 (second)"), std::string::npos)
      << migrated.error().message;
  EXPECT_EQ(*raw->PragmaInt("user_version"), 1);
  EXPECT_EQ(Count(*raw, "first_table"), 0);
  EXPECT_FALSE(raw->Prepare("SELECT * FROM second_table").ok());  // rolled back with the version
  EXPECT_FALSE(raw->InTransaction());

  // Fixed, it applies from where it stopped.
  const Migration fixed[] = {migrations[0],
                             {2, "second", "CREATE TABLE second_table (x INTEGER);"}};
  Result<MigrationReport> again = Migrate(*raw, fixed);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->from_version, 1);
  EXPECT_EQ(again->to_version, 2);
}

TEST_F(SqliteContentStoreTest, MigrationVersionsMustHaveNoGaps) {
  const Migration gap[] = {{1, "one", "SELECT 1;"}, {3, "three", "SELECT 1;"}};
  auto raw = OpenRaw(file());
  Result<MigrationReport> migrated = Migrate(*raw, gap);
  ASSERT_FALSE(migrated.ok());
  EXPECT_EQ(migrated.error().code, ErrorCode::kInternal);
  EXPECT_EQ(*raw->PragmaInt("user_version"), 0);
}

TEST_F(SqliteContentStoreTest, PracticaMigrationsAreNumberedFromOne) {
  const auto migrations = Migrations();
  ASSERT_FALSE(migrations.empty());
  for (size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<int>(i) + 1);
    EXPECT_FALSE(migrations[i].name.empty());
  }
  EXPECT_EQ(LatestSchemaVersion(), migrations.back().version);
}

TEST_F(SqliteContentStoreTest, RowsAreOnDiskAfterReopening) {
  const domain::Course course = testing::FullCourse("statistics");
  int64_t version = 0;
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->PutCourse(course).ok());
    ASSERT_TRUE(store->PutCourse(testing::SmallCourse("alpha", 3)).ok());
    version = *store->ContentVersion();
  }
  {
    auto raw = OpenRaw(file());
    ASSERT_NE(raw, nullptr);
    EXPECT_EQ(Count(*raw, "courses"), 2);
    EXPECT_EQ(Count(*raw, "lessons"), 4 + 3);
    EXPECT_EQ(Count(*raw, "exercises"), domain::kExerciseTypeCount + 3);
  }
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  Result<domain::Course> got = store->GetCourse("statistics");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(*got, course);
  EXPECT_EQ(*store->ContentVersion(), version);
}

TEST_F(SqliteContentStoreTest, AFailureLateInPutCourseLeavesThePreviousCourseIntact) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const domain::Course previous = testing::FullCourse("statistics", 1);
  ASSERT_TRUE(store->PutCourse(previous).ok());
  const int64_t version = *store->ContentVersion();
  {
    // Fail the very last insert of the next put, after everything else has been written.
    auto raw = OpenRaw(file());
    ASSERT_TRUE(raw->Execute("CREATE TRIGGER fail_formula BEFORE INSERT ON exercises "
                             "WHEN NEW.slug = 'formula' BEGIN SELECT RAISE(ABORT, 'injected'); END")
                    .ok());
  }
  Status put = store->PutCourse(testing::FullCourse("statistics", 2));
  ASSERT_FALSE(put.ok());
  EXPECT_NE(put.error().message.find("injected"), std::string::npos) << put.error().message;
  EXPECT_NE(put.error().message.find("exercise \"formula\""), std::string::npos)
      << put.error().message;

  Result<domain::Course> got = store->GetCourse("statistics");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(*got, previous);
  EXPECT_EQ(*store->ContentVersion(), version);

  // The writer connection is usable afterwards (the transaction was rolled back, not leaked).
  ASSERT_TRUE(OpenRaw(file())->Execute("DROP TRIGGER fail_formula").ok());
  const domain::Course next = testing::FullCourse("statistics", 3);
  ASSERT_TRUE(store->PutCourse(next).ok());
  EXPECT_EQ(*store->GetCourse("statistics"), next);
}

TEST_F(SqliteContentStoreTest, DuplicateExerciseIdsAreAConflictThatNamesTheExercise) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  domain::Course course = testing::SmallCourse("alpha", 2);
  course.lessons[1].exercises[0].id = "exercise-1";
  Status put = store->PutCourse(course);
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, ErrorCode::kConflict);
  EXPECT_NE(put.error().message.find("course \"alpha\""), std::string::npos) << put.error().message;
  EXPECT_NE(put.error().message.find("exercise \"exercise-1\""), std::string::npos)
      << put.error().message;
  EXPECT_NE(put.error().message.find("UNIQUE"), std::string::npos) << put.error().message;
  EXPECT_EQ(*store->ContentVersion(), 0);
}

TEST_F(SqliteContentStoreTest, AnUndecodableStoredExerciseIsAnInternalError) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->PutCourse(testing::SmallCourse("alpha")).ok());
  ASSERT_TRUE(OpenRaw(file())->Execute("UPDATE exercises SET definition = '{\"type\":1}'").ok());
  Result<domain::Exercise> exercise = store->GetExercise("alpha", "exercise-1");
  ASSERT_FALSE(exercise.ok());
  EXPECT_EQ(exercise.error().code, ErrorCode::kInternal);
  EXPECT_NE(exercise.error().message.find("exercise-1"), std::string::npos);
  EXPECT_EQ(store->GetLesson("alpha", "lesson-1").error().code, ErrorCode::kInternal);
  EXPECT_EQ(store->GetCourse("alpha").error().code, ErrorCode::kInternal);
}

TEST_F(SqliteContentStoreTest, ReplacingKeepsTheCourseRowId) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->PutCourse(testing::SmallCourse("alpha")).ok());
  auto raw = OpenRaw(file());
  auto id = [&] {
    Result<Statement> s = raw->Prepare("SELECT id FROM courses WHERE slug = 'alpha'");
    EXPECT_TRUE(s.ok() && *s->Step());
    return s->ColumnInt(0);
  };
  const int64_t before = id();
  ASSERT_TRUE(store->PutCourse(testing::FullCourse("alpha")).ok());
  EXPECT_EQ(id(), before);
}

TEST_F(SqliteContentStoreTest, ReadsWorkWithMoreThreadsThanReaderConnections) {
  SqliteContentStore::Options options;
  options.max_readers = 1;
  Result<std::unique_ptr<SqliteContentStore>> opened = SqliteContentStore::Open(file(), options);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  SqliteContentStore& store = **opened;
  ASSERT_TRUE(store.PutCourse(testing::FullCourse("statistics")).ok());
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (!store.GetLesson("statistics", "lesson-1").ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_F(SqliteContentStoreTest, OpeningInAMissingDirectoryFails) {
  Result<std::unique_ptr<SqliteContentStore>> store =
      SqliteContentStore::Open(dir_.path() / "missing" / "practica.db");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace practica::store::sqlite
