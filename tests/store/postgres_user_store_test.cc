#include "store/postgres/postgres_user_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <latch>
#include <memory>
#include <pqxx/connection>
#include <pqxx/transaction>
#include <string>
#include <thread>
#include <vector>

#include "postgres_test_database.h"
#include "store/postgres/migrations.h"
#include "user_store_contract.h"

namespace practica::store::postgres {
namespace {

using namespace std::chrono_literals;
using testing::MakeNewUser;
using testing::MakeToken;
using testing::ServerUrl;
using testing::TestSchema;
using testing::UserStoreAdapter;
using testing::UserStoreContractTest;
using testing::UserStoreHarness;

constexpr int64_t kNow = 1'700'000'000;

// A migrated schema of its own and a store on it.
class PostgresUsersHarness : public UserStoreHarness {
 public:
  PostgresUsersHarness() {
    Result<MigrationReport> migrated = MigratePostgres(schema_.url());
    if (!migrated.ok()) {
      ADD_FAILURE() << migrated.error().message;
      return;
    }
    Result<std::unique_ptr<PostgresUserStore>> opened = PostgresUserStore::Open(schema_.url());
    if (opened.ok()) {
      store_ = std::move(opened).value();
    } else {
      ADD_FAILURE() << opened.error().message;
    }
  }
  UserStore& store() override { return *store_; }
  bool ok() const { return store_ != nullptr; }

 private:
  TestSchema schema_;  // declared first: dropped after the store has closed its connections
  std::unique_ptr<PostgresUserStore> store_;
};

std::unique_ptr<UserStoreHarness> MakePostgresUsersHarness() {
  auto harness = std::make_unique<PostgresUsersHarness>();
  if (!harness->ok()) return nullptr;
  return harness;
}

INSTANTIATE_TEST_SUITE_P(Postgres, UserStoreContractTest,
                         ::testing::Values(UserStoreAdapter{"postgres", MakePostgresUsersHarness}),
                         testing::UserAdapterName);

// Waits (up to 5 s) until `sessions` sessions of the database wait for a lock.
void WaitForLockWaits(const TestSchema& schema, int sessions) {
  for (int i = 0; i < 500; ++i) {
    if (schema
            .Exec("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                  "AND datname = current_database()")[0][0]
            .as<int>() >= sessions) {
      return;
    }
    std::this_thread::sleep_for(10ms);
  }
  ADD_FAILURE() << "fewer than " << sessions << " sessions came to wait for a lock";
}

class PostgresUserStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<MigrationReport> migrated = MigratePostgres(schema_.url());
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
  }

