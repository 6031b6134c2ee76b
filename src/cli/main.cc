#include "cli/main.h"

#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <vector>

#include "app/analytics_import.h"
#include "app/application.h"
#include "app/gift_files.h"
#include "auth/key_file.h"
#include "common/log.h"
#include "content/bundle.h"
#include "content/bundle_zip.h"
#include "domain/user.h"

namespace practica::cli {
namespace {

constexpr const char* kVersion = "0.1.0";

// Prints an error and every field problem ("FILE:LINE: message") to stderr.
int Fail(const Error& error) {
  std::cerr << "practica: error: " << error.message << "\n";
  for (const FieldError& field : error.fields) {
    std::cerr << "  " << field.field << ": " << field.message << "\n";
  }
  return 1;
}

// What an import or export left out or did not keep, one line each on stderr.
void ShowGiftProblems(const std::vector<content::GiftProblem>& problems, const std::string& file) {
  for (const content::GiftProblem& problem : problems) {
    std::cerr << "practica: " << content::DescribeGiftProblem(problem, file) << "\n";
  }
}

// A one-line progress bar on a terminal; silent when stderr is not one.
void ShowProgress(int done, int total, std::string_view what) {
  if (!isatty(STDERR_FILENO) || total <= 0) return;
  constexpr int kWidth = 30;
  const int filled = done * kWidth / total;
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, ' ');
  std::fprintf(stderr, "\r[%s] %d/%d %-40.40s", bar.c_str(), done, total,
               std::string(what).c_str());
  if (done == total) std::fputc('\n', stderr);
  std::fflush(stderr);
}

// Reads a password without echo from the terminal (asked twice), or one line from stdin when it
// is not a terminal (scripts: `echo "$PW" | practica user create …`).
std::optional<std::string> ReadNewPassword() {
  if (!isatty(STDIN_FILENO)) {
    std::string line;
    if (!std::getline(std::cin, line)) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  const auto ask = [](const char* prompt) {
    std::cerr << prompt << std::flush;
    termios old_mode{};
    tcgetattr(STDIN_FILENO, &old_mode);
    termios silent = old_mode;
    silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    std::string line;
    std::getline(std::cin, line);
    tcsetattr(STDIN_FILENO, TCSANOW, &old_mode);
    std::cerr << "\n";
    return line;
  };
  std::string first = ask("Password: ");
  if (ask("Password again: ") != first) return std::nullopt;
  return first;
}

// The --log-level of the commands that log for collectors (serve, lambda); CLI11 has checked it.
void SetLogLevel(std::string_view name) {
  log::Level level = log::Level::kInfo;
  log::ParseLevel(name, level);
  log::SetLevel(level);
}

void AddDataDir(CLI::App& command, app::Config& config) {
  command.add_option("--data-dir", config.data_dir, "Folder of the SQLite database")
      ->envname("PRACTICA_DATA_DIR")
      ->capture_default_str();
}

// Where the stores live (app/config.h, ParseStoreSpec); every command that opens a store has them.
void AddStores(CLI::App& command, app::Config& config) {
  command.add_option("--content-store", config.content_store, "sqlite | dynamodb:TABLE")
      ->envname("PRACTICA_CONTENT_STORE")
      ->capture_default_str();
  command.add_option("--progress-store", config.progress_store, "sqlite | dynamodb:TABLE")
      ->envname("PRACTICA_PROGRESS_STORE")
      ->capture_default_str();
  command
      .add_option("--user-store", config.user_store,
                  "sqlite | postgres:URL | postgres:secret:SECRET_ID")
      ->envname("PRACTICA_USER_STORE")
      ->capture_default_str();
  command
      .add_option("--analytics-store", config.analytics_store,
                  "sqlite | postgres:URL | postgres:secret:SECRET_ID")
      ->envname("PRACTICA_ANALYTICS_STORE")
      ->capture_default_str();
}

void AddDataOptions(CLI::App& command, app::Config& config) {
  AddDataDir(command, config);
  AddStores(command, config);
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App cli{"Practica: an e-learning platform server", "practica"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", kVersion);
  app::Config config;

  // What `serve` and `lambda` share: the stores, the seed content, logging and the API's settings.
  bool cookie_secure = true;
  const auto add_application_options = [&config, &cookie_secure](CLI::App& command) {
    AddDataOptions(command, config);
    command
        .add_option("--seed-content", config.seed_content,
                    "Course bundles loaded when the database has no course (empty: none)")
        ->envname("PRACTICA_SEED_CONTENT")
        ->capture_default_str();
    command.add_option("--log-level", config.log_level, "debug | info | warn | error")
        ->envname("PRACTICA_LOG_LEVEL")
        ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
        ->capture_default_str();
    command
        .add_option("--cookie-secure", cookie_secure,
                    "Mark the session cookie Secure (turn off only for plain-http development)")
        ->envname("PRACTICA_COOKIE_SECURE")
        ->capture_default_str();
    command
        .add_option("--auth-rate-per-minute", config.auth_rate_per_minute,
                    "Sign-up, sign-in and refresh requests allowed per client address per minute")
        ->envname("PRACTICA_AUTH_RATE_PER_MINUTE")
        ->check(CLI::Range(1, 1'000'000))
        ->capture_default_str();
    command
        .add_option(
            "--key-file", config.key_file,
            "Token signing and data keys (created on first start; default DATA_DIR/keys.json)")
        ->envname("PRACTICA_KEY_FILE");
    command
        .add_option("--key-secret", config.key_secret,
                    "Secrets Manager secret holding the key ring every process shares (instead "
                    "of the key file)")
        ->envname("PRACTICA_KEY_SECRET");
    command
        .add_option("--origin-secret", config.origin_secret,
                    "Secrets Manager secret whose value API requests must carry in "
                    "X-Origin-Verify (the edge adds it; /api/health is exempt)")
        ->envname("PRACTICA_ORIGIN_SECRET");
    command
        .add_option("--trusted-proxies", config.trusted_proxies,
                    "Proxies in front that append to X-Forwarded-For (0: use the connection's "
                    "address)")
        ->envname("PRACTICA_TRUSTED_PROXIES")
        ->check(CLI::Range(0, 8))
        ->capture_default_str();
    command
        .add_option(
            "--group-commit", config.group_commit,
            "Share one disk flush among concurrent attempts (off only to measure its worth)")
        ->envname("PRACTICA_GROUP_COMMIT")
        ->capture_default_str();
    command
        .add_option("--public-url", config.public_url,
                    "The platform's address, e.g. https://learn.example.org (xAPI statements name "
                    "activities and learners under it)")
        ->envname("PRACTICA_PUBLIC_URL");
    command
        .add_option("--xapi-endpoint", config.xapi_endpoint,
                    "xAPI endpoint of the LRS that attempts and completions are sent to (empty: "
                    "none; the password comes from PRACTICA_XAPI_PASSWORD)")
        ->envname("PRACTICA_XAPI_ENDPOINT");
    command.add_option("--xapi-username", config.xapi_username, "LRS basic-auth username")
        ->envname("PRACTICA_XAPI_USERNAME");
    command
        .add_option("--xapi-password-secret", config.xapi_password_secret,
                    "Secrets Manager secret (name or ARN) holding the LRS password, read at "
                    "start-up instead of PRACTICA_XAPI_PASSWORD")
        ->envname("PRACTICA_XAPI_PASSWORD_SECRET");
    command
        .add_option("--metrics", config.metrics,
                    "CloudWatch metrics as Embedded Metric Format lines on stdout: emf | off")
        ->envname("PRACTICA_METRICS")
        ->check(CLI::IsMember({"emf", "off"}))
        ->capture_default_str();
  };

  CLI::App& serve = *cli.add_subcommand("serve", "Serve the API and the web app over HTTP");
  serve.add_option("--listen", config.listen, "HOST:PORT to listen on (port 0: any free port)")
      ->envname("PRACTICA_LISTEN")
      ->capture_default_str();
  add_application_options(serve);
  serve.add_option("--web-root", config.web_root, "Folder of the built web app")
      ->envname("PRACTICA_WEB_ROOT")
      ->capture_default_str();
  serve
      .add_option("--metrics-interval-ms", config.metrics_interval_ms,
                  "How often the metrics line is written (with --metrics emf)")
      ->envname("PRACTICA_METRICS_INTERVAL_MS")
      ->check(CLI::Range(100, 3'600'000))
      ->capture_default_str();
  serve.add_option("--threads", config.threads, "I/O threads (0: one per core)")
      ->envname("PRACTICA_THREADS")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  serve
      .add_option("--header-timeout-ms", config.header_timeout_ms,
                  "Time a client has to send a request's headers")
      ->envname("PRACTICA_HEADER_TIMEOUT_MS")
      ->check(CLI::Range(100, 600'000))
      ->capture_default_str();
  serve
      .add_option("--idle-timeout-ms", config.idle_timeout_ms,
                  "Time a keep-alive connection may stay silent")
      ->envname("PRACTICA_IDLE_TIMEOUT_MS")
      ->check(CLI::Range(100, 3'600'000))
      ->capture_default_str();

  std::string runtime_api;
  CLI::App& lambda = *cli.add_subcommand(
      "lambda", "Serve the API as an AWS Lambda function (the binary is the bootstrap)");
  lambda
      .add_option("--runtime-api", runtime_api,
                  "HOST:PORT of the Lambda Runtime API (Lambda sets AWS_LAMBDA_RUNTIME_API)")
      ->envname("AWS_LAMBDA_RUNTIME_API");
  lambda
      .add_option("--handler", config.lambda_handler,
                  "What the function answers: api (HTTP events and stream batches), ingest "
                  "(DynamoDB Streams batches only) or admin (migrate and set-role commands)")
      ->envname("PRACTICA_LAMBDA_HANDLER")
      ->check(CLI::IsMember({"api", "ingest", "admin"}))
      ->capture_default_str();
  add_application_options(lambda);

  std::string import_dir;
  CLI::App& import = *cli.add_subcommand("import",
                                         "Import a course bundle (a folder or a .zip), or a folder "
                                         "of bundle folders (all or nothing)");
  import.add_option("BUNDLE", import_dir, "Bundle folder or .zip file")->required();
  AddDataOptions(import, config);

  std::string export_course, export_dir;
  CLI::App& export_ =
      *cli.add_subcommand("export", "Write a course back as a bundle folder, or a .zip of one");
  export_.add_option("COURSE", export_course, "Course slug")->required();
  export_.add_option("DEST", export_dir, "Destination folder, or a file ending in .zip")
      ->required();
  AddDataOptions(export_, config);

  std::string gift_file;
  app::GiftFileOptions gift;
  CLI::App& import_gift = *cli.add_subcommand(
      "import-gift",
      "Import a Moodle GIFT file as a course, one lesson per $CATEGORY (all or nothing)");
  import_gift.add_option("FILE", gift_file, "GIFT file")->required();
  import_gift.add_option("--course", gift.course, "Slug of the course to create or replace")
      ->required();
  import_gift.add_option("--title", gift.title,
                         "Course title (default: the existing course's, else the file's name)");
  import_gift.add_flag("--skip-unsupported", gift.skip_unsupported,
                       "Leave out the questions Practica cannot represent, listing each");
  AddDataOptions(import_gift, config);

  CLI::App& export_gift =
      *cli.add_subcommand("export-gift", "Write a course as a Moodle GIFT file");
  export_gift.add_option("COURSE", gift.course, "Course slug")->required();
  export_gift.add_option("FILE", gift_file, "GIFT file to write")->required();
  export_gift.add_flag("--skip-unsupported", gift.skip_unsupported,
                       "Leave out what GIFT cannot hold, listing each");
  AddDataOptions(export_gift, config);

  CLI::App& migrate = *cli.add_subcommand("migrate", "Create or upgrade the database schema");
  AddDataOptions(migrate, config);

  CLI::App& version = *cli.add_subcommand("version", "Print the version");

  CLI::App& user = *cli.add_subcommand("user", "Manage accounts");
  user.require_subcommand(1);
  std::string user_email, user_role = "learner", user_name;
  CLI::App& user_create = *user.add_subcommand(
      "create", "Create an account; the password is read from a prompt, or a line of stdin");
  user_create.add_option("--email", user_email, "Email address")->required();
  user_create.add_option("--role", user_role, "learner | instructor | admin")
      ->check(CLI::IsMember({"learner", "instructor", "admin"}))
      ->capture_default_str();
  user_create.add_option("--name", user_name, "Display name (default: the email's local part)");
  AddDataOptions(user_create, config);
  CLI::App& user_set_role = *user.add_subcommand("set-role", "Change an account's role");
  user_set_role.add_option("--email", user_email, "Email address")->required();
  user_set_role.add_option("--role", user_role, "learner | instructor | admin")
      ->required()
      ->check(CLI::IsMember({"learner", "instructor", "admin"}));
  AddDataOptions(user_set_role, config);

  CLI::App& keys = *cli.add_subcommand("keys", "The key ring of PRACTICA_KEY_SECRET");
  keys.require_subcommand(1);
  bool verify_only = false;
  CLI::App& keys_rotate = *keys.add_subcommand(
      "rotate",
      "Read the key secret's value on stdin, print the key ring with a new signing key first "
      "(for aws secretsmanager put-secret-value; docs/DEPLOY.md)");
  keys_rotate.add_flag("--verify-only", verify_only,
                       "Put the new key second, where it only verifies until `keys promote`");
  CLI::App& keys_promote = *keys.add_subcommand(
      "promote", "Read the key ring on stdin, print it with its second key first (it signs)");

  CLI::App& analytics = *cli.add_subcommand("analytics", "Analytics events");
  analytics.require_subcommand(1);
  std::string events_file;
  CLI::App& analytics_import = *analytics.add_subcommand(
      "import",
      "Record the events of a JSON Lines file (checked whole before anything is written)");
  analytics_import.add_option("FILE", events_file, "One event per line")->required();
  AddDataOptions(analytics_import, config);

  // Lambda execs a custom runtime's `bootstrap` file with no arguments: when this binary is that
  // file, it is the `lambda` command.
  std::vector<const char*> args(argv, argv + argc);
  if (argc == 1 && std::filesystem::path(argv[0]).filename() == "bootstrap") {
    args.push_back("lambda");
  }
  try {
    cli.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : 2;
  }

  if (version) {
    std::cout << "practica " << kVersion << "\n";
    return 0;
  }
  config.cookie_secure = cookie_secure;
  // The LRS password comes from the environment only: a flag's value would show in `ps`.
  if (const char* password = std::getenv("PRACTICA_XAPI_PASSWORD")) config.xapi_password = password;
  if (lambda) {
    // Before the store check below: in Lambda a bad store choice is an init error to report.
    SetLogLevel(config.log_level);
    // Lines go out as they are written (no flusher): Lambda freezes the process after each
    // response, and a buffered line would wait for the next invocation.
    Status status = app::ServeLambda(config, runtime_api);
    if (!status.ok()) log::Error("cannot serve Lambda", {{"error", status.error().message}});
    return status.ok() ? 0 : 1;
  }
  if (keys_rotate || keys_promote) {
    // Key material passes from stdin to stdout only: nothing is logged, no file is written.
    std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    Result<auth::NodeKeys> ring = auth::ParseKeySecret(text);
    std::fill(text.begin(), text.end(), '\0');
    if (!ring.ok()) return Fail(ring.error());
    if (keys_rotate) {
      auth::AddSigningKey(*ring, !verify_only);
    } else if (Status promoted = auth::PromoteSigningKey(*ring); !promoted.ok()) {
      return Fail(promoted.error());
    }
    std::cout << auth::FormatNodeKeys(*ring);
    return 0;
  }
  // Every other command opens stores: a store choice that cannot work stops it before it writes.
  if (Status specs = app::CheckStoreSpecs(config); !specs.ok()) return Fail(specs.error());
  if (user_create) {
    log::SetLevel(log::Level::kWarn);
    const std::optional<std::string> password = ReadNewPassword();
    if (!password) return Fail(Error::Invalid("no password given (the two entries must match)"));
    if (user_name.empty()) user_name = user_email.substr(0, user_email.find('@'));
    auto created =
        app::CreateUser(config, user_email, user_name, *domain::ParseRole(user_role), *password);
    if (!created.ok()) return Fail(created.error());
    std::cout << "created " << domain::ToString(created->role) << " " << created->email << " ("
              << created->id << ")\n";
    return 0;
  }
  if (user_set_role) {
    log::SetLevel(log::Level::kWarn);
    auto updated = app::SetUserRole(config, user_email, *domain::ParseRole(user_role));
    if (!updated.ok()) return Fail(updated.error());
    std::cout << updated->email << " is now " << domain::ToString(updated->role) << "\n";
    return 0;
  }
  if (serve) {
    SetLogLevel(config.log_level);
    log::StartLogFlusher();
    Status status = app::Serve(config);
    if (!status.ok()) log::Error("cannot serve", {{"error", status.error().message}});
    log::StopLogFlusher();
    return status.ok() ? 0 : 1;
  }

  // The remaining commands work on the database and print for people, not log collectors.
  log::SetLevel(log::Level::kWarn);
  if (analytics_import) {
    auto imported = app::ImportAnalyticsEvents(config, events_file);
    if (!imported.ok()) return Fail(imported.error());
    std::cout << "recorded " << *imported << " events\n";
    return 0;
  }
  if (migrate) {
    auto done = app::MigrateStores(config);
    if (!done.ok()) return Fail(done.error());
    for (const std::string& line : *done) std::cout << line << "\n";
    return 0;
  }
  if (import) {
    auto imported = app::ImportCourses(config, import_dir, ShowProgress);
    if (!imported.ok()) return Fail(imported.error());
    for (const std::string& slug : *imported) std::cout << "imported " << slug << "\n";
    return 0;
  }
  if (import_gift) {
    auto imported = app::ImportGiftFile(config, gift_file, gift);
    if (!imported.ok()) return Fail(imported.error());
    ShowGiftProblems(imported->problems, gift_file);
    std::cout << "imported " << gift.course << " from " << gift_file << "\n";
    return 0;
  }
  auto store = app::OpenContentStore(config);
  if (!store.ok()) return Fail(store.error());
  if (export_gift) {
    auto exported = app::ExportGiftFile(**store, gift_file, gift);
    if (!exported.ok()) return Fail(exported.error());
    ShowGiftProblems(exported->problems, gift_file);
    std::cout << "exported " << gift.course << " to " << gift_file << "\n";
    return 0;
  }
  if (export_) {
    auto course = (*store)->GetCourse(export_course);
    if (!course.ok()) return Fail(course.error());
    const Status written = content::IsBundleZipPath(export_dir)
                               ? content::WriteBundleZipFile(*course, export_dir)
                               : content::WriteBundle(*course, export_dir);
    if (!written.ok()) return Fail(written.error());
    std::cout << "exported " << export_course << " to " << export_dir << "\n";
    return 0;
  }
  return 2;
}

}  // namespace practica::cli
