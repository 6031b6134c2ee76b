#include "app/application.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <filesystem>
#include <optional>
#include <system_error>

#include "api/account_service.h"
#include "api/routes.h"
#include "app/key_expiry.h"
#include "app/origin_secret.h"
#include "app/stores.h"
#include "app/stream_ingest.h"
#include "auth/key_file.h"
#include "auth/password.h"
#include "auth/random.h"
#include "auth/secret_box.h"
#include "auth/token.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/log_document.h"
#include "common/text.h"
#include "content/bundle.h"
#include "content/bundle_zip.h"
#include "domain/user.h"
#include "http/pipeline.h"
#include "lambda/admin_event.h"
#include "lambda/http_event.h"
#include "lambda/http_handler.h"
#include "lambda/runtime.h"
#include "lambda/signal_watcher.h"
#include "server/server.h"
#include "server/static_files.h"
#include "xapi/feed.h"
#include "xapi/lrs_client.h"
#include "xapi/outbox.h"
#include "xapi/statement.h"

namespace practica::app {
namespace fs = std::filesystem;

Status CheckStoreSpecs(const Config& config) { return StoreFactory(config).CheckSpecs(); }

Result<std::vector<std::string>> MigrateStores(const Config& config) {
  return StoreFactory(config).Migrate();
}

Result<std::unique_ptr<store::ContentStore>> OpenContentStore(const Config& config) {
  return StoreFactory(config).OpenContent();
}

Result<std::unique_ptr<store::UserStore>> OpenUserStore(const Config& config) {
  return StoreFactory(config).OpenUsers();
}

Result<domain::User> CreateUser(const Config& config, std::string_view email,
                                std::string_view display_name, domain::Role role,
                                std::string_view password) {
  if (!domain::IsPlausibleEmail(email)) {
    std::string message(email);  // appended: GCC 12 warns falsely on "'" + string at -O3
    message += " is not an email address";
    return Error::Invalid(std::move(message));
  }
  if (!domain::IsValidDisplayName(display_name)) {
    return Error::Invalid("the display name must be 1 to 100 characters");
  }
  if (Status policy = auth::CheckNewPassword(password, email); !policy.ok()) {
    return std::move(policy).error();
  }
  auto users = OpenUserStore(config);
  if (!users.ok()) return users.error();
  auto hash = auth::MakeArgon2idHasher()->Hash(password);
  if (!hash.ok()) return hash.error();
  store::NewUser user;
  user.id = auth::NewId("usr");
  user.email = std::string(TrimWhitespace(email));
  user.display_name = std::string(TrimWhitespace(display_name));
  user.role = role;
  user.password_hash = std::move(hash).value();
  user.created_at = SystemClock().NowSeconds();
  return (*users)->CreateUser(user);
}

Result<domain::User> SetUserRole(const Config& config, std::string_view email, domain::Role role) {
  auto users = OpenUserStore(config);
  if (!users.ok()) return users.error();
  auto user = (*users)->FindUserByEmail(email);
  if (!user.ok()) return user.error();
  store::UserChanges changes;
  changes.role = role;
  auto updated = (*users)->UpdateUser(user->id, changes);
  if (!updated.ok()) return updated;
  if (Status revoked = (*users)->RevokeUserSessions(user->id, ""); !revoked.ok()) {
    return std::move(revoked).error();
  }
  return updated;
}

Result<std::vector<std::string>> ImportBundles(api::CoursePublisher& publisher,
                                               const fs::path& path,
                                               const ImportProgress& progress) {
  std::error_code ec;
  const bool zip = content::IsBundleZipPath(path) && fs::is_regular_file(path, ec);
  if (!zip && !fs::is_directory(path, ec)) {
    return Error::Invalid(path.string() + ": not a folder or a .zip file");
  }
  std::vector<fs::path> bundles;
  if (zip || fs::exists(path / "course.yaml", ec)) {
    bundles.push_back(path);
  } else {
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (entry.is_directory() && fs::exists(entry.path() / "course.yaml")) {
        bundles.push_back(entry.path());
      }
    }
    std::sort(bundles.begin(), bundles.end());
  }
  if (bundles.empty()) {
    return Error::Invalid(path.string() + ": no course.yaml here or in its sub-folders");
  }