  std::unique_ptr<PostgresUserStore> OpenUsers(const PoolOptions& options = PoolOptions{}) {
    Result<std::unique_ptr<PostgresUserStore>> store =
        PostgresUserStore::Open(schema_.url(), options);
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // The client connections to this database other than the one asking, i.e. the stores'.
  int64_t StoreConnections() const {
    return schema_
        .Exec(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")[0][0]
        .as<int64_t>();
  }

  TestSchema schema_;
};

TEST_F(PostgresUserStoreTest, ListingIsInByteOrderWhateverTheDatabaseCollation) {
  // run_with.py's database collates with ICU en-US, which sorts these differently from bytes.
  std::vector<std::string> emails = {"a_b@x.org", "a-b@x.org", "a.b@x.org", "a~b@x.org",
                                     "a1@x.org",  "a18@x.org", "ab@x.org",  "zz@x.org"};
  auto store = OpenUsers();
  ASSERT_NE(store, nullptr);
  for (size_t i = 0; i < emails.size(); ++i) {
    ASSERT_TRUE(store->CreateUser(MakeNewUser("usr_" + std::to_string(i), emails[i])).ok());
  }
  std::sort(emails.begin(), emails.end());
  std::vector<std::string> listed;
  std::string cursor;
  do {
    Result<UserPage> page = store->ListUsers("", cursor, 3);
    ASSERT_TRUE(page.ok()) << page.error().message;
    for (const domain::User& user : page->items) listed.push_back(user.email);
    cursor = page->next_cursor.value_or("");
  } while (!cursor.empty());
  EXPECT_EQ(listed, emails);
}

TEST_F(PostgresUserStoreTest, EveryForeignKeyAndTheEmailAreIndexed) {
  // A foreign key whose column leads no index makes ON DELETE CASCADE scan the table.
  const pqxx::result unindexed = schema_.Exec(R"sql(
SELECT c.conrelid::regclass::text || '.' || a.attname
FROM pg_constraint c
  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
  AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid
                    AND i.indkey[0] = c.conkey[1]))sql");
  for (const pqxx::row& row : unindexed) ADD_FAILURE() << row[0].as<std::string>();
  EXPECT_EQ(schema_
                .Exec("SELECT count(*) FROM pg_constraint WHERE contype = 'f' "
                      "AND connamespace = current_schema()::regnamespace")[0][0]
                .as<int>(),
            3);
  EXPECT_EQ(
      schema_
          .Exec("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = 'users' AND indexdef LIKE '%UNIQUE%(email_normalized)'")[0][0]
          .as<int>(),
      1);
}

// Makes `store` open `connections` connections, so that calls racing later all start at once
// instead of one after another while new connections are set up: each call is held up by a lock
// on its user's row (one user per call) until all of them are waiting.
void FillPool(const TestSchema& schema, UserStore& store, int connections,
              const std::string& name) {
  pqxx::connection holder(schema.url());
  pqxx::work lock(holder);
  std::vector<std::thread> calls;
  calls.reserve(connections);
  for (int i = 0; i < connections; ++i) {
    const std::string id = "usr_" + name + "_" + std::to_string(i);
    ASSERT_TRUE(store.CreateUser(MakeNewUser(id, id + "@example.com")).ok());
    lock.exec("SELECT 1 FROM users WHERE id = '" + id + "' FOR UPDATE");
    calls.emplace_back([&store, id] { EXPECT_TRUE(store.RecordLogin(id, kNow).ok()); });
  }
  WaitForLockWaits(schema, connections);
  lock.commit();
  for (std::thread& call : calls) call.join();
}

// Two store objects on one database (two servers of a fleet, in effect) share no lock in memory:
// only the row locks keep a rotation and a TOTP step single-use between them.
TEST_F(PostgresUserStoreTest, TwoStoresOnOneDatabaseStillLetExactlyOneRotationWin) {
  auto first = OpenUsers();
  auto second = OpenUsers();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  ASSERT_NO_FATAL_FAILURE(FillPool(schema_, *first, PoolOptions{}.max_connections, "first"));
  ASSERT_NO_FATAL_FAILURE(FillPool(schema_, *second, PoolOptions{}.max_connections, "second"));
  ASSERT_TRUE(first->CreateUser(MakeNewUser("usr_ada", "ada@example.com")).ok());
  ASSERT_TRUE(first->AddRefreshToken(MakeToken("t0", "family-1", "usr_ada", kNow)).ok());
  ASSERT_TRUE(first->SetPendingTotp("usr_ada", "sealed").ok());
  ASSERT_TRUE(first->EnableTotp("usr_ada", 10, {"c1"}).ok());

  constexpr int kThreads = 16;
  std::atomic<int> rotated{0};
  std::atomic<int> steps{0};
  std::atomic<int> codes{0};
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
      Result<bool> code = store.UseRecoveryCode("usr_ada", "c1");
      if (!result.ok() || !step.ok() || !code.ok()) {
        ++failed;
        return;
      }
      if (result->outcome == RotateOutcome::kRotated) ++rotated;
      if (*step) ++steps;
      if (*code) ++codes;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(rotated.load(), 1);
  EXPECT_EQ(steps.load(), 1);
  EXPECT_EQ(codes.load(), 1);
  EXPECT_TRUE(second->ListSessions("usr_ada")->at(0).revoked);  // the others were reuses
}

// Faults injected with triggers, late in a write: the whole write rolls back.

TEST_F(PostgresUserStoreTest, AFailedEnrolmentChangesNothing) {
  auto store = OpenUsers();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateUser(MakeNewUser("usr_ada", "ada@example.com")).ok());
  ASSERT_TRUE(store->SetPendingTotp("usr_ada", "sealed-1").ok());
  ASSERT_TRUE(store->EnableTotp("usr_ada", 10, {"old"}).ok());
  ASSERT_TRUE(store->SetPendingTotp("usr_ada", "sealed-2").ok());
  schema_.Exec(R"sql(
CREATE FUNCTION fail_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.code_hash = 'new-2' THEN RAISE EXCEPTION 'injected'; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER fail_code BEFORE INSERT ON recovery_codes
  FOR EACH ROW EXECUTE FUNCTION fail_code())sql");
  Status enabled = store->EnableTotp("usr_ada", 20, {"new-1", "new-2"});
  ASSERT_FALSE(enabled.ok());
  EXPECT_NE(enabled.error().message.find("injected"), std::string::npos);
  EXPECT_EQ(*store->GetTotp("usr_ada"), (TotpState{"sealed-1", "sealed-2", 10, 1}));
  EXPECT_TRUE(*store->UseRecoveryCode("usr_ada", "old"));

