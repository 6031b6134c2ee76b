#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <memory>
#include <string>

#include "store/sqlite/database.h"
#include "temp_dir.h"

namespace practica::store::sqlite {
namespace {

using testing::TempDir;

class DatabaseTest : public ::testing::Test {
 protected:
  std::filesystem::path file() const { return dir_.path() / "test.db"; }

  std::unique_ptr<Database> Open(DatabaseOptions options = {}) {
    Result<std::unique_ptr<Database>> database = Database::Open(file(), options);
    EXPECT_TRUE(database.ok()) << database.error().message;
    return database.ok() ? std::move(database).value() : nullptr;
  }

  static int64_t Count(Database& database) {
    Result<Statement> count = database.Prepare("SELECT count(*) FROM t");
    EXPECT_TRUE(count.ok()) << count.error().message;
    EXPECT_TRUE(*count->Step());
    return count->ColumnInt(0);
  }

  static Status Insert(Database& database, std::string_view name) {
    Result<Statement> insert = database.Prepare("INSERT INTO t (name) VALUES (?1)");
    if (!insert.ok()) return std::move(insert).error();
    return insert->BindText(1, name).Run();
  }

  TempDir dir_;
};

TEST_F(DatabaseTest, BoundValuesRoundTrip) {
  auto db = Open();
  ASSERT_TRUE(db->Execute("CREATE TABLE v (t TEXT, i INTEGER, d REAL, n TEXT)").ok());
  const std::string text("quote ' and NUL \0 inside; DROP TABLE v;", 39);
  Result<Statement> insert = db->Prepare("INSERT INTO v VALUES (?1, ?2, ?3, ?4)");
  ASSERT_TRUE(insert.ok());
  ASSERT_TRUE(
      insert->BindText(1, text).BindInt(2, INT64_MIN).BindDouble(3, 0.1).BindNull(4).Run().ok());
  Result<Statement> select = db->Prepare("SELECT t, i, d, n FROM v");
  ASSERT_TRUE(select.ok());
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->ColumnText(0), text);
  EXPECT_EQ(select->ColumnInt(1), INT64_MIN);
  EXPECT_EQ(select->ColumnDouble(2), 0.1);
  EXPECT_TRUE(select->ColumnIsNull(3));
  EXPECT_FALSE(*select->Step());
}

TEST_F(DatabaseTest, AnEmptyViewBindsTheEmptyStringNotNull) {
  auto db = Open();
  Result<Statement> select = db->Prepare("SELECT typeof(?1), ?1 = ''");
  ASSERT_TRUE(select.ok());
  ASSERT_TRUE(*select->BindText(1, std::string_view{}).Step());
  EXPECT_EQ(select->ColumnText(0), "text");
  EXPECT_EQ(select->ColumnInt(1), 1);
}

TEST_F(DatabaseTest, ABadBindIsReportedByStep) {
  auto db = Open();
  Result<Statement> select = db->Prepare("SELECT ?1");
  ASSERT_TRUE(select.ok());
  Result<bool> row = select->BindInt(2, 1).BindInt(1, 1).Step();
  ASSERT_FALSE(row.ok());
  EXPECT_NE(row.error().message.find("binding parameter 2"), std::string::npos)
      << row.error().message;
}

TEST_F(DatabaseTest, CachedStatementsAreReusedAndCanNest) {
  auto db = Open();
  ASSERT_TRUE(db->Execute("CREATE TABLE t (name TEXT UNIQUE)").ok());
  ASSERT_TRUE(Insert(*db, "a").ok());
  ASSERT_TRUE(Insert(*db, "b").ok());
  // Two live uses of the same SQL: the second gets its own statement.
  Result<Statement> outer = db->Prepare("SELECT name FROM t ORDER BY name");
  Result<Statement> inner = db->Prepare("SELECT name FROM t ORDER BY name");
  ASSERT_TRUE(outer.ok() && inner.ok());
  ASSERT_TRUE(*outer->Step());
  ASSERT_TRUE(*inner->Step());
  ASSERT_TRUE(*inner->Step());
  EXPECT_EQ(outer->ColumnText(0), "a");
  EXPECT_EQ(inner->ColumnText(0), "b");
}

TEST_F(DatabaseTest, PrepareTakesExactlyOneStatement) {
  auto db = Open();
  Result<Statement> two = db->Prepare("SELECT 1; SELECT 2");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().code, ErrorCode::kInternal);
  EXPECT_TRUE(db->Prepare("SELECT 1;  ").ok());
  EXPECT_FALSE(db->Prepare("").ok());
  EXPECT_FALSE(db->Prepare("SELEC 1").ok());
}