  const int total = static_cast<int>(bundles.size()) * 2;
  int done = 0;
  std::vector<domain::Course> courses;
  for (const fs::path& bundle : bundles) {
    if (progress) progress(done, total, "reading " + bundle.filename().string());
    // A zip's problems already name the zip as the user typed it.
    auto course = zip ? content::ReadBundleZipFile(bundle) : content::ReadBundle(bundle);
    if (!course.ok()) {
      Error error = std::move(course).error();
      // Problems name files relative to the bundle; make them relative to what the user typed.
      if (!zip) {
        for (FieldError& field : error.fields) field.field = (bundle / field.field).string();
      }
      return error;
    }
    courses.push_back(std::move(course).value());
    ++done;
  }
  std::vector<std::string> slugs;
  for (const domain::Course& course : courses) {
    if (progress) progress(done, total, "writing " + course.slug);
    Result<api::CoursePublisher::Imported> imported = publisher.Import(course, "");
    if (!imported.ok()) return std::move(imported).error();
    if (imported->replaced_unpublished_draft) {
      log::Warn("the import replaced unpublished changes of the course's draft",
                {{"course", course.slug}});
    }
    slugs.push_back(course.slug);
    ++done;
  }
  if (progress) progress(done, total, "done");
  return slugs;
}

Result<std::vector<std::string>> ImportCourses(const Config& config, const fs::path& path,
                                               const ImportProgress& progress) {
  auto publishing = OpenPublishing(config);
  if (!publishing.ok()) return std::move(publishing).error();
  return ImportBundles(*(*publishing)->publisher, path, progress);
}

namespace {

Status LoadSeedContent(store::ContentStore& store, api::CoursePublisher& publisher,
                       const Config& config) {
  if (config.seed_content.empty()) return Status::Ok();
  auto count = store.CountCourses();
  if (!count.ok()) return std::move(count).error();
  if (*count > 0) return Status::Ok();
  auto imported = ImportBundles(publisher, config.seed_content);
  if (!imported.ok()) {
    Error error = std::move(imported).error();
    std::string detail = "seed content: " + error.message;
    for (const FieldError& field : error.fields)
      detail += "\n  " + field.field + ": " + field.message;
    error.message = std::move(detail);
    return error;
  }
  for (const std::string& slug : *imported) log::Info("seed course loaded", {{"course", slug}});
  return Status::Ok();
}

}  // namespace

struct Application::Parts {
  explicit Parts(const Config& c) : config(c), stores(config) {}

  const Config config;  // StoreFactory keeps a reference
  StoreFactory stores;
  std::unique_ptr<store::ContentStore> content;
  std::unique_ptr<store::UserStore> users;
  std::unique_ptr<store::ProgressStore> progress;
  const SystemClock clock;
  std::unique_ptr<store::AuthoringStore> authoring;  // drafts, versions, owners
  std::optional<api::CoursePublisher> publisher;
  std::optional<api::CourseAccess> course_access;
  std::optional<api::AuthoringApi> authoring_api;
  std::unique_ptr<auth::PasswordHasher> hasher;
  std::optional<auth::TokenSigner> tokens;
  std::optional<auth::SecretBox> secrets;
  std::optional<api::AccountService> accounts;
  // xAPI, before the analytics recorder: it hands the follower its last batch as it stops.
  std::optional<xapi::StatementBuilder> xapi_statements;  // with PRACTICA_PUBLIC_URL
  std::optional<api::CourseIndex> xapi_courses;
  std::optional<xapi::Feed> xapi_feed;                // with PRACTICA_XAPI_ENDPOINT
  std::unique_ptr<xapi::Outbox> xapi_outbox;          // attempts committed here: queued, sent
  std::optional<xapi::OutboxFollower> xapi_follower;  //   by the outbox's thread
  std::unique_ptr<xapi::LrsClient> xapi_lrs;          // attempts in DynamoDB: the Streams
                                                      //   ingest sends them at once
  std::unique_ptr<store::AnalyticsStore> analytics_store;
  std::optional<store::AnalyticsRecorder> analytics_recorder;
  std::optional<api::LearningApi> learning;
  std::optional<api::AnalyticsApi> analytics;
  std::optional<api::XapiApi> xapi;
  std::optional<KeyExpiry> key_expiry;
  std::optional<api::Services> services;  // the router's handlers hold references into it
  std::optional<RequestMetrics> metrics;  // the pipeline's observer counts into it
  http::Router router;
  std::unique_ptr<server::StaticFiles> static_files;
  std::unique_ptr<OriginSecret> origin_secret;  // with PRACTICA_ORIGIN_SECRET
  std::optional<http::Pipeline> pipeline;
};

