// Opening connections (store/postgres/connect.h) and where a store's pool gets their connection
// strings (connection_source.h): a deadline for a server that never answers, refused credentials
// told apart from other failures by SQLSTATE, and one re-read of rotated credentials.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "postgres_test_database.h"
#include "store/postgres/connect.h"
#include "store/postgres/migrations.h"
#include "store/postgres/postgres_user_store.h"

namespace practica::store::postgres {
namespace {

using namespace std::chrono_literals;
using testing::ServerUrl;
using testing::TestRole;
using testing::TestSchema;

constexpr int64_t kNow = 1'700'000'000;

NewUser MakeNewUser(const std::string& id) {
  NewUser user;
  user.id = id;
  user.email = id + "@example.com";
  user.display_name = "Ada Lovelace";
  user.time_zone = "Europe/London";
  user.password_hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA";
  user.created_at = kNow;
  return user;
}

// A TCP port on 127.0.0.1 that accepts connections (the kernel completes the handshake into the
// backlog) and never says a word: what a client sees of a server that hangs.
class SilentListener {
 public:
  SilentListener() {
    socket_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (socket_ < 0 || ::bind(socket_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(socket_, 16) != 0 ||
        ::getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1";
      return;
    }
    port_ = ntohs(address.sin_port);
  }
  ~SilentListener() {
    if (socket_ >= 0) ::close(socket_);
  }
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;

  int port() const { return port_; }

 private:
  int socket_ = -1;
  int port_ = 0;
};

TEST(ConnectionSqlState, ReadsTheCodeOfAVerboseMessageWhateverItsLanguage) {
  EXPECT_EQ(ConnectionSqlState("connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  "
                               "28P01: password authentication failed for user \"app\"\n"
                               "LOCATION:  auth_failed, auth.c:334\n"),
            "28P01");
  // The severity is translated with the message; the code is not.
  EXPECT_EQ(ConnectionSqlState("connection to server at \"db\", port 5432 failed: FATAL:  28000: "
                               "keine pg_hba.conf-Eintrag für Host\n"),
            "28000");
  // Several addresses tried: the last answer counts.
  EXPECT_EQ(ConnectionSqlState("connection to server at \"localhost\" (::1), port 5432 failed: "
                               "Connection refused\n\tIs the server running?\n"
                               "connection to server at \"localhost\" (127.0.0.1), port 5432 "
                               "failed: FATAL:  57P03: the database system is starting up\n"),
            "57P03");
  // No answer from a server, no code: the text must not be mistaken for one.
  EXPECT_EQ(ConnectionSqlState("connection to server at \"127.0.0.1\", port 1 failed: Connection "
                               "refused\n\tIs the server running on that host and accepting "
                               "TCP/IP connections?\n"),
            "");
  EXPECT_EQ(ConnectionSqlState("could not translate host name \"ABCDE: x\" to address:  Name or "
                               "service not known\n"),
            "");
}

class PostgresConnectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<MigrationReport> migrated = MigratePostgres(schema_.url());
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
    role_ = std::make_unique<TestRole>(schema_);
  }
  void TearDown() override { role_.reset(); }

  TestSchema schema_;
  std::unique_ptr<TestRole> role_;
};

TEST_F(PostgresConnectTest, ARefusedPasswordIsToldApartFromOtherFailures) {
  bool refused = false;
  Result<std::unique_ptr<Connection>> right = Connect(role_->Url(), {}, 5s, &refused);
  ASSERT_TRUE(right.ok()) << right.error().message;
  EXPECT_FALSE(refused);

  const std::string wrong_password = "Wr0ng-" + role_->password();
  Result<std::unique_ptr<Connection>> wrong = Connect(role_->Url(wrong_password), {}, 5s, &refused);
  ASSERT_FALSE(wrong.ok());
  EXPECT_TRUE(refused);
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(wrong.error().message.find("password authentication failed"), std::string::npos)
      << wrong.error().message;
  EXPECT_NE(wrong.error().message.find("(SQLSTATE 28P01)"), std::string::npos)
      << wrong.error().message;
  EXPECT_EQ(wrong.error().message.find(wrong_password), std::string::npos) << wrong.error().message;

  // With SCRAM, a role that does not exist is refused like a wrong password.
  const std::string address = ServerUrl().substr(ServerUrl().rfind('@') + 1);
  EXPECT_FALSE(
      Connect("postgresql://nobody_" + role_->name() + ":x@" + address, {}, 5s, &refused).ok());
  EXPECT_TRUE(refused);

  // The password was right: re-reading it would not help.
  const std::string missing_database = role_->Url() + "_missing";
  Result<std::unique_ptr<Connection>> no_database = Connect(missing_database, {}, 5s, &refused);
  ASSERT_FALSE(no_database.ok());
  EXPECT_FALSE(refused) << no_database.error().message;
  EXPECT_NE(no_database.error().message.find("3D000"), std::string::npos)
      << no_database.error().message;

  Result<std::unique_ptr<Connection>> unreachable =
      Connect("postgresql://u:" + wrong_password + "@127.0.0.1:1/x", {}, 5s, &refused);
  ASSERT_FALSE(unreachable.ok());
  EXPECT_FALSE(refused);
  EXPECT_EQ(unreachable.error().message.find(wrong_password), std::string::npos);
}

TEST_F(PostgresConnectTest, AServerThatNeverAnswersFailsAtTheDeadline) {
  SilentListener silent;
  const std::string url = "postgresql://u:p@127.0.0.1:" + std::to_string(silent.port()) + "/x";

  auto start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<PostgresUserStore>> opened =
      PostgresUserStore::Open(url, {.connect_timeout = 300ms});
  auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(opened.error().message.find("connect_timeout"), std::string::npos)
      << opened.error().message;
  EXPECT_GE(waited, 300ms);
  EXPECT_LT(waited, 2s);

  // The connection string's own connect_timeout wins (libpq's minimum is 2 s).
  start = std::chrono::steady_clock::now();
  opened = PostgresUserStore::Open(url + "?connect_timeout=1", {.connect_timeout = 300ms});
  waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(opened.ok());
  EXPECT_GE(waited, 2s);
  EXPECT_LT(waited, 4s);

  EXPECT_EQ(PostgresUserStore::Open(url, {.connect_timeout = 0ms}).error().code,
            ErrorCode::kInvalid);
}

// A source whose answers the test sets, and which counts how often it was asked to re-read.
struct ScriptedSource {
  std::string current;        // what refresh=false gives
  std::string after_refresh;  // what refresh=true gives, and then refresh=false too
  std::atomic<int> reads{0};
  std::atomic<int> refreshes{0};

