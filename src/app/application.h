// The composition root: configuration → stores → services → router → server.
// The only place that knows which adapters are in use.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>

#include "app/config.h"
#include "common/error.h"
#include "store/content_store.h"

namespace practica::app {

// Opens the embedded SQLite store under config.data_dir (created if missing), migrated.
Result<std::unique_ptr<store::ContentStore>> OpenContentStore(const Config& config);

// Creates or upgrades the database schema under config.data_dir (created if missing).
struct SchemaVersions {
  int before = 0;
  int after = 0;
};
Result<SchemaVersions> MigrateDatabase(const Config& config);

// Imports every course bundle under `path` (the folder itself if it holds course.yaml, else each
// sub-folder that does). All bundles are read and validated first; nothing is written unless all
// are valid. `progress(done, total)` is called as courses are read and written.
using ImportProgress = std::function<void(int done, int total, std::string_view what)>;
Result<std::vector<std::string>> ImportBundles(store::ContentStore& store,
                                               const std::filesystem::path& path,
                                               const ImportProgress& progress = {});

// Serves HTTP until SIGINT/SIGTERM: loads the seed content into an empty store first.
Status Serve(const Config& config);

}  // namespace practica::app
