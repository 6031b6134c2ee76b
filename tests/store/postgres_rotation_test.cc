// A PostgreSQL store whose credentials live in Secrets Manager (moto_server, with signature checks)
// picks up a rotated password without a restart, reading the secret again once, and no more often
// than its cache allows when the secret is wrong. Run by ctest inside
// tests/services/run_with.py --postgres --moto.
//
// The source composes aws::SecretsManager, aws::CachedSecret (with a clock the test moves) and
// the RDS secret's URL as app/stores.cc does for PRACTICA_USER_STORE=postgres:secret:ID; every
// fetch of the cache is one GetSecretValue call, so counting fetches counts the calls moto saw.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>

#include "aws/aws_client.h"
#include "aws/credentials.h"
#include "aws/dynamodb.h"
#include "aws/endpoints.h"
#include "aws/environment.h"
#include "aws/http_client.h"
#include "aws/secrets_manager.h"
#include "common/clock.h"
#include "postgres_test_database.h"
#include "store/postgres/migrations.h"
#include "store/postgres/postgres_user_store.h"

namespace practica::store::postgres {
namespace {

using namespace std::chrono_literals;
using testing::RandomName;
using testing::TestRole;
using testing::TestSchema;

constexpr int64_t kNow = 1'700'000'000;
constexpr auto kMinRefresh = 30s;

const SystemClock& SigningClock() {
  static const SystemClock clock;
  return clock;
}

// Signed Secrets Manager calls to the moto_server that run_with.py started; nullptr (and a test
// failure saying how to run this binary) without one.
aws::dynamodb::Transport SecretsManagerTransport() {
  const aws::Environment env = aws::ProcessEnvironment();
  if (aws::GetEnv(env, "AWS_ENDPOINT_URL_SECRETS_MANAGER").empty()) {
    ADD_FAILURE() << "no local Secrets Manager: run this test through "
                     "tests/services/run_with.py --postgres --moto -- BINARY";
    return nullptr;
  }
  Result<aws::ServiceEndpoint> endpoint = aws::ResolveEndpoint(aws::Service::kSecretsManager, env);
  Result<std::shared_ptr<aws::HttpClient>> http = aws::HttpClient::Create();
  if (!endpoint.ok() || !http.ok()) {
    ADD_FAILURE() << (endpoint.ok() ? http.error().message : endpoint.error().message);
    return nullptr;
  }
  Result<std::shared_ptr<aws::CredentialsProvider>> credentials =
      aws::MakeDefaultCredentialsProvider(env, *http, SigningClock());
  if (!credentials.ok()) {
    ADD_FAILURE() << credentials.error().message;
    return nullptr;
  }
  auto json = std::make_shared<const aws::AwsJsonClient>(*endpoint, "1.1", *http, *credentials,
                                                         SigningClock());
  return aws::dynamodb::MakeTransport(json);
}

// Sends a Secrets Manager operation the product never sends (CreateSecret, PutSecretValue).
void Call(const aws::dynamodb::Transport& transport, std::string_view operation,
          const boost::json::object& input) {
  Result<aws::dynamodb::Reply> reply =
      transport("secretsmanager." + std::string(operation), boost::json::serialize(input),
                std::chrono::seconds(5));
  ASSERT_TRUE(reply.ok()) << operation << ": " << reply.error().message;
  ASSERT_TRUE(reply->ok()) << operation << ": HTTP " << reply->status << " " << reply->body;
}

// The RDS secret of `role` with `password`, as RDS and its rotation functions write it.
std::string RdsSecret(const TestRole& role, const std::string& password) {
  return boost::json::serialize(boost::json::object{{"engine", "postgres"},
                                                    {"host", role.host()},
                                                    {"port", role.port()},
                                                    {"username", role.name()},
                                                    {"password", password},
                                                    {"dbname", role.dbname()}});
}

class PostgresRotationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    transport_ = SecretsManagerTransport();
    ASSERT_NE(transport_, nullptr);
    Result<MigrationReport> migrated = MigratePostgres(schema_.url());
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
    role_ = std::make_unique<TestRole>(schema_);
    ASSERT_NO_FATAL_FAILURE(
        Call(transport_, "CreateSecret",
             {{"Name", secret_id_}, {"SecretString", RdsSecret(*role_, role_->password())}}));

    aws::SecretsManager secrets(transport_);
    cache_ = std::make_shared<aws::CachedSecret>(
        [this, secrets]() mutable {
          ++fetches_;
          return secrets.GetSecretString(secret_id_);
        },
        kMinRefresh, [this] { return Now(); });
  }
  void TearDown() override {
    store_.reset();
    role_.reset();
  }

  // What app/stores.cc gives a postgres:secret:ID store.
  ConnectionSource Source() {
    return [cache = cache_](bool refresh) -> Result<std::string> {
      Result<std::string> value = refresh ? cache->Refresh() : cache->Get();
      if (!value.ok()) return std::move(value).error();
      Result<aws::DatabaseSecret> database = aws::ParseDatabaseSecret(*value);
      if (!database.ok()) return std::move(database).error();
      return aws::PostgresUrl(*database);
    };
  }

