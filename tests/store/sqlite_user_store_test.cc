#include "store/sqlite/sqlite_user_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sample_content.h"
#include "sqlite_raw.h"
#include "store/exercise_codec.h"
#include "store/sqlite/database.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_content_store.h"
#include "temp_dir.h"
#include "user_store_contract.h"

namespace practica::store::sqlite {
namespace {

using testing::MakeNewUser;
using testing::MakeToken;
using testing::TempDir;
using testing::UserStoreAdapter;
using testing::UserStoreContractTest;
using testing::UserStoreHarness;

constexpr int64_t kNow = 1'700'000'000;

class SqliteUsersHarness : public UserStoreHarness {
 public:
  SqliteUsersHarness() {
    Result<std::unique_ptr<SqliteUserStore>> opened =
        SqliteUserStore::Open(dir_.path() / "practica.db");
    if (opened.ok()) {
      store_ = std::move(opened).value();
    } else {
      ADD_FAILURE() << opened.error().message;
    }
  }
  UserStore& store() override { return *store_; }
  bool ok() const { return store_ != nullptr; }

 private:
  TempDir dir_;  // declared first: destroyed after the store
  std::unique_ptr<SqliteUserStore> store_;
};

std::unique_ptr<UserStoreHarness> MakeSqliteUsersHarness() {
  auto harness = std::make_unique<SqliteUsersHarness>();
  if (!harness->ok()) return nullptr;
  return harness;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, UserStoreContractTest,
                         ::testing::Values(UserStoreAdapter{"sqlite", MakeSqliteUsersHarness}),
                         testing::UserAdapterName);

using testing::Count;
using testing::OpenRaw;

// Writes `course` as version 1 of the schema stored it, through SQL alone (the content store of
// today would migrate the file first).
void WriteVersionOneCourse(Database& db, const domain::Course& course) {
  Result<Statement> insert_course = db.Prepare(
      "INSERT INTO courses (slug, title, summary, language, tags) VALUES (?1, ?2, ?3, ?4, ?5) "
      "RETURNING id");
  ASSERT_TRUE(insert_course.ok()) << insert_course.error().message;
  insert_course->BindText(1, course.slug)
      .BindText(2, course.title)
      .BindText(3, course.summary)
      .BindText(4, course.language)
      .BindText(5, EncodeStrings(course.tags));
  ASSERT_TRUE(*insert_course->Step());
  const int64_t course_id = insert_course->ColumnInt(0);
  for (size_t l = 0; l < course.lessons.size(); ++l) {
    const domain::Lesson& lesson = course.lessons[l];
    Result<Statement> insert_lesson = db.Prepare(
        "INSERT INTO lessons (course_id, position, slug, title, file_name, blocks) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id");
    ASSERT_TRUE(insert_lesson.ok()) << insert_lesson.error().message;
    insert_lesson->BindInt(1, course_id)
        .BindInt(2, static_cast<int64_t>(l))
        .BindText(3, lesson.slug)
        .BindText(4, lesson.title)
        .BindText(5, lesson.file_name)
        .BindText(6, EncodeLessonBlocks(lesson.blocks));
    ASSERT_TRUE(*insert_lesson->Step());
    const int64_t lesson_id = insert_lesson->ColumnInt(0);
    for (size_t e = 0; e < lesson.exercises.size(); ++e) {
      const domain::Exercise& exercise = lesson.exercises[e];
      Result<Statement> insert_exercise = db.Prepare(
          "INSERT INTO exercises (course_id, lesson_id, position, slug, type, definition) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
      ASSERT_TRUE(insert_exercise.ok()) << insert_exercise.error().message;
      Status inserted = insert_exercise->BindInt(1, course_id)
                            .BindInt(2, lesson_id)
                            .BindInt(3, static_cast<int64_t>(e))
                            .BindText(4, exercise.id)
                            .BindText(5, domain::ToString(exercise.type()))
                            .BindText(6, EncodeExercise(exercise))
                            .Run();
      ASSERT_TRUE(inserted.ok()) << inserted.error().message;
    }
  }
}

class SqliteUserStoreTest : public ::testing::Test {
 protected:
  std::filesystem::path file() const { return dir_.path() / "practica.db"; }

  std::unique_ptr<SqliteUserStore> OpenUsers(
      const SqliteUserStore::Options& options = SqliteUserStore::Options{}) {
    Result<std::unique_ptr<SqliteUserStore>> store = SqliteUserStore::Open(file(), options);
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::unique_ptr<SqliteContentStore> OpenContent() {
    Result<std::unique_ptr<SqliteContentStore>> store = SqliteContentStore::Open(file());
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(store).value() : nullptr;
  }

  TempDir dir_;
};

TEST_F(SqliteUserStoreTest, RowsAreOnDiskAfterReopening) {
  domain::User ada;
  {
    auto store = OpenUsers();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->CreateUser(MakeNewUser("usr_ada", "Ada@Example.com")).ok());
    ASSERT_TRUE(store->UpdateUser("usr_ada", {.role = domain::Role::kAdmin}).ok());
    ASSERT_TRUE(store->RecordLogin("usr_ada", kNow + 5).ok());
    ASSERT_TRUE(store->AddRefreshToken(MakeToken("t1", "family-1", "usr_ada", kNow)).ok());
    ASSERT_EQ(
        store->RotateRefreshToken("t1", MakeToken("t2", "", "", kNow + 10), kNow + 10)->outcome,
        RotateOutcome::kRotated);
    ASSERT_TRUE(store->SetPendingTotp("usr_ada", "sealed").ok());
    ASSERT_TRUE(store->EnableTotp("usr_ada", 77, {"c1", "c2"}).ok());
    ada = *store->GetUser("usr_ada");
  }
  auto store = OpenUsers();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->GetUser("usr_ada"), ada);
  EXPECT_EQ(ada.role, domain::Role::kAdmin);
  EXPECT_EQ(ada.last_login_at, kNow + 5);
  EXPECT_TRUE(ada.totp_enabled);
  EXPECT_EQ(*store->FindUserByEmail("ada@example.com"), ada);
  EXPECT_EQ(*store->GetTotp("usr_ada"), (TotpState{"sealed", "", 77, 2}));
  EXPECT_EQ(*store->FamilyOf("t2"), "family-1");
  // The used token is remembered as used: replaying it is still detected after a restart.
  EXPECT_EQ(store->RotateRefreshToken("t1", MakeToken("t3", "", "", kNow + 20), kNow + 20)->outcome,
            RotateOutcome::kReused);
  EXPECT_TRUE(store->ListSessions("usr_ada")->at(0).revoked);
}

// Opens the two stores in the given order on one file, writes through both, and reads back.
void ShareOneFile(const std::filesystem::path& file, bool users_first) {
  std::unique_ptr<SqliteUserStore> users;
  std::unique_ptr<SqliteContentStore> content;
  auto open_users = [&] {
    Result<std::unique_ptr<SqliteUserStore>> opened = SqliteUserStore::Open(file);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    users = std::move(opened).value();
  };
  auto open_content = [&] {
    Result<std::unique_ptr<SqliteContentStore>> opened = SqliteContentStore::Open(file);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    content = std::move(opened).value();
  };
  if (users_first) {
    ASSERT_NO_FATAL_FAILURE(open_users());
    ASSERT_NO_FATAL_FAILURE(open_content());
  } else {
    ASSERT_NO_FATAL_FAILURE(open_content());
    ASSERT_NO_FATAL_FAILURE(open_users());
  }
  ASSERT_TRUE(content->PutCourse(testing::SmallCourse("alpha", 2)).ok());
  ASSERT_TRUE(users->CreateUser(MakeNewUser("usr_ada", "ada@example.com")).ok());
  ASSERT_TRUE(content->PutCourse(testing::SmallCourse("beta")).ok());
  ASSERT_TRUE(users->AddRefreshToken(MakeToken("t1", "family-1", "usr_ada", kNow)).ok());
  users.reset();
  content.reset();

  // Reopened the other way round, both see everything.
  if (users_first) {
    ASSERT_NO_FATAL_FAILURE(open_content());
    ASSERT_NO_FATAL_FAILURE(open_users());
  } else {
    ASSERT_NO_FATAL_FAILURE(open_users());
    ASSERT_NO_FATAL_FAILURE(open_content());
  }
  EXPECT_EQ(*content->CountCourses(), 2);
  EXPECT_EQ(*content->GetCourse("alpha"), testing::SmallCourse("alpha", 2));
  EXPECT_EQ(*users->CountUsers(), 1);
  EXPECT_EQ(*users->FamilyOf("t1"), "family-1");
  auto raw = OpenRaw(file);
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(*raw->PragmaInt("user_version"), LatestSchemaVersion());
}

TEST_F(SqliteUserStoreTest, BothStoresShareOneFileWhenUsersOpenFirst) {
  ShareOneFile(file(), true);
}

TEST_F(SqliteUserStoreTest, BothStoresShareOneFileWhenContentOpensFirst) {
  ShareOneFile(file(), false);
}

TEST_F(SqliteUserStoreTest, AVersionOneDatabaseKeepsItsCoursesWhenMigrated) {
  const domain::Course legacy = testing::FullCourse("legacy");
  {
    auto raw = OpenRaw(file());
    ASSERT_NE(raw, nullptr);
    Result<MigrationReport> v1 = Migrate(*raw, Migrations().first(1));
    ASSERT_TRUE(v1.ok()) << v1.error().message;
    ASSERT_EQ(*raw->PragmaInt("user_version"), 1);
    ASSERT_NO_FATAL_FAILURE(WriteVersionOneCourse(*raw, legacy));
    EXPECT_FALSE(raw->Prepare("SELECT count(*) FROM users").ok());  // not there yet
  }
  auto users = OpenUsers();
  ASSERT_NE(users, nullptr);
  EXPECT_EQ(*OpenRaw(file())->PragmaInt("user_version"), LatestSchemaVersion());
  ASSERT_TRUE(users->CreateUser(MakeNewUser("usr_ada", "ada@example.com")).ok());

  auto content = OpenContent();
  ASSERT_NE(content, nullptr);
  EXPECT_EQ(*content->CountCourses(), 1);
  Result<domain::Course> kept = content->GetCourse("legacy");
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  EXPECT_EQ(*kept, legacy);
}

TEST_F(SqliteUserStoreTest, ADatabaseFromANewerPracticaIsRefused) {
  ASSERT_TRUE(MigrateFile(file()).ok());
  const int newer = LatestSchemaVersion() + 1;
  ASSERT_TRUE(OpenRaw(file())->Execute("PRAGMA user_version = " + std::to_string(newer)).ok());
  Result<std::unique_ptr<SqliteUserStore>> store = SqliteUserStore::Open(file());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kConflict);
  EXPECT_EQ(*OpenRaw(file())->PragmaInt("user_version"), newer);
}

TEST_F(SqliteUserStoreTest, DeletingAUserCascadesOnDisk) {
  auto store = OpenUsers();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateUser(MakeNewUser("usr_ada", "ada@example.com")).ok());
  ASSERT_TRUE(store->AddRefreshToken(MakeToken("t1", "family-1", "usr_ada", kNow)).ok());
  ASSERT_TRUE(store->AddRefreshToken(MakeToken("u1", "family-2", "usr_ada", kNow)).ok());
  ASSERT_EQ(store->RotateRefreshToken("t1", MakeToken("t2", "", "", kNow + 1), kNow + 1)->outcome,
            RotateOutcome::kRotated);
  ASSERT_TRUE(store->SetPendingTotp("usr_ada", "sealed").ok());
  ASSERT_TRUE(store->EnableTotp("usr_ada", 1, {"c1", "c2", "c3"}).ok());
  auto raw = OpenRaw(file());
  ASSERT_NE(raw, nullptr);
  ASSERT_EQ(Count(*raw, "session_families"), 2);
  ASSERT_EQ(Count(*raw, "refresh_tokens"), 3);
  ASSERT_EQ(Count(*raw, "recovery_codes"), 3);