  ConnectionSource Source() {
    return [this](bool refresh) -> Result<std::string> {
      ++reads;
      if (refresh) {
        ++refreshes;
        current = after_refresh;
      }
      return current;
    };
  }
};

TEST_F(PostgresConnectTest, ARotatedPasswordIsReadAgainOnceAndUsed) {
  ScriptedSource source;
  source.current = role_->Url();
  source.after_refresh = source.current;
  auto opened = PostgresUserStore::Open(source.Source(), {.max_connections = 2});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  std::unique_ptr<PostgresUserStore> store = std::move(opened).value();
  ASSERT_TRUE(store->CreateUser(MakeNewUser("usr_ada")).ok());
  EXPECT_EQ(source.refreshes, 0);

  // The rotation: the database first, then the secret; the pool's sessions end.
  const std::string old_password = role_->password();
  role_->SetPassword("rotated-" + old_password);
  source.after_refresh = role_->Url();
  ASSERT_GE(role_->TerminateSessions(), 1);

  Result<domain::User> user = store->GetUser("usr_ada");
  ASSERT_TRUE(user.ok()) << user.error().message;
  EXPECT_EQ(source.refreshes, 1);
  ASSERT_TRUE(store->RecordLogin("usr_ada", kNow + 1).ok());
  EXPECT_EQ(source.refreshes, 1);  // the new string is what the source gives now

  // Closing the store closes every connection it opened.
  EXPECT_GE(role_->Sessions(2), 1);
  store.reset();
  EXPECT_EQ(role_->Sessions(), 0);
}

TEST_F(PostgresConnectTest, CredentialsRefusedAfterAReReadAreUnavailableWithoutThePassword) {
  ScriptedSource source;
  source.current = role_->Url();
  source.after_refresh = source.current;
  auto opened = PostgresUserStore::Open(source.Source(), {.max_connections = 1});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  std::unique_ptr<PostgresUserStore> store = std::move(opened).value();

  // The database's password changes, and the source never learns it.
  const std::string old_password = role_->password();
  role_->SetPassword("unknown-" + old_password);
  ASSERT_EQ(role_->TerminateSessions(), 1);
  for (int call = 1; call <= 3; ++call) {
    const auto start = std::chrono::steady_clock::now();
    Result<int64_t> count = store->CountUsers();
    ASSERT_FALSE(count.ok());
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
    EXPECT_EQ(count.error().code, ErrorCode::kUnavailable);
    EXPECT_NE(count.error().message.find("password authentication failed"), std::string::npos)
        << count.error().message;
    EXPECT_NE(count.error().message.find("the same"), std::string::npos) << count.error().message;
    EXPECT_EQ(count.error().message.find(old_password), std::string::npos);
    EXPECT_EQ(count.error().message.find(role_->password()), std::string::npos);
    EXPECT_EQ(count.error().message.find(source.current), std::string::npos);
    EXPECT_EQ(source.refreshes, call);  // one re-read per refused connection, never a loop
  }

  // A re-read that gives other credentials the server refuses too.
  source.after_refresh = role_->Url("still-wrong");
  Result<int64_t> count = store->CountUsers();
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(count.error().message.find("refused again"), std::string::npos)
      << count.error().message;
  EXPECT_EQ(count.error().message.find("still-wrong"), std::string::npos);

  // Once the source has the password, the store works again.
  source.after_refresh = role_->Url();
  Result<int64_t> recovered = store->CountUsers();
  EXPECT_TRUE(recovered.ok()) << recovered.error().message;
}

TEST_F(PostgresConnectTest, OtherFailuresDoNotReReadTheCredentials) {
  ScriptedSource missing_database;
  missing_database.current = role_->Url() + "_missing";
  missing_database.after_refresh = missing_database.current;
  auto opened = PostgresUserStore::Open(missing_database.Source(), {});
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(missing_database.refreshes, 0);

  ScriptedSource unreachable;
  unreachable.current = "postgresql://u:p@127.0.0.1:1/x";
  unreachable.after_refresh = unreachable.current;
  opened = PostgresUserStore::Open(unreachable.Source(), {});
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(unreachable.refreshes, 0);

  // A source that cannot answer fails the call as unavailable, whatever its own error.
  opened = PostgresUserStore::Open(
      [](bool) -> Result<std::string> { return Error::NotFound("secret db does not exist"); }, {});
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(opened.error().message.find("secret db does not exist"), std::string::npos);
}

}  // namespace
}  // namespace practica::store::postgres