  // ALTER ROLE … PASSWORD, and optionally the secret's new version (AWSCURRENT).
  void RotateDatabase(const std::string& password) { role_->SetPassword(password); }
  void PutSecret(const std::string& password) {
    ASSERT_NO_FATAL_FAILURE(
        Call(transport_, "PutSecretValue",
             {{"SecretId", secret_id_}, {"SecretString", RdsSecret(*role_, password)}}));
  }

  std::chrono::steady_clock::time_point Now() {
    std::lock_guard lock(clock_mutex_);
    return now_;
  }
  void Advance(std::chrono::seconds by) {
    std::lock_guard lock(clock_mutex_);
    now_ += by;
  }

  TestSchema schema_;
  std::unique_ptr<TestRole> role_;
  aws::dynamodb::Transport transport_;
  const std::string secret_id_ = RandomName("practica/test-db-");
  std::atomic<int> fetches_{0};
  std::mutex clock_mutex_;
  std::chrono::steady_clock::time_point now_ = std::chrono::steady_clock::now();
  std::shared_ptr<aws::CachedSecret> cache_;
  std::unique_ptr<PostgresUserStore> store_;
};

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

TEST_F(PostgresRotationTest, ARotatedPasswordIsPickedUpWithOneReadOfTheSecret) {
  auto opened = PostgresUserStore::Open(Source(), {.max_connections = 3});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  store_ = std::move(opened).value();
  ASSERT_TRUE(store_->CreateUser(MakeNewUser("usr_ada")).ok());
  EXPECT_EQ(fetches_, 1);

  // A rotation: the database's password, then the secret, as Secrets Manager's rotation function
  // does; the pool's sessions end (a failover, an idle timeout, or an operator).
  const std::string first_password = role_->password();
  const std::string second_password = RandomName("rotated-");
  RotateDatabase(second_password);
  ASSERT_NO_FATAL_FAILURE(PutSecret(second_password));
  ASSERT_GE(role_->TerminateSessions(), 1);
  Advance(kMinRefresh + 1s);

  Result<domain::User> user = store_->GetUser("usr_ada");
  ASSERT_TRUE(user.ok()) << user.error().message;
  EXPECT_EQ(fetches_, 2);
  Status login = store_->RecordLogin("usr_ada", kNow + 1);
  ASSERT_TRUE(login.ok()) << login.error().message;
  EXPECT_EQ(*store_->CountUsers(), 1);
  EXPECT_EQ(fetches_, 2);  // the new password is the cached one now

  // The database moves on and the secret does not (a rotation half done): refused, read again
  // once, refused again: unavailable, fast, and the message says why without a password.
  const std::string third_password = RandomName("rotated-");
  RotateDatabase(third_password);
  ASSERT_GE(role_->TerminateSessions(), 1);
  Advance(kMinRefresh + 1s);
  auto start = std::chrono::steady_clock::now();
  Result<domain::User> refused = store_->GetUser("usr_ada");
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_LT(took, 1s);
  EXPECT_EQ(fetches_, 3);
  const std::string& message = refused.error().message;
  EXPECT_NE(message.find("password authentication failed"), std::string::npos) << message;
  EXPECT_NE(message.find("28P01"), std::string::npos) << message;
  for (const std::string& password : {first_password, second_password, third_password}) {
    EXPECT_EQ(message.find(password), std::string::npos) << message;
  }
  EXPECT_EQ(message.find("postgresql://"), std::string::npos) << message;

  // Within min_refresh, a refusal does not read the secret again: a wrong secret cannot turn
  // every request into a Secrets Manager call.
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(store_->GetUser("usr_ada").error().code, ErrorCode::kUnavailable);
  }
  EXPECT_EQ(fetches_, 3);

  // The secret catches up; after min_refresh the next call reads it and works.
  ASSERT_NO_FATAL_FAILURE(PutSecret(third_password));
  Advance(kMinRefresh + 1s);
  user = store_->GetUser("usr_ada");
  ASSERT_TRUE(user.ok()) << user.error().message;
  EXPECT_EQ(fetches_, 4);
}

TEST_F(PostgresRotationTest, OpenReadsTheSecretAgainWhenItsPasswordIsRefused) {
  // The database was rotated before this process started, and the first read of the secret came
  // too early for the new version (read once by hand here, to make the cache stale).
  ASSERT_TRUE(cache_->Get().ok());
  const std::string new_password = RandomName("rotated-");
  RotateDatabase(new_password);
  ASSERT_NO_FATAL_FAILURE(PutSecret(new_password));
  Advance(kMinRefresh + 1s);

  auto opened = PostgresUserStore::Open(Source(), {});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(fetches_, 2);
}

}  // namespace
}  // namespace practica::store::postgres
