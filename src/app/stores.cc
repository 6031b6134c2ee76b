#include "app/stores.h"

#include <set>
#include <system_error>

#include "aws/aws_client.h"
#include "aws/credentials.h"
#include "aws/dynamodb.h"
#include "aws/endpoints.h"
#include "aws/environment.h"
#include "aws/http_client.h"
#include "aws/secrets_manager.h"
#include "common/clock.h"
#include "common/log.h"
#include "store/dynamodb/dynamodb_authoring_store.h"
#include "store/dynamodb/dynamodb_content_store.h"
#include "store/dynamodb/dynamodb_progress_store.h"
#include "store/dynamodb/table.h"
#include "store/postgres/migrations.h"
#include "store/postgres/postgres_analytics_store.h"
#include "store/postgres/postgres_user_store.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_analytics_store.h"
#include "store/sqlite/sqlite_authoring_store.h"
#include "store/sqlite/sqlite_content_store.h"
#include "store/sqlite/sqlite_progress_store.h"
#include "store/sqlite/sqlite_user_store.h"

namespace practica::app {
namespace {

constexpr StoreRole kRoles[] = {StoreRole::kContent, StoreRole::kProgress, StoreRole::kUser,
                                StoreRole::kAnalytics};

const std::string& SpecText(const Config& config, StoreRole role) {
  switch (role) {
    case StoreRole::kContent:
      return config.content_store;
    case StoreRole::kProgress:
      return config.progress_store;
    case StoreRole::kUser:
      return config.user_store;
    case StoreRole::kAnalytics:
      break;
  }
  return config.analytics_store;
}

// The store's spec, or why it cannot be used (ParseStoreSpec knows which kinds suit which role).
Result<StoreSpec> UsableSpec(const Config& config, StoreRole role) {
  return ParseStoreSpec(role, SpecText(config, role));
}

// The clock that signs AWS requests; stateless, so one for the whole program.
const Clock& SigningClock() {
  static const SystemClock clock;
  return clock;
}

Error InStore(StoreRole role, Error error) {
  std::string message(StoreVariable(role));
  message += ": ";
  message += error.message;
  error.message = std::move(message);
  return error;
}

}  // namespace

StoreFactory::StoreFactory(const Config& config) : config_(config) {}

StoreFactory::~StoreFactory() = default;

Status StoreFactory::CheckSpecs() const {
  for (const StoreRole role : kRoles) {
    if (Result<StoreSpec> spec = UsableSpec(config_, role); !spec.ok()) return spec.error();
  }
  return Status::Ok();
}

bool StoreFactory::AnyRemote() const {
  for (const StoreRole role : kRoles) {
    Result<StoreSpec> spec = ParseStoreSpec(role, SpecText(config_, role));
    if (spec.ok() && spec->kind != StoreSpec::Kind::kSqlite) return true;
  }
  return false;
}

Status StoreFactory::EnsureDataDir() const {
  std::error_code ec;
  std::filesystem::create_directories(config_.data_dir, ec);
  if (ec) {
    return Error::Unavailable("cannot create the data directory " + config_.data_dir.string() +
                              ": " + ec.message());
  }
  return Status::Ok();
}

Result<std::shared_ptr<aws::HttpClient>> StoreFactory::Http() {
  if (http_) return http_;
  Result<std::shared_ptr<aws::HttpClient>> http = aws::HttpClient::Create();
  if (!http.ok()) return std::move(http).error();
  http_ = std::move(http).value();
  return http_;
}

Result<std::shared_ptr<aws::CredentialsProvider>> StoreFactory::Credentials() {
  if (credentials_) return credentials_;
  Result<std::shared_ptr<aws::HttpClient>> http = Http();
  if (!http.ok()) return std::move(http).error();
  Result<std::shared_ptr<aws::CredentialsProvider>> credentials =
      aws::MakeDefaultCredentialsProvider(aws::ProcessEnvironment(), *http, SigningClock());
  if (!credentials.ok()) return std::move(credentials).error();
  credentials_ = std::move(credentials).value();
  return credentials_;
}

Result<std::shared_ptr<aws::dynamodb::Client>> StoreFactory::DynamoDb() {
  if (dynamodb_) return dynamodb_;
  Result<aws::ServiceEndpoint> endpoint =
      aws::ResolveEndpoint(aws::Service::kDynamoDb, aws::ProcessEnvironment());
  if (!endpoint.ok()) return std::move(endpoint).error();
  Result<std::shared_ptr<aws::HttpClient>> http = Http();
  if (!http.ok()) return std::move(http).error();
  Result<std::shared_ptr<aws::CredentialsProvider>> credentials = Credentials();
  if (!credentials.ok()) return std::move(credentials).error();
  log::Info("DynamoDB client", {{"endpoint", endpoint->url},
                                {"region", endpoint->region},
                                {"credentials", (*credentials)->Describe()}});
  auto json = std::make_shared<const aws::AwsJsonClient>(
      std::move(endpoint).value(), "1.0", std::move(http).value(), std::move(credentials).value(),
      SigningClock());
  dynamodb_ = std::make_shared<aws::dynamodb::Client>(aws::dynamodb::MakeTransport(json));
  return dynamodb_;
}

Result<std::unique_ptr<store::ContentStore>> StoreFactory::OpenContent() {
  Result<StoreSpec> spec = UsableSpec(config_, StoreRole::kContent);
  if (!spec.ok()) return std::move(spec).error();
  if (spec->kind == StoreSpec::Kind::kDynamoDb) {
    Result<std::shared_ptr<aws::dynamodb::Client>> client = DynamoDb();
    if (!client.ok()) return InStore(StoreRole::kContent, std::move(client).error());
    auto opened = store::dynamodb::DynamoDbContentStore::Open(*client, spec->target);
    if (!opened.ok()) return InStore(StoreRole::kContent, std::move(opened).error());
    return std::unique_ptr<store::ContentStore>(std::move(opened).value());
  }
  if (Status dir = EnsureDataDir(); !dir.ok()) return std::move(dir).error();
  auto opened = store::sqlite::SqliteContentStore::Open(config_.DatabaseFile());
  if (!opened.ok()) return opened.error();
  return std::unique_ptr<store::ContentStore>(std::move(opened).value());
}

Result<std::unique_ptr<store::AuthoringStore>> StoreFactory::OpenAuthoring() {
  Result<StoreSpec> spec = UsableSpec(config_, StoreRole::kContent);
  if (!spec.ok()) return std::move(spec).error();
  if (spec->kind == StoreSpec::Kind::kDynamoDb) {
    Result<std::shared_ptr<aws::dynamodb::Client>> client = DynamoDb();
    if (!client.ok()) return InStore(StoreRole::kContent, std::move(client).error());
    auto opened = store::dynamodb::DynamoDbAuthoringStore::Open(*client, spec->target);
    if (!opened.ok()) return InStore(StoreRole::kContent, std::move(opened).error());
    return std::unique_ptr<store::AuthoringStore>(std::move(opened).value());
  }
  if (Status dir = EnsureDataDir(); !dir.ok()) return std::move(dir).error();
  auto opened = store::sqlite::SqliteAuthoringStore::Open(config_.DatabaseFile());
  if (!opened.ok()) return opened.error();
  return std::unique_ptr<store::AuthoringStore>(std::move(opened).value());
}

Result<std::shared_ptr<aws::SecretsManager>> StoreFactory::SecretsManager() {
  const aws::Environment env = aws::ProcessEnvironment();
  Result<aws::ServiceEndpoint> endpoint = aws::ResolveEndpoint(aws::Service::kSecretsManager, env);
  if (!endpoint.ok()) return std::move(endpoint).error();
  Result<std::shared_ptr<aws::HttpClient>> http = Http();
  if (!http.ok()) return std::move(http).error();
  Result<std::shared_ptr<aws::CredentialsProvider>> credentials = Credentials();
  if (!credentials.ok()) return std::move(credentials).error();
  auto json = std::make_shared<const aws::AwsJsonClient>(std::move(endpoint).value(), "1.1", *http,
                                                         *credentials, SigningClock());
  return std::make_shared<aws::SecretsManager>(aws::dynamodb::MakeTransport(json));
}

Result<std::string> StoreFactory::SecretString(const std::string& secret_id,
                                               std::string_view version_stage) {
  Result<std::shared_ptr<aws::SecretsManager>> secrets = SecretsManager();
  if (!secrets.ok()) return std::move(secrets).error();
  return (*secrets)->GetSecretString(secret_id, version_stage);
}

Result<store::postgres::ConnectionSource> StoreFactory::PostgresSource(const StoreSpec& spec) {
  if (spec.kind == StoreSpec::Kind::kPostgres) {
    return store::postgres::FixedConnectionString(spec.target);
  }
  Result<std::shared_ptr<aws::SecretsManager>> client = SecretsManager();
  if (!client.ok()) return std::move(client).error();
  std::shared_ptr<aws::SecretsManager> secrets = std::move(client).value();
  auto secret = std::make_shared<aws::CachedSecret>(
      [secrets, id = spec.target] { return secrets->GetSecretString(id); });
  return store::postgres::ConnectionSource(
      [secret, id = spec.target](bool refresh) -> Result<std::string> {
        Result<std::string> value = secret->Get();
        if (refresh && value.ok()) {
          Result<std::string> fresh = secret->Refresh();
          // Whether it changed says whether this was a rotation; the values stay out of the log.
          log::Warn("PostgreSQL refused the credentials of the secret; re-read it (rate-limited)",
                    {{"secret", id}, {"changed", fresh.ok() && *fresh != *value}});
          value = std::move(fresh);
        }
        if (!value.ok()) return std::move(value).error();
        Result<aws::DatabaseSecret> database = aws::ParseDatabaseSecret(*value);
        if (!database.ok()) {
          return Error::Invalid("Secrets Manager secret " + id + ": " + database.error().message);
        }
        return aws::PostgresUrl(*database);
      });
}

Result<std::unique_ptr<store::UserStore>> StoreFactory::OpenUsers() {
  Result<StoreSpec> spec = UsableSpec(config_, StoreRole::kUser);
  if (!spec.ok()) return std::move(spec).error();
  if (spec->kind != StoreSpec::Kind::kSqlite) {
    Result<store::postgres::ConnectionSource> source = PostgresSource(*spec);
    if (!source.ok()) return InStore(StoreRole::kUser, std::move(source).error());
    auto opened = store::postgres::PostgresUserStore::Open(std::move(source).value(),
                                                           store::postgres::PoolOptions{});
    if (!opened.ok()) return InStore(StoreRole::kUser, std::move(opened).error());
    return std::unique_ptr<store::UserStore>(std::move(opened).value());
  }
  if (Status dir = EnsureDataDir(); !dir.ok()) return std::move(dir).error();
  auto opened = store::sqlite::SqliteUserStore::Open(config_.DatabaseFile());
  if (!opened.ok()) return opened.error();
  return std::unique_ptr<store::UserStore>(std::move(opened).value());
}

Result<std::unique_ptr<store::ProgressStore>> StoreFactory::OpenProgress() {
  Result<StoreSpec> spec = UsableSpec(config_, StoreRole::kProgress);
  if (!spec.ok()) return std::move(spec).error();
  if (spec->kind == StoreSpec::Kind::kDynamoDb) {
    Result<std::shared_ptr<aws::dynamodb::Client>> client = DynamoDb();
    if (!client.ok()) return InStore(StoreRole::kProgress, std::move(client).error());
    auto opened = store::dynamodb::DynamoDbProgressStore::Open(*client, spec->target, {});
    if (!opened.ok()) return InStore(StoreRole::kProgress, std::move(opened).error());
    return std::unique_ptr<store::ProgressStore>(std::move(opened).value());
  }
  if (Status dir = EnsureDataDir(); !dir.ok()) return std::move(dir).error();
  store::sqlite::SqliteProgressStore::Options options;
  options.group_commit = config_.group_commit;
  auto opened = store::sqlite::SqliteProgressStore::Open(config_.DatabaseFile(), options);
  if (!opened.ok()) return opened.error();
  return std::unique_ptr<store::ProgressStore>(std::move(opened).value());
}

Result<std::unique_ptr<store::AnalyticsStore>> StoreFactory::OpenAnalytics() {
  Result<StoreSpec> spec = UsableSpec(config_, StoreRole::kAnalytics);
  if (!spec.ok()) return std::move(spec).error();
  if (spec->kind != StoreSpec::Kind::kSqlite) {
    Result<store::postgres::ConnectionSource> source = PostgresSource(*spec);
    if (!source.ok()) return InStore(StoreRole::kAnalytics, std::move(source).error());
    auto opened = store::postgres::PostgresAnalyticsStore::Open(std::move(source).value(),
                                                                store::postgres::PoolOptions{});
    if (!opened.ok()) return InStore(StoreRole::kAnalytics, std::move(opened).error());
    return std::unique_ptr<store::AnalyticsStore>(std::move(opened).value());
  }
  if (Status dir = EnsureDataDir(); !dir.ok()) return std::move(dir).error();
  auto opened = store::sqlite::SqliteAnalyticsStore::Open(config_.AnalyticsFile());
  if (!opened.ok()) return InStore(StoreRole::kAnalytics, std::move(opened).error());
  return std::unique_ptr<store::AnalyticsStore>(std::move(opened).value());
}

bool StoreFactory::ProgressInDynamoDb() const {
  Result<StoreSpec> spec =
      ParseStoreSpec(StoreRole::kProgress, SpecText(config_, StoreRole::kProgress));
  return spec.ok() && spec->kind == StoreSpec::Kind::kDynamoDb;
}

namespace {

std::string MigrationLine(const std::string& what, const store::MigrationReport& report) {
  if (!report.changed()) {
    return what + " is up to date (schema version " + std::to_string(report.to_version) + ")";
  }
  return what + " migrated from schema version " + std::to_string(report.from_version) + " to " +
         std::to_string(report.to_version);
}

}  // namespace

Result<std::vector<std::string>> StoreFactory::Migrate() {
  if (Status specs = CheckSpecs(); !specs.ok()) return std::move(specs).error();
  std::vector<std::string> done;
  bool sqlite = false;
  bool sqlite_analytics = false;
  std::set<std::string> tables;
  std::vector<std::pair<StoreRole, StoreSpec>> databases;
  for (const StoreRole role : kRoles) {
    const StoreSpec spec = *UsableSpec(config_, role);
    if (spec.kind == StoreSpec::Kind::kSqlite) {
      (role == StoreRole::kAnalytics ? sqlite_analytics : sqlite) = true;
    }
    if (spec.kind == StoreSpec::Kind::kDynamoDb) tables.insert(spec.target);
    if (spec.kind == StoreSpec::Kind::kPostgres || spec.kind == StoreSpec::Kind::kPostgresSecret) {
      databases.emplace_back(role, spec);
    }
  }
  if (sqlite) {
    if (Status dir = EnsureDataDir(); !dir.ok()) return std::move(dir).error();
    auto report = store::sqlite::MigrateFile(config_.DatabaseFile());
    if (!report.ok()) return report.error();
    done.push_back(MigrationLine("database " + config_.DatabaseFile().string(), *report));
  }
  if (sqlite_analytics) {
    if (Status dir = EnsureDataDir(); !dir.ok()) return std::move(dir).error();
    auto report = store::sqlite::SqliteAnalyticsStore::MigrateFile(config_.AnalyticsFile());
    if (!report.ok()) return InStore(StoreRole::kAnalytics, std::move(report).error());
    done.push_back(MigrationLine("database " + config_.AnalyticsFile().string(), *report));
  }
  for (const std::string& table : tables) {
    Result<std::shared_ptr<aws::dynamodb::Client>> client = DynamoDb();
    if (!client.ok()) return std::move(client).error();
    Result<bool> created = store::dynamodb::CreateTable(**client, table);
    if (!created.ok()) return std::move(created).error();
    if (Status checked = store::dynamodb::CheckTable(**client, table); !checked.ok()) {
      return std::move(checked).error();
    }
    done.push_back("DynamoDB table " + table + (*created ? " created" : " is up to date"));
  }
  for (const auto& [role, spec] : databases) {
    Result<store::postgres::ConnectionSource> source = PostgresSource(spec);
    if (!source.ok()) return InStore(role, std::move(source).error());
    Result<std::string> url = (*source)(false);
    if (!url.ok()) return InStore(role, std::move(url).error());
    auto report = store::postgres::MigratePostgres(*url);
    if (!report.ok()) return InStore(role, std::move(report).error());
    // The URL is never printed: it holds the password.
    done.push_back(
        MigrationLine("PostgreSQL database of " + std::string(StoreVariable(role)), *report));
  }
  return done;
}

Result<std::unique_ptr<Publishing>> OpenPublishing(const Config& config) {
  StoreFactory stores(config);
  auto publishing = std::make_unique<Publishing>();
  auto content = stores.OpenContent();
  if (!content.ok()) return std::move(content).error();
  publishing->content = std::move(content).value();
  auto authoring = stores.OpenAuthoring();
  if (!authoring.ok()) return std::move(authoring).error();
  publishing->authoring = std::move(authoring).value();
  publishing->publisher = std::make_unique<api::CoursePublisher>(
      *publishing->authoring, *publishing->content, publishing->clock);
  return publishing;
}

}  // namespace practica::app
