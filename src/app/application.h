// The composition root: configuration → stores → services → router → pipeline, and the transport
// in front of it (the HTTP server or the Lambda runtime). The only place that knows which adapters
// are in use.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>

#include "api/course_publisher.h"
#include "app/config.h"
#include "app/request_metrics.h"
#include "common/error.h"
#include "http/pipeline.h"
#include "store/analytics_store.h"
#include "store/content_store.h"
#include "store/user_store.h"

namespace practica::app {

struct ApplicationOptions {
  // Serve the files under Config::web_root for paths outside /api/ (`practica serve`). Off for
  // Lambda, where CloudFront serves the web app from S3; such paths are then 404.
  bool static_files = true;
  // kStreamIngest: only what IngestStream needs (the analytics store and, with xAPI on, the
  // content and progress stores its statements read); no API, no background work (the
  // idempotency keys' expiry, the analytics recorder). pipeline() is then unavailable.
  enum class Purpose { kApi, kStreamIngest };
  Purpose purpose = Purpose::kApi;
  // The Mode dimension of the metrics (Config::metrics): "server" or "lambda".
  std::string_view metrics_mode = "server";
};

// The API composed from configuration: every transport serves exactly this, so `serve` and
// `lambda` cannot drift apart. Owns the stores, services, router and pipeline it built.
class Application {
 public:
  // Checks the store specs, then opens the content store (loading the seed content into an empty
  // one), the user store, the node keys, the progress store and the services, in that order. A
  // failure is a configuration or store problem that must stop start-up.
  static Result<std::unique_ptr<Application>> Open(const Config& config,
                                                   const ApplicationOptions& options = {});
  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  // Valid as long as the Application; thread-safe (Pipeline::Handle may run on many threads).
  // REQUIRES: opened for Purpose::kApi.
  const http::Pipeline& pipeline() const;

  // The request metrics, or null when Config::metrics is off (or not kApi).
  RequestMetrics* metrics() const;
  // Writes what the metrics counted since the last time as one EMF line on stdout, if anything
  // (a Lambda invocation's, before it is answered).
  void WriteMetrics() const;
  // Whether the idempotency keys' expiry runs here (kApi only).
  bool expires_keys() const;

  // Analytics: the store (the Streams ingest handler writes to it), and a flush of the events
  // requests have queued, for a transport whose process may be frozen or ended between requests
  // (Lambda) and so cannot leave them to the recorder's timer.
  store::AnalyticsStore& analytics() const;
  void FlushAnalytics() const;
  // A DynamoDB Streams batch (app/stream_ingest.h) into analytics and, with xAPI on, its
  // statements to the LRS at once (xapi::DeliverNow).
  Result<std::string> IngestStream(std::string_view event) const;

 private:
  struct Parts;
  explicit Application(std::unique_ptr<Parts> parts);
  // The xAPI parts the configuration asks for (application.cc).
  static Status OpenXapi(Parts& p, bool attempts_here);
  // Purpose::kStreamIngest's start-up.
  static Status OpenStreamIngest(Parts& p);
  std::unique_ptr<Parts> parts_;
};

// Every store's spec (Config::*_store) parses and names an adapter this build has; kInvalid or
// kUnavailable with the variable's name otherwise. Serve and MigrateStores check it first.
Status CheckStoreSpecs(const Config& config);

// Opens a store where its spec says (app/stores.h); the SQLite file lives under config.data_dir
// (created if missing).
Result<std::unique_ptr<store::ContentStore>> OpenContentStore(const Config& config);
Result<std::unique_ptr<store::UserStore>> OpenUserStore(const Config& config);

// `practica user create`: a new account with the given role (password checked by the policy).
Result<domain::User> CreateUser(const Config& config, std::string_view email,
                                std::string_view display_name, domain::Role role,
                                std::string_view password);
// `practica user set-role`: by email. Ends the user's sessions so the role applies at once.
Result<domain::User> SetUserRole(const Config& config, std::string_view email, domain::Role role);

// `practica migrate`: creates or upgrades every store's schema (the SQLite file under
// config.data_dir, DynamoDB tables, ...); one line per store says what was done.
Result<std::vector<std::string>> MigrateStores(const Config& config);

// Imports every course bundle under `path` (a bundle zip, the folder itself if it holds
// course.yaml, else each sub-folder that does). All bundles are read and validated first; nothing
// is written unless all are valid. Each course is then published through `publisher`: a new
// version of the course in authoring (api/course_publisher.h), live at once.
// `progress(done, total)` is called as courses are read and written.
using ImportProgress = std::function<void(int done, int total, std::string_view what)>;
Result<std::vector<std::string>> ImportBundles(api::CoursePublisher& publisher,
                                               const std::filesystem::path& path,
                                               const ImportProgress& progress = {});
// `practica import`: ImportBundles into the content and authoring stores config names.
Result<std::vector<std::string>> ImportCourses(const Config& config,
                                               const std::filesystem::path& path,
                                               const ImportProgress& progress = {});

// The LRS password kept in a Secrets Manager secret: the "password" member when the secret's string
// is a JSON object that has one, else the whole string.
std::string XapiPasswordFromSecret(const std::string& secret);

// Serves HTTP until SIGINT/SIGTERM: loads the seed content into an empty store first.
Status Serve(const Config& config);

// Serves Lambda invocations from the Runtime API at `runtime_api` (AWS_LAMBDA_RUNTIME_API,
// "host:port") until SIGINT/SIGTERM or until the Runtime API goes away, answering what
// Config::lambda_handler says: api (HTTP events, and Streams batches), ingest (Streams batches
// only, Purpose::kStreamIngest) or admin (lambda/admin_event.h: migrate, set-role; nothing is
// opened before a command asks). A start-up that fails is reported to the Runtime API (init
// error) and returned. A signal ends the wait for the next invocation at once, or the invocation
// in hand once it is answered; then it returns Ok.
Status ServeLambda(const Config& config, std::string_view runtime_api);

}  // namespace practica::app