  schema_.Exec("DROP TRIGGER fail_code ON recovery_codes");
  ASSERT_TRUE(store->EnableTotp("usr_ada", 20, {"new-1", "new-2"}).ok());
  EXPECT_EQ(*store->GetTotp("usr_ada"), (TotpState{"sealed-2", "", 20, 2}));
}

TEST_F(PostgresUserStoreTest, AUserIsNotDisabledUnlessItsSessionsAreRevoked) {
  auto store = OpenUsers();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateUser(MakeNewUser("usr_ada", "ada@example.com")).ok());
  ASSERT_TRUE(store->AddRefreshToken(MakeToken("t1", "family-1", "usr_ada", kNow)).ok());
  schema_.Exec(R"sql(
CREATE FUNCTION fail_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'injected'; END $$;
CREATE TRIGGER fail_revoke BEFORE UPDATE ON session_families
  FOR EACH ROW EXECUTE FUNCTION fail_update())sql");
  Result<domain::User> disabled = store->UpdateUser("usr_ada", {.disabled = true});
  ASSERT_FALSE(disabled.ok());
  EXPECT_FALSE(store->GetUser("usr_ada")->disabled);
  // The rotation fails at its last step (the family's last use) and leaves t1 current.
  Result<RotateResult> rotated =
      store->RotateRefreshToken("t1", MakeToken("t2", "", "", kNow + 1), kNow + 1);
  ASSERT_FALSE(rotated.ok());
  EXPECT_EQ(*store->FamilyOf("t2"), std::nullopt);

  schema_.Exec("DROP TRIGGER fail_revoke ON session_families");
  EXPECT_EQ(store->RotateRefreshToken("t1", MakeToken("t2", "", "", kNow + 2), kNow + 2)->outcome,
            RotateOutcome::kRotated);
  ASSERT_TRUE(store->UpdateUser("usr_ada", {.disabled = true}).ok());
  EXPECT_TRUE(store->ListSessions("usr_ada")->at(0).revoked);
}

TEST_F(PostgresUserStoreTest, TextPostgresCannotHoldIsInvalidNotCutShort) {
  auto store = OpenUsers();
  ASSERT_NE(store, nullptr);
  NewUser with_nul = MakeNewUser("usr_ada", "ada@example.com");
  with_nul.display_name = std::string("Ada\0Lovelace", 12);
  NewUser not_utf8 = MakeNewUser("usr_bob", "bob@example.com");
  not_utf8.display_name = "Bob \xff";
  for (const NewUser& user : {with_nul, not_utf8}) {
    Result<domain::User> created = store->CreateUser(user);
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error().code, ErrorCode::kInvalid) << created.error().message;
  }
  EXPECT_EQ(store->GetUser(std::string("usr_ada\0x", 9)).error().code, ErrorCode::kInvalid);
  EXPECT_EQ(store->ListUsers("", "00", 10).error().code, ErrorCode::kInvalid);
  EXPECT_EQ(*store->CountUsers(), 0);
}

