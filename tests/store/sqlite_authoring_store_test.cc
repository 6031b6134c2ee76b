#include "store/sqlite/sqlite_authoring_store.h"

#include <gtest/gtest.h>

#include <memory>

#include "authoring_store_contract.h"
#include "sample_content.h"
#include "sqlite_raw.h"
#include "temp_dir.h"

namespace practica::store::sqlite {
namespace {

using testing::AuthoringStoreAdapter;
using testing::AuthoringStoreContractTest;
using testing::TempDir;

class SqliteHarness : public testing::AuthoringStoreHarness {
 public:
  SqliteHarness() {
    Result<std::unique_ptr<SqliteAuthoringStore>> opened =
        SqliteAuthoringStore::Open(dir_.path() / "practica.db");
    if (opened.ok()) {
      store_ = std::move(opened).value();
    } else {
      ADD_FAILURE() << opened.error().message;
    }
  }
  AuthoringStore& store() override { return *store_; }
  bool ok() const { return store_ != nullptr; }

 private:
  TempDir dir_;  // declared first: destroyed after the store
  std::unique_ptr<SqliteAuthoringStore> store_;
};

INSTANTIATE_TEST_SUITE_P(Sqlite, AuthoringStoreContractTest,
                         ::testing::Values(AuthoringStoreAdapter{
                             "sqlite",
                             []() -> std::unique_ptr<testing::AuthoringStoreHarness> {
                               auto harness = std::make_unique<SqliteHarness>();
                               if (!harness->ok()) return nullptr;
                               return harness;
                             }}),
                         testing::AuthoringAdapterName);

TEST(SqliteAuthoringStoreTest, TheFileRefusesToRewriteHistory) {
  TempDir dir;
  const std::filesystem::path file = dir.path() / "practica.db";
  {
    auto store = SqliteAuthoringStore::Open(file);
    ASSERT_TRUE(store.ok()) << store.error().message;
    Publication publication;
    publication.published_at = 1;
    publication.exercises = {
        {"0123456789abcdef", testing::SmallCourse("alpha").lessons[0].exercises[0], 0, 0}};
    ASSERT_TRUE((*store)->CreateCourse(testing::SmallCourse("alpha"), {}, 1, publication).ok());
  }
  auto raw = testing::OpenRaw(file);
  ASSERT_NE(raw, nullptr);
  EXPECT_FALSE(raw->Execute("UPDATE course_versions SET title = 'x'").ok());
  EXPECT_FALSE(raw->Execute("DELETE FROM course_versions").ok());
  EXPECT_FALSE(raw->Execute("UPDATE exercise_versions SET definition = '{}'").ok());
  EXPECT_FALSE(raw->Execute("DELETE FROM exercise_versions").ok());
  // A course with history cannot be deleted either.
  EXPECT_FALSE(raw->Execute("DELETE FROM authored_courses").ok());
  EXPECT_EQ(testing::Count(*raw, "course_versions"), 1);
}

}  // namespace
}  // namespace practica::store::sqlite