namespace {

// The key ring: from PRACTICA_KEY_SECRET when it is set, shared by every process of the
// deployment, else the node's own key file (made on first start).
Result<auth::NodeKeys> LoadNodeKeys(const Config& config, StoreFactory& stores) {
  if (!config.key_secret.empty()) {
    Result<std::string> text = stores.SecretString(config.key_secret);
    if (!text.ok()) return Error::Unavailable("PRACTICA_KEY_SECRET: " + text.error().message);
    Result<auth::NodeKeys> keys = auth::ParseKeySecret(*text);
    std::fill(text->begin(), text->end(), '\0');
    if (!keys.ok()) {
      return Error::Invalid("PRACTICA_KEY_SECRET " + config.key_secret + ": " +
                            keys.error().message);
    }
    return keys;
  }
  // With every store remote, nothing else has made the data directory the key file lives in.
  if (std::error_code ec;
      !std::filesystem::create_directories(config.KeyFile().parent_path(), ec) && ec) {
    return Error::Unavailable("cannot create the directory of the key file " +
                              config.KeyFile().string() + ": " + ec.message());
  }
  return auth::LoadOrCreateNodeKeys(config.KeyFile());
}

// PRACTICA_ORIGIN_SECRET's values, read once now: without them nothing could be accepted.
Result<std::unique_ptr<OriginSecret>> OpenOriginSecret(const Config& config, StoreFactory& stores) {
  const std::string id = config.origin_secret;
  auto origin = std::make_unique<OriginSecret>(
      [&stores, id](bool every_stage) {
        return ReadOriginSecretValues(
            [&stores, &id](std::string_view stage) { return stores.SecretString(id, stage); },
            every_stage);
      },
      OriginSecret::Options{});
  if (Status loaded = origin->Load(); !loaded.ok()) {
    return Error::Unavailable("PRACTICA_ORIGIN_SECRET: " + loaded.error().message);
  }
  return origin;
}

}  // namespace

