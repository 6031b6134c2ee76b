#include "app/config.h"

#include <gtest/gtest.h>

#include <string>

namespace practica::app {
namespace {

using Kind = StoreSpec::Kind;

TEST(ParseStoreSpec, SqliteIsAcceptedForEveryStore) {
  for (const StoreRole role :
       {StoreRole::kContent, StoreRole::kProgress, StoreRole::kUser, StoreRole::kAnalytics}) {
    Result<StoreSpec> spec = ParseStoreSpec(role, "sqlite");
    ASSERT_TRUE(spec.ok()) << StoreVariable(role);
    EXPECT_EQ(spec->kind, Kind::kSqlite);
    EXPECT_EQ(spec->target, "");
  }
}

TEST(ParseStoreSpec, DynamoDbTablesForContentAndProgress) {
  Result<StoreSpec> content = ParseStoreSpec(StoreRole::kContent, "dynamodb:practica-prod.v1");
  ASSERT_TRUE(content.ok()) << content.error().message;
  EXPECT_EQ(content->kind, Kind::kDynamoDb);
  EXPECT_EQ(content->target, "practica-prod.v1");
  EXPECT_TRUE(ParseStoreSpec(StoreRole::kProgress, "dynamodb:abc").ok());

  for (const char* bad :
       {"dynamodb:", "dynamodb:ab", "dynamodb:has space", "dynamodb:a/b", "dynamodb:täble"}) {
    Result<StoreSpec> spec = ParseStoreSpec(StoreRole::kProgress, bad);
    ASSERT_FALSE(spec.ok()) << bad;
    EXPECT_EQ(spec.error().code, ErrorCode::kInvalid);
    EXPECT_NE(spec.error().message.find("PRACTICA_PROGRESS_STORE"), std::string::npos);
  }
  EXPECT_FALSE(ParseStoreSpec(StoreRole::kContent, "dynamodb:" + std::string(256, 'a')).ok());
}

TEST(ParseStoreSpec, PostgresByUrlOrSecretForUsersAndAnalytics) {
  Result<StoreSpec> url =
      ParseStoreSpec(StoreRole::kUser, "postgres:postgresql://app:pw@db.internal:5432/practica");
  ASSERT_TRUE(url.ok()) << url.error().message;
  EXPECT_EQ(url->kind, Kind::kPostgres);
  EXPECT_EQ(url->target, "postgresql://app:pw@db.internal:5432/practica");
  EXPECT_TRUE(ParseStoreSpec(StoreRole::kAnalytics, "postgres:postgres://localhost/x").ok());

  Result<StoreSpec> secret = ParseStoreSpec(
      StoreRole::kAnalytics, "postgres:secret:arn:aws:secretsmanager:eu-west-1:1:secret:db-AbC");
  ASSERT_TRUE(secret.ok()) << secret.error().message;
  EXPECT_EQ(secret->kind, Kind::kPostgresSecret);
  EXPECT_EQ(secret->target, "arn:aws:secretsmanager:eu-west-1:1:secret:db-AbC");

  EXPECT_FALSE(ParseStoreSpec(StoreRole::kUser, "postgres:secret:").ok());
  EXPECT_FALSE(ParseStoreSpec(StoreRole::kUser, "postgres:mysql://x").ok());
  EXPECT_FALSE(ParseStoreSpec(StoreRole::kUser, "postgres:").ok());
}

TEST(ParseStoreSpec, EachStoreAcceptsOnlyItsOwnBackends) {
  Result<StoreSpec> users = ParseStoreSpec(StoreRole::kUser, "dynamodb:practica");
  ASSERT_FALSE(users.ok());
  EXPECT_NE(users.error().message.find("PRACTICA_USER_STORE"), std::string::npos);
  EXPECT_NE(users.error().message.find("content and progress only"), std::string::npos);

  Result<StoreSpec> content = ParseStoreSpec(StoreRole::kContent, "postgres:postgres://h/d");
  ASSERT_FALSE(content.ok());
  EXPECT_NE(content.error().message.find("users and analytics only"), std::string::npos);

  for (const char* bad : {"", "SQLite", "sqlite ", "mysql:x", "dynamo:t"}) {
    EXPECT_FALSE(ParseStoreSpec(StoreRole::kContent, bad).ok()) << bad;
  }
}

// A PostgreSQL URL may carry a password; an error must never repeat what it was given.
TEST(ParseStoreSpec, ErrorsDoNotRepeatTheValue) {
  const std::string secret = "s3cret-Passw0rd";
  for (const std::string& text :
       {"postgres:mysql://app:" + secret + "@h/d", "dynamodb:app:" + secret + "@h",
        "postgresql://app:" + secret + "@h/d"}) {
    Result<StoreSpec> spec = ParseStoreSpec(StoreRole::kUser, text);
    ASSERT_FALSE(spec.ok()) << text;
    EXPECT_EQ(spec.error().message.find(secret), std::string::npos) << spec.error().message;
  }
}

TEST(ParseListenAddress, HostAndPort) {
  Result<ListenAddress> v4 = ParseListenAddress("127.0.0.1:8080");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8080);
  Result<ListenAddress> v6 = ParseListenAddress("[::1]:0");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  for (const char* bad : {"8080", ":8080", "host:", "host:65536", "host:80x", "[::1:80"}) {
    EXPECT_FALSE(ParseListenAddress(bad).ok()) << bad;
  }
}

TEST(CheckXapiSettings, OffUnlessAnEndpointIsSet) {
  Config config;
  EXPECT_TRUE(CheckXapiSettings(config).ok());
  config.public_url = "https://learn.example.org/";
  EXPECT_TRUE(CheckXapiSettings(config).ok());  // the download alone
  config.xapi_endpoint = "https://lrs.example.org/xapi";
  EXPECT_TRUE(CheckXapiSettings(config).ok());
  config.xapi_endpoint = "http://127.0.0.1:8081/xapi/";
  EXPECT_TRUE(CheckXapiSettings(config).ok());
}

TEST(CheckXapiSettings, RefusesWhatCannotWorkWithoutQuotingIt) {
  const auto refused = [](Config config, std::string_view variable) {
    Status status = CheckXapiSettings(config);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::kInvalid);
    EXPECT_TRUE(status.error().message.starts_with(variable)) << status.error().message;
    EXPECT_EQ(status.error().message.find("hunter2"), std::string::npos);
  };
  Config config;
  config.xapi_endpoint = "https://lrs.example.org/xapi";
  refused(config, "PRACTICA_XAPI_ENDPOINT needs PRACTICA_PUBLIC_URL");
  config.public_url = "learn.example.org";
  refused(config, "PRACTICA_PUBLIC_URL");
  config.public_url = "https://learn.example.org/?utm=1";
  refused(config, "PRACTICA_PUBLIC_URL");
  config.public_url = "https://learn.example.org";
  config.xapi_endpoint = "https://user:hunter2@lrs.example.org/xapi";
  refused(config, "PRACTICA_XAPI_ENDPOINT");
  config.xapi_endpoint = "https://lrs.example.org/xapi?key=hunter2";
  refused(config, "PRACTICA_XAPI_ENDPOINT");
  config.xapi_endpoint = "ftp://lrs.example.org/xapi";
  refused(config, "PRACTICA_XAPI_ENDPOINT");
}

}  // namespace
}  // namespace practica::app