  ASSERT_TRUE(store->DeleteUser("usr_ada").ok());
  EXPECT_EQ(Count(*raw, "users"), 0);
  EXPECT_EQ(Count(*raw, "session_families"), 0);
  EXPECT_EQ(Count(*raw, "refresh_tokens"), 0);
  EXPECT_EQ(Count(*raw, "recovery_codes"), 0);
}

TEST_F(SqliteUserStoreTest, EveryForeignKeyAndTheEmailAreIndexed) {
  ASSERT_TRUE(MigrateFile(file()).ok());
  auto raw = OpenRaw(file());
  ASSERT_NE(raw, nullptr);
  // An index whose first column is `column`: lookups and ON DELETE CASCADE need no table scan.
  auto leading_index = [&](const std::string& table, const std::string& column) {
    Result<Statement> indexes = raw->Prepare(
        "SELECT count(*) FROM pragma_index_list(?1) il, pragma_index_info(il.name) ii "
        "WHERE ii.seqno = 0 AND ii.name = ?2");
    EXPECT_TRUE(indexes.ok()) << indexes.error().message;
    if (!indexes.ok()) return false;
    indexes->BindText(1, table).BindText(2, column);
    Result<bool> row = indexes->Step();
    return row.ok() && *row && indexes->ColumnInt(0) > 0;
  };
  int foreign_keys = 0;
  for (const std::string table : {"session_families", "refresh_tokens", "recovery_codes"}) {
    Result<Statement> keys = raw->Prepare("SELECT \"from\" FROM pragma_foreign_key_list(?1)");
    ASSERT_TRUE(keys.ok()) << keys.error().message;
    keys->BindText(1, table);
    while (*keys->Step()) {
      ++foreign_keys;
      EXPECT_TRUE(leading_index(table, keys->ColumnString(0)))
          << table << "." << keys->ColumnString(0);
    }
  }
  EXPECT_EQ(foreign_keys, 3);
  EXPECT_TRUE(leading_index("users", "email_normalized"));
}