TEST_F(DatabaseTest, ATransactionRollsBackUnlessCommitted) {
  auto db = Open();
  ASSERT_TRUE(db->Execute("CREATE TABLE t (name TEXT UNIQUE)").ok());
  {
    Result<Transaction> transaction = db->Begin(TransactionMode::kImmediate);
    ASSERT_TRUE(transaction.ok()) << transaction.error().message;
    ASSERT_TRUE(Insert(*db, "dropped").ok());
    EXPECT_TRUE(db->InTransaction());
  }
  EXPECT_FALSE(db->InTransaction());
  EXPECT_EQ(Count(*db), 0);
  {
    Result<Transaction> transaction = db->Begin(TransactionMode::kImmediate);
    ASSERT_TRUE(transaction.ok());
    ASSERT_TRUE(Insert(*db, "kept").ok());
    ASSERT_TRUE(transaction->Commit().ok());
    EXPECT_FALSE(transaction->Commit().ok());  // already finished
  }
  EXPECT_EQ(Count(*db), 1);
  // A moved-from transaction does nothing; the moved-to one still rolls back.
  {
    Result<Transaction> transaction = db->Begin(TransactionMode::kDeferred);
    ASSERT_TRUE(transaction.ok());
    Transaction moved = std::move(transaction).value();
    ASSERT_TRUE(Insert(*db, "also dropped").ok());
  }
  EXPECT_EQ(Count(*db), 1);
}

TEST_F(DatabaseTest, AConstraintViolationIsAConflict) {
  auto db = Open();
  ASSERT_TRUE(db->Execute("CREATE TABLE t (name TEXT UNIQUE)").ok());
  ASSERT_TRUE(Insert(*db, "a").ok());
  Status again = Insert(*db, "a");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_NE(again.error().message.find("UNIQUE constraint failed: t.name"), std::string::npos)
      << again.error().message;
}

TEST_F(DatabaseTest, ForeignKeysAreEnforced) {
  auto db = Open();
  ASSERT_TRUE(db->Execute("CREATE TABLE p (id INTEGER PRIMARY KEY);"
                          "CREATE TABLE c (p INTEGER REFERENCES p (id));")
                  .ok());
  Status orphan = db->Execute("INSERT INTO c VALUES (42)");
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().code, ErrorCode::kConflict);
}