Application::Application(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
Application::~Application() = default;

const http::Pipeline& Application::pipeline() const { return *parts_->pipeline; }

store::AnalyticsStore& Application::analytics() const { return *parts_->analytics_store; }

RequestMetrics* Application::metrics() const {
  return parts_->metrics ? &*parts_->metrics : nullptr;
}

void Application::WriteMetrics() const {
  if (!parts_->metrics) return;
  const RequestMetrics::Snapshot snapshot = parts_->metrics->TakeSnapshot();
  if (!snapshot.empty()) log::WriteDocument(parts_->metrics->FormatLine(snapshot, UnixMillis()));
}

bool Application::expires_keys() const { return parts_->key_expiry.has_value(); }

void Application::FlushAnalytics() const {
  if (!parts_->analytics_recorder || !parts_->analytics_recorder->Pending()) return;
  if (Status flushed = parts_->analytics_recorder->Flush(); !flushed.ok()) {
    log::Warn("analytics events not yet written", {{"error", flushed.error().message}});
  }
}

Result<std::string> Application::IngestStream(std::string_view event) const {
  const Parts& p = *parts_;
  if (p.xapi_lrs == nullptr) return IngestStreamBatch(event, *p.analytics_store);
  return IngestStreamBatch(
      event, *p.analytics_store,
      [&feed = *parts_->xapi_feed, &lrs = *p.xapi_lrs](const store::EventBatch& batch) {
        return xapi::DeliverNow(feed, lrs, batch);
      });
}

// Statements with a public address; with an LRS too, the feed and, where attempts are committed on
// this node, the outbox that the analytics recorder's follower fills (in AWS the stream ingest
// sends instead). docs/ARCHITECTURE.md "xAPI".
Status Application::OpenXapi(Parts& p, bool attempts_here) {
  if (!p.config.public_url.empty()) p.xapi_statements.emplace(p.config.public_url);
  if (p.config.xapi_endpoint.empty()) return Status::Ok();
  std::string password = p.config.xapi_password;
  if (!p.config.xapi_password_secret.empty()) {
    Result<std::string> secret = p.stores.SecretString(p.config.xapi_password_secret);
    if (!secret.ok()) {
      Error error = std::move(secret).error();
      error.message = "PRACTICA_XAPI_PASSWORD_SECRET: " + error.message;
      return error;
    }
    password = XapiPasswordFromSecret(*secret);
  }
  Result<std::unique_ptr<xapi::LrsClient>> lrs = xapi::MakeHttpLrsClient(
      {p.config.xapi_endpoint, p.config.xapi_username, std::move(password)});
  if (!lrs.ok()) return std::move(lrs).error();
  p.xapi_courses.emplace(*p.content);
  p.xapi_feed.emplace(
      *p.xapi_statements,
      [&courses = *p.xapi_courses](std::string_view slug) -> std::shared_ptr<const domain::Course> {
        Result<std::shared_ptr<const api::IndexedCourse>> indexed = courses.Get(slug);
        if (!indexed.ok()) return nullptr;  // gone (or unreadable now): statements without names
        return std::shared_ptr<const domain::Course>(*indexed, &(*indexed)->course);
      },
      p.progress.get());
  if (!attempts_here) {
    p.xapi_lrs = std::move(lrs).value();
    log::Info("xAPI statements on: sent from the stream ingest");
    return Status::Ok();
  }
  Result<std::unique_ptr<xapi::Outbox>> outbox =
      xapi::Outbox::Open(p.config.XapiOutboxFile(), std::move(lrs).value());
  if (!outbox.ok()) return std::move(outbox).error();
  p.xapi_outbox = std::move(outbox).value();
  p.xapi_follower.emplace(*p.xapi_feed, *p.xapi_outbox);
  log::Info("xAPI statements on: queued in the outbox",
            {{"outbox", p.config.XapiOutboxFile().string()}});
  return Status::Ok();
}

// A stream batch needs the analytics store; with xAPI on, the statements also read the courses
// (names, lessons) and the learners' progress (completions). Nothing else is opened: no table
// check of stores it does not use, no key expiry, no recorder (the batch is recorded at once).
Status Application::OpenStreamIngest(Parts& p) {
  if (!p.config.xapi_endpoint.empty()) {
    auto content = p.stores.OpenContent();
    if (!content.ok()) return std::move(content).error();
    p.content = std::move(*content);
    auto progress = p.stores.OpenProgress();
    if (!progress.ok()) return std::move(progress).error();
    p.progress = std::move(*progress);
  }
  auto analytics = p.stores.OpenAnalytics();
  if (!analytics.ok()) return std::move(analytics).error();
  p.analytics_store = std::move(*analytics);
  return OpenXapi(p, false);
}

Result<std::unique_ptr<Application>> Application::Open(const Config& config,
                                                       const ApplicationOptions& options) {
  auto parts = std::make_unique<Parts>(config);
  Parts& p = *parts;
  if (Status specs = p.stores.CheckSpecs(); !specs.ok()) return std::move(specs).error();
  if (Status xapi = CheckXapiSettings(p.config); !xapi.ok()) return std::move(xapi).error();
  if (options.purpose == ApplicationOptions::Purpose::kStreamIngest) {
    if (Status opened = OpenStreamIngest(p); !opened.ok()) return std::move(opened).error();
    return std::unique_ptr<Application>(new Application(std::move(parts)));
  }

  auto content = p.stores.OpenContent();
  if (!content.ok()) return std::move(content).error();
  p.content = std::move(*content);
  auto authoring = p.stores.OpenAuthoring();
  if (!authoring.ok()) return std::move(authoring).error();
  p.authoring = std::move(*authoring);
  p.publisher.emplace(*p.authoring, *p.content, p.clock);
  p.course_access.emplace(*p.authoring);
  if (Status seeded = LoadSeedContent(*p.content, *p.publisher, p.config); !seeded.ok()) {
    return std::move(seeded).error();
  }

  auto users = p.stores.OpenUsers();
  if (!users.ok()) return std::move(users).error();
  p.users = std::move(*users);
  auto keys = LoadNodeKeys(p.config, p.stores);
  if (!keys.ok()) return std::move(keys).error();

  p.hasher = auth::MakeArgon2idHasher();
  p.tokens.emplace(keys->signing_keys);
  p.secrets.emplace(keys->data_key);
  auto progress = p.stores.OpenProgress();
  if (!progress.ok()) return std::move(progress).error();
  p.progress = std::move(*progress);
  auto analytics = p.stores.OpenAnalytics();
  if (!analytics.ok()) return std::move(analytics).error();
  p.analytics_store = std::move(*analytics);
  // Attempts stored in DynamoDB reach analytics (and xAPI) through the table's stream.
  if (Status xapi = OpenXapi(p, !p.stores.ProgressInDynamoDb()); !xapi.ok()) {
    return std::move(xapi).error();
  }
  p.analytics_recorder.emplace(*p.analytics_store, store::AnalyticsRecorder::Options{},
                               p.xapi_follower ? &*p.xapi_follower : nullptr);
  p.accounts.emplace(*p.users, *p.hasher, *p.tokens, *p.secrets, p.clock, api::AccountSettings{},
                     p.progress.get(), &*p.analytics_recorder);
  // Attempts stored in DynamoDB reach analytics through the table's stream (`practica lambda`'s
  // ingest handler); attempts in SQLite are recorded here, after their commit.
  p.learning.emplace(*p.content, *p.progress, *p.users, p.clock,
                     p.stores.ProgressInDynamoDb() ? nullptr : &*p.analytics_recorder);
  p.analytics.emplace(*p.content, *p.analytics_store, *p.analytics_recorder, p.clock,
                      *p.course_access);
  p.xapi.emplace(*p.content, *p.analytics_store, *p.analytics_recorder, p.clock,
                 p.xapi_statements ? &*p.xapi_statements : nullptr, &*p.course_access);
  p.authoring_api.emplace(*p.authoring, *p.content, *p.users, *p.publisher, p.clock);
  p.key_expiry.emplace(*p.progress, p.clock);

  const auto rate = static_cast<double>(p.config.auth_rate_per_minute);
  p.services.emplace(api::Services{*p.content,
                                   *p.users,
                                   *p.progress,
                                   *p.accounts,
                                   *p.learning,
                                   *p.analytics,
                                   {p.config.cookie_secure},
                                   {rate, rate},
                                   p.stores.AnyRemote(),
                                   &*p.analytics_recorder,
                                   &p.clock});
  p.services->xapi = &*p.xapi;
  p.services->authoring = &*p.authoring_api;
  p.router = api::BuildRouter(*p.services);
  http::PipelineOptions pipeline_options;
  if (options.static_files) {
    p.static_files = server::StaticFiles::Load(p.config.web_root);
    pipeline_options.fallback = [&static_files = *p.static_files](const http::Request& request) {
      return static_files.Serve(request);
    };
  }
  pipeline_options.authenticate = [&accounts = *p.accounts](std::string_view token) {
    return accounts.Authenticate(token);
  };
  if (!p.config.origin_secret.empty()) {
    auto origin = OpenOriginSecret(p.config, p.stores);
    if (!origin.ok()) return std::move(origin).error();
    p.origin_secret = std::move(*origin);
    pipeline_options.check_origin = [&origin = *p.origin_secret](const http::Request& request) {
      const auto presented = request.headers.Get(kOriginHeader);
      return presented && origin.Accepts(*presented);
    };
  }
  pipeline_options.trusted_proxies = p.config.trusted_proxies;
  if (p.config.metrics == "emf") {
    p.metrics.emplace(std::string(options.metrics_mode));
    pipeline_options.observe = [&metrics = *p.metrics](http::Method method, std::string_view path,
                                                       int status,
                                                       std::chrono::steady_clock::duration took) {
      metrics.Record(method, path, status, took);
    };
  }
  p.pipeline.emplace(p.router, std::move(pipeline_options));
  return std::unique_ptr<Application>(new Application(std::move(parts)));
}

Status Serve(const Config& config) {
  auto listen = ParseListenAddress(config.listen);
  if (!listen.ok()) return listen.error();
  auto app = Application::Open(config);
  if (!app.ok()) return std::move(app).error();

  server::ServerOptions options;
  options.host = listen->host;
  options.port = listen->port;
  options.threads = config.threads;
  options.header_timeout = std::chrono::milliseconds(config.header_timeout_ms);
  options.idle_timeout = std::chrono::milliseconds(config.idle_timeout_ms);
  server::Server server(options, (*app)->pipeline());
  if (Status listening = server.Listen(); !listening.ok()) return listening;
  // Declared after the server: destroyed first, it writes the last interval's line once the
  // server has answered its last request.
  std::optional<MetricsFlusher> metrics;
  if (RequestMetrics* counted = (*app)->metrics()) {
    metrics.emplace(
        *counted, [](std::string_view line) { log::WriteDocument(line); },
        std::chrono::milliseconds(config.metrics_interval_ms));
  }
  server.Run();
  return Status::Ok();
}

namespace {

// An admin command (lambda/admin_event.h), run as the CLI would run it.
Result<std::string> RunAdminCommand(const Config& config, std::string_view event) {
  Result<lambda::AdminCommand> command = lambda::DecodeAdminEvent(event);
  if (!command.ok()) return std::move(command).error();
  std::vector<std::string> output;
  if (command->kind == lambda::AdminCommand::Kind::kMigrate) {
    Result<std::vector<std::string>> done = MigrateStores(config);
    if (!done.ok()) return std::move(done).error();
    output = std::move(done).value();
  } else {
    Result<domain::User> updated =
        SetUserRole(config, command->email, *domain::ParseRole(command->role));
    if (!updated.ok()) return std::move(updated).error();
    output.push_back(updated->email + " is now " + std::string(domain::ToString(updated->role)));
  }
  for (const std::string& line : output) log::Info("admin command", {{"done", line}});
  return lambda::EncodeAdminAnswer(*command, output);
}

Error UnknownEvent(std::string message) {
  Error error = Error::Invalid(std::move(message));
  error.type = std::string(lambda::kUnknownEventType);
  return error;
}

}  // namespace

std::string XapiPasswordFromSecret(const std::string& secret) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(secret, ec);
  if (!ec && value.is_object()) {
    const boost::json::value* password = value.get_object().if_contains("password");
    if (password != nullptr && password->is_string()) return std::string(password->get_string());
  }
  return secret;
}