TEST_F(SqliteUserStoreTest, AWriteLockHeldElsewhereIsUnavailableNotAHang) {
  auto store = OpenUsers({.max_readers = 2, .busy_timeout = std::chrono::milliseconds(100)});
  ASSERT_NE(store, nullptr);
  auto raw = OpenRaw(file());
  ASSERT_NE(raw, nullptr);
  {
    Result<Transaction> held = raw->Begin(TransactionMode::kImmediate);  // e.g. practica import
    ASSERT_TRUE(held.ok()) << held.error().message;
    Result<domain::User> created = store->CreateUser(MakeNewUser("usr_ada", "ada@example.com"));
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error().code, ErrorCode::kUnavailable) << created.error().message;
    EXPECT_EQ(*store->CountUsers(), 0);  // reads go on meanwhile
  }
  EXPECT_TRUE(store->CreateUser(MakeNewUser("usr_ada", "ada@example.com")).ok());
}

// Two store objects on one file (two processes, in effect) have separate writer mutexes: only
// the IMMEDIATE transactions keep a rotation and a TOTP step single-use between them.
TEST_F(SqliteUserStoreTest, TwoStoresOnOneFileStillLetExactlyOneRotationWin) {
  auto first = OpenUsers();
  auto second = OpenUsers();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  ASSERT_TRUE(first->CreateUser(MakeNewUser("usr_ada", "ada@example.com")).ok());
  ASSERT_TRUE(first->AddRefreshToken(MakeToken("t0", "family-1", "usr_ada", kNow)).ok());
  ASSERT_TRUE(first->SetPendingTotp("usr_ada", "sealed").ok());
  ASSERT_TRUE(first->EnableTotp("usr_ada", 10, {}).ok());

  constexpr int kThreads = 16;
  std::atomic<int> rotated{0};
  std::atomic<int> steps{0};
  std::atomic<int> failed{0};
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      UserStore& store = i % 2 == 0 ? static_cast<UserStore&>(*first) : *second;
      start.arrive_and_wait();
      Result<RotateResult> result = store.RotateRefreshToken(
          "t0", MakeToken("t1-" + std::to_string(i), "", "", kNow + 1), kNow + 1);
      Result<bool> step = store.UseTotpStep("usr_ada", 11);
      if (!result.ok() || !step.ok()) {
        ++failed;
        return;
      }
      if (result->outcome == RotateOutcome::kRotated) ++rotated;
      if (*step) ++steps;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(rotated.load(), 1);
  EXPECT_EQ(steps.load(), 1);
  EXPECT_TRUE(second->ListSessions("usr_ada")->at(0).revoked);  // the others were reuses
}

