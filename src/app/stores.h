// Opens each store where Config says it lives (ParseStoreSpec), and migrates them: the only code
// that knows which adapters exist. The clients the remote adapters share (one HTTP client, one set
// of AWS credentials, one DynamoDB client) are made once per StoreFactory, on first use.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/course_publisher.h"
#include "app/config.h"
#include "common/clock.h"
#include "common/error.h"
#include "store/analytics_store.h"
#include "store/authoring_store.h"
#include "store/content_store.h"
#include "store/postgres/connection_source.h"
#include "store/progress_store.h"
#include "store/user_store.h"

namespace practica::aws {
class CredentialsProvider;
class HttpClient;
class SecretsManager;
namespace dynamodb {
class Client;
}
}  // namespace practica::aws

namespace practica::app {

class StoreFactory {
 public:
  explicit StoreFactory(const Config& config);
  ~StoreFactory();
  StoreFactory(const StoreFactory&) = delete;
  StoreFactory& operator=(const StoreFactory&) = delete;

  // Each spec parses and names an adapter this build has (kInvalid / kUnavailable naming the
  // variable otherwise). Called first by everything below.
  Status CheckSpecs() const;
  // True when any store is across the network: routes then block (api::Services::stores_block).
  bool AnyRemote() const;

  // Opened and checked: a missing SQLite schema is created, a missing DynamoDB table or
  // PostgreSQL schema is an error that says to run `practica migrate`.
  Result<std::unique_ptr<store::ContentStore>> OpenContent();
  // Authoring (drafts, versions, owners) lives where content lives: in the same SQLite file, or
  // in the same DynamoDB table (PRACTICA_CONTENT_STORE).
  Result<std::unique_ptr<store::AuthoringStore>> OpenAuthoring();
  Result<std::unique_ptr<store::UserStore>> OpenUsers();
  Result<std::unique_ptr<store::ProgressStore>> OpenProgress();
  Result<std::unique_ptr<store::AnalyticsStore>> OpenAnalytics();
  // True when attempts live in DynamoDB: analytics then ingests them from the table's stream.
  bool ProgressInDynamoDb() const;

  // A Secrets Manager secret's string, read now (PRACTICA_XAPI_PASSWORD_SECRET; the key ring and
  // the origin secret's versions, by `version_stage`, empty: AWSCURRENT); the clients are the
  // stores'. Never logged.
  Result<std::string> SecretString(const std::string& secret_id,
                                   std::string_view version_stage = {});

  // Creates or upgrades every store's schema (SQLite tables, the DynamoDB table, PostgreSQL
  // tables); one human-readable line per store says what was done.
  Result<std::vector<std::string>> Migrate();

 private:
  Result<std::shared_ptr<aws::HttpClient>> Http();
  Result<std::shared_ptr<aws::CredentialsProvider>> Credentials();
  Result<std::shared_ptr<aws::dynamodb::Client>> DynamoDb();
  Result<std::shared_ptr<aws::SecretsManager>> SecretsManager();
  // Where a postgres spec's store gets its connection strings: the URL as given, or built from its
  // RDS secret in Secrets Manager, read on first use and kept (one aws::CachedSecret per call of
  // this, i.e. per store), and read again when PostgreSQL refuses the password it held (a
  // rotation), at most once per CachedSecret's min_refresh.
  Result<store::postgres::ConnectionSource> PostgresSource(const StoreSpec& spec);
  Status EnsureDataDir() const;

  const Config& config_;
  std::shared_ptr<aws::HttpClient> http_;
  std::shared_ptr<aws::CredentialsProvider> credentials_;
  std::shared_ptr<aws::dynamodb::Client> dynamodb_;
};

// What a command that writes courses opens (`practica import`, `practica import-gift`): the
// content and authoring stores `config` names and the publisher over them, so that what it
// writes is recorded as versions like any publish.
struct Publishing {
  std::unique_ptr<store::ContentStore> content;
  std::unique_ptr<store::AuthoringStore> authoring;
  SystemClock clock;
  std::unique_ptr<api::CoursePublisher> publisher;
};
Result<std::unique_ptr<Publishing>> OpenPublishing(const Config& config);

}  // namespace practica::app