Status ServeLambda(const Config& config, std::string_view runtime_api) {
  auto api = lambda::ConnectRuntimeApi(runtime_api);
  if (!api.ok()) return std::move(api).error();
  lambda::Runtime runtime(**api);
  // First, before Application::Open starts threads (SignalWatcher's contract).
  const lambda::SignalWatcher signals([&runtime](int signal) {
    log::Info("shutting down", {{"signal", signal}});
    runtime.Stop();
  });

  if (config.lambda_handler == "admin") {
    if (Status specs = CheckStoreSpecs(config); !specs.ok()) {
      (void)runtime.FailInit(specs.error());
      return specs;
    }
    log::Info("lambda runtime ready", {{"runtime_api", runtime_api}, {"handler", "admin"}});
    return runtime.Run([&config](const lambda::Invocation& invocation) {
      return RunAdminCommand(config, invocation.event);
    });
  }

  const bool ingest_only = config.lambda_handler == "ingest";
  ApplicationOptions options{.static_files = false, .metrics_mode = "lambda"};
  if (ingest_only) options.purpose = ApplicationOptions::Purpose::kStreamIngest;
  auto app = Application::Open(config, options);
  if (!app.ok()) {
    Error error = std::move(app).error();
    (void)runtime.FailInit(error);  // logged there; the process exits non-zero either way
    return error;
  }
  const Application& application = **app;
  log::Info("lambda runtime ready",
            {{"runtime_api", runtime_api}, {"handler", ingest_only ? "ingest" : "api"}});
  if (ingest_only) {
    return runtime.Run([&application](const lambda::Invocation& invocation) -> Result<std::string> {
      if (!IsStreamEvent(invocation.event)) {
        return UnknownEvent("This function takes DynamoDB Streams batches only.");
      }
      return application.IngestStream(invocation.event);
    });
  }
  const lambda::HttpHandler handler(application.pipeline());
  return runtime.Run([&handler, &application](const lambda::Invocation& invocation) {
    // HTTP first: it is the hot path, and a Streams batch is no HTTP event.
    Result<std::string> answer = handler.Handle(invocation);
    if (!answer.ok() && answer.error().type == lambda::kUnknownEventType &&
        IsStreamEvent(invocation.event)) {
      answer = application.IngestStream(invocation.event);
    }
    application.FlushAnalytics();
    // One metrics line per invocation: Lambda may freeze the process once it has the answer.
    application.WriteMetrics();
    return answer;
  });
}

}  // namespace practica::app