// Faults injected with triggers, late in a write: the whole write rolls back.

TEST_F(SqliteUserStoreTest, AFailedEnrolmentChangesNothing) {
  auto store = OpenUsers();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateUser(MakeNewUser("usr_ada", "ada@example.com")).ok());
  ASSERT_TRUE(store->SetPendingTotp("usr_ada", "sealed-1").ok());
  ASSERT_TRUE(store->EnableTotp("usr_ada", 10, {"old"}).ok());
  ASSERT_TRUE(store->SetPendingTotp("usr_ada", "sealed-2").ok());
  ASSERT_TRUE(
      OpenRaw(file())
          ->Execute("CREATE TRIGGER fail_code BEFORE INSERT ON recovery_codes "
                    "WHEN NEW.code_hash = 'new-2' BEGIN SELECT RAISE(ABORT, 'injected'); END")
          .ok());
  Status enabled = store->EnableTotp("usr_ada", 20, {"new-1", "new-2"});
  ASSERT_FALSE(enabled.ok());
  EXPECT_NE(enabled.error().message.find("injected"), std::string::npos);
  EXPECT_EQ(*store->GetTotp("usr_ada"), (TotpState{"sealed-1", "sealed-2", 10, 1}));
  EXPECT_TRUE(*store->UseRecoveryCode("usr_ada", "old"));

  ASSERT_TRUE(OpenRaw(file())->Execute("DROP TRIGGER fail_code").ok());
  ASSERT_TRUE(store->EnableTotp("usr_ada", 20, {"new-1", "new-2"}).ok());
  EXPECT_EQ(*store->GetTotp("usr_ada"), (TotpState{"sealed-2", "", 20, 2}));
}