TEST_F(PostgresUserStoreTest, OptionsOutOfRangeAreInvalid) {
  Result<std::unique_ptr<PostgresUserStore>> none =
      PostgresUserStore::Open(schema_.url(), {.max_connections = 0});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kInvalid);
  Result<std::unique_ptr<PostgresUserStore>> negative =
      PostgresUserStore::Open(schema_.url(), {.acquire_timeout = -1ms});
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().code, ErrorCode::kInvalid);
}

// The pool -------------------------------------------------------------------------------------

TEST_F(PostgresUserStoreTest, AnExhaustedPoolIsUnavailableAfterTheTimeout) {
  auto store = OpenUsers({.max_connections = 1, .acquire_timeout = 300ms});
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateUser(MakeNewUser("usr_ada", "ada@example.com")).ok());

  // Another session holds the user's row, so the store's only connection waits behind it.
  pqxx::connection holder(schema_.url());
  pqxx::work lock(holder);
  lock.exec("SELECT 1 FROM users WHERE id = 'usr_ada' FOR UPDATE");
  Status blocked_login = Status::Ok();
  std::thread blocked([&] { blocked_login = store->RecordLogin("usr_ada", kNow + 1); });
  WaitForLockWaits(schema_, 1);

  const auto start = std::chrono::steady_clock::now();
  Result<int64_t> count = store->CountUsers();
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.error().code, ErrorCode::kUnavailable) << count.error().message;
  EXPECT_GE(waited, 300ms);
  EXPECT_LT(waited, 3s);

  lock.commit();
  blocked.join();
  EXPECT_TRUE(blocked_login.ok()) << blocked_login.error().message;
  EXPECT_EQ(store->GetUser("usr_ada")->last_login_at, kNow + 1);
  EXPECT_EQ(*store->CountUsers(), 1);  // the connection came back to the pool
}

// Calls every kind of work (reads, writes, transactions) and expects them all to succeed.
void ExpectEverythingWorks(UserStore& store, const std::string& new_user_id) {
  Result<domain::User> created =
      store.CreateUser(MakeNewUser(new_user_id, new_user_id + "@example.com"));
  EXPECT_TRUE(created.ok()) << created.error().message;
  Result<domain::User> got = store.GetUser("usr_ada");
  EXPECT_TRUE(got.ok()) << got.error().message;
  Status login = store.RecordLogin("usr_ada", kNow + 5);
  EXPECT_TRUE(login.ok()) << login.error().message;
  Result<bool> step = store.UseTotpStep("usr_ada", kNow);
  EXPECT_TRUE(step.ok()) << step.error().message;
}

TEST_F(PostgresUserStoreTest, TheStoreReconnectsAfterItsConnectionsAreTerminated) {
  auto store = OpenUsers({.max_connections = 3});
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateUser(MakeNewUser("usr_ada", "ada@example.com")).ok());
  // Concurrent calls, so that the pool holds more than one connection.
  constexpr int kThreads = 6;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 20; ++j) EXPECT_TRUE(store->GetUser("usr_ada").ok());
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_GE(StoreConnections(), 1);

  // What an operator, a failover or an idle-session timeout does to a pooled connection. The
  // second argument waits until each backend has exited.
  const int terminated =
      schema_
          .Exec(
              "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) "
              "FROM pg_stat_activity WHERE datname = current_database() "
              "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")[0][0]
          .as<int>();
  ASSERT_GE(terminated, 1);
  ASSERT_EQ(StoreConnections(), 0);

  ExpectEverythingWorks(*store, "usr_bob");
  EXPECT_GE(StoreConnections(), 1);
}

