#include "app/application.h"

#include <system_error>

#include "api/routes.h"
#include "common/log.h"
#include "content/bundle.h"
#include "http/pipeline.h"
#include "server/server.h"
#include "server/static_files.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_content_store.h"

namespace practica::app {
namespace fs = std::filesystem;

namespace {

Status EnsureDataDir(const Config& config) {
  std::error_code ec;
  fs::create_directories(config.data_dir, ec);
  if (ec) {
    return Error::Unavailable("cannot create the data directory " + config.data_dir.string() +
                              ": " + ec.message());
  }
  return Status::Ok();
}

}  // namespace

Result<SchemaVersions> MigrateDatabase(const Config& config) {
  if (Status dir = EnsureDataDir(config); !dir.ok()) return std::move(dir).error();
  auto report = store::sqlite::MigrateFile(config.DatabaseFile());
  if (!report.ok()) return report.error();
  return SchemaVersions{report->from_version, report->to_version};
}

Result<std::unique_ptr<store::ContentStore>> OpenContentStore(const Config& config) {
  if (Status dir = EnsureDataDir(config); !dir.ok()) return std::move(dir).error();
  auto opened = store::sqlite::SqliteContentStore::Open(config.DatabaseFile());
  if (!opened.ok()) return opened.error();
  return std::unique_ptr<store::ContentStore>(std::move(opened).value());
}

Result<std::vector<std::string>> ImportBundles(store::ContentStore& store, const fs::path& path,
                                               const ImportProgress& progress) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    return Error::Invalid(path.string() + ": not a folder");
  }
  std::vector<fs::path> bundles;
  if (fs::exists(path / "course.yaml", ec)) {
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
    auto course = content::ReadBundle(bundle);
    if (!course.ok()) {
      Error error = std::move(course).error();
      // Problems name files relative to the bundle; make them relative to what the user typed.
      for (FieldError& field : error.fields) field.field = (bundle / field.field).string();
      return error;
    }
    courses.push_back(std::move(course).value());
    ++done;
  }
  std::vector<std::string> slugs;
  for (const domain::Course& course : courses) {
    if (progress) progress(done, total, "writing " + course.slug);
    if (Status status = store.PutCourse(course); !status.ok()) return std::move(status).error();
    slugs.push_back(course.slug);
    ++done;
  }
  if (progress) progress(done, total, "done");
  return slugs;
}

namespace {

Status LoadSeedContent(store::ContentStore& store, const Config& config) {
  if (config.seed_content.empty()) return Status::Ok();
  auto count = store.CountCourses();
  if (!count.ok()) return std::move(count).error();
  if (*count > 0) return Status::Ok();
  auto imported = ImportBundles(store, config.seed_content);
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

Status Serve(const Config& config) {
  auto listen = ParseListenAddress(config.listen);
  if (!listen.ok()) return listen.error();

  auto content = OpenContentStore(config);
  if (!content.ok()) return content.error();
  if (Status seeded = LoadSeedContent(**content, config); !seeded.ok()) return seeded;

  const api::Services services{**content};
  const http::Router router = api::BuildRouter(services);
  const auto static_files = server::StaticFiles::Load(config.web_root);
  const http::Pipeline pipeline(router, [&static_files](const http::Request& request) {
    return static_files->Serve(request);
  });

  server::ServerOptions options;
  options.host = listen->host;
  options.port = listen->port;
  options.threads = config.threads;
  options.header_timeout = std::chrono::milliseconds(config.header_timeout_ms);
  options.idle_timeout = std::chrono::milliseconds(config.idle_timeout_ms);
  server::Server server(options, pipeline);
  if (Status listening = server.Listen(); !listening.ok()) return listening;
  server.Run();
  return Status::Ok();
}

}  // namespace practica::app