TEST_F(SqliteUserStoreTest, AUserIsNotDisabledUnlessItsSessionsAreRevoked) {
  auto store = OpenUsers();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateUser(MakeNewUser("usr_ada", "ada@example.com")).ok());
  ASSERT_TRUE(store->AddRefreshToken(MakeToken("t1", "family-1", "usr_ada", kNow)).ok());
  ASSERT_TRUE(OpenRaw(file())
                  ->Execute("CREATE TRIGGER fail_revoke BEFORE UPDATE ON session_families "
                            "BEGIN SELECT RAISE(ABORT, 'injected'); END")
                  .ok());
  Result<domain::User> disabled = store->UpdateUser("usr_ada", {.disabled = true});
  ASSERT_FALSE(disabled.ok());
  EXPECT_FALSE(store->GetUser("usr_ada")->disabled);
  // The rotation fails at its last step (the family's last use) and leaves t1 current.
  Result<RotateResult> rotated =
      store->RotateRefreshToken("t1", MakeToken("t2", "", "", kNow + 1), kNow + 1);
  ASSERT_FALSE(rotated.ok());
  EXPECT_EQ(*store->FamilyOf("t2"), std::nullopt);

  ASSERT_TRUE(OpenRaw(file())->Execute("DROP TRIGGER fail_revoke").ok());
  EXPECT_EQ(store->RotateRefreshToken("t1", MakeToken("t2", "", "", kNow + 2), kNow + 2)->outcome,
            RotateOutcome::kRotated);
  ASSERT_TRUE(store->UpdateUser("usr_ada", {.disabled = true}).ok());
  EXPECT_TRUE(store->ListSessions("usr_ada")->at(0).revoked);
}

}  // namespace
}  // namespace practica::store::sqlite