// Stops the server that run_with.py started, and starts it again on destruction, so that a failed
// expectation does not leave it down for the tests that follow.
class ServerStop {
 public:
  explicit ServerStop(std::string pg_ctl) : pg_ctl_(std::move(pg_ctl)) {
    stopped_ = std::system((pg_ctl_ + " stop -m fast -w -s").c_str()) == 0;
  }
  ~ServerStop() { Start(); }
  ServerStop(const ServerStop&) = delete;
  ServerStop& operator=(const ServerStop&) = delete;

  bool stopped() const { return stopped_; }
  bool Start() {
    if (stopped_) stopped_ = std::system((pg_ctl_ + " start -w -s").c_str()) != 0;
    return !stopped_;
  }

 private:
  std::string pg_ctl_;
  bool stopped_ = false;
};

TEST_F(PostgresUserStoreTest, TheStoreRecoversWhenTheServerComesBack) {
  const char* pg_ctl = std::getenv("PRACTICA_TEST_POSTGRES_CTL");
  if (pg_ctl == nullptr) {
    GTEST_SKIP() << "PRACTICA_TEST_POSTGRES_CTL is unset: this server was not started by "
                    "tests/services/run_with.py, so the test cannot restart it";
  }
  auto store = OpenUsers({.max_connections = 2, .acquire_timeout = 1s});
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->CreateUser(MakeNewUser("usr_ada", "ada@example.com")).ok());

  ServerStop stop(pg_ctl);
  ASSERT_TRUE(stop.stopped());
  // While the server is down, calls fail quickly and say why; they do not hang.
  for (int i = 0; i < 3; ++i) {
    const auto start = std::chrono::steady_clock::now();
    Result<domain::User> down = store->GetUser("usr_ada");
    ASSERT_FALSE(down.ok());
    EXPECT_EQ(down.error().code, ErrorCode::kUnavailable) << down.error().message;
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  }
  Status write = store->RecordLogin("usr_ada", kNow);
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error().code, ErrorCode::kUnavailable) << write.error().message;

  ASSERT_TRUE(stop.Start());
  ExpectEverythingWorks(*store, "usr_bob");
}

// Passwords --------------------------------------------------------------------------------------

TEST_F(PostgresUserStoreTest, ErrorMessagesNeverContainThePassword) {
  const std::string server = ServerUrl();
  const std::string address = server.substr(server.rfind('@') + 1);  // 127.0.0.1:PORT/practica
  const std::string password = "Pw-0f-7he-Test";
  const std::vector<std::string> connection_strings = {
      // The right server, the wrong password.
      "postgresql://postgres:" + password + "@" + address,
      "postgresql://postgres@" + address + "?password=" + password,
      // Nothing listens on port 1.
      "postgresql://postgres:" + password + "@127.0.0.1:1/practica",
      "host=127.0.0.1 port=1 user=postgres password=" + password,
      "host=127.0.0.1 port=1 user=postgres password='" + password + "'",
      // Malformed; libpq quotes the offending part, password included.
      "postgresql://postgres:" + password + "%zz@127.0.0.1:1/practica",
  };
  for (const std::string& connection_string : connection_strings) {
    SCOPED_TRACE(connection_string);
    Result<std::unique_ptr<PostgresUserStore>> opened = PostgresUserStore::Open(connection_string);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable) << opened.error().message;
    EXPECT_EQ(opened.error().message.find(password), std::string::npos) << opened.error().message;
    Result<MigrationReport> migrated = MigratePostgres(connection_string);
    ASSERT_FALSE(migrated.ok());
    EXPECT_EQ(migrated.error().message.find(password), std::string::npos)
        << migrated.error().message;
  }
  // What remains still says what went wrong.
  Result<std::unique_ptr<PostgresUserStore>> refused =
      PostgresUserStore::Open(connection_strings[0]);
  EXPECT_NE(refused.error().message.find("password authentication failed"), std::string::npos)
      << refused.error().message;
}

}  // namespace
}  // namespace practica::store::postgres
