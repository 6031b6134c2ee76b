// Configuration of a `practica` process: environment variables (twelve-factor), each also a flag
// (DESIGN.md "Configuration"). The CLI fills a Config; nothing else reads the environment.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/error.h"

namespace practica::app {

struct Config {
  std::string listen = "127.0.0.1:8080";    // PRACTICA_LISTEN, --listen: HOST:PORT, PORT 0 = any
  std::filesystem::path data_dir = "data";  // PRACTICA_DATA_DIR, --data-dir
  std::filesystem::path web_root = "web/dist";  // PRACTICA_WEB_ROOT, --web-root
  std::string seed_content = "content";         // PRACTICA_SEED_CONTENT, "" = none
  std::string log_level = "info";               // PRACTICA_LOG_LEVEL, --log-level
  int threads = 0;                              // PRACTICA_THREADS, --threads; 0 = cores
  int header_timeout_ms = 10'000;  // PRACTICA_HEADER_TIMEOUT_MS: to receive a request's headers
  int idle_timeout_ms = 30'000;    // PRACTICA_IDLE_TIMEOUT_MS: a keep-alive connection at rest
  bool cookie_secure = true;       // PRACTICA_COOKIE_SECURE: false only for plain-http development
  int auth_rate_per_minute = 10;   // PRACTICA_AUTH_RATE_PER_MINUTE: sign-in/up/refresh per client
  std::filesystem::path key_file;  // PRACTICA_KEY_FILE; empty: DATA_DIR/keys.json
  // PRACTICA_KEY_SECRET, --key-secret: a Secrets Manager secret holding the key ring that every
  // process of a deployment shares (auth::ParseKeySecret); replaces the key file when set.
  std::string key_secret;
  // PRACTICA_ORIGIN_SECRET, --origin-secret: a Secrets Manager secret whose value the edge sends
  // in X-Origin-Verify; when set, API requests without it are refused (app/origin_secret.h).
  std::string origin_secret;
  // PRACTICA_TRUSTED_PROXIES, --trusted-proxies: how many proxies in front append to
  // X-Forwarded-For (http/client_address.h); 0 (the default): the connection's own address.
  int trusted_proxies = 0;
  bool group_commit = true;  // PRACTICA_GROUP_COMMIT: false only to measure its absence
  // Where each store lives (ParseStoreSpec): PRACTICA_CONTENT_STORE, PRACTICA_PROGRESS_STORE,
  // PRACTICA_USER_STORE, PRACTICA_ANALYTICS_STORE.
  std::string content_store = "sqlite";
  std::string progress_store = "sqlite";
  std::string user_store = "sqlite";
  std::string analytics_store = "sqlite";
  // xAPI (docs/ARCHITECTURE.md "xAPI"). The platform's public address, e.g.
  // https://learn.example.org: statements name activities and learners' accounts under it
  // (PRACTICA_PUBLIC_URL, --public-url). Empty: no statements, and the download says so.
  std::string public_url;
  // The LRS's xAPI endpoint statements are sent to (PRACTICA_XAPI_ENDPOINT, --xapi-endpoint);
  // empty: none are sent or queued. Needs public_url.
  std::string xapi_endpoint;
  std::string xapi_username;  // PRACTICA_XAPI_USERNAME, --xapi-username: basic authentication
  std::string xapi_password;  // PRACTICA_XAPI_PASSWORD only: a flag would show in `ps`
  // Or the password as a Secrets Manager secret (PRACTICA_XAPI_PASSWORD_SECRET,
  // --xapi-password-secret: its name or ARN), read once at start-up: its string, or the
  // "password" member when the string is a JSON object. Takes precedence over xapi_password.
  std::string xapi_password_secret;
  // CloudWatch metrics as Embedded Metric Format lines on stdout (PRACTICA_METRICS, --metrics):
  // "emf", or "off" (the default: a single node has no CloudWatch to read them).
  std::string metrics = "off";
  // How often `practica serve` writes its metrics line (PRACTICA_METRICS_INTERVAL_MS); Lambda
  // writes one per invocation instead.
  int metrics_interval_ms = 60'000;
  // What `practica lambda` answers (PRACTICA_LAMBDA_HANDLER, --handler):
  //   api     HTTP events (API Gateway, ALB), and DynamoDB Streams batches too (the default)
  //   ingest  DynamoDB Streams batches only; start-up opens only what a batch needs
  //   admin   admin commands only (lambda/admin_event.h), from a direct invocation; start-up opens
  //           nothing, so `migrate` can run before any schema exists
  std::string lambda_handler = "api";

  std::filesystem::path KeyFile() const {
    return key_file.empty() ? data_dir / "keys.json" : key_file;
  }

  std::filesystem::path DatabaseFile() const { return data_dir / "practica.db"; }
  // Analytics events have a file of their own (store/sqlite/sqlite_analytics_store.h says why).
  std::filesystem::path AnalyticsFile() const { return data_dir / "analytics.db"; }
  // The xAPI outbox: statements not yet acknowledged by the LRS (xapi/outbox.h).
  std::filesystem::path XapiOutboxFile() const { return data_dir / "xapi.db"; }
};

// kInvalid, naming the variable, unless public_url is empty or an absolute http(s) URL without
// user info, query or fragment, and xapi_endpoint is empty or such a URL (without a query too)
// with public_url set. Values are never quoted back: an endpoint may hold a key.
Status CheckXapiSettings(const Config& config);

struct ListenAddress {
  std::string host;
  uint16_t port = 0;
};

// "127.0.0.1:8080", "0.0.0.0:0", "[::1]:8080".
Result<ListenAddress> ParseListenAddress(std::string_view text);

// The four stores, named as their variables name them.
enum class StoreRole { kContent, kProgress, kUser, kAnalytics };

// Where one store lives:
//   sqlite                    the embedded file DATA_DIR/practica.db (every store; the default;
//                             analytics in DATA_DIR/analytics.db)
//   dynamodb:TABLE            a DynamoDB table (content and progress)
//   postgres:URL              a PostgreSQL database, postgresql://… or postgres://… (users and
//                             analytics)
//   postgres:secret:SECRET_ID a PostgreSQL database whose credentials are an RDS secret in
//                             Secrets Manager (users and analytics)
struct StoreSpec {
  enum class Kind { kSqlite, kDynamoDb, kPostgres, kPostgresSecret };
  Kind kind = Kind::kSqlite;
  std::string target;  // the table, the URL or the secret id; empty for sqlite
};

// kInvalid names the variable and what it accepts; the text is never quoted back, because a
// PostgreSQL URL may carry a password.
Result<StoreSpec> ParseStoreSpec(StoreRole role, std::string_view text);

// "PRACTICA_CONTENT_STORE", …
std::string_view StoreVariable(StoreRole role);

}  // namespace practica::app
