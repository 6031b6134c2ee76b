#include "aws/secrets_manager.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace practica::aws {
namespace {

constexpr const char* kRdsSecret =
    R"({"engine":"postgres","host":"db.internal","port":5432,"username":"app",)"
    R"("password":"p@ss:w/rd%","dbname":"practica","dbInstanceIdentifier":"practica-db"})";

TEST(SecretsManager, ReadsTheSecretStringAndMapsErrorsWithoutTheValue) {
  std::vector<std::string> sent;
  std::vector<dynamodb::Reply> replies = {
      {200, R"({"ARN":"arn:x","Name":"db","SecretString":"{\"username\":\"u\"}"})"},
      {400, R"({"__type":"ResourceNotFoundException","message":"Secrets Manager can't find it"})"},
      {400, R"({"__type":"AccessDeniedException","Message":"not allowed"})"},
      {200, R"({"ARN":"arn:x","SecretBinary":"AAEC"})"}};
  size_t next = 0;
  SecretsManager manager([&](std::string_view target, std::string body,
                             std::chrono::milliseconds) -> Result<dynamodb::Reply> {
    sent.push_back(std::string(target) + " " + body);
    return replies.at(next++);
  });
  Result<std::string> value = manager.GetSecretString("prod/db");
  ASSERT_TRUE(value.ok()) << value.error().message;
  EXPECT_EQ(*value, R"({"username":"u"})");
  EXPECT_EQ(sent[0], R"(secretsmanager.GetSecretValue {"SecretId":"prod/db"})");

  Result<std::string> missing = manager.GetSecretString("prod/none");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("prod/none"), std::string::npos);

  Result<std::string> denied = manager.GetSecretString("prod/db");
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(denied.error().message.find("AccessDeniedException"), std::string::npos);

  Result<std::string> binary = manager.GetSecretString("prod/db");
  ASSERT_FALSE(binary.ok());
  EXPECT_NE(binary.error().message.find("SecretString"), std::string::npos);
}

TEST(SecretsManager, AsksForAVersionStageWhenOneIsNamed) {
  std::vector<std::string> sent;
  SecretsManager manager([&](std::string_view, std::string body,
                             std::chrono::milliseconds) -> Result<dynamodb::Reply> {
    sent.push_back(body);
    if (sent.size() == 1) return dynamodb::Reply{200, R"({"SecretString":"previous"})"};
    return dynamodb::Reply{400, R"({"__type":"ResourceNotFoundException","message":"no"})"};
  });
  Result<std::string> previous = manager.GetSecretString("edge", "AWSPREVIOUS");
  ASSERT_TRUE(previous.ok()) << previous.error().message;
  EXPECT_EQ(*previous, "previous");
  EXPECT_EQ(sent[0], R"({"SecretId":"edge","VersionStage":"AWSPREVIOUS"})");
  Result<std::string> pending = manager.GetSecretString("edge", "AWSPENDING");
  ASSERT_FALSE(pending.ok());
  EXPECT_EQ(pending.error().code, ErrorCode::kNotFound);
  EXPECT_NE(pending.error().message.find("AWSPENDING"), std::string::npos);
}

TEST(SecretsManager, AnUnreachableServiceIsUnavailable) {
  SecretsManager manager(
      [](std::string_view, std::string, std::chrono::milliseconds) -> Result<dynamodb::Reply> {
        return Error::Unavailable("connect: connection refused");
      });
  Result<std::string> value = manager.GetSecretString("prod/db");
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().code, ErrorCode::kUnavailable);
}

TEST(DatabaseSecret, ParsesAnRdsSecretIntoAnEncodedUrl) {
  Result<DatabaseSecret> secret = ParseDatabaseSecret(kRdsSecret);
  ASSERT_TRUE(secret.ok()) << secret.error().message;
  EXPECT_EQ(secret->username, "app");
  EXPECT_EQ(secret->password, "p@ss:w/rd%");
  EXPECT_EQ(secret->port, 5432);
  EXPECT_EQ(PostgresUrl(*secret), "postgresql://app:p%40ss%3Aw%2Frd%25@db.internal:5432/practica");

  Result<DatabaseSecret> minimal =
      ParseDatabaseSecret(R"({"username":"u","password":"p","host":"::1","port":"6543"})");
  ASSERT_TRUE(minimal.ok()) << minimal.error().message;
  EXPECT_EQ(PostgresUrl(*minimal), "postgresql://u:p@[::1]:6543/postgres");
}

TEST(DatabaseSecret, RefusesMalformedSecretsWithoutQuotingThem) {
  for (const char* bad : {"not json", "[]", R"({"password":"hunter2","host":"h"})",
                          R"({"username":"u","password":"hunter2"})",
                          R"({"username":"u","password":"hunter2","host":"h","port":70000})",
                          R"({"username":"u","password":"hunter2","host":"h","port":"54x"})",
                          R"({"username":"u","password":7,"host":"h"})"}) {
    Result<DatabaseSecret> secret = ParseDatabaseSecret(bad);
    ASSERT_FALSE(secret.ok()) << bad;
    EXPECT_EQ(secret.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(secret.error().message.find("hunter2"), std::string::npos);
  }
}

TEST(CachedSecret, FetchesOnceThenAgainOnlyWhenAskedAndNotTooOften) {
  int fetches = 0;
  std::string current = "one";
  auto now = std::chrono::steady_clock::time_point{};
  CachedSecret cached(
      [&]() -> Result<std::string> {
        ++fetches;
        return current;
      },
      std::chrono::seconds(30), [&] { return now; });
  EXPECT_EQ(*cached.Get(), "one");
  EXPECT_EQ(*cached.Get(), "one");
  EXPECT_EQ(fetches, 1);

  current = "two";                      // rotated
  EXPECT_EQ(*cached.Refresh(), "one");  // too soon after the last fetch
  EXPECT_EQ(fetches, 1);
  now += std::chrono::seconds(31);
  EXPECT_EQ(*cached.Refresh(), "two");
  EXPECT_EQ(*cached.Get(), "two");
  EXPECT_EQ(fetches, 2);
}

TEST(CachedSecret, AFailedRefreshKeepsTheKnownValue) {
  bool failing = false;
  auto now = std::chrono::steady_clock::time_point{};
  CachedSecret cached(
      [&]() -> Result<std::string> {
        if (failing) return Error::Unavailable("Secrets Manager is down");
        return std::string("value");
      },
      std::chrono::seconds(0), [&] { return now; });
  EXPECT_EQ(*cached.Get(), "value");
  failing = true;
  EXPECT_EQ(*cached.Refresh(), "value");

  CachedSecret never([]() -> Result<std::string> { return Error::Unavailable("down"); });
  EXPECT_FALSE(never.Get().ok());
}

}  // namespace
}  // namespace practica::aws