// SQLite answers SQLITE_FULL when a database reaches max_page_count, as it would on a full disk.
TEST_F(DatabaseTest, AFullDatabaseIsUnavailable) {
  auto db = Open();
  ASSERT_TRUE(db->Execute("CREATE TABLE t (name TEXT)").ok());
  const int64_t pages = *db->PragmaInt("page_count");
  ASSERT_TRUE(db->Execute("PRAGMA max_page_count = " + std::to_string(pages)).ok());
  Status insert = Insert(*db, std::string(100000, 'x'));
  ASSERT_FALSE(insert.ok());
  EXPECT_EQ(insert.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(insert.error().message.find("disk is full"), std::string::npos)
      << insert.error().message;
}

TEST_F(DatabaseTest, AWriteLockHeldPastTheBusyTimeoutIsUnavailable) {
  auto holder = Open();
  ASSERT_TRUE(holder->Execute("CREATE TABLE t (name TEXT)").ok());
  DatabaseOptions impatient;
  impatient.busy_timeout = std::chrono::milliseconds(50);
  auto waiter = Open(impatient);
  {
    Result<Transaction> held = holder->Begin(TransactionMode::kImmediate);
    ASSERT_TRUE(held.ok());
    Result<Transaction> blocked = waiter->Begin(TransactionMode::kImmediate);
    ASSERT_FALSE(blocked.ok());
    EXPECT_EQ(blocked.error().code, ErrorCode::kUnavailable);
    EXPECT_NE(blocked.error().message.find("locked"), std::string::npos) << blocked.error().message;
    // WAL: a reader is not blocked by the writer.
    EXPECT_EQ(Count(*waiter), 0);
  }
  Result<Transaction> free = waiter->Begin(TransactionMode::kImmediate);
  EXPECT_TRUE(free.ok());
}

TEST_F(DatabaseTest, AReaderConnectionCannotWrite) {
  auto writer = Open();
  ASSERT_TRUE(writer->Execute("CREATE TABLE t (name TEXT)").ok());
  DatabaseOptions reader_options;
  reader_options.read_only = true;
  auto reader = Open(reader_options);
  ASSERT_NE(reader, nullptr);
  EXPECT_FALSE(Insert(*reader, "x").ok());
  EXPECT_EQ(Count(*reader), 0);
}

TEST_F(DatabaseTest, AFileThatIsNotADatabaseFailsAtOpen) {
  std::ofstream(file()) << "this is not an SQLite database, just some text that is long enough "
                           "to fill a header page of a database file...........................";
  Result<std::unique_ptr<Database>> database = Database::Open(file());
  ASSERT_FALSE(database.ok());
  EXPECT_EQ(database.error().code, ErrorCode::kInternal);
  EXPECT_NE(database.error().message.find("not an SQLite database"), std::string::npos)
      << database.error().message;
}

TEST_F(DatabaseTest, OpeningWithoutCreateNeedsAnExistingFile) {
  DatabaseOptions options;
  options.create = false;
  Result<std::unique_ptr<Database>> database = Database::Open(file(), options);
  ASSERT_FALSE(database.ok());
  EXPECT_EQ(database.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(std::filesystem::exists(file()));
}

TEST_F(DatabaseTest, PragmaIntAcceptsOnlyANameNotSql) {
  auto db = Open();
  EXPECT_TRUE(db->PragmaInt("user_version").ok());
  EXPECT_FALSE(db->PragmaInt("user_version = 5").ok());
  EXPECT_EQ(*db->PragmaInt("user_version"), 0);
}

TEST(MapSqliteErrorTest, MapsResultCodesToErrorKinds) {
  struct Case {
    int code;
    ErrorCode want;
  };
  const Case cases[] = {
      {SQLITE_CONSTRAINT_UNIQUE, ErrorCode::kConflict},
      {SQLITE_CONSTRAINT_FOREIGNKEY, ErrorCode::kConflict},
      {SQLITE_FULL, ErrorCode::kUnavailable},
      {SQLITE_IOERR_WRITE, ErrorCode::kUnavailable},
      {SQLITE_IOERR_FSYNC, ErrorCode::kUnavailable},
      {SQLITE_BUSY, ErrorCode::kUnavailable},
      {SQLITE_BUSY_SNAPSHOT, ErrorCode::kUnavailable},
      {SQLITE_LOCKED, ErrorCode::kUnavailable},
      {SQLITE_CANTOPEN, ErrorCode::kUnavailable},
      {SQLITE_READONLY, ErrorCode::kUnavailable},
      {SQLITE_NOMEM, ErrorCode::kUnavailable},
      {SQLITE_CORRUPT, ErrorCode::kInternal},
      {SQLITE_NOTADB, ErrorCode::kInternal},
      {SQLITE_MISUSE, ErrorCode::kInternal},
      {SQLITE_ERROR, ErrorCode::kInternal},
  };
  for (const Case& c : cases) {
    const Error error = MapSqliteError(c.code, "doing something", "detail");
    EXPECT_EQ(error.code, c.want) << c.code << ": " << error.message;
    EXPECT_EQ(error.message.rfind("doing something: ", 0), 0u) << error.message;
    EXPECT_NE(error.message.find("(detail)"), std::string::npos) << error.message;
  }
  EXPECT_NE(MapSqliteError(SQLITE_IOERR_FSYNC, "x").message.find("I/O error"), std::string::npos);
}

}  // namespace
}  // namespace practica::store::sqlite
